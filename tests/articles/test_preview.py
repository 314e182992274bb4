"""The edit form's preview: the draft as readers will see it, nothing saved."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article, ReviewEvent
from portal.models import GlossaryTerm
from tests.articles.test_editorial_views import browser_form
from tests.factories import ReferenceFactory, TopicFactory, editor, make_article

pytestmark = pytest.mark.django_db

DRAFT = (
    "Adults start on glucocorticoids [@bohan-1975].\n\n"
    "## Treatment\n\n"
    "| Drug | Dose |\n|---|---|\n| Prednisone | 1 mg/kg |\n\n"
    "/// recommendation | strength=strong certainty=moderate\n"
    "We recommend IVIG in refractory dermatomyositis [@ivig-2017].\n"
    "///\n"
)
PLAIN = "Your doctor may suggest IVIG [@ivig-2017]. It can help the skin rash.\n"


@pytest.fixture
def writer():
    return editor()


@pytest.fixture
def article(writer):
    ReferenceFactory(citation_key="bohan-1975", title="Bohan and Peter criteria")
    ReferenceFactory(citation_key="ivig-2017", title="IVIG in dermatomyositis")
    return make_article(body="Old text.", author=writer, approve=True)


def preview(client, article, **changes):
    data = browser_form(article, **changes)
    data["preview"] = "1"
    return client.post(reverse("editorial:edit", args=[article.pk]), data)


def test_preview_shows_the_draft_rendered_as_readers_will_see_it(
    client, writer, article
):
    GlossaryTerm.objects.create(
        term="IVIG", slug="ivig", definition="Antibodies from donated blood."
    )
    client.force_login(writer)
    response = preview(client, article, body=DRAFT, plain_body=PLAIN)
    assert response.status_code == 200
    html = response.content.decode()
    shown = html[html.index('id="preview"') : html.index("article-form")]
    # Citations numbered by first use, in both texts, one reference list.
    assert 'href="#ref-1"' in shown and 'href="#ref-2"' in shown
    assert shown.count('class="reference-list"') == 1
    assert "Bohan and Peter criteria" in shown and "IVIG in dermatomyositis" in shown
    # The recommendation box, at a glance and in the text, and the table.
    assert "Recommendations at a glance" in shown
    assert 'id="recommendation-1"' in shown and "Strong recommendation" in shown
    assert "<td>1 mg/kg</td>" in shown
    # The plain-language version, its ids apart, its medical words explained.
    assert "Plain-language version, for patients" in shown
    assert 'id="plain-cite-2-' in shown
    assert "Antibodies from donated blood." in shown


def test_preview_saves_nothing_and_keeps_the_text_as_typed(client, writer, article):
    client.force_login(writer)
    events = ReviewEvent.objects.count()
    html = preview(client, article, body=DRAFT).content.decode()
    article.refresh_from_db()
    assert (article.version, article.body) == (1, "Old text.")
    assert ReviewEvent.objects.count() == events
    # The textarea holds the text as typed (Django drops the one leading
    # newline a browser adds), ready to be saved.
    assert "We recommend IVIG in refractory dermatomyositis [@ivig-2017]." in html
    assert f'name="loaded_version" value="{article.version}"' in html


def test_a_preview_is_refused_as_a_save_would_be_naming_the_line(
    client, writer, article
):
    client.force_login(writer)
    response = preview(client, article, body="First line.\n\nCites [@nobody-2020].")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="preview"' not in html
    banner = html[html.index('class="refusals"') :]
    assert "@nobody-2020" in banner and "line 3" in banner.lower()


def test_a_new_article_is_previewed_without_being_created(client, writer, article):
    client.force_login(writer)
    data = browser_form(article, body=DRAFT, title="A new one", slug="a-new-one")
    data["preview"] = "1"
    data["topic"] = str(TopicFactory().pk)
    response = client.post(reverse("editorial:create"), data)
    assert response.status_code == 200
    assert 'id="preview"' in response.content.decode()
    assert not Article.objects.filter(slug="a-new-one").exists()


def test_hostile_text_is_previewed_as_it_would_be_published(client, writer, article):
    client.force_login(writer)
    html = preview(
        client, article, body='<script>alert(1)</script><img src=x onerror="alert(2)">'
    ).content.decode()
    shown = html[html.index('id="preview"') : html.index("article-form")]
    assert "<script>alert" not in shown and "onerror" not in shown


def test_a_preview_costs_the_same_queries_however_many_references_it_cites(
    client, writer, article
):
    client.force_login(writer)
    counts = []
    for n in (1, 6):
        keys = [ReferenceFactory().citation_key for _ in range(n)]
        body = " ".join(f"Point [@{key}]." for key in keys)
        with CaptureQueriesContext(connection) as queries:
            assert preview(client, article, body=body).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
