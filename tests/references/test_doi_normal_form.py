"""DOIs in one form, lower case, on every path (the demo loader included),
held by a check constraint; the migrations that bring existing rows there."""

import json

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from references.models import Reference
from tests.factories import ReferenceFactory, TopicFactory

pytestmark = pytest.mark.django_db


def test_an_import_finds_a_demo_reference_by_its_doi_in_the_publishers_case(
    settings, tmp_path, capsys
):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    demo = Reference.objects.get(citation_key="aggarwal-2022-proderm")
    assert demo.doi == "10.1056/nejmoa2117912"
    path = tmp_path / "nejm.json"
    item = {
        "id": "x",
        "type": "article-journal",
        "title": "IVIG in dermatomyositis",
        "DOI": "10.1056/NEJMoa2117912",
    }
    path.write_text(json.dumps([item]), encoding="utf-8")
    call_command("import_references", str(path), topic=TopicFactory().slug)
    output = capsys.readouterr().out
    assert "Imported 0 references" in output and "skipped 1 duplicates" in output
    assert Reference.objects.filter(doi__iexact="10.1056/nejmoa2117912").count() == 1


def test_the_database_refuses_a_doi_in_capitals():
    with pytest.raises(IntegrityError), transaction.atomic():
        ReferenceFactory(doi="10.1056/NEJMoa2117912")


def test_every_form_of_a_doi_is_stored_in_lower_case():
    reference = ReferenceFactory.build(doi="https://doi.org/10.1056/NEJMoa2117912")
    reference.full_clean()
    assert reference.doi == "10.1056/nejmoa2117912"


@pytest.fixture
def migrate():
    """Move the references app to a migration; the historical models there."""
    executor = MigrationExecutor(connection)

    def to(name):
        target = [("references", name)]
        executor.loader.build_graph()
        executor.migrate(target)
        return executor.loader.project_state(target).apps

    yield to
    # Back to the newest migration of every app, whatever has been added
    # since: the tests after this one need today's schema.
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def _reference(apps, n, **fields):
    Reference = apps.get_model("references", "Reference")
    return Reference.objects.create(
        title=f"Paper {n}", citation_key=f"paper-{n}", **fields
    )


@pytest.mark.django_db(transaction=True)
def test_the_migration_lower_cases_existing_dois(migrate):
    apps = migrate("0010_reference_item_type")
    paper = _reference(apps, 1, doi="10.1056/NEJMoa2117912")
    apps = migrate("0011_doi_lower_case")
    Reference = apps.get_model("references", "Reference")
    assert Reference.objects.get(pk=paper.pk).doi == "10.1056/nejmoa2117912"


@pytest.mark.django_db(transaction=True)
def test_the_migration_names_case_duplicates_and_changes_nothing(migrate):
    apps = migrate("0010_reference_item_type")
    first = _reference(apps, 1, doi="10.1056/NEJMoa2117912")
    second = _reference(apps, 2, doi="10.1056/nejmoa2117912")
    third = _reference(apps, 3, doi="10.1000/ABC")
    with pytest.raises(Exception, match="same DOI in different cases") as excinfo:
        migrate("0011_doi_lower_case")
    message = str(excinfo.value)
    assert f"reference {first.pk} “Paper 1” (key paper-1)" in message
    assert f"reference {second.pk} “Paper 2”" in message
    assert "10.1000/abc" not in message
    Reference = apps.get_model("references", "Reference")
    assert Reference.objects.get(pk=third.pk).doi == "10.1000/ABC"
    # The editor keeps one; the migration then goes through.
    Reference.objects.filter(pk=second.pk).delete()
    apps = migrate("0011_doi_lower_case")
    Reference = apps.get_model("references", "Reference")
    assert set(Reference.objects.values_list("doi", flat=True)) == {
        "10.1056/nejmoa2117912",
        "10.1000/abc",
    }


@pytest.mark.django_db(transaction=True)
def test_et_al_lines_become_the_flag_and_come_back_when_migrating_back(migrate):
    apps = migrate("0008_citation_source")
    group = _reference(apps, 1, authors="Oddis, C. V.\net al.\nRIM Study Group")
    alone = _reference(apps, 2, authors="So, H.\nEt al")
    plain = _reference(apps, 3, authors="Marie, I.")
    apps = migrate("0009_reference_authors_incomplete")
    Reference = apps.get_model("references", "Reference")
    rows = {r.pk: (r.authors, r.authors_incomplete) for r in Reference.objects.all()}
    assert rows == {
        group.pk: ("Oddis, C. V.\nRIM Study Group", True),
        alone.pk: ("So, H.", True),
        plain.pk: ("Marie, I.", False),
    }
    apps = migrate("0008_citation_source")
    Reference = apps.get_model("references", "Reference")
    rows = dict(Reference.objects.values_list("pk", "authors"))
    assert rows == {
        group.pk: "Oddis, C. V.\net al.\nRIM Study Group",
        alone.pk: "So, H.\net al.",
        plain.pk: "Marie, I.",
    }
