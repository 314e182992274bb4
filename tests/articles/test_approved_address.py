"""The public address, topic and overview flag are approved with the text.

An editor's draft may propose a new slug, topic or overview flag; readers,
the sitemap, the feed and topic pages keep the approved values until the
board approves the change. A renamed article's old address then answers 301.
"""

import pytest
from django.urls import reverse

from articles.models import Article
from portal.views import TopicContents
from tests.articles.test_editorial_views import browser_form
from tests.factories import TopicFactory, approve_through_review, editor, make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def writer():
    return editor()


def edit_in_browser(client, writer, article, **changes):
    client.force_login(writer)
    response = client.post(
        reverse("editorial:edit", args=[article.pk]), browser_form(article, **changes)
    )
    assert response.status_code == 302, response.content.decode()
    client.logout()
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    return article


def public_listing(client):
    """What anonymous readers and crawlers are told about articles."""
    return (
        client.get("/sitemap-articles.xml").content.decode()
        + client.get(reverse("portal:feed-articles")).content.decode()
    )


def test_a_draft_slug_is_not_public_until_approved_then_the_old_one_redirects(
    client, writer
):
    article = make_article(slug="ivig-dosing", author=writer, approve=True)
    edit_in_browser(client, writer, article, slug="ivig-dose-and-timing")

    assert client.get("/articles/ivig-dosing/").status_code == 200
    assert client.get("/articles/ivig-dose-and-timing/").status_code == 404
    listing = public_listing(client)
    assert "/articles/ivig-dosing/" in listing
    assert "ivig-dose-and-timing" not in listing
    topic_page = client.get(article.topic.get_absolute_url()).content.decode()
    assert "/articles/ivig-dosing/" in topic_page

    approve_through_review(article)
    assert client.get("/articles/ivig-dose-and-timing/").status_code == 200
    old = client.get("/articles/ivig-dosing/")
    assert old.status_code == 301
    assert old["Location"] == "/articles/ivig-dose-and-timing/"
    listing = public_listing(client)
    assert "/articles/ivig-dose-and-timing/" in listing
    assert "/articles/ivig-dosing/" not in listing
    ris = client.get("/articles/ivig-dose-and-timing/references.ris")
    assert ris.status_code == 200


def test_a_draft_topic_is_not_public_until_approved(client, writer):
    old_topic, new_topic = TopicFactory(), TopicFactory()
    article = make_article(
        title="Steroid sparing", topic=old_topic, author=writer, approve=True
    )
    edit_in_browser(client, writer, article, topic=str(new_topic.pk))

    assert (
        "Steroid sparing" in client.get(old_topic.get_absolute_url()).content.decode()
    )
    assert (
        "Steroid sparing"
        not in client.get(new_topic.get_absolute_url()).content.decode()
    )
    feed = client.get(reverse("portal:feed-articles")).content.decode()
    assert f'term="{old_topic.title}"' in feed and new_topic.title not in feed
    page = client.get(article.get_absolute_url()).content.decode()
    assert old_topic.get_absolute_url() in page
    assert new_topic.get_absolute_url() not in page

    approve_through_review(article)
    assert (
        "Steroid sparing"
        not in client.get(old_topic.get_absolute_url()).content.decode()
    )
    assert (
        "Steroid sparing" in client.get(new_topic.get_absolute_url()).content.decode()
    )


def test_a_draft_overview_flag_is_not_public_until_approved(client, writer):
    topic = TopicFactory()
    article = make_article(
        title="Exercise in myositis", topic=topic, author=writer, approve=True
    )
    edit_in_browser(client, writer, article, is_overview="on")
    assert article.is_overview

    assert TopicContents(topic).overview is None
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "Read the overview" not in page and "Exercise in myositis" in page

    approve_through_review(article)
    assert TopicContents(topic).overview == article
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "Read the overview" in page

    # Taking the flag away is a change the board approves too.
    edit_in_browser(client, writer, article, is_overview="")
    assert "Read the overview" in client.get(topic.get_absolute_url()).content.decode()


def test_a_slug_another_article_is_published_at_is_refused(client, writer):
    first = make_article(slug="rituximab", author=writer, approve=True)
    edit_in_browser(client, writer, first, slug="rituximab-in-myositis")
    second = make_article(slug="other", author=writer)
    client.force_login(writer)
    response = client.post(
        reverse("editorial:edit", args=[second.pk]),
        browser_form(second, slug="rituximab"),
    )
    assert response.status_code == 200
    assert "Another article is published at this address" in response.content.decode()
    assert client.get("/articles/rituximab/").status_code == 200
