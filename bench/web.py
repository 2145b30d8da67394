"""Web under load: 50 signed-in users without think time against BorderDesk served by gunicorn.

    python bench/web.py [--quick] [--users 50] [--seconds 30] [--workers 4] [--threads 4] [--writes 0,2]
                        [--think 1-3] [--think-seconds 20] [--cache-dir DIR] [--db NAME] [--sqlite] [--keep] [--reuse]

Sets up a fresh database (PostgreSQL by default: ``borderdesk_bench_web_<pid>`` on BENCH_PG_URL's
server, or ``--db NAME``; ``--sqlite`` for a file under var/bench/; ``--reuse`` keeps an existing database
``--db NAME`` as it is, and keeps it afterwards), migrates it and loads the demonstration data when empty,
signs every demo account in (several sessions each), and serves BorderDesk with gunicorn using
``borderdesk serve``'s settings (``--workers`` × ``--threads``; one file cache shared by the workers, as
``borderdesk serve`` keeps in var/cache/ — here a fresh folder under ``--cache-dir``) through
``bench/web_app.py``, which adds one trivial view (no database, no template) to the same URLs.

Locust (headless, loopback only, bounded in time) then drives ``--users`` signed-in users without think
time, in phases: the trivial view, the page mix (home, report list, data entry, consolidation, a registry
list, the dashboard when present, and API lists) once per value of ``--writes`` (that percentage of the
requests save a figure of a draft report, as the entry page's script does: session, CSRF token,
``POST /api/reporting/dataValueSets``), then the trivial view again. Every page is checked once to answer
200 for its user before the run; a page that answers anything else during the run counts as a failure.
``--think a-b`` adds the same phases (trivial view, each page mix) with each user waiting a uniformly random
a–b seconds between two requests (``--think-seconds`` each, the users arriving over about 3 s, the pages
warmed again first), as the issue's original measurement did ("with 1–3 s think time"): without think time
50 users queue on 2 cores (Little's law: mean wait = users / throughput), with it the latencies show what
one request costs under a realistic load.

Prints p50/p95/p99 and throughput per page and overall, the page cache's hits (``X-BorderDesk-Page-Cache``),
the ratio of the pages' throughput to the trivial view's in the same run and the load average, and ends
with one JSON line. Goal (issue 14): p95 < 150 ms and ≥ 40 % of the trivial view's throughput (the ratio
is a figure of the phases without think time; with think time the throughput is set by the think time).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PG_ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
PY = sys.executable
LOCUST = str(Path(PY).with_name("locust"))

SETUP = r"""
import json, os, sys
sys.path.insert(0, os.path.join(os.environ["BENCH_ROOT"], "src"))
import django
django.setup()
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.test import Client
from django.test.utils import setup_test_environment

call_command("migrate", verbosity=0)
from borderdesk.demo.loader import database_is_empty, load_demo
if database_is_empty():
    load_demo()
call_command("collectstatic", interactive=False, verbosity=0)
from borderdesk.accounts.models import User
from borderdesk.reporting.models import Submission

users = list(User.objects.filter(is_active=True).order_by("username"))
per_user = int(os.environ["BENCH_SESSIONS"])
setup_test_environment()
client = Client(HTTP_HOST="127.0.0.1")
sessions, dropped = [], []
for user in users:
    sub = Submission.objects.for_user(user).order_by("-pk").first()
    urls = [("home", "/"), ("report list", "/bao-cao/"),
            ("entry", f"/bao-cao/nhap/{sub.pk}/" if sub else None),
            ("consolidation", "/bao-cao/tong-hop/?ky=2025"),
            ("registry list", "/bien-gioi/tuan-tra/"),
            ("dashboard", "/tong-quan/tinh/"),
            ("api submissions", "/api/reporting/submissions"),
            ("api patrols", "/api/frontier/patrols"),
            ("api markers", "/api/frontier/markers")]
    client.force_login(user)
    ok = []
    for name, url in urls:
        if url is None:
            continue
        status = client.get(url).status_code
        (ok if status == 200 else dropped).append((name, url) if status == 200 else (user.username, name, status))
    client.logout()
    for _ in range(per_user):
        s = SessionStore()
        s[SESSION_KEY] = str(user.pk)
        s[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        s[HASH_SESSION_KEY] = user.get_session_auth_hash()
        s.create()
        sessions.append({"user": user.username, "sessionid": s.session_key, "urls": ok})
# Writers: accounts that may change a draft report; the bench's writes save one of its figures as the entry page's
# script does (POST /api/reporting/dataValueSets with the session and the CSRF token; the same service).
import secrets
writers = []
for user in users:
    drafts = Submission.objects.for_user(user, "change").filter(status="draft").order_by("-pk")[:5]
    for sub in drafts:
        client.force_login(user)
        rows = client.get(f"/api/reporting/dataValueSets?submission={sub.pk}").json().get("dataValues", [])
        client.logout()
        row = next((r for r in rows if isinstance(r.get("value"), (int, float, str)) and
                    str(r.get("value")).replace(".", "", 1).isdigit()), None)
        if row is None:
            continue
        s = SessionStore()
        s[SESSION_KEY] = str(user.pk)
        s[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        s[HASH_SESSION_KEY] = user.get_session_auth_hash()
        s.create()
        csrf = secrets.token_hex(16)
        writer = Client(HTTP_HOST="127.0.0.1", enforce_csrf_checks=True)
        writer.cookies["sessionid"], writer.cookies["csrftoken"] = s.session_key, csrf
        body = {"dataValues": [{"submission": sub.pk, "indicator": row["indicator"], "value": str(row["value"])}]}
        status = writer.post("/api/reporting/dataValueSets", body, content_type="application/json",
                             HTTP_X_CSRFTOKEN=csrf).status_code
        if status == 200:
            writers.append({"user": user.username, "sessionid": s.session_key, "csrf": csrf, "submission": sub.pk,
                            "indicator": row["indicator"], "value": float(row["value"])})
            break
json.dump({"sessions": sessions, "dropped": dropped, "writers": writers}, open(os.environ["BENCH_WEB_PLAN"], "w"))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql)


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except Exception:
            time.sleep(0.3)
    raise SystemExit(f"server did not answer at {url}")


def warm(plan: dict, host: str) -> None:
    """Warm every worker's caches: each session opens each of its pages once."""
    for s in plan["sessions"]:
        for _name, url in s["urls"]:
            req = urllib.request.Request(host + url, headers={"Cookie": f"sessionid={s['sessionid']}"})
            with urllib.request.urlopen(req, timeout=60) as r:
                r.read()


def server_cpu(pid: int | None) -> float:
    """CPU seconds (user + system) used so far by the gunicorn workers (and arbiter) of the server ``pid``."""
    import psutil

    if pid is None:
        return 0.0
    total = 0.0
    try:
        procs = [psutil.Process(pid), *psutil.Process(pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    for proc in procs:
        try:
            t = proc.cpu_times()
            total += t.user + t.system
        except psutil.NoSuchProcess:
            pass
    return total


def run_phase(
    env: dict, mode: str, users: int, seconds: int, host: str, tmp: Path, tag: str, think: str = "", server=None
) -> dict:
    prefix = tmp / tag
    env = {**env, "BENCH_WEB_THINK": think}
    cpu_before = server_cpu(server)
    subprocess.run(
        [
            LOCUST,
            "-f",
            str(BENCH / "web_locust.py"),
            "--headless",
            "-u",
            str(users),
            "-r",
            str(users if not think else max(1, users // 3)),  # with think time users arrive over ~3 s
            "-t",
            f"{seconds}s",
            "--host",
            host,
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "ERROR",
            "--stop-timeout",
            "5",
        ],
        env={**env, "BENCH_WEB_MODE": mode, "BENCH_WEB_CACHE_OUT": f"{prefix}_cache.json"},
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=seconds + 60,
    )
    rows = {}
    with open(f"{prefix}_stats.csv", newline="") as fh:
        for r in csv.DictReader(fh):
            rows[r["Name"]] = {
                "requests": int(r["Request Count"]),
                "failures": int(r["Failure Count"]),
                "rps": float(r["Requests/s"]),
                "p50_ms": float(r["50%"] or 0),
                "p95_ms": float(r["95%"] or 0),
                "p99_ms": float(r["99%"] or 0),
            }
    cache_file = Path(f"{prefix}_cache.json")
    rows["_cache"] = json.loads(cache_file.read_text()) if cache_file.exists() else {}
    # The server's CPU per answered request: what a request costs the workers whatever else the machine runs
    # (the throughput ratio moves with the other work on a shared machine; this does much less).
    answered = rows.get("Aggregated", {}).get("requests", 0)
    rows["_cpu_ms"] = 1000 * (server_cpu(server) - cpu_before) / answered if answered else 0.0
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="8 s phases (the whole run stays under a minute after setup)")
    ap.add_argument("--users", type=int, default=50)
    ap.add_argument("--seconds", type=int, default=30)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument(
        "--writes",
        default="0,2",
        help="percent of the page mix's requests that save a figure of a draft report, one page phase for each "
        "comma-separated value (default 0,2: reads only, then 2 %% writes)",
    )
    ap.add_argument(
        "--think",
        default="",
        help="a-b seconds: also run the trivial view and the page mixes with each user waiting a uniformly random "
        "a-b s between two requests (the issue's original measurement: 1-3)",
    )
    ap.add_argument("--think-seconds", type=int, default=20, help="length of each think-time phase (default 20)")
    ap.add_argument("--db", default=os.environ.get("BENCH_WEB_DB", f"borderdesk_bench_web_{os.getpid()}"))
    ap.add_argument("--sqlite", action="store_true")
    ap.add_argument(
        "--cache-dir",
        default=str(ROOT / "var" / "bench"),
        help="BORDERDESK_CACHE_DIR for the server (a fresh folder under it): one file cache shared by the "
        "workers, as `borderdesk serve` keeps in var/cache/ (default var/bench; '' for each worker's memory)",
    )
    ap.add_argument("--keep", action="store_true", help="keep the database afterwards")
    ap.add_argument(
        "--reuse",
        action="store_true",
        help="use the database --db as it is (created when missing) "
        "and keep it: repeated runs skip loading the demonstration data",
    )
    args = ap.parse_args()
    seconds = 8 if args.quick else args.seconds
    tmp = Path(tempfile.mkdtemp(prefix="bench-web-"))
    if args.sqlite:
        (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
        db_file = ROOT / "var" / "bench" / f"{args.db}.sqlite3"
        if not args.reuse:
            db_file.unlink(missing_ok=True)
        db_url = f"sqlite:///{db_file}"
    else:
        if args.reuse:
            import psycopg

            with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
                if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [args.db]).fetchone():
                    conn.execute(f'CREATE DATABASE "{args.db}"')
        else:
            pg(f'DROP DATABASE IF EXISTS "{args.db}"')
            pg(f'CREATE DATABASE "{args.db}"')
        db_url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + args.db
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "BORDERDESK_SECRET_KEY": "bench-web-" + "k" * 50,
        "BORDERDESK_HTTPS": "0",
        "BORDERDESK_STATIC_ROOT": str(ROOT / "var" / "bench" / "web-static"),  # kept: collected once
        "BENCH_ROOT": str(ROOT),
        "BENCH_WEB_PLAN": str(tmp / "plan.json"),
        "DJANGO_SETTINGS_MODULE": "borderdesk.settings",
        "BENCH_SESSIONS": str(max(1, -(-args.users // 9))),
    }
    env.pop("BORDERDESK_TESTING", None)
    cache_dir = Path(args.cache_dir) / f"borderdesk-bench-web-{os.getpid()}" if args.cache_dir else None
    if cache_dir:
        env["BORDERDESK_CACHE_DIR"] = str(cache_dir)
    server = None
    try:
        t0 = time.perf_counter()
        subprocess.run([PY, "-c", SETUP], env=env, check=True)
        setup_s = time.perf_counter() - t0
        plan = json.loads((tmp / "plan.json").read_text())
        port = free_port()
        host = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [
                PY,
                "-m",
                "gunicorn",
                "--chdir",
                str(BENCH),
                "--workers",
                str(args.workers),
                "--threads",
                str(args.threads),
                "--timeout",
                "120",
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
                "web_app:application",
            ],
            env=env,
        )
        wait_for(host + "/bench-trivial/")
        warm(plan, host)
        pid = server.pid
        t1 = run_phase(env, "trivial", args.users, seconds, host, tmp, "trivial1", server=pid)
        phases = []
        for i, writes in enumerate(float(w) for w in args.writes.split(",")):
            penv = {**env, "BENCH_WEB_WRITES": str(writes)}
            phases.append((writes, run_phase(penv, "pages", args.users, seconds, host, tmp, f"pages{i}", server=pid)))
        t2 = run_phase(env, "trivial", args.users, seconds, host, tmp, "trivial2", server=pid)
        think_trivial, think_phases = None, []
        if args.think:
            tsec = args.think_seconds
            warm(plan, host)  # the pages the write phases left to compute again, as before the first phases
            think_trivial = run_phase(env, "trivial", args.users, tsec, host, tmp, "think-trivial", args.think)
            for i, writes in enumerate(float(w) for w in args.writes.split(",")):
                penv = {**env, "BENCH_WEB_WRITES": str(writes)}
                think_phases.append(
                    (writes, run_phase(penv, "pages", args.users, tsec, host, tmp, f"think-pages{i}", args.think))
                )
    finally:
        if server:
            server.terminate()
            server.wait(timeout=30)
        if not args.sqlite and not args.keep and not args.reuse:
            pg(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')
        shutil.rmtree(tmp, ignore_errors=True)
        if cache_dir:
            shutil.rmtree(cache_dir, ignore_errors=True)

    t1.pop("_cache", None)
    t2.pop("_cache", None)
    trivial_rps = (t1["Aggregated"]["rps"] + t2["Aggregated"]["rps"]) / 2
    trivial_cpu = (t1.pop("_cpu_ms") + t2.pop("_cpu_ms")) / 2
    backend = "sqlite" if args.sqlite else "postgresql"
    print(
        f"\nBorderDesk under load — {args.users} signed-in users, no think time, {seconds} s a phase, "
        f"{args.workers} gunicorn workers × {args.threads} threads, {backend}"
        f"{', one file cache ' + args.cache_dir if args.cache_dir else ', each worker its own cache'}; "
        f"setup {setup_s:.1f} s; load average {os.getloadavg()[0]:.1f}"
    )
    if plan["dropped"]:
        print(f"pages not answering 200 for their user (left out): {plan['dropped']}")
    for tag, t in (("trivial (before)", t1), ("trivial (after)", t2)):
        r = t["Aggregated"]
        print(f"{tag:<18}{r['requests']:>9}{r['failures']:>6}{r['rps']:>9.1f}{r['p50_ms']:>9.0f}{r['p95_ms']:>9.0f}")
    print(f"server CPU per request, trivial view: {trivial_cpu:.2f} ms")
    mixes = [mix_report(writes, pages, trivial_rps, trivial_cpu) for writes, pages in phases]
    think = None
    if think_trivial is not None:
        think_trivial.pop("_cache", None)
        think_trivial.pop("_cpu_ms", None)
        r = think_trivial["Aggregated"]
        print(
            f"\nwith think time {args.think} s (uniform), {args.think_seconds} s a phase; load average "
            f"{os.getloadavg()[0]:.1f}"
        )
        print(f"{'':<18}{'requests':>9}{'fail':>6}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
        print(
            f"{'trivial':<18}{r['requests']:>9}{r['failures']:>6}{r['rps']:>9.1f}{r['p50_ms']:>9.0f}"
            f"{r['p95_ms']:>9.0f}{r['p99_ms']:>9.0f}"
        )
        think = {
            "think_s": args.think,
            "seconds": args.think_seconds,
            "trivial": {k: r[k] for k in ("requests", "rps", "p50_ms", "p95_ms", "p99_ms", "failures")},
            "mixes": [mix_report(writes, pages, None) for writes, pages in think_phases],
        }
    print(
        json.dumps(
            {
                "bench": "web",
                "backend": backend,
                "users": args.users,
                "seconds": seconds,
                "workers": args.workers,
                "threads": args.threads,
                "cache_dir": bool(args.cache_dir),
                "trivial_rps": round(trivial_rps, 1),
                "trivial_cpu_ms": round(trivial_cpu, 2),
                "load_average": round(os.getloadavg()[0], 1),
                "mixes": mixes,
                "think": think,
            },
            ensure_ascii=False,
        )
    )


def mix_report(writes: float, pages: dict, trivial_rps: float | None, trivial_cpu: float = 0.0) -> dict:
    """Print one page mix's table (per page and overall, page-cache hits) and return its JSON record;
    ``trivial_rps`` None: a phase with think time (no throughput ratio). ``trivial_cpu``: the server's CPU ms per
    trivial request (the CPU ratio: trivial / pages, what the throughput ratio would be with the CPU the only limit)."""
    cache_counts = pages.pop("_cache", {})
    cpu_ms = pages.pop("_cpu_ms", 0.0)
    answered = sum(sum(c.values()) for c in cache_counts.values())
    hits = sum(c.get("hit", 0) for c in cache_counts.values())
    hit_rate = hits / answered if answered else 0.0
    agg = pages["Aggregated"]
    ratio = agg["rps"] / trivial_rps if trivial_rps else 0.0
    print(f"\npage mix, writes {writes:g}% of the requests" + ("" if trivial_rps is not None else ", think time"))
    print(f"{'page':<18}{'requests':>9}{'fail':>6}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for name, r in sorted(pages.items(), key=lambda kv: (kv[0] == "Aggregated", kv[0])):
        print(
            f"{name:<18}{r['requests']:>9}{r['failures']:>6}{r['rps']:>9.1f}{r['p50_ms']:>9.0f}"
            f"{r['p95_ms']:>9.0f}{r['p99_ms']:>9.0f}"
        )
    print(
        "page cache hits/answers: "
        + ", ".join(f"{name} {c.get('hit', 0)}/{sum(c.values())}" for name, c in sorted(cache_counts.items()))
        + f"; hit rate {hit_rate * 100:.1f}%"
    )
    if trivial_rps is not None:
        print(
            f"pages' throughput = {ratio * 100:.1f}% of the trivial view's {trivial_rps:.0f} req/s (goal ≥ 40%); "
            f"p95 {agg['p95_ms']:.0f} ms (goal < 150 ms)"
        )
        print(
            f"server CPU per request {cpu_ms:.2f} ms; trivial view's / pages' = "
            f"{100 * trivial_cpu / cpu_ms if cpu_ms else 0:.1f}%"
        )
    else:
        print(f"p50 {agg['p50_ms']:.0f} ms, p95 {agg['p95_ms']:.0f} ms (goal < 150 ms), p99 {agg['p99_ms']:.0f} ms")
    return {
        "writes_pct": writes,
        "pages_rps": round(agg["rps"], 1),
        "pages_p50_ms": agg["p50_ms"],
        "pages_p95_ms": agg["p95_ms"],
        "pages_p99_ms": agg["p99_ms"],
        "pages_failures": agg["failures"],
        "ratio": round(ratio, 4) if trivial_rps is not None else None,
        "server_cpu_ms": round(cpu_ms, 2),
        "cpu_ratio": round(trivial_cpu / cpu_ms, 4) if cpu_ms and trivial_cpu else None,
        "page_cache_hit_rate": round(hit_rate, 4),
        "page_cache": cache_counts,
        "per_page": {k: v for k, v in pages.items() if k != "Aggregated"},
    }


if __name__ == "__main__":
    main()
