"""Reference lists are rendered once per public change, for readers and editors."""

import pytest

from references.models import Reference
from references.templatetags import citations
from tests.factories import EntryFactory, ReferenceFactory, editor, make_article

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]


@pytest.fixture
def article():
    references = ReferenceFactory.create_batch(3)
    body = " ".join(f"Claim [@{r.citation_key}]." for r in references)
    return make_article(body=body, approve=True), references


def test_the_reference_list_is_rendered_once(client, article, monkeypatch):
    article, references = article
    url = article.get_absolute_url()
    first = client.get(url).content.decode()

    def fail(*args, **kwargs):
        raise AssertionError("the reference list was rendered again")

    monkeypatch.setattr(citations, "stored_citation", fail)
    second = client.get(url).content.decode()
    assert second == first
    assert references[0].citation_vancouver in second


def test_a_reference_edit_shows_at_once_for_readers_and_editors(client, article):
    article, references = article
    url = article.get_absolute_url()
    client.get(url)
    references[0].title = "A renamed study of dermatomyositis"
    references[0].save()
    assert "A renamed study of dermatomyositis" in client.get(url).content.decode()

    client.force_login(editor())
    references[1].title = "Another renamed study"
    references[1].save()
    assert "Another renamed study" in client.get(url).content.decode()


def test_a_topic_section_shows_a_reference_edit_at_once(client):
    entry = EntryFactory(reference__title="A first study of myositis")
    url = entry.section.topic.get_absolute_url()
    assert "A first study of myositis" in client.get(url).content.decode()
    entry.reference.title = "A retitled study of myositis"
    entry.reference.save()
    page = client.get(url).content.decode()
    assert "A retitled study of myositis" in page
    assert "A first study of myositis" not in page


def test_each_topic_section_is_rendered_once(client, monkeypatch):
    entry = EntryFactory()
    url = entry.section.topic.get_absolute_url()
    first = client.get(url).content.decode()
    monkeypatch.setattr(
        Reference, "source_line", property(lambda self: pytest.fail("rendered again"))
    )
    assert client.get(url).content.decode() == first


def test_a_literature_page_is_rendered_once_per_filter_and_page(client, monkeypatch):
    trial = ReferenceFactory(title="A placebo-controlled trial", kind="trial")
    ReferenceFactory(title="A case of dermatomyositis", kind="case_report")
    everything = client.get("/literature/").content.decode()
    trials = client.get("/literature/", {"kind": "trial"}).content.decode()
    assert "A case of dermatomyositis" in everything
    assert "A case of dermatomyositis" not in trials
    assert "A placebo-controlled trial" in trials

    monkeypatch.setattr(
        Reference, "source_line", property(lambda self: pytest.fail("rendered again"))
    )
    assert client.get("/literature/").content.decode() == everything
    monkeypatch.undo()

    trial.title = "A renamed placebo-controlled trial"
    trial.save()
    assert "A renamed placebo-controlled trial" in (
        client.get("/literature/", {"kind": "trial"}).content.decode()
    )
