"""The stored citations are formatted again on first use: web pages and
registries have their own CSL types, "et al." follows the people of an
incomplete list, and titles read as citeproc-js reads them (curly quotes,
<i> and <sup> markup, no "?." after a question)."""

from django.db import migrations


def forget_citations(apps, schema_editor):
    apps.get_model("references", "Reference").objects.update(citation_source="")


class Migration(migrations.Migration):
    dependencies = [
        ("references", "0011_doi_lower_case"),
    ]

    operations = [
        # Backwards too: the older code formats them again just the same.
        migrations.RunPython(forget_citations, forget_citations),
    ]
