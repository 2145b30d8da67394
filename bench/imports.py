"""Registry import (CSV) at bulk speed: 10.000 patrols, and 10.000 days of gate figures (a registry whose save
service has a rule of its own — new or changed figures are marked imported — applied to the whole file on the
bulk path), each against a plain bulk_create of the same rows.

    python bench/imports.py [--quick] [--rows N] [--sqlite-path PATH] [--pg-db NAME | --no-pg]

In a child process per database (SQLite in a temporary file; PostgreSQL at 127.0.0.1:5432 in database
`--pg-db`, default `bd_bench_imports_<pid>`, created and dropped here), with a small world (a province,
two communes' agencies, a standing-office user scoped to the province):
- reference: `Patrol.objects.bulk_create` of the same rows, already parsed into model instances;
- import: `patrols.run_import` of the CSV file (the page's and the job's path: parse, validate each row
  with the registry's form, scope, bulk write, change log), into an emptied table;
- re-import: the registry's own export of those rows imported back (nothing changes, nothing written).
The same for the gate figures (`daily_stats.run_import`, 8 gates × 1.250 days; reference:
`GateDailyStat.objects.bulk_create`). Reference and import alternate (median of 3 rounds) because the shared
machine's load changes from second to second. Queries are counted for one import and one re-import.
Targets: import < 10 s and ≤ 3 × the reference. `--quick`: 2.000 rows, SQLite only, one round (under a minute).
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


def generate_stats(path: Path, rows: int, gates: list[int], seed: int = 2026) -> None:
    rnd = random.Random(seed)
    start = dt.date(2020, 1, 1)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("gate,date,persons_exit,persons_entry,cargo_vehicles_export,cargo_vehicles_import,tonnes,note\n")
        for i in range(rows):
            day = start + dt.timedelta(days=i // len(gates))
            fh.write(
                f"{gates[i % len(gates)]},{day:%d/%m/%Y},{rnd.randint(0, 4000)},{rnd.randint(0, 4000)},"
                f'{rnd.randint(0, 900)},{rnd.randint(0, 900)},"{rnd.randint(0, 20000)},{rnd.randrange(10)}",'
                f"Số liệu ngày {i + 1}\n"
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

    from borderdesk.gates.models import BorderGate, GateDailyStat
    from borderdesk.gates.registries import daily_stats

    gates = [
        BorderGate.objects.create(code=f"ck-{n}", name=f"Cửa khẩu {n}", kind="main", unit=prov).pk for n in range(1, 9)
    ]
    tmp = Path(tempfile.mkdtemp(prefix="bench-imports-"))

    def upload(data: bytes, name: str = "import.csv"):
        return SimpleUploadedFile(name, data)

    def patrol_objects(body) -> list:
        # The same rows parsed into instances: the cost of the write alone, with no validation.
        out = []
        for r in tabular.read_table(upload(body)):
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

    def stat_objects(body) -> list:
        return [
            GateDailyStat(
                gate_id=int(r["gate"]),
                date=dt.datetime.strptime(r["date"], "%d/%m/%Y").date(),
                persons_exit=int(r["persons_exit"]),
                persons_entry=int(r["persons_entry"]),
                cargo_vehicles_export=int(r["cargo_vehicles_export"]),
                cargo_vehicles_import=int(r["cargo_vehicles_import"]),
                tonnes=r["tonnes"].replace(",", "."),
                note=r["note"],
                channel="import",
            )
            for r in tabular.read_table(upload(body))
        ]

    def measure(name, registry, model, body, reference_objects) -> dict:
        def empty():
            model.objects.all().delete()
            ChangeLogEntry.objects.all().delete()

        refs, imports = [], []
        for _round in range(rounds):
            empty()
            objs = reference_objects(body)
            t = time.perf_counter()
            with transaction.atomic():
                model.objects.bulk_create(objs, batch_size=1000)
            refs.append(time.perf_counter() - t)
            empty()
            t = time.perf_counter()
            result = registry.run_import(user=user, uploaded=upload(body))
            imports.append(time.perf_counter() - t)
            assert result.ok and result.created == rows, result.errors[:3]
        assert ChangeLogEntry.objects.count() == rows
        export = tabular.write_csv(tabular.export_rows(registry.queryset(user).order_by("pk"), registry.form_class))
        log_before = ChangeLogEntry.objects.count()
        t = time.perf_counter()
        with CaptureQueriesContext(connection) as again_q:
            again = registry.run_import(user=user, uploaded=upload(export, "export.csv"))
        again_s = time.perf_counter() - t
        assert again.ok and again.unchanged == rows and not again.updated, again.as_dict()["errors"][:3]
        assert ChangeLogEntry.objects.count() == log_before, "an unchanged re-import logged something"
        empty()
        with CaptureQueriesContext(connection) as first_q:
            if os.environ.get("BENCH_PROFILE"):  # where one import's time goes
                import cProfile
                import pstats

                prof = cProfile.Profile()
                prof.runcall(registry.run_import, user=user, uploaded=upload(body))
                if os.environ["BENCH_PROFILE"].endswith(".prof"):  # BENCH_PROFILE=/tmp/x.prof: /tmp/x.<file>.prof
                    prof.dump_stats(os.environ["BENCH_PROFILE"].removesuffix(".prof") + f".{name}.prof")
                pstats.Stats(prof, stream=sys.stderr).sort_stats("tottime").print_stats(25)
            else:
                registry.run_import(user=user, uploaded=upload(body))
        if os.environ.get("BENCH_QUERIES"):  # the most frequent statements of one import (to find per-row queries)
            from collections import Counter

            for sql, n in Counter(q["sql"][:160] for q in first_q.captured_queries).most_common(8):
                print(name, n, sql, file=sys.stderr)
        return {
            "reference_s": statistics.median(refs),
            "import_s": statistics.median(imports),
            "reimport_s": again_s,
            "reference_runs": [round(x, 3) for x in refs],
            "import_runs": [round(x, 3) for x in imports],
            "import_queries": len(first_q.captured_queries),
            "reimport_queries": len(again_q.captured_queries),
        }

    path = tmp / "patrols.csv"
    generate(path, rows, agencies)
    out = {"vendor": connection.vendor, "rows": rows}
    out["patrols"] = measure("patrols", patrols, Patrol, path.read_bytes(), patrol_objects)
    path = tmp / "stats.csv"
    generate_stats(path, rows, gates)
    out["gate_days"] = measure("gate_days", daily_stats, GateDailyStat, path.read_bytes(), stat_objects)
    rowwise = int(os.environ.get("BENCH_ROWWISE", "0"))
    if rowwise:  # the gate figures row by row through their save service, as before they took the bulk path
        from borderdesk.core.permissions import Op
        from borderdesk.gates import services as gate_services

        GateDailyStat.objects.all().delete()
        head = b"".join(path.read_bytes().splitlines(keepends=True)[: rowwise + 1])
        t = time.perf_counter()
        with CaptureQueriesContext(connection) as q:
            result = tabular.import_rows(
                rows=tabular.read_table(upload(head)),
                form_class=daily_stats.form_class,
                queryset=GateDailyStat.objects.for_user(user, daily_stats.action(Op.CHANGE)),
                user=user,
                save=gate_services.daily_stat_import_save,
                form_kwargs={"user": user},
            )
        assert result.ok and result.created == rowwise, result.errors[:3]
        out["gate_days"]["rowwise"] = {
            "rows": rowwise,
            "s": time.perf_counter() - t,
            "queries": len(q.captured_queries),
        }
    shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps(out))


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
    for name, by_case in results.items():
        summary[name] = {}
        for case in ("patrols", "gate_days"):
            r = by_case[case]
            ratio = r["import_s"] / r["reference_s"]
            passed = r["import_s"] < 10 and ratio <= 3
            ok = ok and passed
            print(
                f"{name} {case}: import {r['import_s']:.3f} s = {rows / r['import_s']:,.0f} rows/s "
                f"(runs {r['import_runs']}), {r['import_queries']} queries; plain bulk_create "
                f"{r['reference_s']:.3f} s (runs {r['reference_runs']}); {ratio:.2f} × bulk_create; re-import of "
                f"the export (unchanged) {r['reimport_s']:.3f} s, {r['reimport_queries']} queries; "
                f"target < 10 s and ≤ 3 ×: {'OK' if passed else 'MISSED'}"
            )
            if "rowwise" in r:
                w = r["rowwise"]
                print(
                    f"{name} {case}: row by row through the save service (before): {w['rows']} rows in {w['s']:.3f} s "
                    f"= {w['rows'] / w['s']:,.0f} rows/s, {w['queries']} queries"
                )
            summary[name][case] = {
                "import_s": round(r["import_s"], 3),
                "bulk_create_s": round(r["reference_s"], 3),
                "ratio": round(ratio, 2),
                "reimport_s": round(r["reimport_s"], 3),
                "import_queries": r["import_queries"],
                "reimport_queries": r["reimport_queries"],
                "ok": passed,
            }
            if "rowwise" in r:
                summary[name][case]["rowwise_rows_per_s"] = round(r["rowwise"]["rows"] / r["rowwise"]["s"])
    summary["ok"] = ok
    print(json.dumps(summary))


if __name__ == "__main__":
    if len(sys.argv) >= 5 and sys.argv[1] == "--child":
        child(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        main()
