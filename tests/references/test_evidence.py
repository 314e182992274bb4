"""Evidence levels: one per kind, shown as a text badge, and a literature filter."""

import pytest

from references import evidence
from references.models import Reference
from tests.factories import ReferenceFactory


def test_every_kind_of_reference_has_an_evidence_level():
    assert set(Reference.Kind.values) <= set(evidence.LEVEL_OF_KIND)


def test_levels_follow_the_kind():
    assert Reference(kind="guideline").evidence_level == "guideline"
    assert Reference(kind="trial").evidence_level.label == "Randomised trial"
    assert Reference(kind="news").evidence_level == "expert-opinion"
    assert Reference(kind="observational").evidence_level.label == (
        "Observational study"
    )
    assert evidence.kinds_at("expert-opinion") == ["news", "other"]


@pytest.mark.django_db
def test_literature_list_filters_by_evidence_level_and_shows_badges(client):
    ReferenceFactory(kind="trial", title="A randomised trial of drug A")
    ReferenceFactory(kind="news", title="A press release on drug B")
    ReferenceFactory(kind="other", title="A patient leaflet on drug C")
    html = client.get("/literature/", {"level": "expert-opinion"}).content.decode()
    assert "press release" in html and "patient leaflet" in html
    assert "randomised trial of drug A" not in html
    # Opinion and news earn no evidence badge: their kind says what they are.
    assert "Evidence: " not in html
    every = client.get("/literature/").content.decode()
    assert "Evidence: Randomised trial" in every


def test_only_study_designs_earn_an_evidence_badge():
    badged = {kind for kind in Reference.Kind.values if evidence.has_badge(kind)}
    assert badged == {"guideline", "systematic_review", "trial", "observational"}


@pytest.mark.django_db
def test_a_secondary_summary_is_labelled_as_one_never_as_a_guideline(client):
    ReferenceFactory(
        kind="secondary_summary", title="A point-of-care summary of myositis"
    )
    ReferenceFactory(kind="narrative_review", title="Therapy of myositis: a review")
    html = client.get("/literature/").content.decode()
    assert "Secondary summary" in html and "Not primary evidence" in html
    assert "Narrative review" in html
    assert "Evidence: " not in html


@pytest.mark.django_db
def test_an_unknown_evidence_level_filter_is_ignored(client):
    ReferenceFactory(title="Kept in the list")
    response = client.get("/literature/", {"level": "<script>"})
    assert response.status_code == 200
    assert "Kept in the list" in response.content.decode()
