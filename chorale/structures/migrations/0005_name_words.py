"""A full-text index of the structures' names (`search_name`), by word: PostgreSQL's GIN index
over a `simple` tsvector, SQLite's FTS5 table kept in step by triggers. Both answer « every
word of the query starts a word of the name » from the index (chorale.directory.selectors)."""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE structures_structure_words USING fts5("
    "search_name, content='structures_structure', content_rowid='id', prefix='2 3')",
    "CREATE TRIGGER structures_words_insert AFTER INSERT ON structures_structure BEGIN "
    "INSERT INTO structures_structure_words(rowid, search_name) "
    "VALUES (new.id, new.search_name); END",
    "CREATE TRIGGER structures_words_delete AFTER DELETE ON structures_structure BEGIN "
    "INSERT INTO structures_structure_words(structures_structure_words, rowid, search_name) "
    "VALUES ('delete', old.id, old.search_name); END",
    "CREATE TRIGGER structures_words_update AFTER UPDATE OF search_name ON structures_structure "
    "BEGIN "
    "INSERT INTO structures_structure_words(structures_structure_words, rowid, search_name) "
    "VALUES ('delete', old.id, old.search_name); "
    "INSERT INTO structures_structure_words(rowid, search_name) "
    "VALUES (new.id, new.search_name); END",
    "INSERT INTO structures_structure_words(structures_structure_words) VALUES ('rebuild')",
]
SQLITE_REVERSE = [
    "DROP TRIGGER structures_words_update",
    "DROP TRIGGER structures_words_delete",
    "DROP TRIGGER structures_words_insert",
    "DROP TABLE structures_structure_words",
]
POSTGRESQL = [
    "CREATE INDEX structures_name_words_idx ON structures_structure "
    "USING gin (to_tsvector('simple'::regconfig, search_name))",
]
POSTGRESQL_REVERSE = ["DROP INDEX structures_name_words_idx"]


def _run(statements: dict):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("structures", "0004_public_claims")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        )
    ]
