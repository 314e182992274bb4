"""The database's own full-text structures for SearchDocument, per vendor.

SQLite gets an external-content FTS5 table (porter stemmer) and PostgreSQL a
tsvector filled by a trigger with a GIN index over it. In both, triggers keep
the engine in step with portal_searchdocument whatever writes to it (save,
bulk_create, update, cascade deletes). Each step is a no-op on the other
vendor.

Note for later migrations: on SQLite, altering portal_searchdocument rebuilds
the table and drops its triggers; recreate them (run SQLITE_FORWARD again).
"""

from django.db import migrations

SQLITE_COLUMNS = "title, authors, source, body"
SQLITE_FORWARD = [
    f"""CREATE VIRTUAL TABLE portal_search_fts USING fts5({SQLITE_COLUMNS},
        content='portal_searchdocument', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    f"""CREATE TRIGGER portal_search_fts_insert AFTER INSERT ON portal_searchdocument
    BEGIN
        INSERT INTO portal_search_fts(rowid, {SQLITE_COLUMNS})
        VALUES (new.id, new.title, new.authors, new.source, new.body);
    END""",
    f"""CREATE TRIGGER portal_search_fts_delete AFTER DELETE ON portal_searchdocument
    BEGIN
        INSERT INTO portal_search_fts(portal_search_fts, rowid, {SQLITE_COLUMNS})
        VALUES ('delete', old.id, old.title, old.authors, old.source, old.body);
    END""",
    f"""CREATE TRIGGER portal_search_fts_update AFTER UPDATE ON portal_searchdocument
    BEGIN
        INSERT INTO portal_search_fts(portal_search_fts, rowid, {SQLITE_COLUMNS})
        VALUES ('delete', old.id, old.title, old.authors, old.source, old.body);
        INSERT INTO portal_search_fts(rowid, {SQLITE_COLUMNS})
        VALUES (new.id, new.title, new.authors, new.source, new.body);
    END""",
    # Index any rows that already exist.
    "INSERT INTO portal_search_fts(portal_search_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS portal_search_fts_update",
    "DROP TRIGGER IF EXISTS portal_search_fts_delete",
    "DROP TRIGGER IF EXISTS portal_search_fts_insert",
    "DROP TABLE IF EXISTS portal_search_fts",
]

# Weights A-D match the bm25 column weights of the SQLite table (10:4:2:1).
POSTGRES_FORWARD = [
    """CREATE FUNCTION portal_searchdocument_vector() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_vector :=
            setweight(to_tsvector('english', coalesce(NEW.title, '')), 'A') ||
            setweight(to_tsvector('english', coalesce(NEW.authors, '')), 'B') ||
            setweight(to_tsvector('english', coalesce(NEW.source, '')), 'C') ||
            setweight(to_tsvector('english', coalesce(NEW.body, '')), 'D');
        RETURN NEW;
    END
    $$""",
    """CREATE TRIGGER portal_searchdocument_vector
    BEFORE INSERT OR UPDATE OF title, authors, source, body
    ON portal_searchdocument
    FOR EACH ROW EXECUTE FUNCTION portal_searchdocument_vector()""",
    # Fill the vector of any rows that already exist.
    "UPDATE portal_searchdocument SET title = title",
    """CREATE INDEX portal_searchdocument_vector_gin
    ON portal_searchdocument USING gin (search_vector)""",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS portal_searchdocument_vector_gin",
    "DROP TRIGGER IF EXISTS portal_searchdocument_vector ON portal_searchdocument",
    "DROP FUNCTION IF EXISTS portal_searchdocument_vector()",
]


def run_for_vendor(statements):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_search_and_glossary")]

    operations = [
        migrations.RunPython(
            run_for_vendor({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            run_for_vendor(
                {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}
            ),
        )
    ]
