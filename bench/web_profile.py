"""Per page, one request at a time: CPU time, SQL statements and bytes of each page in bench/web.py's mix.

    python bench/web_profile.py [--db NAME] [--sqlite] [--keep] [--repeat 5] [--users a,b] [--page-cache on]
                                [--profile PAGE]

Sets up the database as bench/web.py does (PostgreSQL ``borderdesk_bench_webprof_<pid>`` on BENCH_PG_URL's
server unless ``--db``; an existing database with data is reused, and kept, when ``--keep``), then, in this
process with the production settings (DEBUG off, cached templates), signs each demo account in and opens
every page of its mix: once to warm the caches, then ``--repeat`` times measuring the process's CPU time
(``time.process_time``: not disturbed by other work on a shared machine) and the SQL statements
(``CaptureQueriesContext``). The trivial view of bench/web_app.py is measured the same way: the
reference. ``--profile PAGE`` prints cProfile's costliest functions for that page (all users).

Prints one row per page: mean and max CPU ms over users, mean and max statements, mean KB; then one JSON
line.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
PG_ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def page_urls(user) -> list[tuple[str, str]]:
    """bench/web.py's mix for one user (the same list as its SETUP)."""
    from borderdesk.reporting.models import Submission

    sub = Submission.objects.for_user(user).order_by("-pk").first()
    urls = [
        ("home", "/"),
        ("report list", "/bao-cao/"),
        ("entry", f"/bao-cao/nhap/{sub.pk}/" if sub else None),
        ("consolidation", "/bao-cao/tong-hop/?ky=2025"),
        ("registry list", "/bien-gioi/tuan-tra/"),
        ("dashboard", "/tong-quan/tinh/"),
        ("api submissions", "/api/reporting/submissions"),
        ("api patrols", "/api/frontier/patrols"),
        ("api markers", "/api/frontier/markers"),
    ]
    return [(n, u) for n, u in urls if u]


def measure_save(client, user, repeat: int, profiler=None) -> dict | None:
    """bench/web.py's write: one figure of the user's newest draft saved through ``POST /api/reporting/dataValueSets``
    (the value changed each time, as a clerk's save does), ``repeat`` times; None when the user has no such draft."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from borderdesk.reporting.models import Submission

    for sub in Submission.objects.for_user(user, "change").filter(status="draft").order_by("-pk")[:5]:
        found = client.get(f"/api/reporting/dataValueSets?submission={sub.pk}").json().get("dataValues", [])
        row = next((r for r in found if str(r.get("value")).replace(".", "", 1).isdigit()), None)
        if row is not None:
            break
    else:
        return None
    cpu, statements = [], []
    for i in range(repeat + 1):
        body = {
            "dataValues": [
                {"submission": sub.pk, "indicator": row["indicator"], "value": str(float(row["value"]) + i % 2)}
            ]
        }
        with CaptureQueriesContext(connection) as queries:
            t = time.process_time()
            if profiler and i:
                profiler.enable()
            response = client.post("/api/reporting/dataValueSets", body, content_type="application/json")
            if profiler and i:
                profiler.disable()
            spent = time.process_time() - t
        assert response.status_code == 200, response.content[:300]
        if i:  # the first save warms the caches
            cpu.append(spent)
            statements.append([q["sql"] for q in queries.captured_queries])
    if os.environ.get("BENCH_WEB_SQL"):
        print(f"--- save by {user.username} ({len(statements[-1])} statements)")
        for sql in statements[-1]:
            print("   ", sql[:220])
    return {
        "user": user.username,
        "cpu_ms": 1000 * min(cpu),
        "queries": sum(map(len, statements)) / repeat,
        "kb": len(response.content) / 1024,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", default=os.environ.get("BENCH_WEB_DB", f"borderdesk_bench_webprof_{os.getpid()}"))
    ap.add_argument("--sqlite", action="store_true")
    ap.add_argument("--keep", action="store_true", help="keep (and reuse) the database")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--users", default="", help="comma-separated usernames (default: every active account)")
    ap.add_argument(
        "--page-cache",
        choices=("off", "on"),
        default="off",
        help="off (default): what computing each page costs; on: what a kept page costs (core.pagecache)",
    )
    ap.add_argument("--profile", default="", help="print cProfile's costliest functions for this page name")
    args = ap.parse_args()

    if args.sqlite:
        (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
        db_url = f"sqlite:///{ROOT / 'var' / 'bench' / (args.db + '.sqlite3')}"
    else:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [args.db]).fetchone()
            if exists and not args.keep:
                conn.execute(f'DROP DATABASE "{args.db}" WITH (FORCE)')
            if not exists or not args.keep:
                conn.execute(f'CREATE DATABASE "{args.db}"')
        db_url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + args.db
    import tempfile

    static_root = tempfile.mkdtemp(prefix="bench-webprof-static-")
    os.environ.update(
        {
            "DATABASE_URL": db_url,
            "BORDERDESK_SECRET_KEY": "bench-web-" + "k" * 50,
            "BORDERDESK_HTTPS": "0",
            "DJANGO_SETTINGS_MODULE": "borderdesk.settings",
            "BORDERDESK_STATIC_ROOT": static_root,
            "BORDERDESK_PAGE_CACHE": "1" if args.page_cache == "on" else "0",
        }
    )
    os.environ.pop("BORDERDESK_TESTING", None)
    os.environ.pop("BORDERDESK_DEBUG", None)
    import web_app  # noqa: F401  (django.setup(), the trivial view's URL)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    from borderdesk.demo.loader import database_is_empty, load_demo

    if database_is_empty():
        load_demo()
    call_command("collectstatic", interactive=False, verbosity=0)
    from borderdesk.accounts.models import User

    users = User.objects.filter(is_active=True).order_by("username")
    if args.users:
        users = users.filter(username__in=args.users.split(","))
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
    rows: dict[str, list[dict]] = {}
    try:
        for user in users:
            client = Client(HTTP_HOST="127.0.0.1")
            client.force_login(user)
            for name, url in [("trivial", "/bench-trivial/"), *page_urls(user)]:
                first = client.get(url)
                if first.status_code != 200:
                    continue
                cpu = []
                with CaptureQueriesContext(connection) as queries:
                    for _ in range(args.repeat):
                        t = time.process_time()
                        if profiler and name == args.profile:
                            profiler.enable()
                        response = client.get(url)
                        if profiler and name == args.profile:
                            profiler.disable()
                        cpu.append(time.process_time() - t)
                rows.setdefault(name, []).append(
                    {
                        "user": user.username,
                        "cpu_ms": 1000 * min(cpu),
                        "queries": len(queries) / args.repeat,
                        "kb": len(response.content) / 1024,
                    }
                )
            saved = measure_save(client, user, args.repeat, profiler if args.profile == "save" else None)
            if saved:
                rows.setdefault("save", []).append(saved)
            client.logout()
    finally:
        import shutil

        shutil.rmtree(static_root, ignore_errors=True)
        connection.close()
        if not args.sqlite and not args.keep:
            import psycopg

            with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')

    summary = {}
    print(f"{'page':<17}{'users':>6}{'CPU ms':>9}{'max':>8}{'(user)':<16}{'SQL':>6}{'max':>5}{'KB':>8}")
    for name, rs in rows.items():
        worst = max(rs, key=lambda r: r["cpu_ms"])
        s = {
            "users": len(rs),
            "cpu_ms": sum(r["cpu_ms"] for r in rs) / len(rs),
            "cpu_ms_max": worst["cpu_ms"],
            "worst_user": worst["user"],
            "queries": sum(r["queries"] for r in rs) / len(rs),
            "queries_max": max(r["queries"] for r in rs),
            "kb": sum(r["kb"] for r in rs) / len(rs),
        }
        summary[name] = s
        print(
            f"{name:<17}{s['users']:>6}{s['cpu_ms']:>9.1f}{s['cpu_ms_max']:>8.1f} {worst['user']:<15}"
            f"{s['queries']:>6.1f}{s['queries_max']:>5.0f}{s['kb']:>8.1f}"
        )
    pages = [s for n, s in summary.items() if n != "trivial"]
    if pages:
        mean = sum(s["cpu_ms"] for s in pages) / len(pages)
        print(f"mean of the pages {mean:.1f} ms of CPU = {mean / summary['trivial']['cpu_ms']:.1f}× the trivial view")
    print(json.dumps({"bench": "web_profile", "pages": summary}, ensure_ascii=False))
    if profiler:
        import pstats

        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(30)


if __name__ == "__main__":
    main()
