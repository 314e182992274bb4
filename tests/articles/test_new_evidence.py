"""Living literature for the board: the papers a topic's saved searches found
since an article's live version was approved, on the review page and the
dashboard, and the "literature current through" date an approval gives it."""

import datetime

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import selectors, services
from references import surveillance
from references.models import Finding, Reference
from tests.factories import (
    ReferenceFactory,
    SavedSearchFactory,
    TopicFactory,
    approve_through_review,
    board_member,
    make_article,
)

pytestmark = pytest.mark.django_db

WEEK = datetime.timedelta(days=7)


def find(search, title, kind, *, found_at=None, **reference):
    """A paper ``search`` brought into its topic's inbox."""
    paper = ReferenceFactory(
        title=title, kind=kind, inbox_topic=search.topic, summary="", **reference
    )
    return Finding.objects.create(
        search=search,
        topic=search.topic,
        reference=paper,
        title=title,
        kind=kind,
        found_at=found_at or timezone.now(),
    )


@pytest.fixture
def topic():
    return TopicFactory(slug="myositis")


@pytest.fixture
def search(topic):
    return SavedSearchFactory(topic=topic, label="RCTs in dermatomyositis")


@pytest.fixture
def article(topic):
    ReferenceFactory(citation_key="old-trial")
    return make_article(topic=topic, body="Cited [@old-trial].", approve=True)


@pytest.fixture
def found(search, article):
    Kind = Reference.Kind
    before = article.live.approved_at - WEEK
    return {
        "old": find(search, "Found before the approval", Kind.TRIAL, found_at=before),
        "case": find(search, "An invented case", Kind.CASE_REPORT),
        "trial": find(search, "An invented trial", Kind.TRIAL),
        "guideline": find(search, "An invented guideline", Kind.GUIDELINE),
        "dismissed": find(search, "Not relevant", Kind.SYSTEMATIC_REVIEW),
    }


def cite(article, finding):
    """The editors cite a found paper in a new draft."""
    article.body += f"\n\nNew evidence [@{finding.reference.citation_key}]."
    services.save_article(article=article, user=article.author)


class TestFoundSinceApproval:
    def test_strongest_first_without_what_came_before_or_was_dismissed(
        self, article, found
    ):
        surveillance.dismiss(references=[found["dismissed"].reference], user=None)
        cite(article, found["trial"])

        papers = selectors.found_since_approval([article])[article.pk]

        assert [(p.finding.title, p.cited) for p in papers] == [
            ("An invented guideline", False),
            ("An invented trial", True),
            ("An invented case", False),
        ]

    def test_a_text_never_approved_sees_all_the_topic_found(self, search, topic):
        draft = make_article(topic=topic, slug="draft")
        find(search, "Long ago", Reference.Kind.TRIAL, found_at=timezone.now() - WEEK)

        (paper,) = selectors.found_since_approval([draft])[draft.pk]

        assert paper.finding.title == "Long ago"


class TestTheReviewPage:
    def test_shows_the_new_papers_and_which_are_cited(self, client, article, found):
        cite(article, found["guideline"])
        client.force_login(board_member())

        response = client.get(f"/editorial/articles/{article.pk}/")

        page = lxml.html.fromstring(response.content)
        (block,) = page.find_class("new-evidence")
        items = [li.text_content() for li in block.iter("li")]
        assert len(items) == 4
        assert "An invented guideline" in items[0] and "Already cited" in items[0]
        assert "Already cited" not in items[1]
        assert "Found by “RCTs in dermatomyositis”" in items[1]
        assert "1 of them already cited" in block.text_content()

    def test_costs_the_same_queries_however_many_were_found(
        self, client, article, search, django_assert_num_queries
    ):
        client.force_login(board_member())
        url = f"/editorial/articles/{article.pk}/"
        find(search, "One", Reference.Kind.TRIAL)
        client.get(url)
        with CaptureQueriesContext(connection) as few:
            client.get(url)
        for n in range(30):
            find(search, f"Many {n}", Reference.Kind.OBSERVATIONAL)

        with django_assert_num_queries(len(few.captured_queries)):
            response = client.get(url)

        assert b"All 31 in the topic" in response.content


class TestTheDashboard:
    def test_lists_each_approved_article_with_its_strongest_new_papers(
        self, client, article, found
    ):
        cite(article, found["trial"])
        client.force_login(board_member())

        response = client.get("/editorial/")

        page = lxml.html.fromstring(response.content)
        (block,) = page.find_class("new-evidence")
        text = block.text_content()
        assert "4 papers found, 1 cited" in text
        titles = [a.text for a in block.xpath(".//ol/li/a")]
        # A systematic review ranks above a trial.
        assert titles == [
            "An invented guideline",
            "Not relevant",
            "An invented trial",
        ]

    def test_costs_the_same_queries_however_many_articles_and_papers(
        self, client, article, search, topic
    ):
        client.force_login(board_member())
        find(search, "One", Reference.Kind.TRIAL)
        client.get("/editorial/")
        with CaptureQueriesContext(connection) as few:
            client.get("/editorial/")
        make_article(topic=topic, slug="second", approve=True)
        for n in range(10):
            find(search, f"Many {n}", Reference.Kind.OBSERVATIONAL)

        with CaptureQueriesContext(connection) as many:
            response = client.get("/editorial/")

        assert len(many.captured_queries) == len(few.captured_queries)
        assert response.content.count(b"11 papers found") == 1


class TestLiteratureCurrentThrough:
    def test_approval_takes_the_day_the_topic_searches_last_all_ran(
        self, client, topic, search
    ):
        ran = datetime.date(2026, 11, 2)
        search.last_success_on = ran
        search.save()
        ReferenceFactory(citation_key="trial-2011", year=2011)

        article = make_article(
            topic=topic, body="Cited [@trial-2011].", approve=True, slug="living"
        )

        assert article.live.literature_current_through == ran
        html = client.get("/articles/living/").content.decode()
        assert "Literature current through" in html
        assert '<time datetime="2026-11-02">2 November 2026</time>' in html

    def test_without_searches_the_newest_reference_still_says_it(self, client, topic):
        ReferenceFactory(citation_key="trial-2011", year=2011)

        article = make_article(
            topic=topic, body="Cited [@trial-2011].", approve=True, slug="plain"
        )

        assert article.live.literature_current_through is None
        assert (
            "Literature current through"
            in client.get("/articles/plain/").content.decode()
        )

    def test_a_search_that_never_ran_gives_no_date(self, topic, search):
        article = make_article(topic=topic, approve=True, slug="never")

        assert article.live.literature_current_through is None

    def test_a_later_approval_takes_the_later_date(self, topic, search):
        search.last_success_on = datetime.date(2026, 11, 2)
        search.save()
        article = make_article(topic=topic, approve=True, slug="again")
        search.last_success_on = datetime.date(2026, 11, 9)
        search.save()
        article.body += "\n\nMore."
        services.save_article(article=article, user=article.author)

        approve_through_review(article)

        assert article.live.literature_current_through == datetime.date(2026, 11, 9)
