"""SQLite only: the roll-up's rows of a bucket in indicator order with every column a consolidation reads.

SQLite has no hash aggregation: the per-indicator totals of a national window (66.000 roll-up rows for a month)
were a sort of every row read through the bucket index plus a table lookup per row. Read from this index they
arrive grouped by indicator and need neither (a national month or quarter's statement 60–70 → 35–45 ms on the
benchmark's data; the index costs about as much space as the table: 1,37 GB for the 8M-value set's 18M roll-up
rows). PostgreSQL aggregates by hashing and does not need it.

The models do not declare it (Django declares an index for every backend). A later migration that makes Django
rebuild the table on SQLite (altering a column of RollupValue) drops it; ``reporting.rollup.ensure_sqlite_index``
(post_migrate) creates it again after every ``migrate``. This migration keeps its own copy of the definition
(migrations are frozen).
"""

from django.db import migrations

NAME = "reporting_rvalue_bucket_cover_idx"
COLUMNS = (
    "bucket_start, bucket_end, indicator_id, unit_path, scope, rkey, form_id, s, n, mx, mn, q1, q2, nq, latest_end, "
    "latest_s"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{NAME}" ON "reporting_rollupvalue" ({COLUMNS})')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{NAME}"')


class Migration(migrations.Migration):
    dependencies = [("reporting", "0011_rollup_scope")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
