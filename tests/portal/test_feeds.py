"""Every Atom feed: summaries escaped once, authors as RFC 4287 requires."""

import html
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from tests.factories import EntryFactory, ReferenceFactory, make_article

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE = "Below < 5 mg, ask AT&T <img src=x onerror=alert(1)> & stop"


@pytest.fixture
def feeds():
    article = make_article(summary=HOSTILE, approve=True)
    reference = ReferenceFactory(summary=HOSTILE, authors="")
    entry = EntryFactory(reference=reference)
    return [
        reverse("portal:feed-articles"),
        reverse("portal:feed-updates"),
        reverse("references:feed"),
        reverse("references:topic-feed", args=[entry.section.topic.slug]),
    ], article


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return ElementTree.fromstring(response.content)


def test_summaries_reach_the_reader_as_the_characters_written(client, feeds):
    urls, _article = feeds
    for url in urls:
        summaries = [
            entry.find(f"{ATOM}summary")
            for entry in parse(client, url).iter(f"{ATOM}entry")
        ]
        assert summaries, url
        for summary in summaries:
            assert summary.get("type") == "html"
            # The reader renders the summary as HTML: what it shows is the text.
            assert "<img" not in summary.text, url
            assert HOSTILE in html.unescape(summary.text), url


def test_every_feed_and_entry_has_an_author(client, feeds):
    urls, _article = feeds
    for url in urls:
        feed = parse(client, url)
        name = feed.find(f"{ATOM}author/{ATOM}name")
        assert name is not None and "editorial board" in name.text, url
        entries = list(feed.iter(f"{ATOM}entry"))
        assert entries, url
        for entry in entries:
            author = entry.find(f"{ATOM}author/{ATOM}name")
            assert author is not None and author.text.strip(), url
