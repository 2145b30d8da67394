"""Change log at millions of entries: the page, its filters, the API and the CSV export, at the demo's size and at
``--entries`` (default 2.000.000; ``--quick`` 200.000) in the same run.

    python bench/changelog.py [--quick] [--entries N] [--backends sqlite,postgres] [--runs N] [--db-name NAME] [--keep]

For each backend a fresh database (SQLite: ``var/bench/changelog*/NAME.sqlite3``; PostgreSQL: ``NAME``, default
``borderdesk_bench_changelog_<pid>`` on BENCH_PG_URL's server) is migrated and given the demonstration data. Each
case — a request a user makes, answered by the Django test client in-process (the page, a deep keyset page, each
filter, an object's history, a province office's scoped page, the API's first and a deep page), with the page
cache off (every write adds an entry, so a visit after one is computed afresh) — is timed at the
demo's size (a few hundred entries) first. Then ``--entries`` entries are added in bulk (COPY / executemany:
three years, mostly daily crossing figures and data values as a province's imports make them, a long tail of
rarer object types and a few of very rare ones, spread over the tree's units and agencies and the demo's users)
and every case is timed again. The goal is that the change log "stays fast at millions of entries" (issue 14):
each case ≤ 0,5 s, and its time at N entries ≤ 3 × its time at the demo's size or at most 50 ms more (a page of
a few milliseconds at the demo's size; the ratio is what to read on a noisy machine). The CSV export (the
background job's rows) of the newest 20.000 entries is timed against reading the same rows with ``values_list``
(ratio). Prints a table and ends with one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from benchdb import Unavailable, bulk_load, fresh_database  # noqa: E402

#: (content type "app.model", share of the entries); the rest is spread over every other content type
COMMON = (("gates.gatedailystat", 0.55), ("reporting.datavalue", 0.25), ("frontier.patrol", 0.08))
RARE = ("coordination.agreement", "org.committee")  # a few dozen entries each over the whole span
EXPORT_ROWS = 20_000


def child(backend: str, entries: int, runs: int) -> dict:
    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at")

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "borderdesk.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # production settings: the manifest's names
    from borderdesk.demo.loader import load_demo

    load_demo()
    t_setup = time.perf_counter() - t0
    setup_test_environment()
    from borderdesk.accounts.models import User
    from borderdesk.core.models import ChangeLogEntry

    demo_entries = ChangeLogEntry.objects.count()
    admin = User.objects.get(username="admin")
    office = User.objects.get(username="vanphong.ls")
    clients = {}
    for name, user in (("admin", admin), ("office", office)):
        c = Client(HTTP_HOST="127.0.0.1")
        c.force_login(user)
        clients[name] = c

    def cases() -> list[tuple[str, str, str]]:
        """(name, user, url): built from the table as it is (cursors in the middle, an object with history)."""
        qs = ChangeLogEntry.objects.order_by("-time", "-id")
        total = qs.count()
        mid = qs.values_list("time", "id")[total // 2]
        cursor = f"{mid[0].isoformat()}~{mid[1]}"
        obj = (
            ChangeLogEntry.objects.filter(content_type__app_label="frontier", content_type__model="patrol")
            .order_by("-id")
            .values_list("object_id", flat=True)
            .first()
        )
        from urllib.parse import quote

        month = "2026-03"
        return [
            ("first page", "admin", "/nhat-ky/"),
            ("deep page (keyset, middle)", "admin", f"/nhat-ky/?cu_hon={quote(cursor)}"),
            ("common type", "admin", "/nhat-ky/?model=gates.gatedailystat"),
            ("rare type", "admin", "/nhat-ky/?model=org.committee"),
            ("rare type, deep", "admin", f"/nhat-ky/?model=org.committee&cu_hon={quote(cursor)}"),
            ("one object's history", "admin", f"/nhat-ky/?model=frontier.patrol&object_id={obj}"),
            ("one month", "admin", f"/nhat-ky/?from={month}-01&to={month}-31"),
            ("by user", "admin", "/nhat-ky/?user=vanphong"),
            ("action", "admin", "/nhat-ky/?action=delete"),
            ("province office (scope)", "office", "/nhat-ky/"),
            ("province office, deep", "office", f"/nhat-ky/?cu_hon={quote(cursor)}"),
            ("API first page", "admin", "/api/changelog?page=1"),
            ("API deep page (cursor)", "admin", f"/api/changelog?older={quote(cursor)}"),
            ("API rare type", "admin", "/api/changelog?model=org.committee"),
        ]

    def measure(label: str) -> dict:
        out = {}
        for name, who, url in cases():
            c = clients[who]
            r = c.get(url, secure=True)
            if r.status_code != 200:
                raise SystemExit(f"{label} {name}: {url} answered {r.status_code}: {r.content[:300]!r}")
            times, queries = [], 0
            for _ in range(runs):
                with CaptureQueriesContext(connection) as ctx:
                    t = time.perf_counter()
                    c.get(url, secure=True)
                    times.append(time.perf_counter() - t)
                queries = len(ctx.captured_queries)
            out[name] = {"s": round(statistics.median(times), 4), "queries": queries, "url": url}
            print(f"  {label:6} {name:28} {out[name]['s'] * 1000:8.1f} ms  {queries:3} statements", file=sys.stderr)
        return out

    small = measure("demo")
    t0 = time.perf_counter()
    added = fill(entries)
    t_fill = time.perf_counter() - t0
    large = measure(f"{entries // 1000}k")
    # The export: the background job's rows (changelog_display.csv_rows) for the newest EXPORT_ROWS entries,
    # against reading the same rows with values_list.
    from borderdesk.core import changelog_display

    qs = ChangeLogEntry.objects.select_related("content_type").order_by("-time", "-id")
    edge = qs.values_list("time", flat=True)[EXPORT_ROWS - 1]
    part = qs.filter(time__gte=edge)
    t = time.perf_counter()
    n_rows = sum(1 for _ in changelog_display.csv_rows(part))
    t_export = time.perf_counter() - t
    t = time.perf_counter()
    n_ref = sum(1 for _ in part.values_list().iterator(chunk_size=2000))
    t_ref = time.perf_counter() - t
    return {
        "backend": backend,
        "setup_s": round(t_setup, 1),
        "demo_entries": demo_entries,
        "entries": demo_entries + added,
        "fill_s": round(t_fill, 1),
        "small": small,
        "large": large,
        "export": {
            "rows": n_rows,
            "s": round(t_export, 3),
            "rows_per_s": round(n_rows / t_export),
            "values_list_s": round(t_ref, 3),
            "ratio": round(t_export / t_ref, 1),
            "reference_rows": n_ref,
        },
    }


def fill(n: int) -> int:
    """Add ``n`` entries in bulk: three years, deterministic."""
    import datetime as dt
    import random

    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from borderdesk.accounts.models import User
    from borderdesk.core.models import ChangeLogEntry
    from borderdesk.org.models import AdministrativeUnit, Agency

    rng = random.Random(14)
    cts = {f"{c.app_label}.{c.model}": c.pk for c in ContentType.objects.all()}
    common = [(cts[k], share) for k, share in COMMON if k in cts]
    rare = [cts[k] for k in RARE if k in cts]
    others = [pk for k, pk in cts.items() if k not in dict(COMMON) and k not in RARE]
    units = list(AdministrativeUnit.objects.values_list("pk", flat=True))
    agencies = list(Agency.objects.values_list("pk", flat=True))
    users = list(User.objects.values_list("pk", "username"))
    start = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    span = 3 * 365 * 86400
    step = span / n
    actions = ("create", "update", "update", "update", "delete", "import")
    cols = (
        "time",
        "user_id",
        "user_repr",
        "request_id",
        "action",
        "content_type_id",
        "object_id",
        "object_repr",
        "unit_id",
        "agency_id",
        "before",
        "after",
        "reason",
    )

    def rows():
        for i in range(n):
            x = rng.random()
            acc, ct = 0.0, None
            for pk, share in common:
                acc += share
                if x < acc:
                    ct = pk
                    break
            if ct is None:
                ct = rare[i % len(rare)] if rare and rng.random() < 0.0002 else rng.choice(others)
            uid, uname = rng.choice(users)
            when = start + dt.timedelta(seconds=i * step + rng.random() * step)
            unit = rng.choice(units) if rng.random() < 0.8 else None
            agency = rng.choice(agencies) if unit is None and agencies else None
            yield (
                when.replace(tzinfo=None).isoformat(sep=" "),  # UTC, as Django writes a time on both backends
                uid,
                uname,
                f"{i:032x}",
                rng.choice(actions),
                ct,
                str(rng.randrange(1, 50_000)),
                f"Mục {i}",
                unit,
                agency,
                json.dumps({"value": rng.randrange(1000)}),
                json.dumps({"value": rng.randrange(1000)}),
                "",
            )

    bulk_load(ChangeLogEntry._meta.db_table, cols, rows(), batch=100_000)
    with connection.cursor() as c:
        c.execute(f"ANALYZE {ChangeLogEntry._meta.db_table}")
    return n


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--entries", type=int, default=0, help="entries added (default 2.000.000, quick 200.000)")
    ap.add_argument("--backends", default="sqlite,postgres")
    ap.add_argument("--runs", type=int, default=0, help="timed runs per case (default 5, quick 3)")
    ap.add_argument("--db-name", default=f"borderdesk_bench_changelog_{os.getpid()}")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--child", default="")
    args = ap.parse_args()
    entries = args.entries or (200_000 if args.quick else 2_000_000)
    runs = args.runs or (3 if args.quick else 5)
    if args.child:
        print("RESULT " + json.dumps(child(args.child, entries, runs)))
        return 0
    bench_dir = ROOT / "var" / "bench" / ("changelog-quick" if args.quick else "changelog")
    bench_dir.mkdir(parents=True, exist_ok=True)
    results: dict = {"bench": "changelog", "quick": args.quick, "entries_added": entries, "runs": runs}
    ok_all = True
    for backend in [b for b in args.backends.split(",") if b]:
        env = dict(
            os.environ,
            BORDERDESK_TESTING="0",
            BORDERDESK_ALLOW_EPHEMERAL_KEY="1",
            BORDERDESK_VAR_DIR=str(bench_dir),
            BORDERDESK_PAGE_CACHE="0",  # every write adds an entry: a visit after one is a miss, which is timed
        )
        try:
            env["DATABASE_URL"], drop = fresh_database(backend, args.db_name, bench_dir)
        except Unavailable as exc:
            print(f"{backend}  skipped: {exc}")
            continue
        cmd = [sys.executable, __file__, "--child", backend, "--entries", str(entries), "--runs", str(runs)]
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
        if not args.keep:
            drop()
        line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")), None)
        if proc.returncode or line is None:
            print(f"{backend} failed:\n{proc.stderr[-3000:]}")
            results[backend] = {"error": proc.stderr[-500:]}
            ok_all = False
            continue
        r = json.loads(line[7:])
        results[backend] = r
        print(
            f"{backend}: {r['demo_entries']:,} demo entries → {r['entries']:,} (added in {r['fill_s']} s); "
            f"median of {runs} runs per case"
        )
        print(f"  {'case':30} {'demo':>9} {'large':>9} {'ratio':>6} statements")
        for name, big in r["large"].items():
            small = r["small"][name]
            ratio = big["s"] / small["s"] if small["s"] else None
            ok = big["s"] <= 0.5 and ratio is not None and (ratio <= 3 or big["s"] - small["s"] <= 0.05)
            big["ratio"], big["ok"] = round(ratio, 2) if ratio else None, ok
            ok_all &= ok
            print(
                f"  {name:30} {small['s'] * 1000:7.1f} ms {big['s'] * 1000:7.1f} ms {ratio:5.2f}× "
                f"{small['queries']:3} → {big['queries']:3} {'' if ok else '✗'}"
            )
        e = r["export"]
        print(
            f"  export of the newest {e['rows']:,} entries (the job's CSV rows): {e['s']} s, "
            f"{e['rows_per_s']:,} rows/s, "
            f"{e['ratio']}× reading them with values_list ({e['values_list_s']} s)"
        )
    results["ok"] = ok_all
    print(
        "goal: every case ≤ 0,5 s, and ≤ 3 × (or ≤ 50 ms more than) its time at the demo's size: "
        + ("met" if ok_all else "NOT met")
    )
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
