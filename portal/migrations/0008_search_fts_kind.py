"""SQLite: index each document's kind in the FTS5 table too.

Search narrows by kind on every query: reviewed articles are ranked before
the literature (the two tiers), and readers filter by kind. With the kind in
the index, FTS5 intersects a query's matches with a kind's documents itself,
so it checks phrases and computes bm25 for the documents of that kind only,
instead of for every match before a filter outside it throws most away.
Searches name the four text columns, so a reader's words never match a kind.

PostgreSQL needs nothing: its planner combines the kind's B-tree index with
the GIN index.
"""

from django.db import migrations

OLD_COLUMNS = "title, authors, source, body"
NEW_COLUMNS = "title, authors, source, body, kind"


def statements(columns):
    values_new = ", ".join(f"new.{c.strip()}" for c in columns.split(","))
    values_old = ", ".join(f"old.{c.strip()}" for c in columns.split(","))
    return [
        "DROP TRIGGER IF EXISTS portal_search_fts_update",
        "DROP TRIGGER IF EXISTS portal_search_fts_delete",
        "DROP TRIGGER IF EXISTS portal_search_fts_insert",
        "DROP TABLE IF EXISTS portal_search_fts",
        f"""CREATE VIRTUAL TABLE portal_search_fts USING fts5({columns},
            content='portal_searchdocument', content_rowid='id',
            tokenize='porter unicode61 remove_diacritics 2')""",
        f"""CREATE TRIGGER portal_search_fts_insert AFTER INSERT ON portal_searchdocument
        BEGIN
            INSERT INTO portal_search_fts(rowid, {columns})
            VALUES (new.id, {values_new});
        END""",
        f"""CREATE TRIGGER portal_search_fts_delete AFTER DELETE ON portal_searchdocument
        BEGIN
            INSERT INTO portal_search_fts(portal_search_fts, rowid, {columns})
            VALUES ('delete', old.id, {values_old});
        END""",
        f"""CREATE TRIGGER portal_search_fts_update AFTER UPDATE ON portal_searchdocument
        BEGIN
            INSERT INTO portal_search_fts(portal_search_fts, rowid, {columns})
            VALUES ('delete', old.id, {values_old});
            INSERT INTO portal_search_fts(rowid, {columns})
            VALUES (new.id, {values_new});
        END""",
        "INSERT INTO portal_search_fts(portal_search_fts) VALUES ('rebuild')",
    ]


def on_sqlite(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for statement in sql:
                schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("portal", "0007_search_vector_in_row")]

    operations = [
        migrations.RunPython(
            on_sqlite(statements(NEW_COLUMNS)), on_sqlite(statements(OLD_COLUMNS))
        )
    ]
