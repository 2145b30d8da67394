"""The demonstration database is built once and cloned for every test worker.

Loading the demo costs each pytest-xdist worker its migrations and the whole demo load. Instead, the
first worker that needs it builds a snapshot (migrated, demo loaded) under a file lock and the others
wait; every worker then starts from a copy: a file copy on SQLite (kept under /dev/shm when there is one),
``CREATE DATABASE … TEMPLATE`` on PostgreSQL. The snapshot is named by a fingerprint of the source (every
.py, .csv and .json file of the package) and today's date (the demo places reports relative to today),
so a change to the models, migrations or demo data builds a new one; it is reused across runs.
BORDERDESK_TEST_FRESH_DB=1 skips all this (each worker migrates and loads as before).

When the snapshot is missing (a fresh clone, a changed source, a new day), the controlling process starts
building it in the background as the session starts (:func:`build_in_background`), while the workers run the
tests that need no database (tests/conftest.py puts them first), so the build costs the suite little time.
"""

from __future__ import annotations

import atexit
import datetime as dt
import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = Path(os.environ.get("BORDERDESK_TEST_CACHE", ROOT / "var" / "test-cache"))
BUILD = """
import django
django.setup()
from django.core.management import call_command
from django.db import connection
call_command("migrate", verbosity=0)
import os
# What a serialized_rollback test restores after its flush: the rows of data migrations, not the demo.
with open(os.environ["BORDERDESK_SNAPSHOT_SERIALIZED"], "w", encoding="utf-8") as fh:
    fh.write(connection.creation.serialize_db_to_string())
from borderdesk.demo.loader import load_demo
load_demo()
if connection.vendor == "sqlite":
    with connection.cursor() as c:
        c.execute("PRAGMA journal_mode=DELETE")
"""


def enabled() -> bool:
    return os.environ.get("BORDERDESK_TEST_FRESH_DB", "") not in ("1", "true", "yes")


def fingerprint() -> str:
    digest = hashlib.sha256(dt.date.today().isoformat().encode())
    digest.update(Path(__file__).read_bytes())  # how the snapshot is built
    # .md: the default report outlines (documents/templates_default), loaded into the database by a migration
    for path in sorted((ROOT / "src" / "borderdesk").rglob("*")):
        if path.suffix in {".py", ".csv", ".json", ".md"} and "__pycache__" not in path.parts and path.is_file():
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def serialized_path() -> Path:
    return CACHE / f"migrations-{fingerprint()}.json"


def serialized_contents() -> str | None:
    """The data-migration rows as Django serializes a fresh test database (for serialized_rollback)."""
    path = serialized_path()
    return path.read_text(encoding="utf-8") if path.exists() else None


def _build(database_url: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_SETTINGS"))}
    env.update(
        {
            "DATABASE_URL": database_url,
            "BORDERDESK_TESTING": "1",
            "DJANGO_SETTINGS_MODULE": "borderdesk.settings",
            "BORDERDESK_SNAPSHOT_SERIALIZED": str(serialized_path()),
        }
    )
    subprocess.run([sys.executable, "-c", BUILD], env=env, check=True, cwd=ROOT)


class _Lock:
    def __enter__(self):
        CACHE.mkdir(parents=True, exist_ok=True)
        self.fh = open(CACHE / "build.lock", "w")  # noqa: SIM115
        fcntl.flock(self.fh, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc):
        fcntl.flock(self.fh, fcntl.LOCK_UN)
        self.fh.close()


def _sqlite_snapshot() -> Path:
    return CACHE / f"demo-{fingerprint()}.sqlite3"


def _ensure_sqlite_snapshot() -> Path:
    snapshot = _sqlite_snapshot()
    with _Lock():
        if not snapshot.exists() or not serialized_path().exists():
            building = snapshot.with_suffix(".building")
            building.unlink(missing_ok=True)
            _build(f"sqlite:///{building}")
            building.rename(snapshot)
            for old in [*CACHE.glob("demo-*.sqlite3"), *CACHE.glob("migrations-*.json")]:
                if old not in (snapshot, serialized_path()):
                    old.unlink(missing_ok=True)
    return snapshot


def sqlite_copy(worker: str) -> str:
    """A fresh copy of the SQLite snapshot for this worker (the path to use as the test database)."""
    snapshot = _ensure_sqlite_snapshot()
    base = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
    folder = tempfile.mkdtemp(prefix="borderdesk-test-", dir=base)
    atexit.register(shutil.rmtree, folder, True)
    target = Path(folder) / f"test-{worker}.sqlite3"
    shutil.copyfile(snapshot, target)
    return str(target)


def postgres_template(settings_dict: dict) -> str:
    """The name of a PostgreSQL database holding the snapshot, to create test databases from."""
    import psycopg

    # Named after the configured database (bd8_x -> bd8_x_tpl_<fingerprint>): checkouts that share a server keep
    # their own snapshot, and only this one's older snapshots are dropped.
    prefix = f"{settings_dict.get('NAME') or 'borderdesk'}_tpl_"[:47]
    name = f"{prefix}{fingerprint()}"
    admin = {
        "host": settings_dict.get("HOST") or None,
        "port": settings_dict.get("PORT") or None,
        "user": settings_dict.get("USER") or None,
        "password": settings_dict.get("PASSWORD") or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with _Lock(), psycopg.connect(**{k: v for k, v in admin.items() if v is not None or k == "autocommit"}) as conn:
        exists = (
            serialized_path().exists()
            and conn.execute("SELECT 1 FROM pg_database WHERE datname = %s AND datallowconn", (name,)).fetchone()
        )
        if not exists:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
            user = f"{settings_dict['USER']}@" if settings_dict.get("USER") else ""
            host = f"{settings_dict.get('HOST') or '127.0.0.1'}:{settings_dict.get('PORT') or 5432}"
            try:
                _build(f"postgres://{user}{host}/{name}")
            except BaseException:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
                raise
            for (old,) in conn.execute(
                "SELECT datname FROM pg_database WHERE left(datname, %s) = %s AND datname <> %s",
                (len(prefix), prefix, name),
            ).fetchall():
                conn.execute(f'DROP DATABASE IF EXISTS "{old}"')
    return name


def build_in_background() -> threading.Thread | None:
    """Start building the missing snapshot in a thread of this process (the file lock makes the workers wait for
    it when they reach their first database test); None when there is nothing to build. Join the thread before
    the process ends."""
    from django.conf import settings

    if not enabled():
        return None
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        if _sqlite_snapshot().exists() and serialized_path().exists():
            return None
        target = _ensure_sqlite_snapshot
    elif db["ENGINE"].endswith("postgresql"):

        def target():
            postgres_template(db)

    else:
        return None

    def build():
        try:
            target()
        except Exception:  # noqa: BLE001 - the worker that needs the snapshot builds it again and reports the error
            pass

    thread = threading.Thread(target=build, name="demo-snapshot", daemon=True)
    thread.start()
    return thread
