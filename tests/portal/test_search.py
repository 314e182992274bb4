"""Search, on whichever database the suite runs against (CI runs both)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.db.models import F, Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from articles import services, workflow
from portal.models import SearchDocument, SearchSynonym
from portal.search import parse_query, search
from portal.search.backends import (
    PostgresBackend,
    SqliteBackend,
    get_backend,
    required_kinds,
)
from portal.search.query import WORD_RE
from tests.factories import (
    EntryFactory,
    ReferenceFactory,
    SectionFactory,
    TopicFactory,
    board_member,
    change_note,
    make_article,
)

pytestmark = pytest.mark.django_db


def titles(text, documents=None):
    return [hit.document.title for hit in search(text, documents)[:50]]


@pytest.fixture
def corpus():
    """A small library whose ranking for a few queries is known."""
    topic = TopicFactory(slug="myositis", title="Myositis")
    other = TopicFactory(slug="lupus", title="Lupus")
    refs = {
        "title": ReferenceFactory(
            title="Rituximab in refractory myositis",
            summary="A cohort followed for two years.",
            kind="trial",
            year=2019,
        ),
        "summary": ReferenceFactory(
            title="Outcomes of a cohort",
            summary="Patients given rituximab improved in strength.",
            kind="research",
            year=2012,
        ),
        "phrase": ReferenceFactory(
            title="Skin signs in dermatomyositis",
            summary="The heliotrope rash and Gottron papules are typical.",
            kind="case_report",
            year=2005,
        ),
        "apart": ReferenceFactory(
            title="Rash patterns",
            summary="A rash on the hands; heliotrope colour was rare.",
            kind="research",
            year=2008,
        ),
        "both": ReferenceFactory(
            title="IVIG and rituximab together",
            summary="Combining the two in resistant disease.",
            kind="guideline",
            year=2021,
        ),
        "treatment": ReferenceFactory(
            title="Treatment of inflammatory myopathy",
            summary="An overview of therapies.",
            kind="systematic_review",
            year=2016,
        ),
    }
    EntryFactory(section=SectionFactory(topic=topic), reference=refs["title"])
    EntryFactory(section=SectionFactory(topic=other), reference=refs["both"])
    return topic, refs


def test_backend_follows_the_database_vendor():
    expected = {"sqlite": SqliteBackend, "postgresql": PostgresBackend}
    assert isinstance(get_backend(), expected[connection.vendor])


def test_title_match_ranks_above_summary_match(corpus):
    found = titles("rituximab")
    assert found.index("Rituximab in refractory myositis") < found.index(
        "Outcomes of a cohort"
    )
    assert set(found) == {
        "Rituximab in refractory myositis",
        "Outcomes of a cohort",
        "IVIG and rituximab together",
    }


def test_stemming_finds_other_forms_of_a_word(corpus):
    assert "Treatment of inflammatory myopathy" in titles("treating")
    assert "Treatment of inflammatory myopathy" in titles("treatments")


def test_all_words_must_match(corpus):
    assert titles("rituximab ivig") == ["IVIG and rituximab together"]


def test_quotes_find_a_phrase(corpus):
    assert titles('"heliotrope rash"') == ["Skin signs in dermatomyositis"]
    assert set(titles("heliotrope rash")) == {
        "Skin signs in dermatomyositis",
        "Rash patterns",
    }


def test_filters_narrow_by_topic_kind_and_years(corpus):
    topic, _ = corpus
    documents = SearchDocument.objects.all()
    assert titles("rituximab", documents.in_topic(topic)) == [
        "Rituximab in refractory myositis"
    ]
    assert titles("rituximab", documents.of_kind("guideline")) == [
        "IVIG and rituximab together"
    ]
    assert titles("rituximab", documents.between_years(2010, 2015)) == [
        "Outcomes of a cohort"
    ]


def test_search_page_applies_filters_from_the_query_string(client, corpus):
    url = reverse("portal:search")
    html = client.get(url, {"q": "rituximab", "topic": "myositis"}).content.decode()
    assert "Rituximab in refractory myositis" in html
    assert "Outcomes of a cohort" not in html
    html = client.get(
        url, {"q": "rituximab", "year_from": "2020", "kind": "guideline"}
    ).content.decode()
    assert "IVIG and rituximab together" in html
    assert "1 result" in html


def test_search_page_highlights_matches_and_escapes_content(client):
    ReferenceFactory(
        title="Dosing <b>notes</b>",
        summary="Use <script>x</script> rituximab carefully.",
    )
    response = client.get(reverse("portal:search"), {"q": "rituximab"})
    html = response.content.decode()
    assert "<mark>rituximab</mark>" in html
    # SQLite's snippet keeps the text, escaped; ts_headline drops tag-like text.
    assert "<script>x" not in html
    assert "Dosing &lt;b&gt;notes&lt;/b&gt;" in html


@pytest.mark.parametrize(
    ("query", "marked"), [("rituximab", "Rituximab"), ("treating", "treatment")]
)
def test_snippet_highlights_a_match_deep_in_a_long_text(query, marked):
    # PostgreSQL headlines a window of the text around the first match.
    filler = "Muscle strength was measured at every visit. " * 200
    ReferenceFactory(title="Long", summary=f"{filler}{marked} was given. {filler}")
    (hit,) = search(query)[:1]
    assert f"<mark>{marked}</mark>" in hit.snippet


HOSTILE = [
    "x" * 10_000,
    "!!! ??? ... ;;; ---",
    "'; DROP TABLE references_reference; --",
    "1 OR 1=1",
    '<script>alert("x")</script>',
    '"unbalanced quote rituximab',
    "NEAR(rituximab ivig, 2) * ^ : title:rituximab -rash +ivig",
    "AND OR NOT",
    "\x00\x01\x02\x03",
    "(((((",
    "rituximab:* & !ivig | <->",
    '""',
    "the of and",
    "ö ñ ∑ 🙂 日本語",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_get_a_calm_page(client, corpus, query):
    response = client.get(reverse("portal:search"), {"q": query, "page": "1"})
    if "\x00" in query:
        # No link or search box sends NUL: refused at the edge, in words.
        assert response.status_code == 400
        assert "NUL character" in response.content.decode()
        return
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html
    assert 'role="status"' in html


def test_nonsense_filters_are_ignored(client, corpus):
    response = client.get(
        reverse("portal:search"),
        {"q": "rituximab", "year_from": "abc", "kind": "<x>", "topic": "nope"},
    )
    assert response.status_code == 200
    assert b"3 results" in response.content


def test_empty_query_invites_a_search(client):
    response = client.get(reverse("portal:search"))
    assert response.status_code == 200
    assert b"Type one or more words" in response.content


def test_no_results_page_suggests_what_to_do(client, corpus):
    response = client.get(reverse("portal:search"), {"q": "zebrafish"})
    assert b"0 results" in response.content
    assert b"use fewer words" in response.content


def test_results_are_paginated(client, settings):
    ReferenceFactory.create_batch(30, summary="About prednisone tapering.")
    url = reverse("portal:search")
    first = client.get(url, {"q": "prednisone"})
    assert first.context["paginator"].count == 30
    assert len(first.context["hits"]) == settings.PORTAL_PAGE_SIZE
    second = client.get(url, {"q": "prednisone", "page": 2})
    assert len(second.context["hits"]) == 30 - settings.PORTAL_PAGE_SIZE
    assert b"Previous page" in second.content


def test_a_draft_is_never_found():
    make_article(title="Secret zanubrutinib draft", body="Zanubrutinib claims.")
    assert titles("zanubrutinib") == []
    assert not SearchDocument.objects.filter(kind="article").exists()


def test_a_newer_draft_is_not_found_until_approved():
    article = make_article(
        title="Antibodies", body="Rituximab first.", slug="antibodies", approve=True
    )
    assert titles("rituximab") == ["Antibodies"]
    article.body = "Belimumab instead."
    services.save_article(article=article, user=article.author)
    assert titles("belimumab") == []
    assert titles("rituximab") == ["Antibodies"]
    reviewer = board_member()
    workflow.submit(article=article, user=article.author)
    workflow.start_review(article=article, user=reviewer)
    assert titles("belimumab") == []
    workflow.approve(article=article, user=reviewer, note=change_note(article))
    assert titles("belimumab") == ["Antibodies"]
    assert titles("rituximab") == []


def test_index_follows_reference_edits_and_deletes():
    reference = ReferenceFactory(title="Abatacept pilot")
    assert titles("abatacept") == ["Abatacept pilot"]
    reference.title = "Tocilizumab pilot"
    reference.save()
    assert titles("abatacept") == []
    assert titles("tocilizumab") == ["Tocilizumab pilot"]
    reference.delete()
    assert titles("tocilizumab") == []
    assert not SearchDocument.objects.exists()


def test_index_follows_article_deletes():
    article = make_article(title="Sirolimus", body="Sirolimus text.", approve=True)
    assert titles("sirolimus") == ["Sirolimus"]
    article.delete()
    assert titles("sirolimus") == []


def test_citation_numbers_do_not_glue_onto_words():
    ReferenceFactory(citation_key="k1")
    make_article(title="A", body="Preferred when refractory [@k1].", approve=True)
    assert titles("refractory") == ["A"]


def test_rebuild_command_recreates_the_index(corpus):
    SearchDocument.objects.all().delete()
    assert titles("rituximab") == []
    call_command("rebuild_search_index", verbosity=0)
    assert len(titles("rituximab")) == 3


class TestParseQuery:
    def test_words_are_lowercased_deduplicated_and_stop_words_dropped(self):
        assert parse_query("The Rituximab and rituximab of IVIG").words == (
            "rituximab",
            "ivig",
        )

    def test_phrases_keep_their_words_in_order(self):
        parsed = parse_query('ivig "heliotrope of rash" ck')
        assert parsed.phrases == (("heliotrope", "of", "rash"),)
        assert parsed.words == ("ivig", "ck")

    def test_a_phrase_of_common_words_alone_is_dropped(self):
        parsed = parse_query('"of the" rash "in the skin"')
        assert parsed.phrases == (("in", "the", "skin"),)
        assert parsed.words == ("rash",)
        assert not parse_query('"of the" "and a"')

    def test_an_unbalanced_quote_is_ignored(self):
        assert parse_query('"heliotrope rash').words == ("heliotrope", "rash")

    def test_operators_and_punctuation_never_survive(self):
        parsed = parse_query('NEAR(a* "b":c)^ -d OR e')
        tokens = [*parsed.words, *(w for p in parsed.phrases for w in p)]
        assert all(t.isalnum() for t in tokens)

    def test_long_input_is_bounded(self):
        parsed = parse_query("word " * 5000)
        assert parsed.words == ("word",)
        assert len(parse_query(" ".join(f"w{i}" for i in range(100))).words) == 12

    def test_nothing_searchable_is_falsy(self):
        assert not parse_query("?!* the")


def test_counting_stops_at_the_limit(client, monkeypatch):
    monkeypatch.setattr("portal.search.MAX_RESULTS", 5)
    ReferenceFactory.create_batch(7, summary="About methotrexate.")
    results = search("methotrexate")
    assert results.count() == 5 and results.more
    html = client.get(reverse("portal:search"), {"q": "methotrexate"}).content
    assert b"More than 5 results" in html


def test_a_reviewed_article_comes_first_even_when_papers_rank_higher(corpus):
    # The article mentions rituximab once, deep in its text; the papers carry
    # it in their titles, which the engines weigh most.
    make_article(
        title="Antibody choices",
        body="Long text about myositis. " * 40 + "Rituximab is one option.",
        approve=True,
    )
    found = titles("rituximab")
    assert found[0] == "Antibody choices"
    assert set(found[1:]) == {
        "Rituximab in refractory myositis",
        "Outcomes of a cohort",
        "IVIG and rituximab together",
    }
    # Paging keeps the one order: the second page starts after the first.
    results = search("rituximab")
    assert [h.document.title for h in results[0:2] + results[2:4]] == found


def test_results_say_what_each_one_is(client, corpus):
    make_article(title="Rituximab explained", body="Rituximab.", approve=True)
    html = client.get(reverse("portal:search"), {"q": "rituximab"}).content.decode()
    assert '<span class="ref-kind ref-kind--article">Reviewed article</span>' in html
    assert '<span class="ref-kind ref-kind--trial">Trial</span>' in html
    assert '<span class="ref-kind ref-kind--guideline">Guideline</span>' in html


def test_snippets_have_no_space_before_punctuation_left_by_citations_or_tags():
    ReferenceFactory(citation_key="k9")
    make_article(
        title="Dosing",
        body="- **Dose:** 1000 mg of rituximab [@k9].\n- Then *wait*, and see.",
        approve=True,
    )
    document = SearchDocument.objects.get(title="Dosing")
    assert "Dose: 1000 mg of rituximab. Then wait, and see." in document.body
    snippet = search("rituximab")[0:1][0].snippet
    assert "rituximab</mark>." in snippet and " ." not in snippet


def test_synonyms_kept_by_editors_find_every_form(corpus):
    ReferenceFactory(title="High-dose intravenous immunoglobulin in myositis")
    ReferenceFactory(title="IVIg for skin disease")
    assert titles("ivig") == ["IVIG and rituximab together", "IVIg for skin disease"]
    synonyms = SearchSynonym(terms="IVIG\r\nIVIg\r\nintravenous immunoglobulin\r\n")
    synonyms.full_clean()
    synonyms.save()
    expected = {
        "IVIG and rituximab together",
        "IVIg for skin disease",
        "High-dose intravenous immunoglobulin in myositis",
    }
    assert set(titles("ivig")) == expected
    assert set(titles("Intravenous Immunoglobulin")) == expected
    assert set(titles('"intravenous immunoglobulin"')) == expected
    # The other words of the query still have to match.
    assert titles("ivig skin") == ["IVIg for skin disease"]
    # Deleting the set is seen at once (the cached copy is forgotten).
    synonyms.delete()
    assert len(titles("ivig")) == 2


def test_a_synonym_set_needs_two_forms():
    with pytest.raises(ValidationError) as excinfo:
        SearchSynonym(terms="IVIG\r\n\r\n").full_clean()
    assert "at least two" in str(excinfo.value)


@pytest.mark.parametrize(
    "forms",
    ['"; DROP TABLE x; --\nOR', "NEAR(a b)\n*", "<script>\n)))(((", "ä ß\n𝔘"],
)
def test_hostile_synonyms_never_break_a_search(corpus, forms):
    SearchSynonym.objects.create(terms=forms)
    for query in ("drop table", "near a b", "script", "ä", "rituximab OR"):
        search(query)[0:10]


def test_the_three_reader_queries_find_the_demo_overview_first(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    overview = "Choosing antibody therapies in polymyositis and dermatomyositis"
    for query in (
        "treating skin rash in dermatomyositis",
        "IVIG dose",
        "rituximab side effects",
        "rituximab",
    ):
        assert titles(query)[0] == overview, query


def test_a_snippet_deep_in_a_long_text_starts_at_a_word_boundary():
    make_article(
        title="Long",
        body="alphabetically " * 80 + "rituximab works well.",
        approve=True,
    )
    snippet = search("rituximab")[0:1][0].snippet
    words = snippet.replace("…", " ").split()
    assert words[0] == "alphabetically", snippet
    assert "<mark>rituximab</mark>" in snippet


def test_tiers_keep_one_order_across_page_boundaries():
    # Equal texts rank equally, so each tier is in primary-key order.
    for _ in range(3):
        make_article(title="Tacrolimus notes", body="Tacrolimus helps.", approve=True)
    ReferenceFactory.create_batch(4, title="Tacrolimus paper", summary="It helps.")
    documents = SearchDocument.objects.order_by("pk")
    expected = [
        *documents.filter(kind="article").values_list("pk", flat=True),
        *documents.exclude(kind="article").values_list("pk", flat=True),
    ]
    results = search("tacrolimus")
    assert len(results) == 7
    assert [hit.document.pk for hit in results[0:7]] == expected
    for size in (2, 3):
        pages = [results[start : start + size] for start in range(0, 7, size)]
        assert [hit.document.pk for page in pages for hit in page] == expected
    assert [hit.document.pk for hit in results[2:5]] == expected[2:5]
    assert [hit.document.pk for hit in results[5:]] == expected[5:]


def test_a_page_of_results_costs_the_same_queries_however_many_match(
    django_assert_num_queries,
):
    # PostgreSQL: the count, then one query for a page across both tiers.
    # SQLite: the count, the first tier's count, and for each tier a ranked
    # page and its rows.
    expected = {"postgresql": 2, "sqlite": 6}[connection.vendor]
    make_article(title="Belimumab", body="Belimumab in lupus.", approve=True)
    for n in (3, 30):
        ReferenceFactory.create_batch(n, summary="On belimumab.")
        results = search("belimumab")  # reads the synonym sets
        with django_assert_num_queries(expected):
            assert results.count() == (4 if n == 3 else 34)
            assert len(results[0:25]) == (4 if n == 3 else 25)


def test_a_phrase_of_common_words_alone_finds_the_same_on_both_databases(client):
    # PostgreSQL drops English stop words, even from a phrase; SQLite's index
    # keeps them and would find these (checking nearly every document).
    ReferenceFactory(title="One of the studies", summary="")
    response = client.get(reverse("portal:search"), {"q": '"of the"'})
    assert response.status_code == 200
    assert "One of the studies" not in response.content.decode()
    assert search('"of the"').count() == 0


def test_a_phrase_of_common_words_finds_them_side_by_side_only():
    ReferenceFactory(title="Muscle weakness in adults", summary="A cohort.")
    ReferenceFactory(title="Weakness of the muscle", summary="Muscle tests.")
    ReferenceFactory(title="Weakness and fatigue", summary="The muscle is sore.")
    assert titles('"muscle weakness"') == ["Muscle weakness in adults"]
    assert titles('"muscles weaknesses"') == ["Muscle weakness in adults"]
    assert titles('"weakness of the muscle"') == ["Weakness of the muscle"]
    assert titles('"weakness muscle"') == []


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="search_pairs is PostgreSQL's"
)
def test_the_pairs_index_never_loses_a_phrase_match():
    texts = [
        "Rash-like lesions on jo1 antibody positive hands; IVIG-treated at "
        "10mg/kg twice daily.",
        "Anti-MDA5 dermatomyositis after a covid19 vaccine-induced myositis, in "
        "a naïve café owner (Ösophagus).",
        "The heliotrope of the rash and the rash of the heliotrope, 7.5 mg.",
        "日本語 テキスト myositis ∑ 2x 3rd",
    ]
    for text in texts:
        ReferenceFactory(title="Notes", summary=text)
    backend, documents = PostgresBackend(), SearchDocument.objects.all()
    assert backend.phrase_pairs(parse_query('"rash like lesions"'))
    for text in texts:
        words = WORD_RE.findall(text.lower())
        for size in (2, 3):
            for start in range(len(words) - size + 1):
                query = parse_query('"' + " ".join(words[start : start + size]) + '"')
                tsquery = backend.tsquery(query)
                exact = documents.filter(search_vector=tsquery)
                assert set(backend.matching(query, documents)) == set(exact)


def test_a_readers_word_never_matches_a_documents_kind():
    # The kind is in the SQLite index too (it narrows there); a search for
    # the words of a kind must still look at the text only.
    ReferenceFactory(title="Dosing of rituximab", summary="", kind="trial")
    ReferenceFactory(title="Pooled cohorts", summary="", kind="systematic_review")
    ReferenceFactory(title="A case of calcinosis", summary="", kind="case_report")
    make_article(
        title="Exercise after a flare", summary="Move.", body="Walk.", approve=True
    )
    assert titles("trial") == []
    assert titles("systematic review") == []
    assert titles('"case report"') == []
    assert titles("article") == []
    assert titles("case") == ["A case of calcinosis"]


def test_filtering_by_kind_keeps_the_order_of_the_unfiltered_results():
    kinds = ["trial", "guideline", "systematic_review"]
    for n in range(12):
        ReferenceFactory(
            title="Tacrolimus" + " and tacrolimus" * (n % 4),
            summary="Tacrolimus in myositis. " * (n % 3),
            kind=kinds[n % 3],
        )
    make_article(title="Tacrolimus", body="Tacrolimus for the lungs.", approve=True)
    documents = SearchDocument.objects.public()
    everything = [hit.document for hit in search("tacrolimus", documents)[:50]]
    assert len(everything) == 13
    for kind in [*kinds, "article"]:
        expected = [d.pk for d in everything if d.kind == kind]
        found = search("tacrolimus", documents.of_kind(kind))
        assert found.count() == len(expected)
        assert [hit.document.pk for hit in found[:50]] == expected
        assert [hit.document.pk for hit in found[1:3]] == expected[1:3]


def test_required_kinds_reads_only_what_narrows_every_result():
    documents = SearchDocument.objects.public()
    assert required_kinds(documents) is None
    assert required_kinds(documents.of_kind("trial")) == {"trial"}
    assert required_kinds(documents.filter(kind__in=["trial", "news"])) == {
        "trial",
        "news",
    }
    assert required_kinds(
        documents.filter(kind__in=["trial", "news"]).of_kind("news")
    ) == {"news"}
    # Conditions that do not narrow every result to a kind are left out.
    assert required_kinds(documents.exclude(kind="trial")) is None
    assert required_kinds(documents.filter(Q(kind="trial") | Q(year=2020))) is None
    assert required_kinds(documents.filter(kind=F("title"))) is None


def test_filters_no_document_can_meet_find_nothing():
    ReferenceFactory(title="Rituximab", kind="trial")
    make_article(title="Rituximab", body="Rituximab.", approve=True)
    documents = SearchDocument.objects.public()
    for narrowed in (
        documents.of_kind("trial").of_kind("news"),
        documents.of_kind("article").of_kind("trial"),
        documents.filter(kind__in=[]),
    ):
        results = search("rituximab", narrowed)
        assert results.count() == 0
        assert results[0:25] == []


@pytest.mark.parametrize("kind", ['trial" OR "news', "trial*", "TRIAL", ""])
def test_a_hostile_kind_filter_finds_nothing_and_never_breaks_the_query(kind):
    ReferenceFactory(title="Rituximab", kind="trial")
    ReferenceFactory(title="Rituximab", kind="news")
    results = search("rituximab", SearchDocument.objects.public().of_kind(kind))
    assert results.count() == 0
    assert results[0:25] == []


def test_a_reference_sent_back_to_an_inbox_is_never_found_even_if_the_index_lags():
    topic = TopicFactory()
    ReferenceFactory(title="Abatacept in myositis")
    hidden = ReferenceFactory(title="Abatacept in dermatomyositis")
    # A bulk update skips the signals that keep the index in step.
    type(hidden).objects.filter(pk=hidden.pk).update(inbox_topic=topic)
    assert SearchDocument.objects.filter(reference=hidden).exists()
    assert titles("abatacept") == ["Abatacept in myositis"]
    assert search("abatacept").count() == 1


@hyp_settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    text=st.text(alphabet=st.sampled_from('ab"* ():^-ritux\u00f6\u2014'), max_size=60),
    kind=st.sampled_from(["", "trial", "article", "guideline", "nope"]),
)
def test_any_query_and_kind_posted_as_a_browser_sends_them_get_a_page(
    client, corpus, text, kind
):
    # The header form and the filters, as a browser submits them: every field,
    # empty ones included.
    response = client.get(
        reverse("portal:search"),
        {"q": text, "topic": "", "kind": kind, "year_from": "", "year_to": ""},
    )
    assert response.status_code == 200
    assert 'role="status"' in response.content.decode()


def test_a_repeated_search_is_ranked_once_per_public_change(client, settings):
    """Ranking reads every match (bm25 over all 100,000 references for a
    word every one holds): the page's results are a public fragment, so
    the same query, filters and page rank again only after a public
    change; the count still runs each time (it says how many)."""
    settings.PORTAL_PAGE_CACHE_SECONDS = 0  # the fragment, not the whole page
    ReferenceFactory.create_batch(3, title="Belimumab cohort", summary="On belimumab.")
    url = reverse("portal:search")

    def ranked_queries(found):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"q": "belimumab"})
        assert response.content.decode().count("Belimumab cohort") == found
        return sum("bm25" in q["sql"] or "ts_rank" in q["sql"] for q in queries)

    first = ranked_queries(3)
    assert first > 0
    assert ranked_queries(3) == 0
    ReferenceFactory(title="Belimumab cohort", summary="A fourth.")  # public change
    assert ranked_queries(4) == first
