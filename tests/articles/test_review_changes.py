"""The review page's rendered changes, through the real page: what it costs,
what it says, and that nothing an editor typed runs in it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import services, workflow
from articles.models import Article
from tests.factories import (
    ReferenceFactory,
    advance_to,
    board_member,
    editor,
    make_article,
)

pytestmark = pytest.mark.django_db

BOX = (
    "/// recommendation | strength=conditional certainty=low\n"
    "We suggest IVIG [@{key}].\n///\n"
)


def revised(n_sections, key):
    """A live article revised in ``n_sections`` sections, its box regraded."""
    writer = editor()
    body = BOX.format(key=key) + "".join(
        f"\n## Part {i}\n\nDose {i} mg [@{key}].\n" for i in range(n_sections)
    )
    # The box cites a reference with no identifier: the approver says so.
    article = make_article(
        body=body,
        author=writer,
        approve=True,
        approval_comment="The box rests on an unidentified source for now.",
    )
    article = advance_to(article, Article.Status.DRAFT)
    article.body = body.replace("conditional", "strong").replace(" mg", " mg daily")
    extra = [ReferenceFactory().citation_key for _ in range(n_sections)]
    article.body += "".join(f"\nNew point [@{k}].\n" for k in extra)
    services.save_article(article=article, user=writer)
    workflow.submit(article=article, user=writer)
    return article


@pytest.mark.parametrize("against", ["live", "round"])
def test_the_review_page_costs_the_same_queries_however_large_the_change(
    client, against
):
    key = ReferenceFactory().citation_key
    reviewer = board_member()
    client.force_login(reviewer)
    counts = []
    for n in (1, 8):
        article = revised(n, key)
        if against == "round":
            workflow.start_review(article=article, user=reviewer)
            workflow.transition(
                "request_changes", article=article, user=reviewer, comment="Again."
            )
            article.body += "\nOne more line.\n"
            services.save_article(article=article, user=article.author)
            workflow.submit(article=article, user=article.author)
        url = reverse("editorial:review", args=[article.pk]) + f"?against={against}"
        with CaptureQueriesContext(connection) as queries:
            html = client.get(url).content.decode()
        assert 'class="change-summary"' in html
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_summary_says_how_a_recommendation_changed_and_links_to_it(client):
    key = ReferenceFactory(title="The IVIG trial").citation_key
    article = revised(2, key)
    client.force_login(board_member())
    html = client.get(reverse("editorial:review", args=[article.pk])).content.decode()
    summary = html[html.index('class="change-summary"') : html.index("rendered-diff")]
    assert "Recommendation 1" in summary
    assert "strength: Conditional recommendation → Strong recommendation" in summary
    assert "certainty" not in summary  # unchanged
    assert "References added" in summary
    assert "Part 0" in summary and "Part 1" in summary
    for anchor in ("diff-change-1", "diff-change-2"):
        assert f'href="#{anchor}"' in summary and f'id="{anchor}"' in html


def test_nothing_an_editor_typed_runs_in_the_rendered_changes(client):
    writer = editor()
    hostile = (
        "<script>alert(1)</script> <img src=x onerror=alert(2)> "
        "[x](javascript:alert(3)) <a href='#' onclick='alert(4)'>y</a>"
    )
    article = make_article(body="Safe.", author=writer, approve=True)
    article = advance_to(article, Article.Status.DRAFT)
    article.body = "Safe.\n\n" + hostile + '\n\n"><svg onload=alert(5)>'
    services.save_article(article=article, user=writer)
    client.force_login(board_member())
    html = client.get(reverse("editorial:review", args=[article.pk])).content.decode()
    diff = html[
        html.index('class="rendered-diff"') : html.index('class="markdown-diff"')
    ]
    assert "<ins>" in diff
    for payload in ("<script", "onerror", "javascript:", "onclick", "<svg", "onload"):
        assert payload not in diff.lower(), payload
    # What the sanitiser let through is shown, escaped again.
    assert '<p><ins>"&gt;</ins></p>' in diff
