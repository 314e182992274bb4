"""Indexes for a large library: ``Reference.objects.visible().newest_first()``
and a section's entries in order (the topic page) and newest first (its feed).

Without it each page of /literature/ sorted the whole library (1.2 s for
page 2,000 of 100,000 references on SQLite). The index is partial (visible
references only) and written per database: SQLite orders DESC with NULLs
last by itself and refuses NULLS LAST in an index, PostgreSQL needs it said.
"""

from django.db import migrations, models

NAME = "reference_newest_first"
COLUMNS = {
    "sqlite": "year DESC, month DESC, day DESC, title",
    "postgresql": (
        "year DESC NULLS LAST, month DESC NULLS LAST, day DESC NULLS LAST, title"
    ),
}


def create(apps, schema_editor):
    columns = COLUMNS.get(schema_editor.connection.vendor)
    if columns:
        schema_editor.execute(
            f"CREATE INDEX {NAME} ON references_reference ({columns}) "
            "WHERE inbox_topic_id IS NULL"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("references", "0017_reference_keywords")]

    operations = [
        migrations.RunPython(create, drop, elidable=False),
        migrations.AddIndex(
            model_name="entry",
            index=models.Index(
                fields=["section", "position", "id"], name="entry_in_order"
            ),
        ),
        migrations.AddIndex(
            model_name="entry",
            index=models.Index(fields=["section", "-added_at"], name="entry_newest"),
        ),
    ]
