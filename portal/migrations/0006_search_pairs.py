"""A key for each pair of adjacent words, so phrases are found by index.

The GIN index over search_vector knows which words a document has, not
where, so a phrase of two common words had PostgreSQL check the positions of
every document that has both (most of the library). The trigger now also
stores, in search_pairs, a key for each pair of words at adjacent positions
of search_vector (an md5 prefix of the two lexemes: 32,768 keys, so the
column and its GIN index stay small); a phrase's own keys, computed the same
way from its tsvector, narrow its candidates to the documents that have
every pair, and the tsquery then checks those exactly. A key shared by
another pair only adds a candidate. Nothing on SQLite (FTS5 indexes
positions).
"""

from django.db import migrations

# Every pair of lexemes at positions p and p + 1, as tsquery's <-> reads
# them (several lexemes may share a position).
PAIR_KEYS = """CREATE FUNCTION portal_search_pair_keys(vector tsvector)
RETURNS smallint[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT
        ('x' || left(md5(a.lexeme || ' ' || b.lexeme), 4))::bit(15)::integer::smallint
    ), '{}')
    FROM (SELECT lexeme, unnest(positions) AS at FROM unnest(vector)) AS a
    JOIN (SELECT lexeme, unnest(positions) AS at FROM unnest(vector)) AS b
        ON b.at = a.at + 1
$$"""


def vector_trigger(pairs):
    """The trigger function of migration 0002, with or without the pairs."""
    keys = (
        "NEW.search_pairs := portal_search_pair_keys(NEW.search_vector);"
        if pairs
        else ""
    )
    return f"""CREATE OR REPLACE FUNCTION portal_searchdocument_vector()
    RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_vector :=
            setweight(to_tsvector('english', coalesce(NEW.title, '')), 'A') ||
            setweight(to_tsvector('english', coalesce(NEW.authors, '')), 'B') ||
            setweight(to_tsvector('english', coalesce(NEW.source, '')), 'C') ||
            setweight(to_tsvector('english', coalesce(NEW.body, '')), 'D');
        {keys}
        RETURN NEW;
    END
    $$"""


POSTGRES_FORWARD = [
    # Not a model field: Django never reads or writes it, and SQLite has no
    # array type.
    "ALTER TABLE portal_searchdocument ADD COLUMN search_pairs smallint[]",
    PAIR_KEYS,
    vector_trigger(pairs=True),
    # Fill the keys of any rows that already exist.
    "UPDATE portal_searchdocument SET search_pairs = "
    "portal_search_pair_keys(search_vector)",
    """CREATE INDEX portal_searchdocument_pairs_gin
    ON portal_searchdocument USING gin (search_pairs)""",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS portal_searchdocument_pairs_gin",
    vector_trigger(pairs=False),
    "DROP FUNCTION IF EXISTS portal_search_pair_keys(tsvector)",
    "ALTER TABLE portal_searchdocument DROP COLUMN IF EXISTS search_pairs",
]


def run_on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("portal", "0005_search_synonyms")]

    operations = [
        migrations.RunPython(
            run_on_postgresql(POSTGRES_FORWARD), run_on_postgresql(POSTGRES_BACKWARD)
        ),
    ]
