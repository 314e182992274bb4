import pytest
from django.urls import reverse

from portal.glossary import Term, all_terms, define_terms
from portal.models import GlossaryTerm

GOTTRON = Term(
    "gottrons-papules", "Gottron's papules", "Bumps.", ("Gottron's papules",)
)
CK = Term("ck", "CK (creatine kinase)", "A muscle enzyme.", ("CK", "creatine kinase"))


def test_first_use_in_text_is_linked_once_per_term():
    html, used = define_terms(
        "<p>CK is high. CK falls.</p><p>Gottron’s papules.</p>", [CK, GOTTRON]
    )
    assert html.count('href="#term-ck"') == 1
    assert '<a class="term" href="#term-gottrons-papules">Gottron’s papules</a>' in html
    assert used == [CK, GOTTRON]


def test_links_headings_and_citations_are_left_alone():
    source = '<h2>CK</h2><p><a href="/x">CK</a> <sup class="citation">CK</sup> CKD</p>'
    html, used = define_terms(source, [CK])
    assert html == source
    assert used == []


@pytest.mark.django_db
def test_glossary_cache_follows_edits():
    assert all_terms() == []
    term = GlossaryTerm.objects.create(term="EMG", slug="emg", definition="A test.")
    assert [t.term for t in all_terms()] == ["EMG"]
    term.delete()
    assert all_terms() == []


@pytest.mark.django_db
def test_glossary_page_lists_terms(client):
    GlossaryTerm.objects.create(term="Biopsy", slug="biopsy", definition="A sample.")
    html = client.get(reverse("portal:glossary")).content.decode()
    assert '<dt id="term-biopsy"><dfn>Biopsy</dfn></dt>' in html
