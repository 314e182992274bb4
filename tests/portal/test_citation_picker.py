"""The citation picker (issue 21, item 3): editors find a reference by author,
title, year, DOI, PMID or key and get its [@key]; an unknown key refused on
save names its line and offers to add the reference."""

import pytest
from django.urls import reverse

from portal.citation_picker import find_references
from references import services
from references.models import Reference
from tests.articles.test_editorial_views import browser_form
from tests.factories import (
    ReferenceFactory,
    TopicFactory,
    UserFactory,
    board_member,
    editor,
    make_article,
)

pytestmark = pytest.mark.django_db

PICKER = reverse("portal:cite")


@pytest.fixture
def library():
    return {
        "marie": ReferenceFactory(
            citation_key="marie-2011",
            title="Treatment of polymyositis and dermatomyositis",
            authors="Marie, Isabelle\nHachulla, Eric",
            source="Autoimmun Rev",
            year=2011,
            doi="10.1016/j.autrev.2011.04.010",
            pmid="21504801",
        ),
        "oddis": ReferenceFactory(
            citation_key="Oddis-2013",
            title="Rituximab in the treatment of refractory adult myositis",
            authors="Oddis, Chester V",
            source="Arthritis Rheum",
            year=2013,
        ),
        "waiting": services.add_to_inbox(
            reference=Reference(
                title="Lenabasum for refractory skin disease",
                authors="Werth, Victoria P",
                source="Arthritis Rheumatol",
                year=2022,
                citation_key="werth-2022",
            ),
            topic=TopicFactory(),
            user=None,
        ),
    }


def keys(text):
    return [found.reference.citation_key for found in find_references(text)]


@pytest.mark.parametrize(
    "text, first",
    [
        ("10.1016/j.autrev.2011.04.010", "marie-2011"),
        ("https://doi.org/10.1016/J.AUTREV.2011.04.010", "marie-2011"),
        ("21504801", "marie-2011"),
        ("https://pubmed.ncbi.nlm.nih.gov/21504801/", "marie-2011"),
        ("@marie-2011", "marie-2011"),
        ("oddis-2013", "Oddis-2013"),
        ("odd", "Oddis-2013"),
        ("Hachulla", "marie-2011"),
        ("refractory myositis rituximab", "Oddis-2013"),
        ("oddis 2013", "Oddis-2013"),
        ("werth", "werth-2022"),
        ("lenabasum 2022", "werth-2022"),
    ],
)
def test_the_library_is_found_by_every_way_in(library, text, first):
    assert keys(text)[0] == first


def test_each_reference_is_found_once(library):
    assert keys("marie-2011").count("marie-2011") == 1


def test_inbox_references_are_marked(library):
    [found] = find_references("lenabasum")
    assert found.in_inbox
    assert not find_references("marie-2011")[0].in_inbox


@pytest.mark.parametrize(
    "text",
    ["", "   ", "[@", "@", "%", "_", "'\"<script>", "a" * 5000, "\x00\x01", "-", "*"],
)
def test_hostile_searches_answer_quietly(client, library, text):
    client.force_login(editor())
    response = client.get(PICKER, {"q": text, "format": "json"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


def test_the_json_answer_the_script_reads(client, library):
    client.force_login(editor())
    data = client.get(PICKER, {"q": "lenabasum", "format": "json"}).json()
    assert data["results"] == [
        {
            "key": "werth-2022",
            "title": "Lenabasum for refractory skin disease",
            "authors": "Werth, Victoria P",
            "year": 2022,
            "source": "Arthritis Rheumatol",
            "inbox": True,
            "url": library["waiting"].get_absolute_url(),
        }
    ]


def test_without_script_the_page_lists_keys_to_copy(client, library):
    client.force_login(editor())
    page = client.get(PICKER, {"q": "treatment"}).content.decode()
    assert "[@Oddis-2013]" in page and "[@marie-2011]" in page
    page = client.get(PICKER, {"q": "lenabasum"}).content.decode()
    assert "In the curation inbox" in page


def test_a_search_costs_the_same_queries_whatever_the_library_holds(
    client, library, django_assert_max_num_queries
):
    client.force_login(editor())
    client.get(PICKER, {"q": "myositis", "format": "json"})
    with django_assert_max_num_queries(12) as few:
        client.get(PICKER, {"q": "myositis 2013", "format": "json"})
    for n in range(40):
        ReferenceFactory(title=f"Myositis study {n}", year=2013)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(PICKER, {"q": "myositis 2013", "format": "json"})


@pytest.mark.parametrize(
    "who, status",
    [("anonymous", 302), ("editor", 200), ("board", 403), ("admin", 200)],
)
def test_only_those_who_write_articles_use_the_picker(client, library, who, status):
    people = {
        "editor": editor,
        "board": board_member,
        "admin": lambda: UserFactory(is_superuser=True),
    }
    if who != "anonymous":
        client.force_login(people[who]())
    assert client.get(PICKER, {"q": "marie"}).status_code == status


def test_the_edit_form_offers_the_picker(client, library):
    client.force_login(editor())
    page = client.get(reverse("editorial:create")).content.decode()
    assert 'id="citation-search"' in page and 'form="citation-search"' in page
    assert "js/citation-picker.js" in page


def test_an_unknown_key_is_refused_with_its_line_and_an_offer_to_add_it(
    client, library
):
    user = editor()
    article = make_article(body="Intro.", author=user)
    client.force_login(user)
    body = "# Treatment\n\nRituximab [@Oddis-2013].\n\nIVIg helps [@dalakas-1993].\n"
    response = client.post(
        reverse("editorial:edit", args=[article.pk]), browser_form(article, body=body)
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Line 5: unknown citation key @dalakas-1993." in page
    add = (
        "/editorial/literature/add/?citation_key=dalakas-1993"
        f"&amp;topic={article.topic.slug}"
    )
    assert add in page
    # The text typed is kept.
    assert "IVIg helps [@dalakas-1993]." in page
    added = client.get(add.replace("&amp;", "&")).content.decode()
    assert 'value="dalakas-1993"' in added


def test_an_unknown_key_that_is_a_pmid_is_offered_for_look_up(client, library):
    user = editor()
    article = make_article(body="Intro.", author=user)
    client.force_login(user)
    response = client.post(
        reverse("editorial:edit", args=[article.pk]),
        browser_form(article, plain_body="Shown [@8128227]."),
    )
    page = response.content.decode()
    assert "Line 1: unknown citation key @8128227." in page
    assert "identifier=8128227" in page
    form = client.get("/editorial/literature/add/?identifier=8128227").content
    assert b'value="8128227"' in form


def test_the_add_form_keeps_the_key_it_was_given(client, library):
    client.force_login(editor())
    topic = TopicFactory()
    response = client.post(
        "/editorial/literature/add/",
        {
            "identifier": "",
            "topic": topic.pk,
            "kind": "trial",
            "item_type": "article",
            "title": "High-dose intravenous immune globulin for dermatomyositis",
            "authors": "Dalakas, Marinos C\r\n",
            "source": "N Engl J Med",
            "year": "1993",
            "month": "",
            "day": "",
            "volume": "",
            "issue": "",
            "pages": "",
            "doi": "",
            "pmid": "",
            "url": "",
            "abstract": "",
            "summary": "",
            "citation_key": "dalakas-1993",
        },
    )
    assert response.status_code == 302
    assert Reference.objects.get(citation_key="dalakas-1993").is_in_inbox


def test_a_new_article_citing_an_unknown_key_gets_the_same_offer(client, library):
    client.force_login(editor())
    topic = TopicFactory()
    response = client.post(
        reverse("editorial:create"),
        {
            "topic": str(topic.pk),
            "title": "New",
            "slug": "",
            "summary": "",
            "body": "First line.\r\nSecond cites [@nobody-1999].",
            "plain_summary": "",
            "plain_body": "",
            "change_note": "",
            "loaded_version": "",
        },
    )
    page = response.content.decode()
    assert "Line 2: unknown citation key @nobody-1999." in page
    assert "citation_key=nobody-1999" in page
