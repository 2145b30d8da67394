"""Registry import (CSV) at bulk speed: 10.000 patrols, against a plain bulk_create of the same rows.

    python bench/imports.py [--quick] [--rows N] [--sqlite-path PATH] [--pg-db NAME | --no-pg]

In a child process per database (SQLite in a temporary file; PostgreSQL at 127.0.0.1:5432 in database
`--pg-db`, default `bd_bench_imports_<pid>`, created and dropped here), with a small world (a province,
two communes' agencies, a standing-office user scoped to the province):
- reference: `Patrol.objects.bulk_create` of the same rows, already parsed into model instances;
- import: `patrols.run_import` of the CSV file (the page's and the job's path: parse, validate each row
  with the registry's form, scope, bulk write, change log), into an emptied table;
- re-import: the registry's own export of those rows imported back (nothing changes, nothing written).
Reference and import alternate (median of 3 rounds) because the shared machine's load changes from
second to second. Queries are counted for one import and one re-import. Targets: import < 10 s and
≤ 3 × the reference. `--quick`: 2.000 rows, SQLite only, one round (under a minute).
Ends with one JSON line.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

KINDS = ["bilateral", "unilateral", "joint", "closed_loop"]


def generate(path: Path, rows: int, agencies: list[int], seed: int = 2025) -> None:
    rnd = random.Random(seed)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("kind,started_at,ended_at,agency,counterpart_unit,participants,km,findings,minutes_signed\n")
        start = dt.datetime(2025, 1, 1, 6, 0)
        for i in range(rows):
            t = start + dt.timedelta(minutes=47 * i)
            end = t + dt.timedelta(hours=rnd.randint(2, 9))
            km = f"{rnd.randint(1, 40)},{rnd.randrange(1000):03d}"
            fh.write(
                f"{KINDS[rnd.randrange(4)]},{t:%d/%m/%Y %H:%M},{end:%d/%m/%Y %H:%M},"
                f'{agencies[rnd.randrange(len(agencies))]},Đồn Công an Ái Điểm,{rnd.randint(2, 30)},"{km}",'
                f"Tuần tra số {i + 1}: không phát hiện vi phạm,{'Có' if rnd.random() < 0.7 else 'Không'}\n"
            )


# ---------------------------------------------------------------- child: one database


def child(database_url: str, rows: int, rounds: int) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("BORDERDESK_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "borderdesk.settings")
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    from borderdesk.accounts.models import RoleAssignment, User
    from borderdesk.core.models import ChangeLogEntry
    from borderdesk.core.registry import tabular
    from borderdesk.frontier.models import Patrol
    from borderdesk.frontier.registries import patrols
    from borderdesk.org.models import AdministrativeUnit, Agency, AgencyKind

    root = AdministrativeUnit.objects.create(code="VN", name="Việt Nam", kind="country")
    root.path = f"/{root.pk}/"
    root.save(update_fields=["path"])
    prov = AdministrativeUnit.objects.create(code="20", name="Lạng Sơn", kind="province", parent=root)
    prov.path = f"{root.path}{prov.pk}/"
    prov.save(update_fields=["path"])
    kind = AgencyKind.objects.create(code="bien-phong", name="Đồn biên phòng")
    agencies = [Agency.objects.create(name=f"Đồn Biên phòng {n}", kind=kind, unit=prov).pk for n in range(1, 9)]
    user = User.objects.create_user("bench.ls", password="x")
    _grant(RoleAssignment, user, prov)

    tmp = Path(tempfile.mkdtemp(prefix="bench-imports-"))
    path = tmp / "patrols.csv"
    generate(path, rows, agencies)
    body = path.read_bytes()

    def upload(data: bytes, name: str = "patrols.csv"):
        return SimpleUploadedFile(name, data)

    def reference_objects() -> list:
        # The same rows parsed into instances: the cost of the write alone, with no validation.
        parsed = tabular.read_table(upload(body))
        out = []
        for r in parsed:
            started = dt.datetime.strptime(r["started_at"], "%d/%m/%Y %H:%M").replace(tzinfo=dt.UTC)
            ended = dt.datetime.strptime(r["ended_at"], "%d/%m/%Y %H:%M").replace(tzinfo=dt.UTC)
            out.append(
                Patrol(
                    kind=r["kind"],
                    started_at=started,
                    ended_at=ended,
                    agency_id=int(r["agency"]),
                    counterpart_unit=r["counterpart_unit"],
                    participants=int(r["participants"]),
                    km=r["km"].replace(",", "."),
                    findings=r["findings"],
                    minutes_signed=r["minutes_signed"] == "Có",
                    province_id=prov.pk,
                    unit_id=prov.pk,
                )
            )
        return out

    def empty():
        Patrol.objects.all().delete()
        ChangeLogEntry.objects.all().delete()

    refs, imports = [], []
    for _round in range(rounds):
        empty()
        objs = reference_objects()
        t = time.perf_counter()
        with transaction.atomic():
            Patrol.objects.bulk_create(objs, batch_size=1000)
        refs.append(time.perf_counter() - t)
        empty()
        t = time.perf_counter()
        result = patrols.run_import(user=user, uploaded=upload(body))
        imports.append(time.perf_counter() - t)
        assert result.ok and result.created == rows, result.errors[:3]
    assert ChangeLogEntry.objects.count() == rows
    export = tabular.write_csv(tabular.export_rows(patrols.queryset(user).order_by("pk"), patrols.form_class))
    log_before = ChangeLogEntry.objects.count()
    t = time.perf_counter()
    with CaptureQueriesContext(connection) as again_q:
        again = patrols.run_import(user=user, uploaded=upload(export, "export.csv"))
    again_s = time.perf_counter() - t
    assert again.ok and again.unchanged == rows and not again.updated, again.as_dict()["errors"][:3]
    assert ChangeLogEntry.objects.count() == log_before, "an unchanged re-import logged something"
    empty()
    with CaptureQueriesContext(connection) as first_q:
        if os.environ.get("BENCH_PROFILE"):  # where one import's time goes
            import cProfile
            import pstats

            prof = cProfile.Profile()
            prof.runcall(patrols.run_import, user=user, uploaded=upload(body))
            pstats.Stats(prof, stream=sys.stderr).sort_stats("tottime").print_stats(25)
        else:
            patrols.run_import(user=user, uploaded=upload(body))
    shutil.rmtree(tmp, ignore_errors=True)
    if os.environ.get("BENCH_QUERIES"):  # the most frequent statements of one import (to find per-row queries)
        from collections import Counter

        for sql, n in Counter(q["sql"][:160] for q in first_q.captured_queries).most_common(8):
            print(n, sql, file=sys.stderr)
    print(
        json.dumps(
            {
                "vendor": connection.vendor,
                "rows": rows,
                "reference_s": statistics.median(refs),
                "import_s": statistics.median(imports),
                "reimport_s": again_s,
                "reference_runs": [round(x, 3) for x in refs],
                "import_runs": [round(x, 3) for x in imports],
                "import_queries": len(first_q.captured_queries),
                "reimport_queries": len(again_q.captured_queries),
            }
        )
    )


def _grant(RoleAssignment, user, prov) -> None:
    """The standing office's role at the province (scope: the province and everything under it)."""
    RoleAssignment.objects.create(user=user, role="standing_office", unit=prov)


def run_child(database_url: str, rows: int, rounds: int) -> dict:
    proc = subprocess.run(
        [sys.executable, __file__, "--child", database_url, str(rows), str(rounds)],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-3000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _arg(name: str, default: str | None = None) -> str | None:
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


def pg(db: str, action: str) -> bool:
    try:
        import psycopg

        with psycopg.connect(
            "host=127.0.0.1 port=5432 user=postgres dbname=postgres", autocommit=True, connect_timeout=2
        ) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{db}"')
            if action == "create":
                con.execute(f'CREATE DATABASE "{db}"')
        return True
    except Exception:
        return False


def main() -> None:
    quick = "--quick" in sys.argv
    rows = int(_arg("--rows", "2000" if quick else "10000"))
    rounds = 1 if quick else 3
    tmp = Path(tempfile.mkdtemp(prefix="bench-imports-"))
    sqlite_path = _arg("--sqlite-path", str(tmp / "bench.sqlite3"))
    results = {}
    try:
        results["sqlite"] = run_child(f"sqlite:///{sqlite_path}", rows, rounds)
        db = _arg("--pg-db", f"bd_bench_imports_{os.getpid()}")
        if not quick and "--no-pg" not in sys.argv:
            if pg(db, "create"):
                try:
                    results["postgresql"] = run_child(f"postgres://postgres@127.0.0.1:5432/{db}", rows, rounds)
                finally:
                    pg(db, "drop")
            else:
                print("postgresql: not reachable at 127.0.0.1:5432, skipped")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    summary = {"bench": "imports", "rows": rows, "load": round(os.getloadavg()[0], 1)}
    ok = True
    for name, r in results.items():
        ratio = r["import_s"] / r["reference_s"]
        passed = r["import_s"] < 10 and ratio <= 3
        ok = ok and passed
        print(
            f"{name}: import {r['import_s']:.3f} s = {rows / r['import_s']:,.0f} rows/s (runs {r['import_runs']}), "
            f"{r['import_queries']} queries; plain bulk_create {r['reference_s']:.3f} s "
            f"(runs {r['reference_runs']}); "
            f"{ratio:.2f} × bulk_create; re-import of the export (unchanged) {r['reimport_s']:.3f} s, "
            f"{r['reimport_queries']} queries; target < 10 s and ≤ 3 ×: {'OK' if passed else 'MISSED'}"
        )
        summary[name] = {
            "import_s": round(r["import_s"], 3),
            "bulk_create_s": round(r["reference_s"], 3),
            "ratio": round(ratio, 2),
            "reimport_s": round(r["reimport_s"], 3),
            "import_queries": r["import_queries"],
            "reimport_queries": r["reimport_queries"],
            "ok": passed,
        }
    summary["ok"] = ok
    print(json.dumps(summary))


if __name__ == "__main__":
    if len(sys.argv) >= 5 and sys.argv[1] == "--child":
        child(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        main()
