"""Which tables a piece of work read, and which it wrote: seen in the SQL itself.

Every statement Django sends goes through the connection's execute wrappers, so watching them is correct
by construction — the ORM, raw SQL, a bulk update and a data migration all pass there:

- :func:`install_write_hook` (on every new connection) bumps ``table:<name>`` (``core.generation``) for each
  model table an INSERT, UPDATE, DELETE or TRUNCATE touched, once per transaction (``table:*`` when the
  statement's tables are unknown). The change log's own rows are left out: every one is written beside a
  logged write, which bumps its table; a page reading the change log depends on every table (``EVERY``).
- :func:`capture` collects the tables the statements inside it read (FROM / JOIN) and whether any wrote;
  :func:`dependencies` turns them into the tables whose data generations a cached copy must be keyed by
  (``core.pagecache``, ``core.fragments``), or None when the work cannot be cached (it wrote, read the
  sessions, or read something that is not a model's table).

Open edits (the one finer class, kept narrow so that it stays provably right): :func:`open_edit` wraps the
saving of an open report's figures (draft or returned, staying so: ``reporting.services.submission_save``);
its writes to ``OPEN_EDIT_TABLES`` bump ``table:<name>@open`` instead of ``table:<name>``, and the report's
own generation (``table:@report-<n>``, :func:`report_mark`). A plain read of such a table depends on both table
generations; a read inside :func:`ignoring_open_edits` — code whose result does not change when an open
report's figures, narratives, save steps, version or save time change (it counts only submitted/approved
reports, or reads only a report's status, period and place) — depends on the first only, so a saved draft
figure leaves a consolidation or a dashboard kept; a read inside :func:`reading_open_report` (a report's own
entry page: its rows, and other reports' only as above) depends on the first and the report's own, so a saved
figure leaves the entry pages of the other reports kept.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager

GENERATION_TABLE = "core_cachegeneration"
CHANGELOG_TABLE = "core_changelogentry"
EVERY = "*"  # a dependency on every table's data (the change log is written beside each of them); = generation.ALL
# Tables an open edit writes (and nothing else of theirs): the rows of one open report.
OPEN_EDIT_TABLES = frozenset(
    {"reporting_submission", "reporting_datavalue", "reporting_narrative", "reporting_approvalstep"}
)
IGNORING = "@ignoring-open-edits"  # suffix of a table read inside ignoring_open_edits()
REPORT_BUCKETS = 64  # open reports' own generations (report_mark)
UNCACHEABLE_APPS = frozenset({"sessions", "axes"})  # never kept, and their writes bump nothing

_READ_RE = re.compile(r"\b(?:FROM|JOIN)\s+\"?([A-Za-z_][A-Za-z0-9_]*)\b\"?(?!\s*\()", re.IGNORECASE)
# A statement's own names: common table expressions (WITH a AS (...), b(x, y) AS (...)); they are no tables.
_CTE_RE = re.compile(
    r"(?:\bWITH(?:\s+RECURSIVE)?|,)\s*\"?([A-Za-z_][A-Za-z0-9_]*)\"?\s*(?:\([^()]*\))?\s*AS\s*(?:NOT\s+)?(?:MATERIALIZED\s+)?\(",
    re.I,
)
_WRITE_RE = re.compile(r"^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+\"?([A-Za-z_][A-Za-z0-9_]*)\"?", re.IGNORECASE)
_TRUNCATE_RE = re.compile(r"^\s*TRUNCATE\b", re.IGNORECASE)
_QUOTED_RE = re.compile(r"\"([A-Za-z_][A-Za-z0-9_]*)\"")
_ALIAS_RE = re.compile(r"^[A-Z]\d+$")  # Django's table aliases in joins and subqueries (T3, U0, V1)
_NO_WRITE = ("SELECT", "SAVEPOINT", "RELEASE", "ROLLBACK", "COMMIT", "BEGIN", "SET", "SHOW", "EXPLAIN", "PRAGMA")
_SCHEMA = ("CREATE", "ALTER", "DROP", "COMMENT", "GRANT", "REVOKE", "ANALYZE", "VACUUM", "REINDEX", "LOCK")

_apps_by_table: dict[str, str] | None = None
_local = threading.local()
_ready = False


def apps_by_table() -> dict[str, str]:
    """{database table: application label} for every installed model, automatic m2m tables included."""
    global _apps_by_table
    if _apps_by_table is None:
        from django.apps import apps

        found = {m._meta.db_table: m._meta.app_label for m in apps.get_models(include_auto_created=True)}
        _apps_by_table = found
    return _apps_by_table


def written_tables(sql: str) -> list[str] | None:
    """The tables a statement writes ([] when it only reads or changes the schema; None: unknown, assume all)."""
    head = sql.lstrip()[:12].upper()
    if head.startswith(_NO_WRITE) or head.startswith(_SCHEMA):
        return []
    match = _WRITE_RE.match(sql)
    if match:
        return [match.group(1)]
    if _TRUNCATE_RE.match(sql):
        return _QUOTED_RE.findall(sql.split(";")[0]) or None
    if head.startswith("WITH") and not re.search(r"\b(INSERT|UPDATE|DELETE)\b", sql, re.IGNORECASE):
        return []
    return None


def _bump_written(tables: list[str] | None) -> None:
    from . import generation

    if tables is None:
        generation.bump_once(generation.table_name(generation.ALL))
        return
    known = apps_by_table()
    for table in sorted(set(tables)):
        if table in known and table not in (GENERATION_TABLE, CHANGELOG_TABLE) and known[table] not in UNCACHEABLE_APPS:
            bump_written_table(table)


def report_mark(report_pk: int) -> str:
    """The generation of an open report's own rows (shared by the reports of one bucket: a bump of one
    makes the pages of the others computed again too — never too few, and a bounded number of names)."""
    return f"@report-{int(report_pk) % REPORT_BUCKETS}"


def bump_written_table(table: str) -> None:
    """Bump the generation of a table written (its open-edit one, and the report's, inside :func:`open_edit`)."""
    from . import generation

    reports = _local.__dict__.get("open_edit")
    if table in OPEN_EDIT_TABLES and reports:
        generation.bump_table(table, open_edit=True)
        generation.bump_table(report_mark(reports[-1]))
        return
    generation.bump_table(table)


@contextmanager
def open_edit(report_pk: int) -> Iterator[None]:
    """The writes inside only change the rows of one open report (draft or returned, staying so): its figures,
    narratives, version and save time, and add its save step (see the module). Inside a transaction the
    generations they bump are bumped together at the end (``core.generation.deferred``)."""
    from . import generation

    stack = _local.__dict__.setdefault("open_edit", [])
    stack.append(report_pk)
    try:
        with generation.deferred():  # its bumps in one statement at its end (core.generation.deferred)
            yield
    finally:
        stack.pop()


@contextmanager
def reading_open_report(report_pk: int) -> Iterator[None]:
    """What the code inside reads of ``OPEN_EDIT_TABLES`` is the rows of the report ``report_pk`` and rows
    that no open edit changes (as in :func:`ignoring_open_edits`): kept under the first generation of those
    tables and the report's own (:func:`report_mark`), so an open edit of another report leaves it kept."""
    with reading_open_reports([report_pk]):
        yield


@contextmanager
def reading_open_reports(report_pks) -> Iterator[None]:
    """:func:`reading_open_report` for several reports: what the code inside reads of ``OPEN_EDIT_TABLES`` is
    the rows of these reports (and rows no open edit changes); kept under their own generations."""
    marks = _local.__dict__.setdefault("marks", [])
    added = sorted({report_mark(pk) for pk in report_pks})
    marks.extend(added)
    _local.ignoring = _local.__dict__.get("ignoring", 0) + 1
    try:
        yield
    finally:
        _local.ignoring -= 1
        del marks[len(marks) - len(added) :]


@contextmanager
def ignoring_open_edits() -> Iterator[None]:
    """What the code inside reads does not change with an open edit (see the module): its reads of
    ``OPEN_EDIT_TABLES`` are kept under their first generation only — inside :func:`reading_open_report` too
    (without the report's own generation: a part of a report's page that reads settled reports only)."""
    _local.ignoring = _local.__dict__.get("ignoring", 0) + 1
    marks, _local.marks = _local.__dict__.get("marks", []), []
    try:
        yield
    finally:
        _local.ignoring -= 1
        _local.marks = marks


def _generation_table_exists(connection) -> bool:
    global _ready
    if not _ready:
        _ready = GENERATION_TABLE in connection.introspection.table_names()
    return _ready


def _write_hook(execute, sql, params, many, context):
    connection = context["connection"]
    if connection.__dict__.get("_borderdesk_pending_bumps"):
        _bump_written(connection.__dict__.pop("_borderdesk_pending_bumps"))
    tables = written_tables(sql) if isinstance(sql, str) else None
    if tables == [] or tables == [GENERATION_TABLE] or connection.alias != "default":
        return execute(sql, params, many, context)
    if connection.in_atomic_block:
        # Inside a transaction the bump commits (or rolls back) with the write: made before it, so that no
        # statement of this write is still being read (SQLite's INSERT … RETURNING) when the bump runs.
        if _generation_table_exists(connection):
            _bump_written(tables)
        return execute(sql, params, many, context)
    if not _generation_table_exists(connection):
        return execute(sql, params, many, context)
    if connection.vendor == "sqlite" and "RETURNING" in sql.upper():
        # SQLite cannot run another statement while this one's rows are unread: bump before it, and again at
        # this connection's next statement.
        _bump_written(tables)
        result = execute(sql, params, many, context)
        connection.__dict__["_borderdesk_pending_bumps"] = tables
        return result
    # Autocommit: after the write has committed, so that no reader sees the new token with the old data.
    result = execute(sql, params, many, context)
    _bump_written(tables)
    return result


def install_write_hook(sender=None, connection=None, **kwargs) -> None:
    """``connection_created`` receiver: every write through this connection bumps its applications' data."""
    if connection is not None and _write_hook not in connection.execute_wrappers:
        connection.execute_wrappers.append(_write_hook)


class Reads:
    """What the statements inside one :func:`capture` read, and whether any of them wrote."""

    def __init__(self) -> None:
        self.tables: set[str] = set()
        self.wrote = False


def _active() -> list[Reads]:
    stack = _local.__dict__.get("stack")
    if stack is None:
        stack = _local.stack = []
    return stack


def read_tables(sql: str) -> set[str]:
    """The tables a statement reads: names after FROM/JOIN, less Django's aliases, the statement's own common
    table expressions and table-valued functions (``json_each(...)``, ``unnest(...)``)."""
    own = {name.lower() for name in _CTE_RE.findall(sql)}
    return {t for t in _READ_RE.findall(sql) if not _ALIAS_RE.match(t) and t.lower() not in own}


def _read_hook(execute, sql, params, many, context):
    stack = _active()
    if isinstance(sql, str):
        written = written_tables(sql)
        tables = read_tables(sql)
        if _local.__dict__.get("ignoring", 0) > 0 and tables & OPEN_EDIT_TABLES:
            marks = _local.__dict__.get("marks") or ()
            tables = {t + IGNORING if t in OPEN_EDIT_TABLES else t for t in tables} | set(marks)
        for reads in stack:
            reads.tables |= tables
            if written != [] and written != [GENERATION_TABLE]:
                reads.wrote = True
    return execute(sql, params, many, context)


@contextmanager
def capture() -> Iterator[Reads]:
    """Collect the tables read (and any write) by the statements of the default connection in this thread;
    captures nest (an inner one's reads count for the outer ones too)."""
    from django.db import connection

    reads = Reads()
    stack = _active()
    stack.append(reads)
    try:
        if len(stack) == 1:
            with connection.execute_wrapper(_read_hook):
                yield reads
        else:
            yield reads
    finally:
        stack.pop()


def note(tables) -> None:
    """Count ``tables`` as read by the active captures (a cached part served without its statements)."""
    for reads in _active():
        reads.tables |= set(tables)


def dependencies(tables) -> frozenset[str] | None:
    """The generations (``core.generation``, less their ``table:`` prefix) a copy built from ``tables`` is
    kept under: each table's, and its open-edit one unless it was read ignoring open edits; {EVERY} for the
    change log. None when one of them is not a model's table or belongs to an application that is never
    cached (sessions)."""
    from .generation import OPEN_SUFFIX

    known = apps_by_table()
    names: set[str] = set()
    for read in tables:
        table, ignoring, _rest = read.partition(IGNORING)
        if table == GENERATION_TABLE:
            continue
        if table.startswith("@report-"):
            names.add(table)
            continue
        if table == CHANGELOG_TABLE:
            names.add(EVERY)
            continue
        label = known.get(table)
        if label is None or label in UNCACHEABLE_APPS:
            return None
        names.add(table)
        if table in OPEN_EDIT_TABLES and not ignoring:
            names.add(table + OPEN_SUFFIX)
    return frozenset(names)
