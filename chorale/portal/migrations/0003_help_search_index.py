"""The full-text index of help passages: an FTS5 table kept in step by triggers on SQLite; a
generated tsvector column with a GIN index on PostgreSQL."""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE portal_helppassage_fts USING fts5("
    "search_heading, search_text, content='portal_helppassage', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2', prefix='4 5 6 7 8')",
    "CREATE TRIGGER portal_helppassage_ai AFTER INSERT ON portal_helppassage BEGIN "
    "INSERT INTO portal_helppassage_fts(rowid, search_heading, search_text) "
    "VALUES (new.id, new.search_heading, new.search_text); END",
    "CREATE TRIGGER portal_helppassage_ad AFTER DELETE ON portal_helppassage BEGIN "
    "INSERT INTO portal_helppassage_fts(portal_helppassage_fts, rowid, search_heading, "
    "search_text) VALUES ('delete', old.id, old.search_heading, old.search_text); END",
    "CREATE TRIGGER portal_helppassage_au AFTER UPDATE ON portal_helppassage BEGIN "
    "INSERT INTO portal_helppassage_fts(portal_helppassage_fts, rowid, search_heading, "
    "search_text) VALUES ('delete', old.id, old.search_heading, old.search_text); "
    "INSERT INTO portal_helppassage_fts(rowid, search_heading, search_text) "
    "VALUES (new.id, new.search_heading, new.search_text); END",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS portal_helppassage_ai",
    "DROP TRIGGER IF EXISTS portal_helppassage_ad",
    "DROP TRIGGER IF EXISTS portal_helppassage_au",
    "DROP TABLE IF EXISTS portal_helppassage_fts",
]
POSTGRESQL = [
    # A stored tsvector (PostgreSQL only: the model does not declare it) and its GIN index.
    "ALTER TABLE portal_helppassage ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple', search_heading), 'A') || "
    "setweight(to_tsvector('simple', search_text), 'B')) STORED",
    "CREATE INDEX portal_helppassage_search ON portal_helppassage USING gin (search_vector)",
]
POSTGRESQL_REVERSE = ["ALTER TABLE portal_helppassage DROP COLUMN IF EXISTS search_vector"]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in statements.get(vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("portal", "0002_help_articles")]
    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        )
    ]
