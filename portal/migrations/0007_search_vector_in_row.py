"""Keep each document's tsvector in its row (STORAGE MAIN), not in TOAST.

An approved article's vector (6 to 7 kB) was stored out of line, so matching
it and then ranking it read it from the TOAST table twice: for a query that
every article matches, a third of the time spent on the first tier. MAIN
keeps a vector in its row whenever the row fits a page, and still moves
larger ones out. Rows move when next written (``rebuild_search_index``
rewrites them all). Nothing on SQLite.
"""

from django.db import migrations


def set_storage(storage):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                "ALTER TABLE portal_searchdocument "
                f"ALTER COLUMN search_vector SET STORAGE {storage}"
            )

    return run


class Migration(migrations.Migration):
    dependencies = [("portal", "0006_search_pairs")]

    operations = [migrations.RunPython(set_storage("MAIN"), set_storage("EXTENDED"))]
