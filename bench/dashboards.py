"""Dashboards over a national set: page time against a plain page in the same run. Target: p95 < 300 ms.

    python bench/dashboards.py [--quick] [--national] [--db sqlite|postgres] [--db-name NAME]

A throw-away database with the demonstration data (both border provinces, their registries, reports, roll-up);
with ``--national`` also the synthetic national set of ``bench/national.build_dashboard_set`` (24 more border
provinces: 26 in all, 240 communes reporting monthly, gates, patrols, incidents). ``--db postgres`` uses a
database of its own on BENCH_PG_URL's server, named by ``--db-name`` (default ``bench_dashboards_<pid>``, so
two runs never share one) and dropped at the end; SQLite runs in a fresh temporary directory. Whole requests through
Django's test client (middleware, session, selectors, template),
signed in as the national administrator (national dashboard, map) and as Lạng Sơn's leader (province
dashboard). The "plain page" is the change-log list of the same user, requested alternately with the
dashboards so that both see the same machine load; the ratio is dashboard p95 / plain page p95.
"""

from __future__ import annotations

import argparse  # noqa: E402
import json
import os
import statistics
import sys
import tempfile
import time

ap = argparse.ArgumentParser()
ap.add_argument("--quick", action="store_true")
ap.add_argument("--national", action="store_true", help="add the synthetic national set (26 border provinces)")
ap.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
ap.add_argument("--db-name", default=os.environ.get("BENCH_DB_NAME", f"bench_dashboards_{os.getpid()}"))
args = ap.parse_args()
quick = args.quick
PG_ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
if args.db == "postgres":
    import re

    import psycopg

    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", args.db_name):
        sys.exit("--db-name: lower-case letters, digits and _ only")
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as c:
        c.execute(f"DROP DATABASE IF EXISTS {args.db_name}")
        c.execute(f"CREATE DATABASE {args.db_name}")
    os.environ["DATABASE_URL"] = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + args.db_name
else:
    tmp = tempfile.mkdtemp(prefix=f"bench-dashboards-{args.db_name}-")
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
os.environ.setdefault("BORDERDESK_DEBUG", "1")
os.environ["BORDERDESK_ALLOWED_HOSTS"] = "testserver"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "borderdesk.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

t0 = time.perf_counter()
call_command("migrate", verbosity=0)
from borderdesk.demo.loader import load_demo  # noqa: E402

load_demo()
national_rows = {}
if args.national:
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from national import build_dashboard_set  # noqa: E402

    national_rows = build_dashboard_set()
    print("national set:", national_rows)
setup_s = time.perf_counter() - t0

from borderdesk.accounts.models import User  # noqa: E402

PAGES = [
    ("national", "admin", "/tong-quan/toan-quoc/?ky=2025"),
    ("province", "lanhdao.ls", "/tong-quan/tinh/?ky=2025"),
    ("map", "admin", "/tong-quan/ban-do/"),
    ("plain", "admin", "/nhat-ky/"),
]
runs = 15 if quick else 60
clients = {}
for _name, username, _url in PAGES:
    if username not in clients:
        c = Client()
        c.force_login(User.objects.get(username=username))
        clients[username] = c
times: dict[str, list[float]] = {name: [] for name, _u, _url in PAGES}
cpu: dict[str, list[float]] = {name: [] for name, _u, _url in PAGES}
queries: dict[str, int] = {}
for name, username, url in PAGES:  # warm-up: templates, translations, first connection
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as ctx:
        r = clients[username].get(url)
    assert r.status_code == 200, (url, r.status_code)
    queries[name] = len(ctx)
for _ in range(runs):
    for name, username, url in PAGES:
        t, c0 = time.perf_counter(), time.process_time()
        r = clients[username].get(url)
        times[name].append(time.perf_counter() - t)
        cpu[name].append(time.process_time() - c0)
        assert r.status_code == 200


def p95(xs):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(0.95 * (len(xs) - 1)))]


result = {
    "bench": "dashboards",
    "quick": quick,
    "runs": runs,
    "setup_s": round(setup_s, 1),
    "db": args.db,
    "national_set": national_rows,
}
plain = p95(times["plain"])
load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
result["load_average"] = round(load, 1) if load is not None else None
print(
    f"setup (migrate + demo data): {setup_s:.1f} s; {runs} requests per page, interleaved; load average {load:.1f}"
    " (2 cores shared; CPU time = this process on one core, "
    + ("SQLite runs in it)" if args.db == "sqlite" else "without the PostgreSQL server's own work)")
)
ok = True
for name, _u, url in PAGES:
    xs = times[name]
    row = {
        "median_ms": round(statistics.median(xs) * 1000, 1),
        "p95_ms": round(p95(xs) * 1000, 1),
        "max_ms": round(max(xs) * 1000, 1),
        "cpu_p95_ms": round(p95(cpu[name]) * 1000, 1),
        "queries": queries[name],
    }
    if name != "plain":
        row["ratio_p95_vs_plain"] = round(p95(xs) / plain, 1)
        row["ok_300ms"] = p95(xs) < 0.3
        row["ok_cpu_300ms"] = p95(cpu[name]) < 0.3
        ok = ok and row["ok_300ms"]
    result[name] = row
    print(
        f"{name:9} {url:32} median {row['median_ms']:7.1f} ms  p95 {row['p95_ms']:7.1f} ms  "
        f"max {row['max_ms']:7.1f} ms  CPU p95 {row['cpu_p95_ms']:6.1f} ms  {row['queries']:3d} queries"
        + (
            f"  {row['ratio_p95_vs_plain']}× plain page; target p95 < 300 ms: {'OK' if row['ok_300ms'] else 'MISSED'}"
            f" (CPU: {'OK' if row['ok_cpu_300ms'] else 'MISSED'})"
            if name != "plain"
            else ""
        )
    )
result["ok"] = ok
print(json.dumps(result))
if args.db == "postgres":
    connection.close()
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as c:
        c.execute(f"DROP DATABASE IF EXISTS {args.db_name}")
