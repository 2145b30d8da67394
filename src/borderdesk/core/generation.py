"""Cache generations: a cheap, cross-process way to know a cached value is still current.

A cache entry's key includes the generation token of the data it was computed from
(``current("scope")``); changing that data calls ``bump("scope")`` in the same transaction, so every
process (gunicorn workers on several machines share the database, not their memory) stops using the old
entries as soon as the change commits, and a rolled-back change leaves the old entries valid.

The data the pages show has one generation per database *table* (``table:reporting_datavalue``...): every
write to a table bumps its generation, once per transaction (:func:`bump_table`, called by the SQL write watch
of ``core.tables`` and by the change log). A cached page is keyed by the generations of exactly the tables it
read, so a write to a table it did not read leaves it kept. A table that holds the rows of reports still being
edited (``OPEN_EDIT_TABLES``) has a second generation, ``table:<name>@open``, which the writes of an *open edit*
bump instead (``core.tables.open_edit``: a draft's figures saved, nothing else); a reader that declared it does
not see open edits (``core.tables.ignoring_open_edits``) is keyed by the first generation only. ``table:*`` is
bumped by a write whose tables are unknown and is part of every key. A cached page fragment is keyed by all of
them or by those of the tables it read (:func:`data_key`, ``core.fragments``). Inside :func:`deferred` (an open
edit) the bumps of a transaction are made together, in one statement, at the block's end or before a token read.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DatabaseError, transaction

TABLE_PREFIX = "table:"
ALL = "*"  # bumped by a write whose tables are unknown: every cached copy depends on it
OPEN_SUFFIX = "@open"
NAME_LENGTH = 40  # CacheGeneration.name
_bumps = 0  # bumps made by this process: a token read earlier in a request is re-read after one


def bump_count() -> int:
    return _bumps


def current(name: str) -> str:
    from .models import CacheGeneration

    token = CacheGeneration.objects.filter(name=name).values_list("token", flat=True).first()
    return token or bump(name)


def bump(name: str) -> str:
    from .models import CacheGeneration

    global _bumps
    _bumps += 1
    token = uuid.uuid4().hex
    # One UPDATE is atomic on its own; only the first bump of a name (no row yet) needs the savepoint.
    if not CacheGeneration.objects.filter(name=name).update(token=token):
        with transaction.atomic():
            CacheGeneration.objects.update_or_create(name=name, defaults={"token": token})
    return token


class _Bumped:
    """An on-commit hook that does nothing: its presence in the transaction's hooks says the generation was
    already bumped in this transaction (Django drops the hooks on commit and on rollback, and those of a
    savepoint rolled back with it — the bump too is undone then, and the next write bumps again). ``reads``:
    the connection's token reads at the bump; a token read since (a page computed inside the same
    transaction, as in a test) makes the next write bump again."""

    def __init__(self, name: str, reads: int):
        self.name, self.reads = name, reads

    def __call__(self) -> None:
        return None


def _reads(conn) -> int:
    return conn.__dict__.get("_borderdesk_token_reads", 0)


def _marks(conn) -> dict[str, _Bumped]:
    """The last :class:`_Bumped` mark of each name among the transaction's on-commit hooks, read incrementally:
    Django only appends to ``run_on_commit`` and replaces the list when a transaction or savepoint ends (a
    savepoint rolled back keeps the hooks outside it in a new list), so only the hooks added since the last call
    are read — not every hook at every write, which made a long transaction (a test's) quadratic."""
    hooks = conn.run_on_commit
    kept = conn.__dict__.get("_borderdesk_marks")
    if kept is None or kept[0] is not hooks or kept[1] > len(hooks):
        kept = (hooks, 0, {})
    marks = kept[2]
    for hook in hooks[kept[1] :]:
        if isinstance(hook[1], _Bumped):
            marks[hook[1].name] = hook[1]
    conn.__dict__["_borderdesk_marks"] = (hooks, len(hooks), marks)
    return marks


def _bumped_here(conn, name: str) -> bool:
    """Already bumped in this transaction, with no token read since."""
    mark = _marks(conn).get(name)
    return mark is not None and mark.reads == _reads(conn)


def bump_once(name: str) -> None:
    """Bump the generation ``name``, once per transaction (inside :func:`deferred`: at its end, with the others)."""
    global _bumps
    conn = transaction.get_connection()
    if conn.in_atomic_block:
        if _bumped_here(conn, name):
            return
        pending = conn.__dict__.get("_borderdesk_deferred")
        if pending is not None:
            if name not in pending:
                pending.append(name)
                _bumps += 1  # a token kept for this request (tokens_for) is read again, which makes the bump first
            return
        bump(name)
        transaction.on_commit(_Bumped(name, _reads(conn)))
        return
    bump(name)


def _flush(conn) -> None:
    """Make the bumps :func:`deferred` put off: one UPDATE for all of them (a name without its row yet: created)."""
    from .models import CacheGeneration

    global _bumps
    pending = conn.__dict__.get("_borderdesk_deferred")
    names = [n for n in (pending or ()) if not _bumped_here(conn, n)]
    if pending:
        pending.clear()
    if not names:
        return
    _bumps += 1
    token = uuid.uuid4().hex
    if CacheGeneration.objects.filter(name__in=names).update(token=token) < len(names):
        for name in names:  # the first bump of a name: its row
            with transaction.atomic():
                CacheGeneration.objects.update_or_create(name=name, defaults={"token": token})
    for name in names:
        transaction.on_commit(_Bumped(name, _reads(conn)))


@contextmanager
def deferred() -> Iterator[None]:
    """Inside a transaction, the bumps of the writes inside are made together, in one statement, when the block
    ends — the last statement of a short write, so that the generation rows every such write updates stay locked
    the shortest time — or before a token is read inside it (a part computed there is keyed by the new tokens).
    Left by an error: rolled back with the writes, nothing to bump; otherwise (the error caught with the writes
    kept) bumped all the same. Outside a transaction every bump is made at once, as without it."""
    conn = transaction.get_connection()
    if not conn.in_atomic_block or "_borderdesk_deferred" in conn.__dict__:  # not in a transaction, or nested
        yield
        return
    conn.__dict__["_borderdesk_deferred"] = []
    try:
        yield
    except BaseException:
        try:
            with transaction.atomic():
                _flush(conn)
        except DatabaseError:  # TransactionManagementError too
            pass  # the transaction failed: the writes inside are rolled back with it
        raise
    else:
        _flush(conn)
    finally:
        conn.__dict__.pop("_borderdesk_deferred", None)


def table_name(dep: str) -> str:
    """The generation's name of a table (or ``<table>@open``, ``@report-<n>``, ``*``): ``table:<dep>``, shortened
    with a hash to the 40 characters of ``CacheGeneration.name`` when longer."""
    name = TABLE_PREFIX + dep
    return (
        name
        if len(name) <= NAME_LENGTH
        else f"{name[: NAME_LENGTH - 13]}~{hashlib.sha1(name.encode()).hexdigest()[:12]}"
    )


def bump_table(table: str, open_edit: bool = False) -> None:
    """Bump the data generation of one table (``open_edit``: its open-edit generation), once per transaction."""
    bump_once(table_name(table + (OPEN_SUFFIX if open_edit else "")))


def bump_data(app_label: str) -> None:
    """Bump the data generation of every table of one application (what a write elsewhere cannot show)."""
    from django.apps import apps

    models = apps.get_app_config(app_label).get_models(include_auto_created=True)
    for table in sorted({m._meta.db_table for m in models}):
        bump_table(table)


def tokens() -> dict[str, str]:
    """Every generation's token in one statement: ``scope`` and the ``table:`` ones."""
    from .models import CacheGeneration

    conn = transaction.get_connection()
    if conn.__dict__.get("_borderdesk_deferred"):
        _flush(conn)
    conn.__dict__["_borderdesk_token_reads"] = _reads(conn) + 1
    return dict(CacheGeneration.objects.values_list("name", "token"))


def data_key(base: str, deps: frozenset[str], found: dict[str, str]) -> str:
    """``base`` extended with the data generations a cached copy depends on: those of the tables ``deps`` (as
    :func:`core.tables.dependencies` gives them) and ``table:*``, or every table's when ``deps`` holds ``*``
    (``core.tables.EVERY``); a table never written has no token yet (""). Used by the page cache and the
    page parts alike."""
    if ALL in deps:
        part = ".".join(f"{k[len(TABLE_PREFIX) :]}={v}" for k, v in sorted(found.items()) if k.startswith(TABLE_PREFIX))
    else:
        part = ".".join(f"{n}={found.get(table_name(n), '')}" for n in sorted({*deps, ALL}))
    return f"{base}:{hashlib.sha1(part.encode()).hexdigest()}"


def tokens_for(holder) -> dict[str, str]:
    """:func:`tokens`, read once per request: kept on ``holder`` (the request's user object) and read again
    after this process bumps a generation (a write earlier in the same request)."""
    from django.utils.functional import LazyObject, empty

    if isinstance(holder, LazyObject):  # request.user: kept on the account itself, which get_scope() also reads
        if holder._wrapped is empty:  # type: ignore[attr-defined]
            holder._setup()  # type: ignore[attr-defined]
        holder = holder._wrapped  # type: ignore[attr-defined]
    memo = holder.__dict__.get("_generation_tokens")
    count = bump_count()
    if memo is None or memo[0] != count:
        memo = (count, tokens())
        holder.__dict__["_generation_tokens"] = memo
    return memo[1]
