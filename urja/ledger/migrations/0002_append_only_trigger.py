"""On PostgreSQL, the database itself refuses UPDATE and DELETE of ledger entries, so no code path
(raw SQL, a bulk update, a console session) can rewrite financial history. TRUNCATE, used only when a
whole database is reset, is not a row operation and stays possible."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION urja_ledger_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING MESSAGE = 'ledger entries are append-only: post a reversal instead ('
        || TG_OP || ' on entry ' || OLD.id || ')';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER ledger_entry_append_only BEFORE UPDATE OR DELETE ON ledger_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION urja_ledger_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS ledger_entry_append_only ON ledger_ledgerentry;
DROP FUNCTION IF EXISTS urja_ledger_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_entries")]
    operations = [migrations.RunPython(forwards, backwards)]
