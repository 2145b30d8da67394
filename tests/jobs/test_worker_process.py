"""A real worker process killed with SIGKILL midway through a crossing-log import leaves nothing written;
the next worker runs the job again and the log is imported exactly once."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.slow,
    # The worker process runs on its own SQLite file; the PostgreSQL run of the suite need not repeat it.
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="covered by the SQLite run (the worker uses its own database file)",
    ),
]

BORDERDESK = str(Path(sys.executable).with_name("borderdesk"))
# 250.000 rows (~10 MB): the worker is killed at its first progress report (after the first 128 KB, polled every
# 20 ms), and reading the rest still takes the streaming parser ~1,7 s of CPU (more under load, which slows the
# poller no more than the worker), so the kill lands midway on any machine; written as one repeated block, so
# building the file costs well under a second. (Both runs read the whole file twice, DuckDB then the parser: 1 M
# rows made this the suite's slowest test, 23 s; the speed of a 1 M-row import is bench/crossings.py's.)
DAYS, REPEAT = 25, 10_000
ROWS = DAYS * REPEAT

SUBMIT = """
import django; django.setup()
import shutil
from borderdesk.accounts.models import User
from borderdesk.jobs import services
path = services.input_dir() / "kill-test.csv"
shutil.copyfile({log!r}, path)
job = services.submit(user=User.objects.get(username="baocao.huunghi"), kind_code="gates.crossing_log",
                      params={{"file_name": "kill-test.csv"}}, title="Nhập nhật ký (thử ngắt)", input_path=str(path))
print(job.pk)
"""


def _env(tmp_path: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'bd.sqlite3'}",
            "BORDERDESK_SECRET_KEY": "kill-test-" + "k" * 50,
            "BORDERDESK_MEDIA_ROOT": str(tmp_path / "media"),
            "BORDERDESK_JOB_STALE_SECONDS": "2",
            # progress written every 20 ms, so a poll sees the reading under way however fast the machine reads
            # (at the default 1 s a quiet machine read the whole file between two writes: the kill then landed
            # after the import's commit, and the test failed on a correct import)
            "BORDERDESK_JOB_HEARTBEAT_SECONDS": "0.02",
            "BORDERDESK_HTTPS": "0",
            "DJANGO_SETTINGS_MODULE": "borderdesk.settings",
        }
    )
    return env


def _job(db: Path, job_id: str) -> tuple[str, int, int]:
    return _job_row(db, job_id)[:3]


def _job_row(db: Path, job_id: str) -> tuple[str, int, int, int | None]:
    with sqlite3.connect(db, timeout=30) as conn:
        return conn.execute(
            "SELECT status, done, attempts, total FROM jobs_job WHERE replace(id, '-', '') = ?",
            (job_id.replace("-", ""),),
        ).fetchone()


def _log_stats(db: Path) -> tuple[int, int]:
    with sqlite3.connect(db, timeout=30) as conn:
        stats = conn.execute(
            "SELECT count(*), coalesce(sum(persons_exit), 0) FROM gates_gatedailystat s "
            "JOIN gates_bordergate g ON g.id = s.gate_id WHERE g.code = 'huu-nghi' "
            "AND s.date BETWEEN '2024-03-01' AND '2024-04-30' AND s.persons_exit = ?",
            (ROWS // DAYS,),
        ).fetchone()
        imports = conn.execute(
            "SELECT count(*) FROM gates_crossinglogimport WHERE file_name = 'kill-test.csv'"
        ).fetchone()[0]
    return stats, imports


def _wait(predicate, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def _demo_database(env: dict, db: Path) -> None:
    """The demo database for the worker: a copy of the suite's demo snapshot, or migrate + demo without one."""
    from tests import demo_snapshot

    if demo_snapshot.enabled():
        shutil.copyfile(demo_snapshot.sqlite_copy("kill-test"), db)
        return
    subprocess.run([BORDERDESK, "migrate", "-v0"], env=env, check=True, timeout=300)
    subprocess.run([BORDERDESK, "demo", "-v0"], env=env, check=True, timeout=300, stdout=subprocess.DEVNULL)


def _worker(env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [BORDERDESK, "worker", "--interval", "0.2"], env=env, stdout=subprocess.DEVNULL, stderr=open(log, "ab")
    )  # noqa: SIM115 - closed with the process


def test_kill_9_midway_leaves_nothing_and_the_retry_imports_once(tmp_path):
    env, db = _env(tmp_path), tmp_path / "bd.sqlite3"
    _demo_database(env, db)
    log, worker_log = tmp_path / "log.csv", tmp_path / "worker.log"
    # dd/mm/yyyy dates: read by the streaming parser, which reports progress as it reads.
    block = "".join(
        f"{dt.date(2024, 3, 1) + dt.timedelta(days=d):%d/%m/%Y} 10:00,huu-nghi,exit,person,VN,,\n" for d in range(DAYS)
    )
    with open(log, "w") as fh:
        fh.write("time,gate,direction,kind,nationality,cargo_usd,tonnes\n")
        fh.write(block * REPEAT)
    job_id = (
        subprocess.run(
            [sys.executable, "-c", SUBMIT.format(log=str(log))],
            env=env,
            check=True,
            capture_output=True,
            text=True,
            timeout=120,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    assert _job(db, job_id)[0] == "queued"

    worker = _worker(env, worker_log)
    try:

        def midway():
            status, done, _attempts, total = _job_row(db, job_id)
            assert status in ("queued", "running"), (
                f"the job ended ({status}) before it could be killed: " + worker_log.read_text(errors="replace")[-2000:]
            )
            # still reading (done < total): once it reports the whole file read, it is writing, and a kill that
            # lands after the write's commit but before the job is marked done leaves the rows, rightly
            assert not (status == "running" and total and done >= total), "the reading was over before a poll saw it"
            return status == "running" and 0 < done < (total or 0)

        _wait(midway, 120, "the job to make progress")
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
    status, done, attempts = _job(db, job_id)
    assert status == "running" and 0 < done and attempts == 1
    assert _log_stats(db) == ((0, 0), 0)  # nothing half-written: no statistics, no import record

    time.sleep(2.5)  # the job's heartbeat is now stale
    worker = _worker(env, worker_log)
    try:
        _wait(lambda: _job(db, job_id)[0] in ("done", "failed"), 240, "the retried job to finish")
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    status, _done, attempts = _job(db, job_id)
    assert (status, attempts) == ("done", 2), worker_log.read_text(errors="replace")[-2000:]
    assert _log_stats(db) == ((DAYS, ROWS), 1)  # imported exactly once
