"""Cite this page, download references, and the trust and freshness block."""

import datetime

import pytest
from django.urls import reverse

from articles.models import ApprovedVersion
from portal.citing import cite_page
from tests.factories import (
    ReferenceFactory,
    UserFactory,
    approve_through_review,
    make_article,
)

pytestmark = pytest.mark.django_db


def test_cite_page_in_ama_and_vancouver(settings):
    settings.PORTAL_NAME = "Myositis Knowledge Portal"
    cited = cite_page(
        title="Choosing antibody therapies",
        url="https://example.org/articles/x/",
        updated=datetime.date(2025, 5, 3),
        accessed=datetime.date(2025, 6, 1),
    )
    assert cited["ama"] == (
        "Myositis Knowledge Portal Editorial Board. Choosing antibody therapies. "
        "Myositis Knowledge Portal. Updated May 3, 2025. Accessed June 1, 2025. "
        "https://example.org/articles/x/"
    )
    assert cited["vancouver"] == (
        "Myositis Knowledge Portal Editorial Board. Choosing antibody therapies "
        "[Internet]. Myositis Knowledge Portal; 2025 [updated 2025 May 3; cited "
        "2025 Jun 1]. Available from: https://example.org/articles/x/"
    )


def test_ris_download_has_one_record_per_cited_reference(client):
    ReferenceFactory(
        citation_key="oddis-2013",
        kind="trial",
        title="Rituximab in\nmyositis",
        authors="Oddis, Chester\nAggarwal, Rohit",
        source="Arthritis Rheum",
        year=2013,
        month=2,
        volume="65",
        issue="2",
        pages="314-324",
        doi="10.1002/art.37754",
        pmid="23124935",
    )
    ReferenceFactory(
        citation_key="news-2024", kind="news", title="News item", year=2024
    )
    make_article(
        slug="rtx", body="Trial [@oddis-2013] and news [@news-2024].", approve=True
    )
    url = reverse("portal:article-references-ris", kwargs={"slug": "rtx"})
    ris = client.get(url).content.decode()
    records = ris.strip().split("ER  - ")
    assert len([r for r in records if r.strip()]) == 2
    assert "TY  - JOUR\r\n" in ris
    assert "AU  - Oddis, Chester\r\nAU  - Aggarwal, Rohit\r\n" in ris
    assert "TI  - Rituximab in myositis\r\n" in ris
    assert "DA  - 2013/02//\r\n" in ris
    assert "SP  - 314\r\nEP  - 324\r\n" in ris
    assert "DO  - 10.1002/art.37754\r\n" in ris
    assert "TY  - NEWS\r\n" in ris


def test_article_page_offers_citations_and_ris_download(client):
    ReferenceFactory(citation_key="oddis-2013", title="Rituximab trial")
    article = make_article(
        slug="rtx", title="Rituximab", body="Works [@oddis-2013].", approve=True
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Cite this page" in html
    assert "Editorial Board. Rituximab. " in html
    assert "[Internet]" in html
    ris_url = reverse("portal:article-references-ris", kwargs={"slug": "rtx"})
    assert ris_url in html
    response = client.get(ris_url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/x-research-info-systems")
    assert 'filename="rtx-references.ris"' in response["Content-Disposition"]
    assert "TI  - Rituximab trial" in response.content.decode()


def test_ris_of_a_draft_is_not_found(client):
    article = make_article(slug="draft")
    url = reverse("portal:article-references-ris", kwargs={"slug": article.slug})
    assert client.get(url).status_code == 404


def test_trust_block_shows_review_facts_and_literature_date(client):
    ReferenceFactory(citation_key="old", year=2011)
    ReferenceFactory(citation_key="new", year=2024, month=7)
    board = UserFactory(first_name="Bao", last_name="Board", groups=["Editorial Board"])
    article = make_article(body="A [@old] and B [@new].")
    approve_through_review(article, reviewer=board)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Last reviewed" in html
    assert '<dd class="trust__reviewer">Bao Board</dd>' in html
    assert "Next review due" in html
    assert "Literature current through" in html and "July 2024" in html
    assert "Medical disclaimer" in html
    assert reverse("portal:editorial-policy") in html
    assert "may be out of date" not in html


def test_overdue_review_warns_the_reader(client):
    article = make_article(approve=True)
    ApprovedVersion.objects.filter(pk=article.live_id).update(
        next_review_due=datetime.date(2000, 1, 1)
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert "may be out of date" in html
    assert "Overdue" in html
