"""Fast multi-row INSERT for large imports (thousands of rows in one request).

`QuerySet.bulk_create` builds a model instance per row and spends most of its time in the SQL
compiler, once per value. `insert_many` takes plain rows (`{attname: value}` dicts), fills in the
defaults, converts only the values whose Python type needs the field's database preparation
(dates, datetimes, decimals, JSON, enum members, ...) and sends one parameterised INSERT with
`executemany` (SQLite: one C loop), or on PostgreSQL streams them with `COPY … FROM STDIN`.
Column names come from the model, values are bound parameters / COPY data, never SQL text. Primary keys
are not returned: callers that need them read
them back by a unique key. No signals are sent (bulk_create sends none either), and no
validation is done: callers pass validated values.
"""

from __future__ import annotations

from django.db import connections, router
from django.db.models import Field
from django.utils import timezone

_PLAIN = (int, str, bool, type(None))  # exact types every backend binds as they are
_ALWAYS_PREPARED = {
    "DateField",
    "DateTimeField",
    "TimeField",
    "DecimalField",
    "JSONField",
    "UUIDField",
    "DurationField",
    "BinaryField",
    "GenericIPAddressField",
    "FileField",
    "ImageField",
}


def _always_prepared(f) -> bool:
    """Whether every value of field `f` needs `get_db_prep_save` (not only values of another type than _PLAIN):
    dates, decimals, JSON... and any field not from Django (its own preparation)."""
    return not type(f).__module__.startswith("django.") or f.get_internal_type() in _ALWAYS_PREPARED


def _prepared(f, value, connection, always: bool):
    return f.get_db_prep_save(value, connection) if always or type(value) not in _PLAIN else value


def _copy_rows(connection, cursor, table: str, names: str, rows) -> None:
    """COPY … FROM STDIN (PostgreSQL): psycopg formats the rows in C; several times faster than INSERT. Django's
    error wrapper: a unique clash raises django.db.IntegrityError (→ 409), as with INSERT."""
    with connection.wrap_database_errors, cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for values in rows:
            copy.write_row(values)


def insert_many(model, rows: list[dict], *, using: str | None = None) -> int:
    """INSERT `rows` of `model` (auto primary key); returns the row count.

    Each row maps field attnames to values. Missing fields get their default, written back into the
    row (so callers can log complete snapshots); `auto_now`/`auto_now_add` fields get one timestamp
    for the whole batch, as if each row were saved now.
    """
    if not rows:
        return 0
    db = using or router.db_for_write(model)
    connection = connections[db]
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    columns: list[tuple] = []  # (attname, prepare or None, constant prepared value or None)
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            for row in rows:
                row[f.attname] = now
            columns.append((f.attname, None, f.get_db_prep_save(now, connection)))
            continue
        if f.has_default() or f.null:
            missing = [row for row in rows if f.attname not in row]
            for row in missing:
                row[f.attname] = f.get_default()
        columns.append((f.attname, (f, _always_prepared(f)), None))
    params = []
    for row in rows:
        values = []
        for attname, prep, constant in columns:
            if prep is None:
                values.append(constant)
                continue
            field, always = prep
            values.append(_prepared(field, row[attname], connection, always))
        params.append(values)
    qn = connection.ops.quote_name
    table, names = qn(meta.db_table), ", ".join(qn(f.column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _copy_rows(connection, cursor, table, names, params)
        else:
            cursor.executemany(
                f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(fields))})",  # noqa: S608
                params,
            )
    return len(params)


_AUTO_KEYS = {"AutoField", "BigAutoField", "SmallAutoField"}


def copy_new(model, objs: list, *, using: str | None = None) -> bool:
    """`model.objects.bulk_create(objs)` of new objects on PostgreSQL, written by COPY (registry imports).

    The same rows and the same objects afterwards: their keys are drawn from the table's own sequence (one
    query, in order, as the INSERT would draw them), each field's value is its `pre_save(obj, add=True)` (what
    bulk_create writes: `auto_now` fields set on the object too), prepared for the database as `insert_many`
    does, and each object is then saved (`pk`, `_state`). Django's generic INSERT compiles every value (about
    half of a 10.000-row import's write). Returns False, having written nothing, where this does not apply:
    another database, a key that is not an automatic one, a model with a parent table, a generated or
    database-default column, an object with a key already, or a value that is an SQL expression.
    """
    db = using or router.db_for_write(model)
    connection = connections[db]
    meta = model._meta
    pk = meta.pk
    if (
        connection.vendor != "postgresql"
        or not objs
        or meta.parents
        or pk.get_internal_type() not in _AUTO_KEYS
        or any(getattr(f, "generated", False) or f.has_db_default() for f in meta.concrete_fields)
        or any(obj.pk is not None for obj in objs)
    ):
        return False
    from .tables import bump_written_table

    fields = list(meta.concrete_fields)
    plain_pre_save = Field.pre_save
    columns = [
        (f, type(f).pre_save is not plain_pre_save, _always_prepared(f))  # own pre_save: auto_now, files
        for f in fields
        if f is not pk
    ]
    rows = []
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="bulk_create")
        values = [None]  # the key, drawn below
        for f, own_pre_save, always in columns:
            value = f.pre_save(obj, True) if own_pre_save else getattr(obj, f.attname)
            if hasattr(value, "resolve_expression"):
                return False  # an SQL expression: bulk_create compiles it
            values.append(_prepared(f, value, connection, always))
        rows.append(values)
    qn = connection.ops.quote_name
    table = qn(meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, pk.column])
        sequence = cursor.fetchone()[0]
        if sequence is None:
            return False
        cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s) ORDER BY 1", [sequence, len(rows)])
        keys = [k for (k,) in cursor.fetchall()]
        bump_written_table(meta.db_table)  # what the write hook does for an INSERT (COPY bypasses it)
        names = ", ".join(qn(f.column) for f in [pk, *(c[0] for c in columns)])
        for key, values in zip(keys, rows, strict=True):
            values[0] = key
        _copy_rows(connection, cursor, table, names, rows)
    for key, obj in zip(keys, objs, strict=True):
        obj.pk = key
        obj._state.adding = False
        obj._state.db = db
    return True
