"""Anonymous pages come from the cache until what they show changes."""

from unittest import mock

import pytest
from django.core.cache import cache
from django.utils.http import http_date

from articles import services
from portal import audience, page_cache
from references.models import Reference
from tests.factories import (
    EntryFactory,
    ReferenceFactory,
    SectionFactory,
    TopicFactory,
    approve_through_review,
    editor,
    make_article,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic_page():
    topic = TopicFactory(title="Myositis treatment", slug="myositis-treatment")
    reference = ReferenceFactory(
        title="Rituximab in refractory myositis", summary="Old summary."
    )
    EntryFactory(section=SectionFactory(topic=topic), reference=reference)
    article = make_article(
        topic=topic,
        slug="antibodies",
        body=f"First approved text [@{reference.citation_key}].",
        is_overview=True,
        approve=True,
    )
    return topic.get_absolute_url(), reference, article


def test_second_anonymous_request_is_served_from_cache_without_queries(
    client, topic_page, django_assert_num_queries
):
    url, _, _ = topic_page
    first = client.get(url)
    assert first["X-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second["X-Cache"] == "hit"
    assert second.content == first.content
    assert "no-cache" in second["Cache-Control"]
    assert "Cookie" in second["Vary"]


def test_approval_invalidates_the_article_page(client, topic_page):
    _, _, article = topic_page
    url = article.get_absolute_url()
    assert b"First approved text" in client.get(url).content
    article.body = "Second approved text."
    services.save_article(article=article, user=article.author)
    approve_through_review(article)
    response = client.get(url)
    assert response["X-Cache"] == "miss"
    assert b"Second approved text" in response.content
    assert b"First approved text" not in response.content


def test_a_draft_of_an_unpublished_article_leaves_the_cache_alone(client, topic_page):
    url, _, _ = topic_page
    client.get(url)
    make_article(topic=Reference.objects.first().entries.first().section.topic)
    assert client.get(url)["X-Cache"] == "hit"


def test_reference_edit_invalidates_the_topic_page(client, topic_page):
    url, reference, _ = topic_page
    assert b"Old summary." in client.get(url).content
    reference.summary = "New summary."
    reference.save()
    assert b"New summary." in client.get(url).content


def test_link_checker_marking_a_link_expired_shows_at_once(client, topic_page):
    url, reference, _ = topic_page
    assert b"Expired link" not in client.get(url).content
    reference.link_status = Reference.LinkStatus.EXPIRED
    reference.save(update_fields=["link_status"])
    assert b"Expired link" in client.get(url).content


def test_deleting_an_article_invalidates(client, topic_page):
    _, _, article = topic_page
    url = article.get_absolute_url()
    assert client.get(url).status_code == 200
    article.delete()
    assert client.get(url).status_code == 404


def test_logged_in_editor_never_gets_a_cached_page(client, topic_page):
    url, reference, _ = topic_page
    client.get(url)  # cached for readers
    client.force_login(editor())
    response = client.get(url)
    assert "X-Cache" not in response
    assert "private" in response["Cache-Control"]
    # ...and an editor's page is never stored for readers.
    client.logout()
    client.cookies.clear()
    assert client.get(url)["X-Cache"] == "hit"


def test_page_for_an_editor_is_never_stored_for_readers(client, topic_page):
    url, _, _ = topic_page
    client.force_login(editor())
    client.get(url)
    client.logout()
    client.cookies.clear()
    assert client.get(url)["X-Cache"] == "miss"


def test_audience_cookie_is_part_of_the_key(client, topic_page):
    _, _, article = topic_page
    url = article.get_absolute_url()
    clinical = client.get(url)
    client.cookies[audience.COOKIE] = audience.Audience.PATIENT
    patient = client.get(url)
    assert patient["X-Cache"] == "miss"
    assert client.get(url)["X-Cache"] == "hit"
    del client.cookies[audience.COOKIE]
    again = client.get(url)
    assert again["X-Cache"] == "hit"
    assert again.content == clinical.content


def test_responses_setting_cookies_are_not_cached(client, db):
    client.get("/admin/login/")
    response = client.get("/admin/login/")
    assert "X-Cache" not in response


def test_if_none_match_gets_304(client, topic_page):
    url, _, _ = topic_page
    etag = client.get(url)["ETag"]
    response = client.get(url, headers={"if-none-match": etag})
    assert response.status_code == 304
    assert response.content == b""


def test_if_modified_since_gets_304_until_something_changes(client, topic_page):
    url, reference, _ = topic_page
    last_modified = client.get(url)["Last-Modified"]
    assert (
        client.get(url, headers={"if-modified-since": last_modified}).status_code == 304
    )
    reference.title = "Renamed"
    reference.save()
    response = client.get(url, headers={"if-modified-since": http_date(0)})
    assert response.status_code == 200


def test_cache_can_be_switched_off(client, topic_page, no_page_cache):
    url, _, _ = topic_page
    client.get(url)
    assert "X-Cache" not in client.get(url)


def test_an_invalidation_made_by_another_worker_is_seen_at_once(client, topic_page):
    url, _, _ = topic_page
    client.get(url)
    assert client.get(url)["X-Cache"] == "hit"
    # Another worker's approval changes only the shared generation; the pages
    # this worker keeps in its own memory are no longer found.
    cache.set(page_cache.GENERATION_KEY, "1800000000.0", timeout=None)
    response = client.get(url)
    assert response["X-Cache"] == "miss"
    assert response["Last-Modified"] == http_date(1800000000.0)


def test_a_hit_is_answered_before_the_session_and_keeps_every_header(
    client, topic_page
):
    url, _, _ = topic_page
    first = client.get(url)
    with (
        mock.patch(
            "django.contrib.sessions.middleware.SessionMiddleware.process_request",
            side_effect=AssertionError("the session middleware ran"),
        ),
        mock.patch(
            "csp.middleware.CSPMiddleware.process_response",
            side_effect=AssertionError("the CSP was built again"),
        ),
    ):
        second = client.get(url)
    assert second["X-Cache"] == "hit"
    for header in (
        "Content-Security-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Content-Language",
    ):
        assert second[header] == first[header], header
