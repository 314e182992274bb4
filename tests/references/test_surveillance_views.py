"""The saved-search screens: the form that checks a query before saving it,
the report and its CSV, and who may use them."""

import csv
import datetime
import io

import lxml.html
import pytest
from django.utils import timezone

from references import surveillance
from references.models import Dismissal, Reference, SavedSearch
from tests.factories import (
    SavedSearchFactory,
    TopicFactory,
    administrator,
    board_member,
    editor,
)
from tests.scholarly_api import Scripted, pubmed_article

pytestmark = pytest.mark.django_db

TERM = "dermatomyositis[mh] AND randomized controlled trial[pt]"


@pytest.fixture
def topic():
    return TopicFactory(slug="myositis", title="Myositis")


@pytest.fixture
def signed_in(client):
    user = editor()
    client.force_login(user)
    return user


@pytest.fixture
def found(scholarly_api):
    today = timezone.localdate()
    scholarly_api.add_pubmed_search(
        TERM,
        [
            (pubmed_article(str(pmid), f"Invented trial {pmid}"), today)
            for pmid in range(900000070, 900000077)
        ],
    )
    return scholarly_api


def _form(**values):
    return {
        "label": "RCTs in dermatomyositis",
        "service": "pubmed",
        # As a browser posts a textarea: CRLF line endings.
        "query": "dermatomyositis[mh]\r\nAND randomized controlled trial[pt]",
        "since": (timezone.localdate() - datetime.timedelta(days=30)).isoformat(),
        "active": "on",
        **values,
    }


class TestTheForm:
    def test_checking_shows_the_count_and_first_five_titles_and_saves_nothing(
        self, client, signed_in, topic, found
    ):
        response = client.post(
            "/editorial/literature/searches/myositis/add/", {**_form(), "check": "1"}
        )

        assert response.status_code == 200
        page = lxml.html.fromstring(response.content)
        result = page.get_element_by_id("check-result")
        assert "7 papers added since that day." in result.text_content()
        assert [li.text for li in result.iter("li")] == [
            f"Invented trial {pmid}" for pmid in range(900000070, 900000075)
        ]
        assert not SavedSearch.objects.exists()
        (esearch,) = found.seen("/eutils/esearch")
        assert esearch.query["term"] == [TERM]

    def test_saving_what_was_checked_saves_it(self, client, signed_in, topic, found):
        checked = client.post(
            "/editorial/literature/searches/myositis/add/", {**_form(), "check": "1"}
        )
        page = lxml.html.fromstring(checked.content)
        signature = page.forms[-1].fields["checked"]

        response = client.post(
            "/editorial/literature/searches/myositis/add/",
            {**_form(), "checked": signature, "save": "1"},
        )

        assert response.status_code == 302
        search = SavedSearch.objects.get()
        assert (search.topic, search.query, search.created_by) == (
            topic,
            TERM,
            signed_in,
        )

    def test_saving_an_unchecked_or_changed_query_checks_it_first(
        self, client, signed_in, topic, found
    ):
        response = client.post(
            "/editorial/literature/searches/myositis/add/",
            {**_form(), "checked": "pubmed|2020-01-01|something else", "save": "1"},
        )

        assert response.status_code == 200
        assert b"check-result" in response.content
        assert not SavedSearch.objects.exists()

    def test_a_service_that_fails_is_said_and_nothing_saved(
        self, client, signed_in, topic, scholarly_api
    ):
        scholarly_api.fail("/eutils/esearch", Scripted(503, b"", "text/plain"))

        response = client.post(
            "/editorial/literature/searches/myositis/add/", {**_form(), "check": "1"}
        )

        assert response.status_code == 200
        assert b"The query could not be checked: PubMed answered with an error" in (
            response.content
        )
        assert not SavedSearch.objects.exists()

    def test_a_label_the_topic_already_has_is_refused(
        self, client, signed_in, topic, found
    ):
        SavedSearchFactory(topic=topic, label="RCTs in dermatomyositis")

        response = client.post(
            "/editorial/literature/searches/myositis/add/", {**_form(), "check": "1"}
        )

        assert b"This topic already has a search with this label." in response.content
        assert not found.seen("/eutils/")

    def test_an_empty_query_is_refused_without_asking(
        self, client, signed_in, topic, found
    ):
        response = client.post(
            "/editorial/literature/searches/myositis/add/",
            {**_form(query="  \r\n "), "check": "1"},
        )

        assert b"Write the query." in response.content
        assert not found.seen("/eutils/")

    def test_a_search_can_be_changed_and_paused(self, client, signed_in, topic, found):
        search = SavedSearchFactory(topic=topic, query=TERM)
        url = f"/editorial/literature/searches/myositis/{search.pk}/"
        values = _form(label="Renamed", query=TERM)
        del values["active"]
        checked = client.post(url, {**values, "check": "1"})
        signature = lxml.html.fromstring(checked.content).forms[-1].fields["checked"]

        client.post(url, {**values, "checked": signature, "save": "1"})

        search.refresh_from_db()
        assert (search.label, search.active) == ("Renamed", False)


class TestWhoMay:
    def test_board_members_see_the_report_but_cannot_add_or_change(self, client, topic):
        search = SavedSearchFactory(topic=topic)
        client.force_login(board_member())
        base = "/editorial/literature/searches/myositis/"

        assert client.get(base).status_code == 200
        assert client.get(f"{base}report.csv").status_code == 200
        assert client.get(f"{base}add/").status_code == 403
        assert client.get(f"{base}{search.pk}/").status_code == 403

    def test_anonymous_people_are_sent_to_sign_in(self, client, topic):
        response = client.get("/editorial/literature/searches/myositis/add/")

        assert response.status_code == 302 and "login" in response.url


class TestTheReport:
    @pytest.fixture
    def ran(self, found, topic):
        search = SavedSearchFactory(
            topic=topic,
            query=TERM,
            label='=HYPERLINK("x")',
            since=timezone.localdate() - datetime.timedelta(days=3),
        )
        surveillance.run_search(search)
        return search

    def test_lists_each_search_with_what_it_brought(
        self, client, signed_in, topic, ran, django_assert_max_num_queries
    ):
        with django_assert_max_num_queries(8):
            response = client.get("/editorial/literature/searches/myositis/")

        page = lxml.html.fromstring(response.content)
        (row,) = page.xpath("//tbody/tr")
        cells = [c.text_content().strip() for c in row.xpath("td")]
        assert cells[2:] == ["7", "0", "0", "7"]

    def test_exports_csv_safe_for_spreadsheets(self, client, signed_in, topic, ran):
        response = client.get("/editorial/literature/searches/myositis/report.csv")

        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert "attachment" in response["Content-Disposition"]
        header, row = list(csv.reader(io.StringIO(response.content.decode())))
        assert header[:2] == ["Topic", "Search"] and header[8] == "Papers brought"
        assert row[1] == '\'=HYPERLINK("x")'
        assert row[3] == TERM
        assert row[5] == timezone.localdate().isoformat()
        assert row[8:] == ["7", "0", "0", "7"]


class TestTriageInTheInbox:
    @pytest.fixture
    def brought(self, scholarly_api, topic):
        today = timezone.localdate()
        papers = [
            ("900000080", "An invented case", ["Case Reports"]),
            ("900000081", "An invented trial", ["Randomized Controlled Trial"]),
            ("900000082", "An invented cohort", ["Journal Article"]),
            ("900000083", "An invented guideline", ["Practice Guideline"]),
            ("900000084", "An invented review", ["Systematic Review"]),
        ]
        scholarly_api.add_pubmed_search(
            TERM,
            [
                (
                    pubmed_article(
                        pmid, title, types=types, mesh=["Dermatomyositis/therapy"]
                    ),
                    today,
                )
                for pmid, title, types in papers
            ],
        )
        search = SavedSearchFactory(
            topic=topic, query=TERM, label="RCTs in dermatomyositis"
        )
        surveillance.run_search(search)
        return search

    def test_new_papers_come_strongest_evidence_first_saying_who_found_them(
        self, client, signed_in, topic, brought
    ):
        response = client.get("/editorial/literature/inbox/myositis/")

        page = lxml.html.fromstring(response.content)
        titles = [t.text for t in page.find_class("ref-title")]
        assert titles == [
            "An invented guideline",
            "An invented review",
            "An invented trial",
            "An invented case",
            "An invented cohort",
        ]
        found = page.find_class("found-by")[0].text_content()
        today = timezone.localdate()
        assert f"Found by search “RCTs in dermatomyositis” on {today:%-d %B %Y}" in (
            found
        )
        assert "Practice Guideline" in found
        assert b"Dermatomyositis/therapy" in response.content

    def test_a_dismissed_paper_is_remembered_and_never_brought_back(
        self, client, signed_in, topic, brought, scholarly_api
    ):
        trial = Reference.objects.get(pmid="900000081")

        response = client.post(
            "/editorial/literature/inbox/myositis/",
            {"references": [trial.pk], "action": "dismiss", "scope": "chosen"},
        )

        assert response.status_code == 302
        dismissal = Dismissal.objects.get()
        assert (dismissal.pmid, dismissal.dismissed_by) == ("900000081", signed_in)
        assert not Reference.objects.filter(pmid="900000081").exists()
        brought.refresh_from_db()
        again = surveillance.run_search(brought)
        assert again.ok and again.dismissed == 1 and not again.added
        assert not Reference.objects.filter(pmid="900000081").exists()


class TestTheAdmin:
    def test_an_administrator_saves_a_search_through_the_service(self, client, topic):
        user = administrator()
        client.force_login(user)

        response = client.post(
            "/admin/references/savedsearch/add/",
            {
                "topic": topic.pk,
                "label": "Guidelines",
                "service": "pubmed",
                "query": "myositis[mh] AND guideline[pt]",
                "since": "2026-01-01",
                "active": "on",
            },
        )

        assert response.status_code == 302
        search = SavedSearch.objects.get()
        assert search.created_by == user

    def test_dismissals_are_read_only(self, client, topic):
        client.force_login(administrator())
        dismissal = Dismissal.objects.create(topic=topic, title="Not relevant")

        assert client.get("/admin/references/dismissal/add/").status_code == 403
        page = client.get(f"/admin/references/dismissal/{dismissal.pk}/change/")
        assert page.status_code == 200 and b'name="title"' not in page.content
