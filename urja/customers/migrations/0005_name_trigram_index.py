"""On PostgreSQL, trigram indexes make consumer search by part of a name fast at millions of rows
(Django's `icontains` is `UPPER(name) LIKE UPPER('%…%')`, which a B-tree cannot serve). Skipped on
SQLite, and skipped with a warning where the pg_trgm extension cannot be created (no privilege)."""

import logging

from django.db import migrations

logger = logging.getLogger(__name__)

INDEXES = [
    ("consumer_name_trgm", "name"),
    ("consumer_name_hi_trgm", "name_hi"),
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
        if cursor.fetchone() is None:
            logger.warning("pg_trgm is not available: consumer name search will scan")
            return
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, column in INDEXES:
            cursor.execute(
                f'CREATE INDEX IF NOT EXISTS {name} ON customers_consumer USING gin (UPPER("{column}"::text) gin_trgm_ops)'
            )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for name, _column in INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("customers", "0004_consumer_cash_only_until")]
    operations = [migrations.RunPython(forwards, backwards)]
