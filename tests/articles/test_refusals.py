"""Refusals at the top: every refused save or action on an editorial screen
is listed in one banner above the page, each problem with its line and a
link to its field, and what was typed is kept."""

import pytest
from django.test import Client
from django.urls import reverse

from articles import services
from articles.models import Article
from tests.articles.test_editorial_views import browser_form
from tests.factories import (
    ReferenceFactory,
    advance_to,
    board_member,
    editor,
    make_article,
)

pytestmark = pytest.mark.django_db


def banner(html):
    """The refusal banner, which must come before the page's heading."""
    start = html.index('class="refusals"')
    assert start < html.index("<h1")
    return html[start : html.index("</div>", start)]


def test_an_unknown_citation_key_is_listed_at_the_top_with_its_line_and_field():
    ReferenceFactory(citation_key="known-2019")
    writer = editor()
    article = make_article(body="Old.", author=writer)
    text = "Known [@known-2019].\n\nA second paragraph\ncites [@missing-2020]."
    client = Client()
    client.force_login(writer)
    response = client.post(
        reverse("editorial:edit", args=[article.pk]), browser_form(article, body=text)
    )
    assert response.status_code == 200
    html = response.content.decode()
    shown = banner(html)
    assert "Not saved: 1 problem to fix." in shown
    assert '<a href="#id_body" data-line="4">Body, line 4</a>' in shown
    assert "@missing-2020" in shown and "@known-2019" not in shown
    # The text is kept as typed.
    assert "A second paragraph\r\ncites [@missing-2020].</textarea>" in html
    article.refresh_from_db()
    assert article.body == "Old."


def test_each_problem_is_listed_block_faults_and_fields_alike(client):
    writer = editor()
    article = make_article(body="Old.", author=writer)
    text = "Intro.\n\n/// recommendation | strength=huge\nDo it.\n///\n"
    client.force_login(writer)
    html = client.post(
        reverse("editorial:edit", args=[article.pk]),
        browser_form(article, body=text, title=""),
    ).content.decode()
    shown = banner(html)
    assert "Not saved: 3 problems to fix." in shown
    assert "cites no evidence" in shown
    assert '<a href="#id_title">Title</a>' in shown
    assert 'href="#id_body" data-line="3">Body, line 3</a>' in shown


def test_a_save_over_a_newer_version_is_refused_in_the_banner_with_the_diff_link(
    client,
):
    writer = editor()
    article = make_article(body="Old.", author=writer)
    form = browser_form(article, body="Mine.")
    article.body = "Theirs."
    services.save_article(article=article, user=writer)
    client.force_login(writer)
    html = client.post(
        reverse("editorial:edit", args=[article.pk]), form
    ).content.decode()
    shown = banner(html)
    assert "Someone else saved this article" in shown
    assert "Compare your starting version" in shown
    assert "Mine.</textarea>" in html


def test_a_refused_approval_is_listed_at_the_top_and_keeps_the_typed_comment(client):
    article = advance_to(make_article(body="Text.", approve=True), Article.Status.DRAFT)
    article.body = "New text."
    services.save_article(article=article, user=article.author)
    article = advance_to(article, Article.Status.IN_REVIEW)
    reviewer = board_member()
    client.force_login(reviewer)
    url = reverse("editorial:transition", args=[article.pk])
    response = client.post(
        url,
        {
            "action": "approve",
            "comment": "Checked every dose.",
            "version": str(article.version),
            "change_note": "",
            "change_class": "",
        },
        follow=True,
    )
    html = response.content.decode()
    shown = banner(html)
    assert "Not done" in shown and "change" in shown.lower()
    assert ">Checked every dose.</textarea>" in html
    # Listed once: not again in the messages below the banner.
    assert 'class="messages"' not in html
    # Once: the next visit starts with an empty form.
    html = client.get(reverse("editorial:review", args=[article.pk])).content.decode()
    assert "Checked every dose." not in html and 'class="refusals"' not in html


def test_the_literature_screens_use_the_same_banner(client):
    client.force_login(editor())
    html = client.post(
        reverse("references_editorial:add"), {"title": "", "identifier": ""}
    ).content.decode()
    assert "Not saved" in banner(html)


def test_a_fault_quoting_percent_signs_is_listed_as_typed(client):
    writer = editor()
    article = make_article(body="Old.", author=writer)
    text = "/// recommendation | strength=%(line)s%s certainty=low\nDo it [@x].\n///\n"
    client.force_login(writer)
    response = client.post(
        reverse("editorial:edit", args=[article.pk]), browser_form(article, body=text)
    )
    assert response.status_code == 200
    assert "%(line)s%s" in banner(response.content.decode())
