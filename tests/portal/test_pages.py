"""Every public page, as an anonymous reader sees it."""

import re

import pytest
from django.urls import reverse

from articles import services
from references.models import Reference
from tests.factories import (
    EntryFactory,
    ReferenceFactory,
    SectionFactory,
    TopicFactory,
    editor,
    make_article,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic():
    return TopicFactory(title="Myositis treatment", slug="myositis-treatment")


@pytest.fixture
def live_article(topic):
    ReferenceFactory(citation_key="marie-2011", title="Therapy of polymyositis")
    return make_article(
        topic=topic,
        slug="antibodies",
        title="Antibody therapy",
        summary="Rituximab or IVIG?",
        body="## Rituximab\n\nPreferred when refractory [@marie-2011].",
        is_overview=True,
        approve=True,
    )


def test_home_lists_topics_and_recently_reviewed_articles(client, live_article):
    draft = make_article(topic=live_article.topic, title="Secret draft", slug="d")
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    assert b"Myositis treatment" in response.content
    assert b"Antibody therapy" in response.content
    assert draft.title.encode() not in response.content


def test_topic_page_shows_overview_beside_literature_by_section(client, live_article):
    topic = live_article.topic
    biologics = SectionFactory(topic=topic, title="Biological Agents", position=1)
    ivig = SectionFactory(topic=topic, title="IVIg", position=2)
    SectionFactory(topic=topic, title="Empty section", position=3)
    EntryFactory(
        section=biologics,
        reference=ReferenceFactory(
            title="Rituximab in anti-MDA5 dermatomyositis",
            summary="Rituximab may help RP-ILD.",
            source="Clin Rheumatol",
            kind=Reference.Kind.RESEARCH,
        ),
    )
    EntryFactory(
        section=ivig,
        reference=ReferenceFactory(
            title="A 21-year retrospective study",
            link_status=Reference.LinkStatus.EXPIRED,
        ),
    )
    related = TopicFactory(title="Interleukins", slug="interleukins")
    EntryFactory(section=SectionFactory(topic=related))
    empty = TopicFactory(title="Empty topic", slug="empty-topic")
    topic.also_see.add(related, empty)

    response = client.get(topic.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Antibody therapy" in html and "Rituximab or IVIG?" in html
    assert html.index("Biological Agents") < html.index("IVIg")
    assert "Rituximab in anti-MDA5 dermatomyositis" in html
    assert "Rituximab may help RP-ILD." in html
    assert "Clin Rheumatol" in html and "Research" in html
    assert "Expired link" in html
    assert "Empty section" not in html
    assert related.get_absolute_url() in html
    assert empty.get_absolute_url() not in html


def test_topic_page_without_approved_overview_hides_the_draft(client, topic):
    make_article(topic=topic, title="Unreviewed overview", is_overview=True)
    response = client.get(topic.get_absolute_url())
    assert response.status_code == 200
    assert b"Unreviewed overview" not in response.content
    assert b"still being reviewed" in response.content


def test_article_page_shows_live_text_citations_and_disclaimer(client, live_article):
    response = client.get(live_article.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Antibody therapy</h1>" in html
    assert 'href="#ref-1" id="cite-1-1"' in html
    assert '<li id="ref-1" value="1">' in html
    assert "Therapy of polymyositis" in html
    assert 'href="#cite-1-1"' in html  # the list entry links back
    assert "Last reviewed" in html and "Medical disclaimer" in html
    assert "Approved" in html


def test_unapproved_article_is_not_found(client, topic):
    draft = make_article(topic=topic, title="Draft only", slug="draft-only")
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 404
    assert b"Draft only" not in response.content


def test_article_page_keeps_approved_text_while_a_new_draft_is_written(
    client, live_article
):
    live_article.body = "A completely new unreviewed claim."
    services.save_article(article=live_article, user=live_article.author)
    response = client.get(live_article.get_absolute_url())
    assert b"Preferred when refractory" in response.content
    assert b"unreviewed claim" not in response.content


def test_literature_list_filters_by_topic_section_and_kind(client, topic):
    section = SectionFactory(topic=topic)
    guideline = ReferenceFactory(title="The guideline", kind="guideline")
    EntryFactory(section=section, reference=guideline)
    ReferenceFactory(title="Unlisted case report", kind="case_report")
    url = reverse("references:list")

    assert b"Unlisted case report" in client.get(url).content
    by_topic = client.get(url, {"topic": topic.slug}).content
    assert b"The guideline" in by_topic and b"Unlisted case report" not in by_topic
    by_section = client.get(url, {"section": section.pk}).content
    assert b"The guideline" in by_section
    by_kind = client.get(url, {"kind": "case_report"}).content
    assert b"Unlisted case report" in by_kind and b"The guideline" not in by_kind


def test_literature_list_ignores_nonsense_filters(client):
    ReferenceFactory(title="Still listed")
    response = client.get(
        reverse("references:list"),
        {"kind": "<script>", "topic": "nope", "section": "x"},
    )
    assert response.status_code == 200
    assert b"Still listed" in response.content
    assert b"<script>" not in response.content


def test_literature_list_is_paginated(client, settings):
    ReferenceFactory.create_batch(30)
    url = reverse("references:list")
    first = client.get(url)
    assert first.context["page_obj"].paginator.num_pages == 2
    assert b"Next page" in first.content
    assert client.get(url, {"page": 2}).status_code == 200
    assert client.get(url, {"page": 99}).status_code == 404


def test_reference_page_shows_identifiers_and_where_it_is_listed(client):
    entry = EntryFactory(
        reference=ReferenceFactory(
            title="IL-18 in myositis", doi="10.1093/rheumatology/x", pmid="30099999"
        )
    )
    response = client.get(entry.reference.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "IL-18 in myositis" in html
    assert "https://doi.org/10.1093/rheumatology/x" in html
    assert "https://pubmed.ncbi.nlm.nih.gov/30099999/" in html
    assert entry.section.title in html


def test_editorial_policy_explains_the_review(client):
    response = client.get(reverse("portal:editorial-policy"))
    assert response.status_code == 200
    assert b"Under review" in response.content


@pytest.mark.parametrize(
    "url",
    [
        "/topics/no-such-topic/",
        "/articles/no-such-article/",
        "/references/999999/",
        "/no/such/page/",
    ],
)
def test_unknown_address_gets_the_sites_404_page(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert b"We could not find that page" in response.content
    assert b"Traceback" not in response.content
    assert b'class="site-header"' in response.content


def test_reference_page_shows_authors_journal_and_links_but_key_only_to_editors(
    client,
):
    reference = ReferenceFactory(
        title="Trial of Intravenous Immune Globulin in Dermatomyositis.",
        authors="\n".join(f"Author{n}, A" for n in range(1, 9)),
        source="N Engl J Med",
        year=2022,
        volume="387",
        issue="14",
        pages="1264-1278",
        doi="10.1056/nejmoa2117912",
        pmid="36198179",
        citation_key="aggarwal-2022",
    )
    html = client.get(reference.get_absolute_url()).content.decode()
    facts = html[html.index('class="facts"') :]
    assert "Author6, A, et al." in facts and "Author7" not in facts
    assert "N Engl J Med" in html and "Volume 387, issue 14, pages 1264-1278" in html
    assert 'href="https://doi.org/10.1056/nejmoa2117912"' in html
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/36198179/"' in html
    assert "aggarwal-2022" not in html
    client.force_login(editor())
    assert "aggarwal-2022" in client.get(reference.get_absolute_url()).content.decode()


def test_literature_entry_title_links_to_its_source_with_a_pubmed_link(client):
    doi_only = ReferenceFactory(
        title="Has a DOI", url="", doi="10.1000/one", pmid="123"
    )
    url_first = ReferenceFactory(
        title="Has a page", url="https://example.org/paper", doi="10.1000/two"
    )
    pubmed_only = ReferenceFactory(title="Has a PMID", url="", pmid="456")
    html = client.get("/literature/").content.decode()
    assert f'href="https://doi.org/10.1000/one" rel="noopener">{doi_only.title}' in html
    assert f'href="https://example.org/paper" rel="noopener">{url_first.title}' in html
    pubmed = "https://pubmed.ncbi.nlm.nih.gov/456/"
    assert f'href="{pubmed}" rel="noopener">{pubmed_only.title}' in html
    assert 'class="ref-pubmed" href="https://pubmed.ncbi.nlm.nih.gov/123/"' in html


def test_article_page_has_contents_preselected_audience_and_whole_second_dates(
    client, live_article
):
    html = client.get(live_article.get_absolute_url()).content.decode()
    assert 'aria-labelledby="contents-heading"' not in html  # one section only
    services_article = live_article
    services_article.body = "## First\n\nA [@marie-2011].\n\n## Second\n\nB."
    services.save_article(article=services_article, user=None, comment="")
    from articles import workflow

    workflow.record_approval(article=services_article, approved_by=None, comment="")
    html = client.get(live_article.get_absolute_url()).content.decode()
    contents = html[html.index('id="contents-heading"') :]
    assert contents.index('href="#h-first"') < contents.index('href="#h-second"')
    assert 'value="clinician" checked' in html
    assert 'value="patient" checked' not in html
    for value in re.findall(r'datetime="([^"]+)"', html):
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", value), value


def test_paginated_list_keeps_its_page_in_the_canonical_link(client, settings):
    ReferenceFactory.create_batch(settings.PORTAL_PAGE_SIZE + 1)
    html = client.get("/literature/?page=2&kind=").content.decode()
    assert '<link rel="canonical" href="http://testserver/literature/?page=2">' in html
    html = client.get("/literature/?page=1").content.decode()
    assert '<link rel="canonical" href="http://testserver/literature/">' in html


def test_every_page_has_a_favicon_and_an_og_image(client):
    html = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html
    assert (
        '<meta property="og:image" content="http://testserver/static/img/og-image.png">'
        in html
    )
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/favicon.svg"
