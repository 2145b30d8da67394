"""The database a benchmark's child process runs on: a fresh SQLite file or PostgreSQL database per backend.

    url, drop = fresh_database(backend, name, folder, reuse=False)

``backend`` "sqlite" gives ``folder/NAME.sqlite3`` (removed first, with its -wal/-shm files); any other value a
PostgreSQL database NAME on BENCH_PG_URL's server (dropped and created). ``reuse``: the database an earlier run
kept, as it is. Returns the DATABASE_URL for the child and a function that removes the database, or raises
``Unavailable`` with the reason (no kept database, no server). ``bulk_load`` writes a child's generated rows.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

PG_ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")


class Unavailable(Exception):
    """The backend cannot be measured here (the message says why)."""


def fresh_database(backend: str, name: str, folder: Path, *, reuse: bool = False) -> tuple[str, Callable[[], None]]:
    if backend == "sqlite":
        db = folder / f"{name}.sqlite3"

        def drop_file() -> None:
            for suffix in ("", "-wal", "-shm"):
                Path(str(db) + suffix).unlink(missing_ok=True)

        if reuse and not db.exists():
            raise Unavailable(f"no kept database {db}")
        if not reuse:
            drop_file()
        return f"sqlite:///{db}", drop_file
    import psycopg

    def drop_database() -> None:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}"')

    try:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as c:
            if not reuse:
                c.execute(f'DROP DATABASE IF EXISTS "{name}"')
                c.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as exc:
        raise Unavailable(str(exc)) from None
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name, drop_database


def bulk_load(table: str, columns: Sequence[str], rows: Iterable[Sequence], *, batch: int = 200_000) -> None:
    """``rows`` into ``table`` (after ``django.setup()``, on the default database) as fast as the backend takes them:
    COPY on PostgreSQL; on SQLite executemany in batches, in one transaction. The caller runs ANALYZE."""
    from django.db import connection, transaction

    if connection.vendor == "sqlite":
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
        with transaction.atomic(), connection.cursor() as c:
            chunk: list = []
            for row in rows:
                chunk.append(row)
                if len(chunk) >= batch:
                    c.executemany(sql, chunk)
                    chunk = []
            if chunk:
                c.executemany(sql, chunk)
        return
    connection.ensure_connection()
    raw = connection.connection
    with raw.cursor() as c, c.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as cp:
        for row in rows:
            cp.write_row(row)
    raw.commit()
