"""Every editorial page, at the demo's size, costs a fixed number of queries.

The demo content is loaded as on a site (``seed_demo``) with what the
editorial screens show beside it: the overview revised and submitted for
review, an editor's draft of the same length, a reader's question, a saved
search that has run, a reference waiting in the inbox. Each page is counted
once at that size and again after the site has grown (more references placed
and waiting, more articles in every state, more versions, questions and
search findings): the counts must not move. The URL resolver is walked
(``urlmap``), so an editorial page added later fails here by name until it is
listed below. ``bench/editorial_pages.py`` prints the same pages' server time.
"""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import services, workflow
from articles.models import Article
from questions.models import Question
from questions.services import ask
from references import services as library
from references import surveillance
from references.models import Reference, Section, Topic
from tests.factories import (
    BoardMemberFactory,
    EntryFactory,
    SavedSearchFactory,
    editor,
    make_article,
)
from tests.scholarly_api import pubmed_article

from . import urlmap

pytestmark = pytest.mark.django_db

TERM = "dermatomyositis[mh] AND randomized controlled trial[pt]"
DEMO = "antibody-therapy-pm-dm"

# Who opens each editorial page (a GET unless said otherwise), and with what
# query string. None: not a page to count (POST only, a file download checked
# elsewhere, or a step needing an upload in the session first).
PAGES = {
    "editorial:dashboard": ("board", ""),
    "editorial:review": ("board", ""),
    "editorial:history": ("board", ""),
    "editorial:compare": ("board", "?a=1&b=3"),
    "editorial:create": ("editor", ""),
    "editorial:edit": ("editor", ""),
    "portal:cite": ("editor", "?q=rituximab"),
    "references_editorial:tools": ("editor", ""),
    "references_editorial:import": ("editor", ""),
    "references_editorial:add": ("editor", ""),
    "references_editorial:add-many": ("editor", ""),
    "references_editorial:edit": ("editor", ""),
    "references_editorial:inboxes": ("editor", ""),
    "references_editorial:inbox": ("editor", ""),
    "references_editorial:search-topics": ("board", ""),
    "references_editorial:searches": ("board", ""),
    "references_editorial:searches-csv": ("board", ""),
    "references_editorial:search-add": ("editor", ""),
    "references_editorial:search-edit": ("editor", ""),
    "questions_editorial:queue": ("editor", ""),
    "questions_editorial:group": ("editor", ""),
    "editorial:login": None,  # signed-in people are sent on
    "editorial:logout": None,
    "editorial:transition": None,
    "editorial:revert": None,
    "editorial:assign": None,
    "editorial:declare-conflict": None,
    "references_editorial:import-preview": None,
    "references_editorial:import-result": None,
    "references_editorial:import-job": None,
    "questions_editorial:merge": None,
    "questions_editorial:answer": None,
    "questions_editorial:plan": None,
    "questions_editorial:decline": None,
}
# Pages that are not GETs of an address above: the edit form's preview (a
# POST of the form), and the picker's answer to its script.
EXTRA = ("preview", "picker-json")


def editorial_routes():
    return [
        route
        for route in urlmap.walk()
        if route.route.startswith("editorial/") or route.name == "portal:cite"
    ]


@pytest.fixture
def site(settings, scholarly_api):
    """The demo, and the editorial work a demo site has under way."""
    settings.DEBUG = False
    call_command("seed_demo", verbosity=0)
    people = {"editor": editor(), "board": BoardMemberFactory().user}
    overview = Article.objects.get(slug=DEMO)
    overview.body = overview.body.replace("from 15 mg up", "from 10 mg up")
    services.save_article(article=overview, user=people["editor"], comment="Dose")
    workflow.submit(article=overview, user=people["editor"])
    # An editor's draft as long as the overview, for the form and its preview.
    draft = Article(
        topic=overview.topic,
        slug="a-draft-like-the-overview",
        title="A draft as long as the overview",
        summary=overview.summary,
        body=overview.body,
        plain_summary=overview.plain_summary,
        plain_body=overview.plain_body,
    )
    services.save_article(article=draft, user=people["editor"], comment="Started")
    topic = overview.topic
    scholarly_api.add_pubmed_search(
        TERM,
        [
            (pubmed_article(str(pmid), f"Invented trial {pmid}"), timezone.localdate())
            for pmid in range(900000070, 900000073)
        ],
    )
    search = SavedSearchFactory(
        topic=topic,
        query=TERM,
        since=timezone.localdate() - datetime.timedelta(days=3),
    )
    surveillance.run_search(search)
    question = ask(
        text="Can I exercise with dermatomyositis?", asker=Question.Asker.PATIENT
    )
    data = {
        "topic": topic,
        "article": overview,
        "draft": draft,
        "reference": Reference.objects.visible().order_by("pk").first(),
        "search": search,
        "question": question,
    }
    return people, data


def grow(data, n=12):
    """More of everything the editorial pages list or count."""
    topic = data["topic"]
    sections = list(Section.objects.filter(topic=topic))
    for i in range(n):
        EntryFactory(section=sections[i % len(sections)])
        library.add_to_inbox(
            reference=Reference(
                title=f"A waiting study of myositis {i}",
                authors="Waiting, Walter",
                source="Arthritis Rheumatol",
                year=2024,
            ),
            topic=topic,
            user=None,
        )
        ask(text=f"Question {i} about rituximab doses?", asker=Question.Asker.PATIENT)
    for i in range(n // 3):
        make_article(topic=topic, body=f"Approved text {i}.", approve=True)
        revised = make_article(topic=topic, body=f"Revised text {i}.", approve=True)
        revised.body = f"Revised text {i}, again."
        services.save_article(article=revised, user=None)
        workflow.submit(article=revised, user=revised.author)
    draft = data["draft"]
    for i in range(n // 3):
        draft.body = f"{draft.body}\n\nA paragraph added in revision {i}."
        services.save_article(article=draft, user=None)
    SavedSearchFactory(topic=topic, label="Another search", query="myositis")
    Topic.objects.create(slug="another-topic", title="Another topic", summary=".")


def address(name, data):
    if name == "preview":
        return reverse("editorial:edit", args=[data["draft"].pk])
    if name == "picker-json":
        return reverse("portal:cite") + "?q=rituximab&format=json"
    who_query = PAGES[name]
    args = urlmap.public_args(data)
    if name == "editorial:edit":
        kwargs = {"pk": data["draft"].pk}
    else:
        kwargs = args.get(name, {})
    return reverse(name, kwargs=kwargs) + who_query[1]


def preview_form(article):
    """The edit form as a browser posts it, the Preview button pressed."""
    article.refresh_from_db()
    return {
        "topic": str(article.topic_id),
        "title": article.title,
        "slug": article.slug,
        "summary": article.summary,
        "body": article.body.replace("\n", "\r\n"),
        "plain_summary": article.plain_summary,
        "plain_body": article.plain_body.replace("\n", "\r\n"),
        "change_note": "",
        "loaded_version": str(article.version),
        "preview": "",
    }


def count(client, people, name, data) -> int:
    """Queries of one request of ``name``, the second in a row (the first
    fills what any page warms: the session, cached fragments)."""
    who = "editor" if name in EXTRA else PAGES[name][0]
    client.force_login(people[who])
    url = address(name, data)
    form = preview_form(data["draft"]) if name == "preview" else None

    def request():
        if name == "preview":
            response = client.post(url, form)
            assert b'id="preview"' in response.content
        else:
            response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)

    request()
    with CaptureQueriesContext(connection) as queries:
        request()
    return len(queries)


def test_every_editorial_page_is_listed_here():
    unlisted = [r.name for r in editorial_routes() if r.name not in PAGES]
    assert unlisted == [], "say how to count these pages' queries"


def test_every_editorial_page_costs_the_same_queries_when_the_site_grows(client, site):
    people, data = site
    names = [name for name, how in PAGES.items() if how is not None] + list(EXTRA)
    at_demo = {name: count(client, people, name, data) for name in names}
    grow(data)
    grown = {name: count(client, people, name, data) for name in names}
    assert grown == at_demo
    # Fixed, and few: the preview (the form's checks and the cited
    # references) and the review page (see tests/articles/) read the most.
    assert max(at_demo.values()) <= 20, at_demo
