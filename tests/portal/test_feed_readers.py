"""Every Atom feed as a feed reader reads it (feedparser): a feed id of its
own, entry ids that never change with the request's Host header, an empty
feed's <updated> that is the same on every request, and one <author> per
author of a publication."""

import datetime

import feedparser
import pytest
from django.urls import reverse

from references.feeds import EMPTY_FEED_UPDATED
from tests.factories import EntryFactory, ReferenceFactory, make_article

pytestmark = pytest.mark.django_db

SITE = "https://myositis.example.org"


@pytest.fixture(autouse=True)
def _site(settings, no_page_cache):
    settings.PORTAL_SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["testserver", "mirror.example.net"]


def read(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, url
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, (url, parsed.get("bozo_exception"))
    return parsed


def every_feed(slug):
    return [
        reverse("references:feed"),
        reverse("references:topic-feed", args=[slug]),
        reverse("portal:feed-articles"),
        reverse("portal:feed-notices"),
        reverse("portal:feed-updates"),
        reverse("portal:feed-updates") + "?class=practice-changing",
    ]


def test_each_feed_has_an_id_of_its_own_on_the_sites_address(client):
    entry = EntryFactory()
    urls = every_feed(entry.section.topic.slug)
    ids = [read(client, url).feed.id for url in urls]
    assert len(set(ids)) == len(urls), ids
    assert ids == [SITE + url for url in urls]


def test_entry_ids_are_tag_uris_whatever_host_the_request_named(client):
    reference = ReferenceFactory(title="A paper")
    EntryFactory(reference=reference)
    article = make_article(approve=True)
    for url, thing in (
        (reverse("references:feed"), f"reference/{reference.pk}"),
        (reverse("portal:feed-articles"), f"article/{article.pk}"),
    ):
        here = read(client, url)
        mirrored = read(client, url, HTTP_HOST="mirror.example.net")
        [entry] = here.entries
        assert [e.id for e in mirrored.entries] == [entry.id]
        assert entry.id.startswith("tag:myositis.example.org,")
        assert entry.id.endswith(f":{thing}")
        # The link still leads to the page.
        assert entry.link.endswith(
            reference.get_absolute_url()
            if "ref" in thing
            else article.get_absolute_url()
        )


def test_an_article_keeps_its_entry_id_when_approved_again(client):
    from tests.factories import approve_through_review

    article = make_article(approve=True)
    before = read(client, reverse("portal:feed-articles")).entries[0].id
    article.summary = "A new summary."
    from articles import services

    services.save_article(article=article, user=article.author)
    approve_through_review(article)
    after = read(client, reverse("portal:feed-articles")).entries[0]
    assert after.id == before
    assert after.summary == "A new summary."


def test_an_empty_feed_is_updated_at_a_fixed_instant_not_the_request(client):
    first = read(client, reverse("references:feed"))
    second = read(client, reverse("portal:feed-notices"))
    assert first.entries == [] and second.entries == []
    fixed = EMPTY_FEED_UPDATED.utctimetuple()
    assert first.feed.updated_parsed == second.feed.updated_parsed == fixed
    assert datetime.datetime.now(
        datetime.UTC
    ) - EMPTY_FEED_UPDATED > datetime.timedelta(1)


def test_a_feed_with_entries_is_updated_when_its_newest_entry_was(client):
    reference = ReferenceFactory()
    feed = read(client, reverse("references:feed"))
    assert feed.feed.updated_parsed == feed.entries[0].updated_parsed
    assert feed.entries[0].updated_parsed[:6] == reference.updated_at.utctimetuple()[:6]


def test_each_author_of_a_reference_is_an_author_of_its_entry(client):
    ReferenceFactory(
        authors="Oddis, Chester V\nReed, Ann M\nRIM Study Group",
        authors_incomplete=True,
    )
    ReferenceFactory(authors="")
    feed = read(client, reverse("references:feed"))
    by_authors = sorted([a.name for a in e.authors] for e in feed.entries)
    assert by_authors == [
        ["Myositis Knowledge Portal editorial board"],
        ["Oddis, Chester V", "Reed, Ann M", "RIM Study Group"],
    ]
