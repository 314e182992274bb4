"""Searches that never dead-end (issue 24), on whichever database the suite
runs against (CI runs both): the words patients use find the literature's,
a misspelling gets a correction from the index's own words, and a search
that finds nothing offers the topics and the editors.
"""

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from portal.models import SearchDocument, SearchSynonym, SearchWord
from portal.search import search, spelling
from tests.factories import ReferenceFactory, TopicFactory, make_article

pytestmark = pytest.mark.django_db

OVERVIEW = "Choosing antibody therapies in polymyositis and dermatomyositis"
PHYSICAL_THERAPY = (
    "Physical therapy in adult inflammatory myopathy patients: a systematic review."
)


def titles(text, documents=None):
    return [hit.document.title for hit in search(text, documents)[:50]]


def suggestion(text, documents=None):
    found = spelling.suggest(text, documents or SearchDocument.objects.public())
    return found.text if found else None


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)


class TestReadersWordsInTheDemo:
    """The issue's reader queries, against the demo content and its synonyms.

    (One test per behaviour, looping over its queries: loading the demo is
    the costly part.)
    """

    def test_exercise_finds_the_review_of_physical_therapy(self, demo):
        for query in ("exercise", "myositis exercise", "rehabilitation"):
            assert PHYSICAL_THERAPY in titles(query), query

    def test_any_word_for_steroids_finds_the_overview(self, demo):
        for query in ("steroids", "corticosteroids", "prednisone", "prednisolone"):
            assert titles(query)[0] == OVERVIEW, query

    def test_every_spelling_of_ivig_finds_the_same_documents(self, demo):
        found = {
            query: set(titles(query))
            for query in (
                "IVIG",
                "IVIg",
                "ivig",
                "IV IG",
                "IV immunoglobulin",
                "intravenous immunoglobulin",
                "intravenous immune globulin",
            )
        }
        assert len(found["IVIG"]) >= 5
        assert OVERVIEW in found["IVIG"]
        assert all(titles == found["IVIG"] for titles in found.values()), found

    def test_everyday_and_medical_words_find_the_overview(self, demo):
        for query in (
            "skin rash",
            "cutaneous",
            "swallowing",
            "dysphagia",
            "trouble swallowing",
            "difficulty swallowing",
        ):
            assert titles(query)[0] == OVERVIEW, query

    def test_the_demo_keeps_the_sets_a_patient_needs(self, demo):
        sets = [set(map(str.lower, s.forms)) for s in SearchSynonym.objects.all()]
        for pair in [
            {"exercise", "physical therapy", "rehabilitation"},
            {"steroids", "corticosteroids", "prednisone"},
            {"ivig", "intravenous immunoglobulin"},
            {"skin rash", "cutaneous"},
            {"swallowing", "dysphagia"},
        ]:
            assert any(pair <= forms for forms in sets), pair


class TestSpellingSuggestions:
    def test_a_misspelling_gets_the_word_the_index_knows(self, demo):
        for typed, expected in [
            ("rituximabb", "rituximab"),
            ("Rituximabb side efects", "Rituximab side effects"),
            ("dermatomiositis", "dermatomyositis"),
            ("exercize", "exercise"),  # a synonym's word, in no document
            ('"rituximabb dose"', '"rituximab dose"'),
        ]:
            assert titles(typed) == [], typed
            assert suggestion(typed) == expected, typed
            assert titles(expected), expected

    def test_the_search_page_links_the_correction_with_the_same_filters(
        self, client, demo
    ):
        response = client.get(
            reverse("portal:search"), {"q": "rituximabb", "kind": "research"}
        )
        html = response.content.decode()
        assert "0 results" in html
        assert (
            'Did you mean <a href="?q=rituximab&amp;kind=research">'
            "<strong>rituximab</strong></a>?" in html
        )
        followed = client.get(
            reverse("portal:search"), {"q": "rituximab", "kind": "research"}
        )
        assert followed.context["paginator"].count > 0

    def test_a_correction_that_finds_nothing_within_the_filters_is_not_offered(
        self, demo
    ):
        news = SearchDocument.objects.public().of_kind("news")
        assert titles("rituximab", news) == []
        assert suggestion("rituximabb", news) is None

    def test_words_the_engine_finds_are_left_alone(self, demo):
        # "treating" is in no document, but finds "treatment": not a slip.
        assert suggestion("treating zebrafishes") is None
        assert suggestion("treating rituximabb") == "treating rituximab"

    def test_nothing_is_suggested_for_words_nothing_resembles(self, demo):
        assert suggestion("zebrafish") is None
        assert suggestion("qqqqqqq") is None

    def test_a_new_reference_brings_its_words_at_once(self):
        ReferenceFactory(title="Abatacept in refractory myositis")
        assert SearchWord.objects.filter(word="abatacept").exists()
        assert suggestion("abatasept") == "abatacept"

    def test_a_word_whose_documents_are_gone_is_never_suggested(self):
        reference = ReferenceFactory(title="Tocilizumab in myositis")
        assert suggestion("tocilizumabb") == "tocilizumab"
        reference.delete()
        # The word stays in the vocabulary; the engine finds nothing with it.
        assert SearchWord.objects.filter(word="tocilizumab").exists()
        assert suggestion("tocilizumabb") is None

    def test_rebuilding_the_index_rebuilds_the_vocabulary(self):
        ReferenceFactory(title="Tacrolimus in interstitial lung disease")
        make_article(title="Belimumab", body="Belimumab in lupus.", approve=True)
        SearchWord.objects.all().delete()
        assert suggestion("tacrolimuss") is None
        call_command("rebuild_search_index", verbosity=0)
        assert suggestion("tacrolimuss") == "tacrolimus"
        assert suggestion("belimumabb") == "belimumab"
        assert not SearchWord.objects.filter(word="in").exists()

    def test_a_draft_never_lends_its_words(self):
        make_article(title="Secret draft", body="Anifrolumab is promising.")
        assert not SearchWord.objects.filter(word="anifrolumab").exists()
        assert suggestion("anifrolumabb") is None


class TestVocabularyWords:
    def test_words_are_lowercased_long_enough_and_not_common_english(self):
        words = spelling.words_in("The Rituximab trial, 2013: about ÖSTERREICH")
        assert words == {"rituximab", "trial", "österreich"}

    def test_numbers_and_runs_beyond_a_word_are_not_words(self):
        assert spelling.words_in("2013 ١٢٣٤ " + "a" * 41 + " x_y") == set()

    def test_a_rewrite_keeps_what_the_reader_typed_around_the_correction(self):
        rewritten = spelling.rewrite(
            'Rituximabb  "side efects"', {"rituximabb": "rituximab"}
        )
        assert rewritten.text == 'Rituximab  "side efects"'
        assert rewritten.parts == (("Rituximab", True), ('  "side efects"', False))


HOSTILE = [
    "q=rituximabb%00",
    "q=%ED%A0%80rituximabb",  # a lone surrogate, as UTF-8 bytes
    "q=" + "rituximabb+" * 60,
    "q=" + "r" * 10_000,
    "q=ritu" + "x" * 36,
    "q=%D9%A1%D9%A2%D9%A3%D9%A4+rituximabb",  # Arabic-Indic digits
    "q=NEAR(%22rituximabb%22+OR+%22*%22)+%5E+title%3Azzz",
    "q=rituximabb%0D%0Aside+effects",
    "q=%27%3B+DROP+TABLE+portal_searchword%3B+--",
    "q=rituximabb&kind=%00&year_from=%D9%A1%D9%A2&year_to=99999999999999999999",
]


@pytest.mark.parametrize("query_string", HOSTILE)
def test_hostile_queries_that_find_nothing_get_a_calm_page(client, query_string):
    ReferenceFactory(title="Rituximab in myositis")
    response = client.get(f"{reverse('portal:search')}?{query_string}")
    assert response.status_code == 200
    assert 'role="status"' in response.content.decode()
    assert SearchWord.objects.filter(word="rituximab").exists()


class TestNoMatchPage:
    def test_a_search_that_finds_nothing_shows_the_three_ways_on(self, client, demo):
        response = client.get(reverse("portal:search"), {"q": "zebrafish"})
        html = response.content.decode()
        assert "0 results" in html
        # 1. other words (and the spelling)
        assert "use fewer words, or check the spelling" in html
        # 2. the topics, those with something to read
        assert '<a href="/topics/myositis-treatment/">' in html
        assert "Treatment of dermatomyositis and polymyositis" in html
        # 3. the editors
        assert "Ask our editors" in html
        # The form, carrying the search asked from (issue 25).
        assert 'href="/questions/ask/?from=/search/%3Fq%3Dzebrafish"' in html

    def test_filters_chosen_are_named_and_can_be_dropped(self, client, demo):
        response = client.get(
            reverse("portal:search"),
            {"q": "zebrafish", "kind": "trial", "year_from": "2015"},
        )
        html = response.content.decode()
        assert "Filters: Kind: Trial · From 2015" in html
        assert '<a href="?q=zebrafish">search without the filters</a>' in html

    @pytest.mark.parametrize("email", ["", "editors@example.org"])
    def test_the_editorial_policy_says_how_to_ask_the_editors(
        self, client, settings, email
    ):
        settings.PORTAL_CONTACT_EMAIL = email
        html = client.get(reverse("portal:editorial-policy")).content.decode()
        assert '<h2 id="contact">Questions for our editors</h2>' in html
        assert ('href="mailto:editors@example.org"' in html) == bool(email)

    def test_a_search_with_results_shows_no_ways_on(self, client, demo):
        html = client.get(reverse("portal:search"), {"q": "rituximab"}).content
        assert b"Other ways to an answer" not in html
        assert b"Did you mean" not in html


@pytest.mark.usefixtures("no_page_cache")
def test_a_search_that_finds_nothing_costs_a_fixed_number_of_queries(
    client, django_assert_num_queries
):
    ReferenceFactory.create_batch(5, title="Rituximab in myositis")
    TopicFactory.create_batch(3)
    client.get(reverse("portal:search"), {"q": "zebrafish"})
    # The count; which words the engine knows; the vocabulary's candidates
    # for the others; whether the correction finds anything (on SQLite a
    # count too). The topics are kept rendered (a public fragment).
    for query in ("rituximabb", "rituximabb myositiss zebrafish dosing treatment"):
        with django_assert_num_queries(
            {"postgresql": 4, "sqlite": 4}[connection.vendor]
        ):
            response = client.get(reverse("portal:search"), {"q": query})
        assert response.status_code == 200
