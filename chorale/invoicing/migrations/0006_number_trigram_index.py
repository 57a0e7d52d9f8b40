"""The search by invoice number (« contient », case-insensitive) answered by a trigram index on
PostgreSQL instead of reading all of a structure's invoices. SQLite has no such index: its
lists stay small enough to scan."""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # The expression Django writes for number__icontains on PostgreSQL.
    "CREATE INDEX IF NOT EXISTS invoices_number_trgm_idx ON invoicing_invoicerecord "
    "USING gin ((UPPER(number::text)) gin_trgm_ops)",
]
DROP = ["DROP INDEX IF EXISTS invoices_number_trgm_idx"]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("invoicing", "0005_recipient_downloaded_at")]

    operations = [migrations.RunPython(forwards, backwards)]
