"""An incomplete author list becomes a fact (``authors_incomplete``) instead of
an author line "et al.", which every export wrote as a person."""

import re

from django.db import migrations, models

# The lines that only said "and more authors" (as formats.is_et_al reads them
# when this was written; kept here so the migration never changes with it).
ET_AL_RE = re.compile(
    r"^\s*(?:et\.?\s*al(?:\.|ii|ia)?|(?:and\s+)?others)\.?\s*$", re.IGNORECASE
)


def _lines(text):
    return [line.strip() for line in text.splitlines() if line.strip()]


def et_al_lines_to_flag(apps, schema_editor):
    Reference = apps.get_model("references", "Reference")
    changed = []
    for reference in Reference.objects.only("pk", "authors").iterator(2000):
        lines = _lines(reference.authors)
        kept = [line for line in lines if not ET_AL_RE.match(line)]
        if len(kept) != len(lines):
            reference.authors = "\n".join(kept)
            reference.authors_incomplete = True
            changed.append(reference)
    Reference.objects.bulk_update(
        changed, ["authors", "authors_incomplete"], batch_size=1000
    )


def flag_to_et_al_lines(apps, schema_editor):
    """Back to a line "et al." after the last person (a name with a comma),
    where pages showed it."""
    Reference = apps.get_model("references", "Reference")
    changed = []
    for reference in Reference.objects.filter(authors_incomplete=True).only(
        "pk", "authors"
    ):
        lines = _lines(reference.authors)
        people = [index for index, line in enumerate(lines) if "," in line]
        position = people[-1] + 1 if people else len(lines)
        reference.authors = "\n".join([*lines[:position], "et al.", *lines[position:]])
        changed.append(reference)
    Reference.objects.bulk_update(changed, ["authors"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("references", "0008_citation_source"),
    ]

    operations = [
        migrations.AddField(
            model_name="reference",
            name="authors_incomplete",
            field=models.BooleanField(
                default=False,
                help_text="Tick if the publication has authors not listed: shown as “et al.”.",
                verbose_name="more authors than listed",
            ),
        ),
        migrations.RunPython(et_al_lines_to_flag, flag_to_et_al_lines),
    ]
