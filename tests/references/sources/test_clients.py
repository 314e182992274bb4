"""The Crossref and PubMed clients against recorded answers over real HTTP."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from references import sources
from references.models import ReferenceNotice
from references.sources import crossref, http, pubmed
from tests.scholarly_api import Scripted

Kind = ReferenceNotice.Kind


def test_crossref_work_is_read_with_its_retraction_and_correction(scholarly_api):
    work = crossref.fetch_work("10.5555/myo.2019.001")

    record = work.record
    assert record.title == (
        "An invented biologic in refractory dermatomyositis: a one-year cohort"
    )
    assert record.authors == [
        "Testwoman, Ana",
        "Placeholder, Bo",
        "Synthetic Myositis Study Group",
    ]
    assert (record.source, record.volume, record.issue, record.pages) == (
        "Test J Myositis",
        "12",
        "4",
        "210-219",
    )
    assert (record.year, record.month, record.day) == (2019, 5, 14)
    assert work.abstract.startswith("We followed forty adults")
    assert "Abstract" not in work.abstract
    assert "\n\nMuscle strength" in work.abstract
    kinds = {(n.kind, n.doi, n.date) for n in work.notices}
    assert kinds == {
        (Kind.CORRECTION, "10.5555/myo.2020.950", datetime.date(2020, 1, 8)),
        (Kind.RETRACTION, "10.5555/myo.2024.901", datetime.date(2024, 3, 12)),
    }
    assert all(n.target_doi == "10.5555/myo.2019.001" for n in work.notices)


def test_crossref_is_asked_politely(scholarly_api):
    crossref.fetch_work("10.5555/myo.2020.002")

    (seen,) = scholarly_api.seen("/crossref/")
    assert seen.query["mailto"] == ["editors@example.org"]
    assert "MyositisKnowledgePortal" in seen.headers["User-Agent"]
    assert "mailto:editors@example.org" in seen.headers["User-Agent"]


def test_notices_that_only_say_update_to_are_found_by_filter(scholarly_api):
    found = crossref.notices_updating(["10.5555/myo.2018.003", "10.5555/nothing"])

    (notice,) = found
    assert (notice.kind, notice.target_doi, notice.doi) == (
        Kind.CONCERN,
        "10.5555/myo.2018.003",
        "10.5555/myo.2023.902",
    )
    (seen,) = scholarly_api.seen("/crossref/works")
    assert seen.query["filter"] == [
        "updates:10.5555/myo.2018.003,updates:10.5555/nothing"
    ]


def test_pubmed_record_carries_its_retraction_and_publication_types(scholarly_api):
    work = pubmed.fetch_one("900000001")

    assert work.record.doi == "10.5555/myo.2019.001"
    assert work.record.title.endswith("one-year cohort")
    assert "Retracted Publication" in work.publication_types
    (notice,) = work.notices
    assert (notice.kind, notice.pmid, notice.date) == (
        Kind.RETRACTION,
        "900000009",
        datetime.date(2024, 3, 12),
    )
    seen = scholarly_api.seen("/eutils/efetch.fcgi")[0]
    assert seen.query["api_key"] == ["test-key"]
    assert seen.query["email"] == ["editors@example.org"]


def test_pubmed_kind_comes_from_the_publication_type(scholarly_api):
    works = pubmed.fetch(["900000002", "900000004", "900000099"])

    assert works["900000002"].record.kind == "trial"
    assert works["900000004"].record.kind == "case_report"
    assert works["900000004"].record.year == 2015
    assert works["900000004"].notices[0].kind == Kind.CORRECTION
    assert "900000099" not in works
    assert "Objectives: To compare" in works["900000002"].abstract


def test_pubmed_batches_two_hundred_ids_a_request(scholarly_api):
    pubmed.fetch([str(900000000 + n) for n in range(1, 402)])

    batches = [s.query["id"][0].count(",") + 1 for s in scholarly_api.seen("/eutils")]
    assert batches == [200, 200, 1]


class FakeClock:
    """Stands in for ``time`` in references.sources.http: sleeping moves the
    clock and nothing else does, so the limiter's spacing is measured exactly
    however slow the machine is."""

    def __init__(self):
        self.now = 0.0

    def monotonic(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


@pytest.mark.parametrize("key, span", [("", 1.0), ("a-key", 0.3)])
def test_ncbi_rate_limit_spaces_requests(
    scholarly_api, settings, monkeypatch, key, span
):
    settings.NCBI_API_KEY = key
    clock = FakeClock()
    monkeypatch.setattr(http, "time", clock)
    monkeypatch.setattr(pubmed, "_LIMITERS", {})
    for _ in range(4):
        pubmed.fetch(["900000002"])

    assert len(scholarly_api.seen("/eutils")) == 4
    # Three a second without a key, ten with: the fourth request waits until
    # three intervals after the first.
    assert clock.now == pytest.approx(span)


def test_lookup_of_a_doi_combines_crossref_and_pubmed(scholarly_api):
    work = sources.lookup("https://doi.org/10.5555/MYO.2020.002")

    values = sources.reference_values(work)
    assert values["doi"] == "10.5555/myo.2020.002"
    assert values["pmid"] == "900000002"
    assert values["kind"] == "trial"
    assert values["authors"] == "Fictional, Dee\nNotreal, Eli"


def test_lookup_of_a_pubmed_address(scholarly_api):
    work = sources.lookup("https://pubmed.ncbi.nlm.nih.gov/900000004/")

    assert work.record.pmid == "900000004"
    assert work.record.source == "Test Case Rep Rheumatol"


def test_a_429_is_retried_after_the_pause_asked_for(scholarly_api):
    scholarly_api.fail(
        "/crossref/works/", Scripted(429, b"slow down", headers={"Retry-After": "0"})
    )

    work = crossref.fetch_work("10.5555/myo.2020.002")

    assert work.record.volume == "13"
    assert len(scholarly_api.seen("/crossref/works/")) == 2


def test_server_errors_are_retried_a_bounded_number_of_times(scholarly_api):
    scholarly_api.fail("/crossref/", *[Scripted(503, b"down")] * 5)

    with pytest.raises(http.Unavailable, match=r"Crossref answered with an error"):
        crossref.fetch_work("10.5555/myo.2020.002")
    assert len(scholarly_api.seen("/crossref/")) == 3


def test_a_timeout_says_so(scholarly_api, settings):
    settings.REFERENCES_SOURCES_TIMEOUT = 0.3
    settings.REFERENCES_SOURCES_RETRIES = 0
    scholarly_api.fail("/crossref/", Scripted(delay=1.0, body=b"{}"))

    # The client's own timeout ends the wait (the server would answer after
    # a second), and the editor is told so.
    with pytest.raises(http.Unavailable, match="did not answer within 0.3 seconds"):
        crossref.fetch_work("10.5555/myo.2020.002")


def test_malformed_json_is_refused_clearly(scholarly_api):
    scholarly_api.fail("/crossref/", Scripted(body=b'{"status": "ok", "mess'))

    with pytest.raises(http.Malformed, match="could not be read"):
        crossref.fetch_work("10.5555/myo.2020.002")


def test_malformed_xml_is_refused_clearly(scholarly_api):
    scholarly_api.fail("/eutils/", Scripted(body=b"<PubmedArticleSet><Pub"))

    with pytest.raises(http.Malformed, match="could not be read"):
        pubmed.fetch_one("900000002")


def test_xml_entities_are_not_expanded(scholarly_api):
    hostile = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b"<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>900000003</PMID>"
        b"<Article><ArticleTitle>&e;</ArticleTitle></Article></MedlineCitation>"
        b"</PubmedArticle></PubmedArticleSet>"
    )
    scholarly_api.fail("/eutils/", Scripted(body=hostile))

    work = pubmed.fetch_one("900000003")

    assert "root:" not in work.record.title


def test_an_unknown_doi_is_not_found_by_either_service(scholarly_api):
    with pytest.raises(http.NotFound, match="Crossref does not know"):
        sources.lookup("10.5555/unknown.1")


def test_an_unknown_pmid_is_not_found(scholarly_api):
    with pytest.raises(http.NotFound, match="PubMed does not know PMID 900000099"):
        sources.lookup("900000099")


def test_something_that_is_no_identifier_is_refused_before_asking(scholarly_api):
    with pytest.raises(ValidationError):
        sources.lookup("dermatomyositis rituximab")
    assert scholarly_api.requests == []


def test_crossref_works_are_fetched_fifty_dois_to_a_request(scholarly_api):
    dois = ["10.5555/myo.2019.001", "10.5555/myo.2020.002"]
    dois += [f"10.5555/unknown.{n}" for n in range(60)]

    works = crossref.fetch_works(dois)

    assert sorted(works) == ["10.5555/myo.2019.001", "10.5555/myo.2020.002"]
    assert {n.kind for n in works["10.5555/myo.2019.001"].notices} == {
        Kind.CORRECTION,
        Kind.RETRACTION,
    }
    assert len(scholarly_api.seen("/crossref/works")) == 2
