"""The vocabulary of the search index, for spelling suggestions.

``SearchWord`` holds each word of the indexed text once; each database gets
an index that finds the words most like a misspelt one:

- PostgreSQL: the pg_trgm extension (trusted since PostgreSQL 13, so the
  database's owner may create it) and a GIN trigram index on the word;
- SQLite: an external-content FTS5 table with the trigram tokenizer (SQLite
  3.34 or later), kept in step by triggers. Words are only ever inserted or
  deleted, never updated.

Existing documents' words are read into the table here (with the rule of
``portal.search.spelling.words_in`` as it stood, so that this migration
never changes); ``rebuild_search_index`` rebuilds it too.
"""

import re

from django.db import migrations, models

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE portal_searchword_fts USING fts5(word,
        content='portal_searchword', content_rowid='id', tokenize='trigram')""",
    """CREATE TRIGGER portal_searchword_fts_insert AFTER INSERT ON portal_searchword
    BEGIN
        INSERT INTO portal_searchword_fts(rowid, word) VALUES (new.id, new.word);
    END""",
    """CREATE TRIGGER portal_searchword_fts_delete AFTER DELETE ON portal_searchword
    BEGIN
        INSERT INTO portal_searchword_fts(portal_searchword_fts, rowid, word)
        VALUES ('delete', old.id, old.word);
    END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS portal_searchword_fts_delete",
    "DROP TRIGGER IF EXISTS portal_searchword_fts_insert",
    "DROP TABLE IF EXISTS portal_searchword_fts",
]
POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """CREATE INDEX portal_searchword_trgm
    ON portal_searchword USING gin (word gin_trgm_ops)""",
]
# The extension stays: other objects may have come to use it.
POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS portal_searchword_trgm"]

WORD_RE = re.compile(r"[^\W_]+")
# portal.search.query.STOP_WORDS of four letters or more.
STOP_WORDS = frozenset(
    """about above after again against because been before being below between both
    could does doing down during each from further have having here hers herself
    himself into itself just more most myself once only other ours ourselves
    over same should some such than that their theirs them themselves then
    there these they this those through under until very were what when where
    which while whom will with would your yours yourself yourselves""".split()
)


def run_for_vendor(statements):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql, params=None)

    return run


def fill(apps, schema_editor):
    using = schema_editor.connection.alias
    SearchDocument = apps.get_model("portal", "SearchDocument")
    SearchWord = apps.get_model("portal", "SearchWord")
    words = set()
    rows = SearchDocument.objects.using(using).values_list(
        "title", "authors", "source", "body"
    )
    for row in rows.iterator(chunk_size=1000):
        for word in WORD_RE.findall(" ".join(row).lower()):
            if (
                4 <= len(word) <= 40
                and word not in STOP_WORDS
                and any(c.isalpha() for c in word)
            ):
                words.add(word)
    SearchWord.objects.using(using).bulk_create(
        (SearchWord(word=word) for word in sorted(words)),
        batch_size=1000,
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("portal", "0008_search_fts_kind")]

    operations = [
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                (
                    "word",
                    models.CharField(max_length=40, unique=True, verbose_name="word"),
                ),
            ],
            options={
                "verbose_name": "search word",
                "verbose_name_plural": "search words",
            },
        ),
        migrations.RunPython(
            run_for_vendor({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            run_for_vendor(
                {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
