"""An article page as readers get it (issue 24): the reader bar, the side
column, plain words about the review, and what only paper shows. Positions
and printing are measured in real Chromium (tests/browser/test_first_screen).
"""

import re

import pytest

from articles import services, workflow
from tests.factories import (
    ReferenceFactory,
    advance_to,
    board_member,
    make_article,
)

pytestmark = pytest.mark.django_db

BODY = "## First\n\nA [@marie-2011].\n\n## Second\n\nB."


@pytest.fixture
def article():
    ReferenceFactory(citation_key="marie-2011", title="Therapy of polymyositis")
    return make_article(
        slug="antibodies",
        title="Antibody therapy",
        body=BODY,
        plain_body="## Plain first\n\nA [@marie-2011].\n\n## Plain second\n\nB.",
        approve=True,
    )


def bar_of(html):
    start = html.index('<div class="reader-bar">')
    return html[start : html.index("</header>", start)]


def test_the_plain_version_says_what_the_review_means_without_its_steps(
    client, article
):
    html = client.get(article.get_absolute_url(), {"version": "plain"}).content
    bar = bar_of(html.decode())
    date = article.live.approved_at.strftime("%-d %B %Y")
    assert re.search(rf"Checked by our medical board on <time[^>]*>{date}</time>", bar)
    assert "A doctor on our medical board checked this page" in bar
    assert "stepper" not in bar and "Under review" not in bar


def test_the_clinical_version_keeps_the_review_steps_in_the_bar(client, article):
    bar = bar_of(client.get(article.get_absolute_url()).content.decode())
    assert "Approved by the editorial board · reviewed" in bar
    assert bar.count("stepper__step--done") == 3


def test_the_bar_folds_the_version_choice_and_the_contents(client, article):
    html = client.get(article.get_absolute_url(), {"version": "plain"}).content
    bar = bar_of(html.decode())
    assert bar.count("<details") == 3  # review, version, contents
    assert "<details open" not in bar and " open>" not in bar
    assert 'name="audience"' in bar
    assert '<nav class="reader-bar__panel" aria-label="On this page">' in bar
    assert 'href="#h-plain-first"' in bar


def test_the_side_column_holds_the_contents_and_the_review_facts(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    side = html[html.index('<div class="article__side">') :]
    side = side[: side.index('<div class="article__body">')]
    assert '<nav class="contents" aria-labelledby="contents-heading">' in side
    assert side.index('href="#h-first"') < side.index('href="#h-second"')
    assert "Last reviewed" in side and "Next review due" in side
    assert "Literature current through" in side


def test_paper_gets_the_review_dates_and_the_address_of_the_version(client, article):
    for version in ("plain", "clinical"):
        html = client.get(article.get_absolute_url(), {"version": version}).content
        line = re.search(
            r'<p class="print-only print-facts">(.*?)</p>', html.decode(), re.S
        ).group(1)
        assert "http://testserver/articles/antibodies/?version=" + version in line
        assert article.live.approved_at.strftime("%-d %B %Y") in line


def approve_update(article, text, change_class):
    article.body += f"\n\n{text}"
    services.save_article(article=article, user=article.author)
    advance_to(article, article.Status.IN_REVIEW)
    workflow.approve(
        article=article,
        user=board_member(),
        note=workflow.ChangeNote(text=text, change_class=change_class),
    )


def test_what_changed_is_one_line_unless_it_changes_practice(client, article):
    approve_update(article, "Wording brought up to date.", "minor")
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<details class="reader-bar__item what-changed">' in html
    assert "Wording brought up to date." in html
    approve_update(article, "Rituximab is now advised first.", "practice-changing")
    html = client.get(article.get_absolute_url()).content.decode()
    assert (
        '<details class="reader-bar__item what-changed what-changed--practice" open>'
        in html
    )
    assert "Rituximab is now advised first." in html
