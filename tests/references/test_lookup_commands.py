"""lookup_reference and enrich_references, against the recorded services."""

import pytest
from django.core.management import CommandError, call_command
from reversion.models import Version

from references.models import Reference
from tests.factories import ReferenceFactory, SectionFactory
from tests.scholarly_api import Scripted

pytestmark = pytest.mark.django_db


def test_lookup_reference_prints_the_record_as_stored(scholarly_api, capsys):
    call_command("lookup_reference", "10.5555/myo.2019.001")

    out = capsys.readouterr().out
    assert "title:    An invented biologic in refractory dermatomyositis" in out
    assert "pmid:     900000001" in out
    assert "authors:  Testwoman, Ana\n          Placeholder, Bo" in out
    assert "notice:   retraction (crossref, 2024-03-12) 10.5555/myo.2024.901" in out
    assert not Reference.objects.exists()


def test_lookup_reference_of_an_unknown_identifier_fails_clearly(scholarly_api):
    with pytest.raises(CommandError, match="PubMed does not know PMID 900000099"):
        call_command("lookup_reference", "900000099")


def test_lookup_reference_of_nonsense_fails_clearly(scholarly_api):
    with pytest.raises(CommandError, match="is neither a DOI"):
        call_command("lookup_reference", "not an identifier")


def test_enrich_fills_empty_fields_only_in_one_revision(scholarly_api, capsys):
    by_doi = ReferenceFactory(doi="10.5555/myo.2020.002", source="")
    by_pmid = ReferenceFactory(pmid="900000001", source="Kept As Typed")
    untouched = ReferenceFactory(doi="10.5555/unknown.1")

    call_command("enrich_references")

    by_doi.refresh_from_db()
    by_pmid.refresh_from_db()
    assert (by_doi.pmid, by_doi.source) == ("900000002", "Test J Myositis")
    assert (by_pmid.doi, by_pmid.source) == ("10.5555/myo.2019.001", "Kept As Typed")
    assert by_doi.abstract.startswith("Objectives: To compare")
    assert by_pmid.abstract.startswith("We followed forty adults")
    untouched.refresh_from_db()
    assert untouched.pmid == ""
    out = capsys.readouterr().out
    assert "pmid → 900000002" in out and "Filled 5 empty fields." in out
    revisions = {v.revision_id for v in Version.objects.get_for_model(Reference)}
    assert len(revisions) == 1


def test_enrich_dry_run_changes_nothing(scholarly_api, capsys):
    reference = ReferenceFactory(doi="10.5555/myo.2020.002")

    call_command("enrich_references", "--dry-run")

    reference.refresh_from_db()
    assert reference.pmid == ""
    assert "Would fill 2 empty fields." in capsys.readouterr().out


def test_enrich_by_topic_leaves_other_topics_alone(scholarly_api):
    section = SectionFactory()
    inside = ReferenceFactory(doi="10.5555/myo.2020.002")
    inside.entries.create(section=section)
    outside = ReferenceFactory(doi="10.5555/myo.2019.001")

    call_command("enrich_references", "--topic", section.topic.slug)

    inside.refresh_from_db()
    outside.refresh_from_db()
    assert (inside.pmid, outside.pmid) == ("900000002", "")


def test_enrich_with_the_service_down_reports_and_writes_nothing(scholarly_api, capsys):
    reference = ReferenceFactory(doi="10.5555/myo.2020.002")
    scholarly_api.fail("/eutils/", *[Scripted(500, b"oops")] * 10)

    call_command("enrich_references")

    reference.refresh_from_db()
    assert reference.pmid == ""
    assert "PubMed answered with an error (HTTP 500)" in capsys.readouterr().err
