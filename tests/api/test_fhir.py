"""The recommendations and literature as FHIR R5, as the EBMonFHIR guide
profiles them; every resource validates (tests/api/conftest.check_fhir)."""

import datetime

import pytest

from references.models import ReferenceNotice, Topic
from tests.factories import (
    ACK,
    EntryFactory,
    ReferenceFactory,
    SectionFactory,
    make_article,
)

from .conftest import check_fhir

pytestmark = pytest.mark.django_db

BASE = "http://testserver/api/v1/fhir/"
EBM = "https://fevir.net/resources/CodeSystem/179423"
RJCS = "https://fevir.net/resources/CodeSystem/27834"
BODY = """Introduction [@trial].

/// recommendation | strength=conditional certainty=very-low
We suggest rituximab [@trial; @review].
///

/// recommendation | strength=strong certainty=moderate
We recommend IVIG [@review].
///

/// good-practice
Examine the heart.
///

An unplaced report [@waiting].
"""


@pytest.fixture
def library():
    topic = Topic.objects.create(title="Myositis", slug="myositis")
    section = SectionFactory(topic=topic)
    trial = ReferenceFactory(
        citation_key="trial",
        kind="trial",
        title="A randomised trial of rituximab",
        authors="Oddis, Chester V\nReed, Ann M",
        authors_incomplete=True,
        source="Arthritis Rheum",
        year=2013,
        month=2,
        volume="65",
        issue="2",
        pages="314-24",
        doi="10.1002/art.37754",
        pmid="23124935",
    )
    review = ReferenceFactory(citation_key="review", kind="systematic-review")
    waiting = ReferenceFactory(citation_key="waiting", title="Waiting in the inbox")
    waiting.inbox_topic = topic
    waiting.save()
    for reference in (trial, review):
        EntryFactory(section=section, reference=reference)
    article = make_article(
        topic=topic, body=BODY, slug="antibodies", approve=True, approval_comment=ACK
    )
    return {
        "topic": topic,
        "article": article,
        "trial": trial,
        "review": review,
        "waiting": waiting,
    }


def entry(section, code):
    return next(
        s
        for s in section
        if s.get("code", {}).get("coding", [{}])[0].get("code") == code
    )


def test_a_reference_is_a_citation_with_its_identifiers_and_notices(client, library):
    trial = library["trial"]
    ReferenceNotice.objects.create(
        reference=trial,
        kind="retraction",
        source="crossref",
        date=datetime.date(2024, 3, 12),
        doi="10.1002/art.99999",
        reason="Data could not be verified.",
    )
    ReferenceNotice.objects.create(reference=trial, kind="correction", source="pubmed")
    data = check_fhir(client.get(f"/api/v1/fhir/Citation/{trial.pk}"))
    cited = data["citedArtifact"]
    assert {(i["system"], i["value"]) for i in cited["identifier"]} == {
        ("https://doi.org", "10.1002/art.37754"),
        ("https://pubmed.ncbi.nlm.nih.gov", "23124935"),
    }
    assert cited["title"][0]["text"] == "A randomised trial of rituximab"
    assert [e["contributor"]["display"] for e in cited["contributorship"]["entry"]] == [
        "Oddis, Chester V",
        "Reed, Ann M",
    ]
    assert cited["contributorship"]["complete"] is False
    form = cited["publicationForm"][0]
    assert form["publishedIn"]["title"] == "Arthritis Rheum"
    assert (form["volume"], form["issue"], form["articleDate"]) == (
        "65",
        "2",
        "2013-02",
    )
    assert (form["firstPage"], form["lastPage"]) == ("314", "24")
    assert cited["currentState"][0]["coding"][0]["code"] == "retracted"
    relations = {r["type"]: r for r in cited["relatesTo"]}
    assert set(relations) == {"retracted-by", "correction-in"}
    assert (
        relations["retracted-by"]["document"]["url"]
        == "https://doi.org/10.1002/art.99999"
    )
    assert relations["retracted-by"]["citation"] == "Data could not be verified."
    levels = [
        c for c in cited["classification"] if c["type"].get("text") == "Evidence level"
    ]
    assert levels[0]["classifier"][0]["coding"][0]["code"] == "randomised-trial"
    assert "Oddis CV" in data["summary"][0]["text"]


def test_an_article_is_a_guideline_pointing_at_its_recommendations(client, library):
    article = library["article"]
    data = check_fhir(client.get(f"/api/v1/fhir/Composition/article-{article.pk}"))
    assert data["meta"]["profile"] == [
        "http://hl7.org/fhir/uv/ebm/StructureDefinition/guideline"
    ]
    assert data["type"]["coding"][0] == {
        "system": EBM,
        "code": "Guideline",
        "display": "Guideline",
    }
    assert data["status"] == "final" and data["version"] == str(article.live.number)
    recommendations = entry(data["section"], "recommendations")
    assert [e["reference"] for e in recommendations["entry"]] == [
        f"Composition/article-{article.pk}-recommendation-1",
        f"Composition/article-{article.pk}-recommendation-2",
        f"Composition/article-{article.pk}-good-practice-1",
    ]
    references = entry(data["section"], "references")["entry"]
    assert references[0]["reference"] == f"Citation/{library['trial'].pk}"
    # Cited, but still in an inbox: named as the page names it, never linked.
    waiting = [e for e in references if "Waiting in the inbox" in e["display"]]
    assert waiting and "reference" not in waiting[0]
    assert "Examine the heart" in str(data["section"])


def test_a_recommendation_carries_its_statement_rating_and_evidence(client, library):
    article, trial, review = library["article"], library["trial"], library["review"]
    id_ = f"article-{article.pk}-recommendation-1"
    data = check_fhir(client.get(f"/api/v1/fhir/Composition/{id_}"))
    assert data["type"]["coding"][0]["code"] == "Recommendation"
    assert (
        "We suggest rituximab"
        in entry(data["section"], "recommendation-statement")["text"]["div"]
    )
    ratings = entry(data["section"], "ratings")
    assert ratings["entry"][0]["reference"] == f"ArtifactAssessment/{id_}"
    assert [e["reference"] for e in entry(data["section"], "evidence")["entry"]] == [
        f"Citation/{trial.pk}",
        f"Citation/{review.pk}",
    ]
    assert (
        data["relatesTo"][0]["resourceReference"]["reference"]
        == f"Composition/article-{article.pk}"
    )

    rating = check_fhir(client.get(f"/api/v1/fhir/ArtifactAssessment/{id_}"))
    assert rating["meta"]["profile"] == [
        "http://hl7.org/fhir/uv/ebm/StructureDefinition/recommendation-rating"
    ]
    content = {c["type"]["coding"][0]["code"]: c for c in rating["content"]}
    strength = content["strength-of-recommendation"]["classifier"][0]
    assert strength["coding"][0] == {
        "system": RJCS,
        "code": "RJCS-2002",
        "display": "Weak expectation",
    }
    certainty = content["certainty-of-evidence"]
    assert certainty["classifier"][0]["coding"][0]["code"] == "RJCS-2006"
    assert [
        a["resourceReference"]["reference"] for a in certainty["relatedArtifact"]
    ] == [
        f"Citation/{trial.pk}",
        f"Citation/{review.pk}",
    ]
    strong = check_fhir(
        client.get(
            f"/api/v1/fhir/ArtifactAssessment/article-{article.pk}-recommendation-2"
        )
    )
    codes = {c["type"]["coding"][0]["code"]: c for c in strong["content"]}
    assert (
        codes["strength-of-recommendation"]["classifier"][0]["coding"][0]["code"]
        == "RJCS-2001"
    )
    assert (
        codes["certainty-of-evidence"]["classifier"][0]["coding"][0]["code"]
        == "RJCS-2004"
    )


def test_a_good_practice_statement_is_ungraded(client, library):
    article = library["article"]
    data = check_fhir(
        client.get(f"/api/v1/fhir/Composition/article-{article.pk}-good-practice-1")
    )
    ratings = entry(data["section"], "ratings")
    assert "not graded" in ratings["text"]["div"] and "entry" not in ratings


def test_a_topic_is_a_bundle_of_its_guidelines_and_citations(client, library):
    topic, article = library["topic"], library["article"]
    data = check_fhir(client.get(f"/api/v1/fhir/Bundle/topic-{topic.pk}"))
    assert data["type"] == "collection"
    urls = [e["fullUrl"] for e in data["entry"]]
    assert urls == [
        f"{BASE}{e['resource']['resourceType']}/{e['resource']['id']}"
        for e in data["entry"]
    ]
    assert set(urls) == {
        f"{BASE}Composition/article-{article.pk}",
        *(
            f"{BASE}Composition/article-{article.pk}-{a}"
            for a in ("recommendation-1", "recommendation-2", "good-practice-1")
        ),
        *(
            f"{BASE}ArtifactAssessment/article-{article.pk}-{a}"
            for a in ("recommendation-1", "recommendation-2")
        ),
        f"{BASE}Citation/{library['trial'].pk}",
        f"{BASE}Citation/{library['review'].pk}",
    }
    # Each entry is the resource its own address serves.
    for item in data["entry"]:
        own = client.get(item["fullUrl"].removeprefix("http://testserver")).json()
        assert own == item["resource"]


def test_a_large_topic_comes_in_linked_pages(client, library, monkeypatch):
    monkeypatch.setattr("api.views.BundlePagination.page_size", 1)
    topic = library["topic"]
    first = check_fhir(client.get(f"/api/v1/fhir/Bundle/topic-{topic.pk}"))
    links = {link["relation"]: link["url"] for link in first["link"]}
    assert "previous" not in links
    second = check_fhir(client.get(links["next"].removeprefix("http://testserver")))
    assert [e["resource"]["resourceType"] for e in second["entry"]] == ["Citation"]
    assert {link["relation"] for link in second["link"]} == {"self", "previous"}


def test_the_capability_statement_names_what_is_served(client):
    data = check_fhir(client.get("/api/v1/fhir/metadata"))
    assert data["fhirVersion"] == "5.0.0"
    types = {r["type"] for r in data["rest"][0]["resource"]}
    assert types == {"Citation", "Composition", "ArtifactAssessment", "Bundle"}
    assert check_fhir(client.get("/api/v1/fhir/"))["id"] == data["id"]
