"""PostgreSQL: the unaccent extension behind accent-insensitive search (core.collation's __vsearch).

unaccent is a trusted extension (PostgreSQL 13+): the database owner may create it without superuser
rights. SQLite needs nothing here: each connection registers bd_fold (core.collation.install).
"""

from django.db import migrations


def create_unaccent(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")


class Migration(migrations.Migration):
    dependencies = [("core", "0002_cache_generation")]

    operations = [migrations.RunPython(create_unaccent, migrations.RunPython.noop, elidable=False)]
