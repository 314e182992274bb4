"""Parts of public pages are rendered once per public change, for readers and
editors, and never outlive what they show."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from articles import services, workflow
from articles.models import Disclosure
from portal import audience
from references.models import Reference
from references.templatetags import citations
from tests.factories import (
    EntryFactory,
    ReferenceFactory,
    TopicFactory,
    editor,
    make_article,
)

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
    assert f">{references[0].title}</a>" in second


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


@pytest.fixture
def bilingual_article():
    """An approved article with a clinical and a plain-language text."""
    return make_article(
        body="Clinical text on rituximab.",
        plain_body="Plain words about a medicine called rituximab.",
        approve=True,
    )


def test_an_article_page_is_rendered_once_per_reader_choice(
    client, bilingual_article, monkeypatch
):
    url = bilingual_article.get_absolute_url()
    clinical = client.get(url).content.decode()
    plain = client.get(url, {"version": "plain"}).content.decode()
    assert "Clinical text on rituximab." in clinical
    assert "Plain words about a medicine" in plain
    assert "Plain words about a medicine" not in clinical

    def fail(*args, **kwargs):
        raise AssertionError("the article was rendered again")

    monkeypatch.setattr(audience, "article_text", fail)
    assert client.get(url).content.decode() == clinical
    assert client.get(url, {"version": "plain"}).content.decode() == plain
    client.cookies[audience.COOKIE] = audience.Audience.PATIENT
    # A patient who chose once gets the plain text, rendered for that choice.
    monkeypatch.undo()
    patient = client.get(url).content.decode()
    assert "Plain words about a medicine" in patient
    assert 'value="patient" checked' in patient


def test_an_editor_gets_the_readers_stored_article_page(client, bilingual_article):
    url = bilingual_article.get_absolute_url()
    reader = client.get(url).content.decode()
    client.force_login(editor())
    assert client.get(url).content.decode() == reader


@pytest.mark.parametrize("page_cache", [True, False])
def test_an_update_sent_to_the_board_shows_on_the_page_at_once(
    client, settings, page_cache
):
    settings.PORTAL_PAGE_CACHE_SECONDS = 600 if page_cache else 0
    article = make_article(body="First approved text.", approve=True)
    url = article.get_absolute_url()
    note = "An updated version of this article is being reviewed"
    assert note not in client.get(url).content.decode()
    article.body = "A newer text for the board."
    services.save_article(article=article, user=article.author)
    workflow.submit(article=article, user=article.author)
    page = client.get(url).content.decode()
    assert note in page
    assert "First approved text." in page


def test_a_declaration_of_interests_shows_on_the_article_at_once(client):
    article = make_article(approve=True)
    url = article.get_absolute_url()
    assert "declaration due" not in client.get(url).content.decode()
    Disclosure.objects.create(
        user=article.author,
        statement="No interests to declare.",
        declared_on=timezone.localdate() - datetime.timedelta(days=800),
    )
    assert "declaration due" in client.get(url).content.decode()


def test_an_authors_new_name_shows_on_the_article_at_once(client):
    article = make_article(approve=True)
    url = article.get_absolute_url()
    client.get(url)
    article.author.first_name, article.author.last_name = "Ada", "Renamed"
    article.author.save()
    assert "Ada Renamed" in client.get(url).content.decode()


def test_the_stored_article_page_follows_the_date(client, monkeypatch):
    article = make_article(approve=True)
    url = article.get_absolute_url()
    overdue = "This article has reached its review date"
    assert overdue not in client.get(url).content.decode()
    due = article.live.next_review_due
    monkeypatch.setattr(timezone, "localdate", lambda *args: due)
    assert overdue in client.get(url).content.decode()


def test_each_site_address_gets_its_own_absolute_links(client, settings):
    settings.ALLOWED_HOSTS = ["portal.example.org", "mirror.example.net"]
    article = make_article(approve=True)
    url = article.get_absolute_url()
    first = client.get(url, HTTP_HOST="portal.example.org").content.decode()
    second = client.get(url, HTTP_HOST="mirror.example.net").content.decode()
    # The test client speaks plain HTTP: the canonical link and "Cite this
    # page" name the address the reader asked for.
    assert 'href="http://portal.example.org/articles/' in first
    assert 'href="http://mirror.example.net/articles/' in second
    assert "portal.example.org" not in second


def test_a_page_pending_review_is_never_kept(client, settings):
    settings.PORTAL_SHOW_UNREVIEWED = True
    article = make_article(body="The first draft.")
    workflow.submit(article=article, user=article.author)
    url = article.get_absolute_url()
    assert "The first draft." in client.get(url).content.decode()
    article.refresh_from_db()
    workflow.withdraw(article=article, user=article.author)
    article.body = "The second draft."
    services.save_article(article=article, user=article.author)
    workflow.submit(article=article, user=article.author)
    page = client.get(url).content.decode()
    assert "The second draft." in page
    assert "The first draft." not in page


def test_the_home_page_shows_a_new_approval_at_once(client):
    make_article(title="The first reviewed article", approve=True)
    assert "The first reviewed article" in client.get("/").content.decode()
    make_article(title="A second reviewed article", approve=True)
    assert "A second reviewed article" in client.get("/").content.decode()


def test_a_topic_page_shows_a_new_overview_and_link_at_once(client):
    first = make_article(title="A topic's first article", approve=True)
    topic = first.topic
    url = topic.get_absolute_url()
    assert "The overview for this topic is still being reviewed." in (
        client.get(url).content.decode()
    )
    make_article(
        title="The topic's overview", topic=topic, is_overview=True, approve=True
    )
    other = make_article(title="Another topic's article", approve=True).topic
    topic.also_see.add(other)
    page = client.get(url).content.decode()
    assert "The topic&#x27;s overview" in page or "The topic's overview" in page
    assert other.get_absolute_url() in page


def test_a_reference_page_keeps_its_public_parts_and_not_the_editors(
    client, django_assert_num_queries
):
    entry = EntryFactory(reference__title="A kept study of myositis")
    reference = entry.reference
    url = reference.get_absolute_url()
    reader = client.get(url).content.decode()
    assert "A kept study of myositis" in reader
    assert entry.section.title in reader
    with django_assert_num_queries(1):
        assert client.get(url).content.decode() == reader
    assert "Citation key (editors only)" not in reader

    client.force_login(editor())
    page = client.get(url).content.decode()
    assert "Citation key (editors only)" in page
    assert reference.citation_key in page


def test_a_reference_in_an_inbox_is_rendered_afresh_for_editors(client):
    reference = ReferenceFactory(title="A waiting study")
    # The inbox is set by the curation service in real use; the row is enough.
    Reference.objects.filter(pk=reference.pk).update(
        inbox_topic=EntryFactory().section.topic
    )
    client.force_login(editor())
    url = reference.get_absolute_url()
    assert "A waiting study" in client.get(url).content.decode()
    Reference.objects.filter(pk=reference.pk).update(summary="Edited while waiting.")
    # No public change was signalled, and still the editor sees the edit.
    assert "Edited while waiting." in client.get(url).content.decode()
    client.logout()
    assert client.get(url).status_code == 404


def test_the_search_filters_show_each_readers_choice_and_a_new_topic_at_once(client):
    first = TopicFactory(title="Inclusion body myositis", slug="ibm")
    url = reverse("portal:search")
    mine = client.get(url, {"q": "rituximab", "topic": "ibm", "kind": "trial"})
    page = mine.content.decode()
    assert '<option value="ibm" selected>' in page
    assert '<option value="trial" selected>' in page
    # Another reader's choices, then the first reader's again.
    other = client.get(url, {"q": "ivig", "year_from": "2010"}).content.decode()
    assert "selected>" not in other.replace('<option value="" selected>', "")
    assert 'name="year_from" value="2010"' in other
    assert (
        client.get(url, {"q": "ivig", "topic": "ibm", "kind": "trial"})
        .content.decode()
        .count(" selected>")
        == 2
    )
    first.title = "Inclusion-body myositis"
    first.save()
    TopicFactory(title="Juvenile dermatomyositis", slug="jdm")
    page = client.get(url, {"q": "rituximab", "topic": "ibm"}).content.decode()
    assert "Inclusion-body myositis" in page
    assert '<option value="jdm">Juvenile dermatomyositis</option>' in page
