"""Questions are never public: no page, feed, export, sitemap, search, JSON-LD
or API answer shows a reader's words or address, even once an article
planned from them is published; and the admin shows them to administrators
only."""

import re

import pytest
from django.core.management import call_command
from django.test import Client

from articles.models import Article
from questions import services
from questions.models import QuestionGroup
from references.models import Topic
from tests.api.test_walk import walk
from tests.factories import approve_through_review, board_member, editor

pytestmark = pytest.mark.django_db

WORDS = "QWORDSECRET"
ADDRESS = "qmailsecret@example.org"


@pytest.fixture
def asked(settings, django_capture_on_commit_callbacks):
    """The demo, with questions asked, one planned into an article the board
    has published, one answered by content, one declined, one still open."""
    call_command("seed_demo", "--no-accounts", verbosity=0)
    author, reviewer = editor(), board_member()
    published = Article.objects.approved().get(slug="antibody-therapy-pm-dm")
    topic = Topic.objects.get(slug="myositis-treatment")
    groups = []
    for number in range(4):
        question = services.ask(
            text=f"{WORDS} {number}: <b>is</b> [my](http://x.example) dose right?",
            asker="patient",
            page=published.get_absolute_url(),
            email=ADDRESS,
        )
        groups.append(question.group)
    with django_capture_on_commit_callbacks(execute=True):
        planned = services.plan_article(
            group=groups[0],
            topic=topic,
            title="Exercise in myositis",
            slug="exercise-in-myositis",
            outline="Training helps.",
            user=author,
        )
        approve_through_review(planned, reviewer=reviewer)
        services.answer_with_content(group=groups[1], article=published, user=author)
        services.decline(group=groups[2], reason="personal_advice", user=author)
    return {"planned": planned, "published": published, "groups": groups}


def assert_private(url, response):
    text = response.content.decode("utf-8", "replace")
    assert WORDS.lower() not in text.lower(), url
    assert ADDRESS not in text, url


def public_urls(client, data):
    urls = {
        "/",
        "/topics/myositis-treatment/",
        "/literature/",
        "/literature/export.ris",
        "/literature/export.bib",
        "/literature/export.json",
        "/feeds/articles/",
        "/feeds/updates/",
        "/feeds/notices/",
        "/feeds/literature/",
        "/sitemap.xml",
        "/search/?q=dose+right",
        "/search/?q=dose",
        "/questions/ask/",
        "/questions/sent/",
        "/editorial-policy/",
    }
    for article in (data["planned"], data["published"]):
        url = article.get_absolute_url()
        urls |= {url, f"{url}?version=plain", f"{url}?version=clinical"}
        urls.add(f"{url}changes/")
    sitemap = client.get("/sitemap.xml").content.decode()
    urls |= {
        re.sub(r"^https?://[^/]+", "", loc)
        for loc in re.findall(r"<loc>(.*?)</loc>", sitemap)
    }
    return sorted(urls)


def test_no_public_page_feed_export_or_api_answer_shows_a_question(asked):
    reader = Client()
    urls = public_urls(reader, asked)
    assert len(urls) > 15
    for url in urls:
        response = reader.get(url)
        assert response.status_code == 200, url
        assert_private(url, response)
    for url in walk(reader):
        assert_private(url, reader.get(url.removeprefix("http://testserver")))


def test_the_group_pages_are_for_editors_and_the_board_only(asked):
    url = asked["groups"][3].get_absolute_url()
    assert Client().get(url).status_code == 302
    assert Client().get("/editorial/questions/").status_code == 302


def test_only_administrators_see_questions_in_the_admin(asked, admin_client):
    for person in (editor(), board_member()):
        client = Client()
        client.force_login(person)
        index = client.get("/admin/").content.decode()
        assert "question" not in index.lower()
        assert client.get("/admin/questions/questiongroup/").status_code == 403
    page = admin_client.get("/admin/questions/questiongroup/").content.decode()
    assert WORDS in page


def test_no_address_is_left_once_the_group_is_closed(asked):
    for group in asked["groups"][:3]:
        group.refresh_from_db()
        assert group.status in QuestionGroup.CLOSED
        assert not group.questions.exclude(email="").exists()
    assert asked["groups"][3].questions.get().email == ADDRESS


def test_robots_are_asked_to_keep_out_of_the_question_pages(client):
    text = client.get("/robots.txt").content.decode()
    assert "Disallow: /questions/" in text
