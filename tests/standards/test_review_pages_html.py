"""The screens of issue 21 are valid HTML (W3C Nu checker): the edit form's
preview, a refused save with its banner, and the review page's rendered
changes against the live version and against the last round."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from articles import services, workflow
from articles.models import Article
from tests.articles.test_editorial_views import browser_form
from tests.standards.test_html_validity import _check

pytestmark = pytest.mark.django_db

# A revision touching what the rendered diff marks: a recommendation's grade
# and wording, a dose in a list, a new section, the plain-language text.
EDITS = [
    ("strength=conditional certainty=low", "strength=strong certainty=low"),
    ("methotrexate from 15 mg up", "methotrexate from 10 mg up"),
    ("IVIG is the backup", "IVIG is the second choice"),
]


def revise(article, user, edits, note):
    for old, new in edits:
        article.body = article.body.replace(old, new, 1)
        article.plain_body = article.plain_body.replace(old, new, 1)
    article.body += (
        "\n\n## A new section\n\n| Drug | Dose |\n|---|---|\n| IVIG | 2 g/kg |\n"
    )
    services.save_article(article=article, user=user, comment=note)


def test_preview_refusal_and_rendered_changes_have_no_html_errors(
    client, settings, tmp_path
):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    users = get_user_model().objects
    editor, board = users.get(username="editor"), users.get(username="board")
    article = Article.objects.get(slug="antibody-therapy-pm-dm")
    edit = reverse("editorial:edit", args=[article.pk])
    responses = []

    client.force_login(editor)
    data = browser_form(article, body=article.body.replace("15 mg", "10 mg"))
    data["preview"] = "1"
    responses.append(client.post(edit, data))
    responses.append(
        client.post(edit, browser_form(article, body="Cites [@nobody-2020].", title=""))
    )

    # A round: submitted, sent back, revised again; then both comparisons.
    revise(article, editor, EDITS, "Grades and doses")
    workflow.submit(article=article, user=editor)
    workflow.start_review(article=article, user=board)
    workflow.transition(
        "request_changes", article=article, user=board, comment="Check the dose."
    )
    revise(article, editor, [("from 10 mg up", "from 12.5 mg up")], "Dose")
    workflow.submit(article=article, user=editor)
    client.force_login(board)
    review = reverse("editorial:review", args=[article.pk])
    responses.append(client.get(review + "?against=live"))
    responses.append(client.get(review + "?against=round"))

    files = []
    for number, response in enumerate(responses):
        assert response.status_code == 200
        path = tmp_path / f"{number:02d}.html"
        path.write_bytes(response.content)
        files.append(path)
    html = responses[2].content.decode()
    assert 'class="change-summary"' in html and "<ins>" in html
    assert "strength: Conditional recommendation → Strong recommendation" in html
    html = responses[3].content.decode()
    assert "last reviewed" in html and "<del>10</del><ins>12.5</ins>" in html
    assert _check(files) == []
