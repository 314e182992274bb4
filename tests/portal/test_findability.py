"""Sitemap, robots.txt, feeds, canonical URLs, Open Graph and JSON-LD."""

import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import services
from portal.audience import COOKIE
from portal.sitemaps import ReferenceSitemap
from tests.factories import (
    EntryFactory,
    ReferenceFactory,
    SectionFactory,
    TopicFactory,
    make_article,
)

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
ATOM_NS = {"a": "http://www.w3.org/2005/Atom"}


def jsonld(html):
    blocks = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL
    )
    assert len(blocks) == 1
    return json.loads(blocks[0])


@pytest.fixture
def article():
    ReferenceFactory(citation_key="k", year=2020, month=3)
    return make_article(
        topic=TopicFactory(title="Dermatomyositis", slug="dm"),
        slug="ivig",
        title="IVIG in dermatomyositis </script><b>",
        summary="When IVIG helps.",
        body="IVIG helps [@k].",
        plain_body="Plain words.",
        plain_summary="In plain words.",
        approve=True,
    )


def test_article_jsonld_is_a_reviewed_medical_web_page(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    data = jsonld(html)
    version = article.live
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "MedicalWebPage"
    assert data["name"] == "IVIG in dermatomyositis </script><b>"
    assert data["url"] == "http://testserver/articles/ivig/"
    assert data["lastReviewed"] == version.approved_at.date().isoformat()
    assert data["reviewedBy"] == {
        "@type": "Person",
        "name": version.approved_by.get_full_name(),
    }
    assert data["audience"] == {"@type": "MedicalAudience", "audienceType": "Clinician"}
    # The condition the article names, not its topic's heading.
    assert data["about"] == [
        {"@type": "MedicalCondition", "name": "Dermatomyositis", "alternateName": "DM"}
    ]
    # The title cannot close the script element early: it is escaped.
    assert "IVIG in dermatomyositis \\u003C/script\\u003E\\u003Cb\\u003E" in html


def test_article_jsonld_names_the_patient_audience_for_plain_text(client, article):
    client.cookies[COOKIE] = "patient"
    data = jsonld(client.get(article.get_absolute_url()).content.decode())
    assert data["audience"]["audienceType"] == "Patient"
    assert data["description"] == "In plain words."


def test_reference_jsonld_is_a_scholarly_article(client):
    reference = ReferenceFactory(
        title="Rituximab trial",
        authors="Oddis, Chester\nAggarwal, Rohit",
        source="Arthritis Rheum",
        year=2013,
        month=2,
        doi="10.1002/art.37754",
        pmid="23124935",
    )
    data = jsonld(client.get(reference.get_absolute_url()).content.decode())
    assert data["@type"] == "ScholarlyArticle"
    assert data["name"] == "Rituximab trial"
    assert data["author"] == [
        {"@type": "Person", "name": "Oddis, Chester"},
        {"@type": "Person", "name": "Aggarwal, Rohit"},
    ]
    assert data["datePublished"] == "2013-02"
    assert data["isPartOf"] == {"@type": "Periodical", "name": "Arthritis Rheum"}
    assert "https://doi.org/10.1002/art.37754" in data["sameAs"]


def test_pages_have_canonical_url_title_description_and_open_graph(client, article):
    html = client.get(article.get_absolute_url(), {"version": "plain"}).content.decode()
    assert '<link rel="canonical" href="http://testserver/articles/ivig/">' in html
    assert "<title>IVIG in dermatomyositis &lt;/script&gt;&lt;b&gt; · " in html
    assert '<meta name="description" content="When IVIG helps.">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:title" content="IVIG in dermatomyositis' in html
    assert '<meta property="og:url" content="http://testserver/articles/ivig/">' in html
    assert 'rel="alternate" type="application/atom+xml"' in html


def sitemap_locations(client):
    """Every URL the sitemap index leads a crawler to, page by page."""
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    locations = set()
    for page in ET.fromstring(index.content).findall("s:sitemap/s:loc", SITEMAP_NS):
        response = client.get(page.text)
        assert response.status_code == 200
        root = ET.fromstring(response.content)
        locations |= {loc.text for loc in root.findall("s:url/s:loc", SITEMAP_NS)}
    return locations


def test_sitemap_lists_approved_content_only(client, article):
    draft = make_article(slug="secret-draft", title="Secret")
    reference = ReferenceFactory()
    locations = sitemap_locations(client)
    base = "http://testserver"
    assert base + "/" in locations
    assert base + article.get_absolute_url() in locations
    assert base + article.topic.get_absolute_url() in locations
    assert base + reference.get_absolute_url() in locations
    assert base + reverse("portal:editorial-policy") in locations
    assert base + reverse("portal:editorial-board") in locations
    assert base + draft.get_absolute_url() not in locations


def test_the_sitemap_index_pages_the_library_so_every_reference_is_listed(
    client, monkeypatch
):
    monkeypatch.setattr(ReferenceSitemap, "limit", 2)
    references = ReferenceFactory.create_batch(5)
    index = ET.fromstring(client.get("/sitemap.xml").content)
    pages = [loc.text for loc in index.findall("s:sitemap/s:loc", SITEMAP_NS)]
    base = "http://testserver/sitemap-references.xml"
    assert [page for page in pages if page.startswith(base)] == [
        base,
        base + "?p=2",
        base + "?p=3",
    ]
    assert client.get("/sitemap-references.xml?p=4").status_code == 404
    assert {
        "http://testserver" + reference.get_absolute_url() for reference in references
    } <= sitemap_locations(client)


def test_a_sitemap_page_and_the_index_cost_the_same_queries_whatever_the_size(
    client, no_page_cache, monkeypatch
):
    monkeypatch.setattr(ReferenceSitemap, "limit", 3)
    counts = []
    for batch in (4, 40):
        ReferenceFactory.create_batch(batch)
        with CaptureQueriesContext(connection) as index:
            client.get("/sitemap.xml")
        with CaptureQueriesContext(connection) as page:
            assert client.get("/sitemap-references.xml?p=2").status_code == 200
        counts.append((len(index), len(page)))
    assert counts[0] == counts[1]


def test_robots_txt_points_to_the_sitemap_and_keeps_out_of_admin(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Disallow: /admin/" in text
    assert "Disallow: /editorial/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_atom_feed_lists_approved_articles_as_approved(client, article):
    make_article(slug="draft", title="Draft in feed?")
    article.title = "Renamed in a draft"
    services.save_article(article=article, user=article.author)
    response = client.get(reverse("portal:feed-articles"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    titles = [e.text for e in root.findall("a:entry/a:title", ATOM_NS)]
    assert titles == ["IVIG in dermatomyositis </script><b>"]
    link = root.find("a:entry/a:link", ATOM_NS).get("href")
    assert link.endswith("/articles/ivig/")


def test_search_results_page_is_not_indexed(client):
    html = client.get(reverse("portal:search"), {"q": "x"}).content.decode()
    assert '<meta name="robots" content="noindex">' in html
    assert 'rel="canonical"' not in html


def test_every_page_has_a_search_box_in_the_header(client):
    html = client.get("/").content.decode()
    assert '<form class="site-search" role="search"' in html
    assert '<label class="visually-hidden" for="site-search-q">' in html


def test_group_authors_are_organizations_and_et_al_is_not_an_author(client):
    reference = ReferenceFactory(
        authors="Oddis, C. V.\nRIM Study Group",
        authors_incomplete=True,
        title="Rituximab in the treatment of refractory adult and juvenile "
        "dermatomyositis and adult polymyositis: a randomized, placebo-phase "
        "trial with a title long enough to be shortened",
    )
    data = jsonld(client.get(reference.get_absolute_url()).content.decode())
    assert data["author"] == [
        {"@type": "Person", "name": "Oddis, C. V."},
        {"@type": "Organization", "name": "RIM Study Group"},
    ]
    # Shortened at a word boundary, never mid-word.
    assert data["headline"].endswith("…") and len(data["headline"]) <= 110
    assert reference.title.startswith(data["headline"][:-1])
    assert reference.title[len(data["headline"]) - 1] == " "


def test_article_about_names_each_condition_in_its_title(client):
    article = make_article(
        title="Choosing antibody therapies in polymyositis and dermatomyositis",
        topic=TopicFactory(title="Treatment of myositis"),
        approve=True,
    )
    data = jsonld(client.get(article.get_absolute_url()).content.decode())
    assert [c["name"] for c in data["about"]] == ["Polymyositis", "Dermatomyositis"]
    assert {c["@type"] for c in data["about"]} == {"MedicalCondition"}


def test_topic_page_is_a_collection_page_listing_its_literature(client, article):
    topic = article.topic
    overview = make_article(
        topic=topic, slug="overview", title="Overview", is_overview=True, approve=True
    )
    section = SectionFactory(topic=topic)
    first = EntryFactory(section=section, position=0).reference
    second = EntryFactory(section=section, position=1).reference
    data = jsonld(client.get(topic.get_absolute_url()).content.decode())
    assert data["@type"] == "CollectionPage"
    assert data["name"] == "Dermatomyositis"
    assert data["hasPart"]["url"] == "http://testserver" + overview.get_absolute_url()
    items = data["mainEntity"]["itemListElement"]
    assert [(i["position"], i["name"]) for i in items] == [
        (1, first.title),
        (2, second.title),
    ]
    assert items[0]["url"] == "http://testserver" + first.get_absolute_url()


def test_every_page_has_an_og_image(client, article):
    for url in ("/", "/literature/", article.get_absolute_url(), "/search/?q=x"):
        html = client.get(url).content.decode()
        assert '<meta property="og:image" content="http://testserver/static/' in html
