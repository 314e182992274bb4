"""DOIs in one form, lower case, held by a check constraint.

DOIs are case-insensitive, and the forms, imports and lookups always stored
them lower-cased; rows written another way (the demo loader did) kept the
publisher's capitals, so the same DOI could be stored twice. Every DOI is
lower-cased here. If two references (or two notices of one reference) hold
the same DOI in different cases, nothing is changed and the migration stops,
naming them: which one to keep is an editor's decision (articles cite each by
its key), made in the admin before migrating again.
"""

from django.db import migrations, models
from django.db.models.functions import Lower


class CaseDuplicates(Exception):
    """Rows that would hold the same DOI once lower-cased."""


def _describe_reference(reference):
    return f"reference {reference.pk} “{reference.title[:80]}” (key {reference.citation_key})"


def _describe_notice(notice):
    return f"notice {notice.pk} of reference {notice.reference_id}"


def _lower_case(model, group_of, describe):
    """Lower-case every DOI of ``model``; the rows that would then collide."""
    groups, changed = {}, []
    for row in model.objects.exclude(doi="").iterator(2000):
        normal = row.doi.strip().lower()
        groups.setdefault((group_of(row), normal), []).append(row)
        if row.doi != normal:
            row.doi = normal
            changed.append(row)
    clashes = [
        f"DOI {doi}: " + ", ".join(describe(row) for row in rows)
        for (_group, doi), rows in sorted(groups.items(), key=lambda kv: kv[0][1])
        if len(rows) > 1
    ]
    return changed, clashes


def lower_case_dois(apps, schema_editor):
    Reference = apps.get_model("references", "Reference")
    ReferenceNotice = apps.get_model("references", "ReferenceNotice")
    references, clashes = _lower_case(Reference, lambda row: None, _describe_reference)
    notices, notice_clashes = _lower_case(
        ReferenceNotice,
        lambda row: (row.reference_id, row.kind),
        _describe_notice,
    )
    clashes += notice_clashes
    if clashes:
        raise CaseDuplicates(
            "These rows hold the same DOI in different cases (DOIs are "
            "case-insensitive):\n  "
            + "\n  ".join(clashes)
            + "\nKeep one of each: in the admin, move the other's literature "
            "entries to it, change articles that cite the other's key to cite "
            "the one kept, delete the other (or clear its DOI), then migrate "
            "again. Nothing was changed."
        )
    Reference.objects.bulk_update(references, ["doi"], batch_size=1000)
    ReferenceNotice.objects.bulk_update(notices, ["doi"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("references", "0010_reference_item_type"),
    ]

    operations = [
        # Backwards there is nothing to undo: lower case was always valid.
        migrations.RunPython(lower_case_dois, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="reference",
            constraint=models.CheckConstraint(
                condition=models.Q(("doi", Lower("doi"))),
                name="reference_doi_lower_case",
            ),
        ),
        migrations.AddConstraint(
            model_name="referencenotice",
            constraint=models.CheckConstraint(
                condition=models.Q(("doi", Lower("doi"))),
                name="notice_doi_lower_case",
            ),
        ),
    ]
