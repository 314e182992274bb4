"""Patients get plain language, clinicians the clinical text; a cookie remembers."""

import pytest
from django.urls import reverse

from articles import services
from portal import glossary
from portal.audience import COOKIE
from portal.models import GlossaryTerm
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    GlossaryTerm.objects.create(
        term="IVIG",
        slug="ivig",
        synonyms="intravenous immunoglobulin",
        definition="Donor antibodies given through a drip.",
    )
    return make_article(
        slug="antibodies",
        title="Antibody therapy",
        summary="Clinical summary.",
        body="Clinical text: IVIG 2 g/kg over 2-5 days.",
        plain_summary="Plain summary.",
        plain_body="## IVIG\n\nPlain text: IVIG is given by drip. IVIG helps skin.",
        approve=True,
    )


def choose(client, audience, next_url):
    return client.get(
        reverse("portal:audience"), {"audience": audience, "next": next_url}
    )


def test_choosing_an_audience_sets_a_cookie_and_goes_back(client, article):
    response = choose(client, "patient", article.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == article.get_absolute_url()
    cookie = response.cookies[COOKIE]
    assert cookie.value == "patient"
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) > 30 * 24 * 3600


def test_the_form_also_works_as_a_post(client, article):
    response = client.post(
        reverse("portal:audience"),
        {"audience": "clinician", "next": article.get_absolute_url()},
    )
    assert response.cookies[COOKIE].value == "clinician"


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/", "javascript:alert(1)", ""]
)
def test_the_return_address_must_be_on_this_site(client, next_url):
    response = choose(client, "patient", next_url)
    assert response["Location"] == reverse("portal:home")


def test_an_unknown_audience_sets_nothing(client):
    response = choose(client, "hacker", "/")
    assert COOKIE not in response.cookies


def test_nobody_chosen_gets_the_clinical_text_with_a_plain_link(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Clinical text" in html and "Plain text" not in html
    assert "Which best describes you?" in html
    assert 'href="?version=plain"' in html


def test_patient_gets_plain_text_with_glossary_and_clinical_link(client, article):
    client.cookies[COOKIE] = "patient"
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Plain text" in html and "Clinical text" not in html
    assert "Plain summary." in html
    assert 'href="?version=clinical"' in html
    # The first use in running text (not the heading) links to its definition.
    assert html.count('<a class="term" href="#term-ivig">IVIG</a>') == 1
    assert '<h2 id="h-ivig">IVIG</h2>' in html
    assert '<dt id="term-ivig"><dfn>IVIG</dfn></dt>' in html
    assert "Donor antibodies given through a drip." in html
    assert 'value="patient" checked' in html


def test_patient_can_ask_for_the_clinical_version(client, article):
    client.cookies[COOKIE] = "patient"
    html = client.get(article.get_absolute_url(), {"version": "clinical"}).content
    assert b"Clinical text" in html and b"Plain text" not in html
    assert b'href="?version=plain"' in html


def test_clinician_gets_the_clinical_text(client, article):
    client.cookies[COOKIE] = "clinician"
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Clinical text" in html and "Plain text" not in html
    assert "Medical words on this page" not in html


def test_article_without_plain_version_shows_clinical_text_to_patients(client):
    article = make_article(body="Only clinical words.", approve=True)
    client.cookies[COOKIE] = "patient"
    html = client.get(article.get_absolute_url(), {"version": "plain"}).content
    assert b"Only clinical words." in html
    assert b"?version=" not in html


def test_the_audience_cookie_never_shows_an_unapproved_plain_text(client, article):
    article.plain_body = "Unreviewed plain claim."
    services.save_article(article=article, user=article.author)
    client.cookies[COOKIE] = "patient"
    html = client.get(article.get_absolute_url()).content
    assert b"Unreviewed plain claim." not in html
    assert b"Plain text" in html


@pytest.mark.usefixtures("no_page_cache")
def test_plain_text_is_linked_once_until_the_glossary_changes(
    client, article, monkeypatch
):
    client.cookies[COOKIE] = "patient"
    url = article.get_absolute_url()
    client.get(url)
    calls = []
    real = glossary.define_terms

    def counted(html, terms):
        calls.append(html)
        return real(html, terms)

    monkeypatch.setattr(glossary, "define_terms", counted)
    assert '<a class="term" href="#term-ivig">' in client.get(url).content.decode()
    assert calls == []

    GlossaryTerm.objects.create(
        term="Drip", slug="drip", definition="Fluid given slowly into a vein."
    )
    html = client.get(url).content.decode()
    assert '<a class="term" href="#term-drip">drip</a>' in html
    assert "Fluid given slowly into a vein." in html
    client.get(url)
    assert len(calls) == 1


def test_plain_view_collapses_the_citation_block_and_clinical_view_does_not(
    client, article
):
    plain = client.get(article.get_absolute_url(), {"version": "plain"}).content
    assert b'<details class="cite cite--collapsed">' in plain
    # Nobody chose yet: the selector shows the audience of the text on screen.
    assert b'value="patient" checked' in plain
    clinical = client.get(article.get_absolute_url()).content
    assert b'<details class="cite' not in clinical
    assert b'<section class="cite"' in clinical
    assert b'value="clinician" checked' in clinical
