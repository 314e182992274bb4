"""watch_literature end to end against the recorded Crossref and PubMed."""

import pytest
from django.core.management import CommandError, call_command

from references import watch
from references.models import Reference, ReferenceNotice
from tests.factories import ReferenceFactory, make_article
from tests.scholarly_api import Scripted

pytestmark = pytest.mark.django_db
Kind = ReferenceNotice.Kind


@pytest.fixture
def library():
    return {
        "retracted": ReferenceFactory(
            doi="10.5555/myo.2019.001", pmid="900000001", citation_key="cohort"
        ),
        "concern": ReferenceFactory(doi="10.5555/myo.2018.003"),
        "erratum": ReferenceFactory(pmid="900000004"),
        "clean": ReferenceFactory(doi="10.5555/myo.2020.002", pmid="900000002"),
        "no_identifier": ReferenceFactory(),
    }


def test_the_watch_records_each_notice_once(scholarly_api, library, capsys):
    call_command("watch_literature")

    retracted = library["retracted"]
    kinds = sorted(retracted.notices.values_list("kind", flat=True))
    # Crossref's updated-by and PubMed's RetractionIn are one retraction.
    assert kinds == [Kind.CORRECTION, Kind.RETRACTION]
    retraction = retracted.notices.get(kind=Kind.RETRACTION)
    assert (retraction.doi, retraction.pmid) == ("10.5555/myo.2024.901", "900000009")
    assert library["concern"].notices.get().kind == Kind.CONCERN
    assert library["erratum"].notices.get().kind == Kind.CORRECTION
    assert not library["clean"].notices.exists()
    out = capsys.readouterr().out
    assert "Checked 4 references" in out and "4 new recorded" in out

    call_command("watch_literature")

    assert ReferenceNotice.objects.count() == 4
    assert "0 new recorded" in capsys.readouterr().out


def test_references_cited_by_published_articles_are_checked_first(
    scholarly_api, library, monkeypatch
):
    make_article(body="Cited [@cohort].", approve=True)
    monkeypatch.setattr(watch, "BATCH", 1)

    call_command("watch_literature")

    first = scholarly_api.seen("/crossref/works")[0]
    assert first.query["filter"] == ["doi:10.5555/myo.2019.001"]


def test_a_dry_run_records_nothing(scholarly_api, library, capsys):
    call_command("watch_literature", "--dry-run")

    assert not ReferenceNotice.objects.exists()
    assert "4 new would be recorded" in capsys.readouterr().out


def test_a_failing_service_is_reported_and_the_rest_recorded(
    scholarly_api, library, capsys
):
    scholarly_api.fail("/crossref/", *[Scripted(503, b"down")] * 30)

    with pytest.raises(CommandError, match="Stopped asking Crossref: down"):
        call_command("watch_literature")

    # PubMed's notices are recorded all the same.
    assert library["retracted"].notices.get().pmid == "900000009"
    assert library["erratum"].notices.exists()
    assert "Crossref answered with an error (HTTP 503)" in capsys.readouterr().err


def test_a_single_failure_is_reported_and_the_run_goes_on(
    scholarly_api, library, capsys
):
    scholarly_api.fail("/eutils/", Scripted(400, b"?"))

    with pytest.raises(CommandError, match="1 checks failed"):
        call_command("watch_literature")

    assert "PubMed: PubMed answered with an error (HTTP 400)" in capsys.readouterr().err
    assert library["concern"].notices.get().kind == Kind.CONCERN


def test_crossref_is_asked_about_a_batch_of_dois_at_once(scholarly_api, library):
    call_command("watch_literature")

    asked = scholarly_api.seen("/crossref/")
    assert [seen.path for seen in asked] == ["/crossref/works", "/crossref/works"]
    assert asked[0].query["filter"][0].count("doi:") == 3


def test_a_run_started_again_goes_on_with_the_references_not_yet_watched(
    scholarly_api, library, capsys
):
    call_command("watch_literature")
    capsys.readouterr()
    fresh = ReferenceFactory(doi="10.5555/myo.2020.777")

    call_command("watch_literature")

    assert "Checked 1 references" in capsys.readouterr().out
    assert Reference.objects.get(pk=fresh.pk).watched_at is not None
    call_command("watch_literature", skip_watched_within=0)
    assert "Checked 5 references" in capsys.readouterr().out


def test_a_batch_a_service_failed_on_is_watched_again_next_time(
    scholarly_api, library, capsys
):
    scholarly_api.fail("/eutils/", Scripted(400, b"?"))
    with pytest.raises(CommandError):
        call_command("watch_literature")
    assert not Reference.objects.filter(watched_at__isnull=False).exists()
    call_command("watch_literature")
    assert "Checked 4 references" in capsys.readouterr().out


def test_a_dry_run_marks_nothing_as_watched(scholarly_api, library):
    call_command("watch_literature", "--dry-run")
    assert not Reference.objects.filter(watched_at__isnull=False).exists()
