"""Saved searches run against the recorded-answer server (PubMed esearch with
history and efetch, Crossref's /works search), over real HTTP."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from references import services, surveillance
from references.models import Dismissal, Finding, Reference, SavedSearch
from references.sources import pubmed
from tests.factories import (
    ReferenceFactory,
    SavedSearchFactory,
    SectionFactory,
    TopicFactory,
    editor,
    make_article,
)
from tests.scholarly_api import Scripted, pubmed_article

pytestmark = pytest.mark.django_db

TERM = "dermatomyositis[mh] AND randomized controlled trial[pt]"
MONDAY = datetime.date(2026, 11, 2)
FRIDAY = datetime.date(2026, 11, 6)


def _papers(first=900000010, count=3, added=MONDAY):
    kinds = [
        ("Journal Article", "Randomized Controlled Trial"),
        ("Journal Article", "Case Reports"),
        ("Practice Guideline",),
    ]
    return [
        (
            pubmed_article(
                str(pmid),
                f"An invented finding in dermatomyositis number {pmid}",
                types=kinds[n % 3],
                mesh=["Dermatomyositis/drug therapy", "Humans"],
                doi=f"10.5555/myo.found.{pmid}",
            ),
            added,
        )
        for n, pmid in enumerate(range(first, first + count))
    ]


@pytest.fixture
def search(scholarly_api):
    scholarly_api.add_pubmed_search(TERM, _papers())
    return SavedSearchFactory(
        query=TERM, label="RCTs in dermatomyositis", since=datetime.date(2026, 10, 1)
    )


class TestARun:
    def test_brings_new_papers_into_the_topic_inbox_marked_with_the_search(
        self, search
    ):
        result = surveillance.run_search(search, today=MONDAY)

        assert result.ok and result.found == 3 and len(result.added) == 3
        inbox = Reference.objects.in_inbox(search.topic)
        assert inbox.count() == 3
        finding = Finding.objects.get(pmid="900000010")
        assert finding.search == search and finding.topic == search.topic
        assert finding.reference.inbox_topic == search.topic
        assert finding.publication_types == [
            "Journal Article",
            "Randomized Controlled Trial",
        ]
        assert finding.mesh_headings == ["Dermatomyositis/drug therapy", "Humans"]
        assert finding.kind == Reference.Kind.TRIAL
        assert {r.kind for r in inbox} == {"trial", "case_report", "guideline"}
        search.refresh_from_db()
        assert search.last_success_on == MONDAY and search.last_error == ""

    def test_asks_pubmed_with_a_date_window_history_and_batches_of_200(
        self, scholarly_api, search
    ):
        scholarly_api.add_pubmed_search(TERM, _papers(900000020, 450))

        surveillance.run_search(search, today=MONDAY)

        (esearch,) = scholarly_api.seen("/eutils/esearch")
        assert esearch.query["term"] == [TERM]
        assert esearch.query["usehistory"] == ["y"]
        assert esearch.query["datetype"] == ["edat"]
        assert esearch.query["mindate"] == ["2026/10/01"]
        assert esearch.query["maxdate"] == ["2026/11/02"]
        assert esearch.query["email"] == ["editors@example.org"]
        fetches = scholarly_api.seen("/eutils/efetch")
        assert [f.query["retstart"][0] for f in fetches] == ["0", "200", "400"]
        assert [f.query["retmax"][0] for f in fetches] == ["200", "200", "53"]
        assert Reference.objects.in_inbox(search.topic).count() == 453

    def test_a_second_run_brings_nothing_twice(self, scholarly_api, search):
        surveillance.run_search(search, today=MONDAY)
        # Added later on the day of the first run, and after it.
        scholarly_api.add_pubmed_search(TERM, _papers(900000030, 1, MONDAY))
        scholarly_api.add_pubmed_search(TERM, _papers(900000031, 1, FRIDAY))
        search.refresh_from_db()

        again = surveillance.run_search(search, today=FRIDAY)

        # The window starts on the day of the last run: its three papers are
        # asked about again and skipped as already in the library.
        assert again.found == 5 and again.known == 3
        assert sorted(r.pmid for r in again.added) == ["900000030", "900000031"]
        assert Finding.objects.count() == 5
        assert Reference.objects.filter(pmid="900000010").count() == 1

    def test_a_paper_already_in_the_library_is_skipped(self, search):
        ReferenceFactory(pmid="900000011", title="Already placed")

        result = surveillance.run_search(search, today=MONDAY)

        assert result.known == 1
        assert not Finding.objects.filter(pmid="900000011").exists()

    def test_a_dismissed_paper_stays_dismissed(self, scholarly_api, search):
        surveillance.run_search(search, today=MONDAY)
        chosen = Reference.objects.get(pmid="900000010")
        dismisser = editor()

        assert surveillance.dismiss(references=[chosen], user=dismisser) == 1

        dismissal = Dismissal.objects.get()
        assert (dismissal.pmid, dismissal.dismissed_by) == ("900000010", dismisser)
        finding = Finding.objects.get(pmid="900000010")
        assert finding.dismissed_by == dismisser and finding.reference is None
        # Brought again by a later run (and by another search of the topic).
        other = SavedSearchFactory(topic=search.topic, query=TERM, since=MONDAY)
        search.refresh_from_db()
        for saved in (search, other):
            result = surveillance.run_search(saved, today=FRIDAY)
            assert result.ok and not any(r.pmid == "900000010" for r in result.added)
        assert not Reference.objects.filter(pmid="900000010").exists()

    def test_a_paper_an_article_cites_cannot_be_dismissed(self, search):
        surveillance.run_search(search, today=MONDAY)
        cited = Reference.objects.get(pmid="900000010")
        make_article(topic=search.topic, body=f"New [@{cited.citation_key}].")

        with pytest.raises(ValidationError, match="cited by an article"):
            surveillance.dismiss(
                references=Reference.objects.in_inbox(search.topic), user=editor()
            )

        assert not Dismissal.objects.exists()
        assert Reference.objects.in_inbox(search.topic).count() == 3
        assert not Finding.objects.filter(dismissed_at__isnull=False).exists()

    def test_a_dry_run_writes_nothing(self, search):
        result = surveillance.run_search(search, today=MONDAY, dry_run=True)

        assert len(result.added) == 3
        assert not Reference.objects.exists() and not Finding.objects.exists()
        search.refresh_from_db()
        assert search.last_success_on is None and search.last_run_at is None


class TestAFailingRun:
    @pytest.mark.parametrize(
        "answers",
        [
            [Scripted(503, b"busy", "text/plain")] * 3,
            [Scripted(429, b"", "text/plain", headers={"Retry-After": "0"})] * 3,
            [Scripted(500, b"oops", "text/plain")] * 3,
            [Scripted(200, b"<html>not XML", "text/html")],
            [Scripted(200, b"<?xml version='1.0'?><Other/>", "text/xml")],
        ],
        ids=["503", "429", "500", "garbage", "wrong-xml"],
    )
    def test_changes_no_date_and_writes_nothing(self, scholarly_api, search, answers):
        surveillance.run_search(search, today=MONDAY)
        scholarly_api.add_pubmed_search(TERM, _papers(900000040, 250, FRIDAY))
        search.refresh_from_db()
        # The first batch of efetch succeeds; the second fails.
        scholarly_api.fail("/eutils/efetch", None, *answers)

        result = surveillance.run_search(search, today=FRIDAY)

        assert not result.ok and result.error
        search.refresh_from_db()
        assert search.last_success_on == MONDAY
        assert search.last_error == result.error
        assert Reference.objects.count() == 3 and Finding.objects.count() == 3

    def test_a_failing_esearch_says_so(self, scholarly_api, search):
        scholarly_api.fail("/eutils/esearch", *[Scripted(502, b"", "text/plain")] * 3)

        result = surveillance.run_search(search, today=MONDAY)

        assert "PubMed answered with an error (HTTP 502)" in result.error
        search.refresh_from_db()
        assert search.last_success_on is None and search.last_run_at is not None

    def test_garbled_esearch_json_is_a_failure(self, scholarly_api, search):
        scholarly_api.fail("/eutils/esearch", Scripted(200, b'{"esearchresult": 3}'))

        result = surveillance.run_search(search, today=MONDAY)

        assert result.error == "PubMed's search answer could not be read."

    def test_an_expired_history_is_a_failure_not_an_empty_result(
        self, scholarly_api, search
    ):
        scholarly_api.history.clear()
        scholarly_api.fail(
            "/eutils/efetch",
            Scripted(
                200,
                b"<eFetchResult><ERROR>Unable to obtain query #1</ERROR>"
                b"</eFetchResult>",
                "text/xml",
            ),
        )

        result = surveillance.run_search(search, today=MONDAY)

        assert "0 of the 3 records" in result.error
        assert not Reference.objects.exists()

    def test_too_many_results_must_be_narrowed(self, settings, search):
        settings.REFERENCES_SURVEILLANCE_MAX_RESULTS = 2

        result = surveillance.run_search(search, today=MONDAY)

        assert "narrow the query" in result.error
        assert not Reference.objects.exists()

    def test_one_failing_search_leaves_the_others_to_run(self, scholarly_api, search):
        broken = SavedSearchFactory(query="broken[ti]", since=MONDAY)
        scholarly_api.add_pubmed_search("broken[ti]", _papers(900000090, 1))
        scholarly_api.fail("/eutils/esearch", *[Scripted(503, b"", "text/plain")] * 3)

        results = surveillance.run_all(
            SavedSearch.objects.filter(pk__in=[broken.pk, search.pk]).order_by("-pk"),
            today=MONDAY,
        )

        assert [r.ok for r in results] == [False, True]
        assert Reference.objects.count() == 3


class TestCrossref:
    def test_a_crossref_search_brings_works_indexed_in_the_window(self, scholarly_api):
        message = {
            "DOI": "10.5555/myo.crossref.1",
            "type": "journal-article",
            "title": ["An invented registry report on myositis"],
            "author": [{"family": "Invented", "given": "Ann"}],
            "issued": {"date-parts": [[2026, 10]]},
        }
        scholarly_api.add_crossref_search("myositis registry", [(message, MONDAY)])
        saved = SavedSearchFactory(
            service=SavedSearch.Service.CROSSREF,
            query="myositis registry",
            since=datetime.date(2026, 10, 1),
        )

        result = surveillance.run_search(saved, today=MONDAY)

        assert [r.doi for r in result.added] == ["10.5555/myo.crossref.1"]
        (seen, *_rest) = scholarly_api.seen("/crossref/works")
        assert seen.query["filter"] == [
            "from-index-date:2026-10-01,until-index-date:2026-11-02"
        ]
        assert seen.query["mailto"] == ["editors@example.org"]


class TestCheckingAQuery:
    def test_counts_and_shows_the_first_five_titles(self, scholarly_api):
        scholarly_api.add_pubmed_search(TERM, _papers(900000050, 7, MONDAY))

        check = surveillance.check_query(
            service=SavedSearch.Service.PUBMED,
            query=TERM,
            since=datetime.date(2026, 1, 1),
        )

        assert check.count == 7
        assert check.titles == [
            f"An invented finding in dermatomyositis number {pmid}"
            for pmid in range(900000050, 900000055)
        ]

    def test_a_query_finding_nothing_says_so(self, scholarly_api):
        check = surveillance.check_query(
            service="pubmed", query="nothing[ti]", since=MONDAY
        )

        assert check.count == 0 and check.titles == []
        assert check.warnings == ["No items found."]

    def test_a_refused_query_is_an_error(self, scholarly_api):
        scholarly_api.fail(
            "/eutils/esearch",
            Scripted(200, b'{"esearchresult": {"ERROR": "Invalid query"}}'),
        )

        with pytest.raises(pubmed.QueryRefused, match="Invalid query"):
            surveillance.check_query(service="pubmed", query="((", since=MONDAY)


class TestTheReport:
    def test_counts_what_each_search_brought_and_what_became_of_it(self, search):
        surveillance.run_search(search, today=MONDAY)
        trial, case, guideline = Reference.objects.order_by("pmid")
        surveillance.dismiss(references=[case], user=editor())
        # Placing makes it public, so it needs its summary first.
        Reference.objects.filter(pk=guideline.pk).update(summary="The guideline.")
        services.place_in_section(
            references=[guideline],
            section=SectionFactory(topic=search.topic),
            user=editor(),
        )

        (row,) = SavedSearch.objects.with_counts()

        assert (row.brought, row.placed, row.dismissed, row.waiting) == (3, 1, 1, 1)

    def test_searched_through_is_the_earliest_of_the_topic_searches(self):
        topic = TopicFactory()
        assert SavedSearch.objects.searched_through(topic) is None
        SavedSearchFactory(topic=topic, last_success_on=FRIDAY)
        assert SavedSearch.objects.searched_through(topic) == FRIDAY
        SavedSearchFactory(topic=topic, last_success_on=MONDAY)
        assert SavedSearch.objects.searched_through(topic) == MONDAY
        never = SavedSearchFactory(topic=topic)
        assert SavedSearch.objects.searched_through(topic) is None
        never.active = False
        never.save()
        assert SavedSearch.objects.searched_through(topic) == MONDAY
