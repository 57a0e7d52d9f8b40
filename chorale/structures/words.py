"""SQLite's full-text index of the structures' names (migration 0005) lives beside its table and
is kept in step by triggers. SQLite drops a table's triggers whenever a migration rebuilds that
table (adding a field does), so after every `migrate` the triggers are put back if missing, and
the index is rebuilt when they were. PostgreSQL's GIN index is an index: nothing to do."""

from django.db import connections

TRIGGERS = {
    "structures_words_insert": (
        "CREATE TRIGGER structures_words_insert AFTER INSERT ON structures_structure BEGIN "
        "INSERT INTO structures_structure_words(rowid, search_name) "
        "VALUES (new.id, new.search_name); END"
    ),
    "structures_words_delete": (
        "CREATE TRIGGER structures_words_delete AFTER DELETE ON structures_structure BEGIN "
        "INSERT INTO structures_structure_words(structures_structure_words, rowid, search_name) "
        "VALUES ('delete', old.id, old.search_name); END"
    ),
    "structures_words_update": (
        "CREATE TRIGGER structures_words_update AFTER UPDATE OF search_name ON "
        "structures_structure BEGIN "
        "INSERT INTO structures_structure_words(structures_structure_words, rowid, search_name) "
        "VALUES ('delete', old.id, old.search_name); "
        "INSERT INTO structures_structure_words(rowid, search_name) "
        "VALUES (new.id, new.search_name); END"
    ),
}


def triggers_restore(using: str = "default", **kwargs) -> bool:
    """Put back the triggers a table rebuild dropped; whether any was missing."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
        present = {row[0] for row in cursor.fetchall()}
        if "structures_structure_words" not in present:  # before migration 0005
            return False
        missing = [sql for name, sql in TRIGGERS.items() if name not in present]
        for sql in missing:
            cursor.execute(sql)
        if missing:
            cursor.execute(
                "INSERT INTO structures_structure_words(structures_structure_words) "
                "VALUES ('rebuild')"
            )
    return bool(missing)
