"""Who gets what, for every URL the project serves.

The URL resolver is walked (tests/production/urlmap.py), so a page added
later is tested as soon as it exists: until its expected statuses are
declared below, the test fails and names it.
"""

import fnmatch

import pytest
import reversion
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from articles import services, workflow
from articles.models import Article, Disclosure
from portal.models import LoginEvent
from references import surveillance
from references.models import Dismissal, Reference, ReferenceNotice, Topic
from tests.factories import (
    BoardMemberFactory,
    SavedSearchFactory,
    board_member,
    editor,
)

from . import urlmap

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "editor", "board", "admin")

# Pages anyone may read, logged in or not.
PUBLIC = {role: 200 for role in ROLES}
# Staff pages: anonymous readers are sent to the login page.
STAFF = {"anonymous": 302, "editor": 200, "board": 200, "admin": 200}
# Pages that write articles or literature: editors, not the board.
WRITERS = {"anonymous": 302, "editor": 200, "board": 403, "admin": 200}

# Expected status by URL name (or glob); first match wins. Admin model views
# are worked out from ADMIN_ACCESS below.
EXPECTED = {
    "portal:home": PUBLIC,
    "portal:topic": PUBLIC,
    "portal:editorial-policy": PUBLIC,
    "references:list": PUBLIC,
    "references:detail": PUBLIC,
    "articles:detail": PUBLIC,
    "portal:editorial-board": PUBLIC,
    "portal:search": PUBLIC,
    "portal:glossary": PUBLIC,
    "portal:article-references-ris": PUBLIC,
    "portal:feed-articles": PUBLIC,
    "portal:feed-notices": PUBLIC,
    "portal:feed-updates": PUBLIC,
    "articles:changes": PUBLIC,
    "portal:robots": PUBLIC,
    "portal:sitemap": PUBLIC,
    "portal:sitemap-section": PUBLIC,
    # Choosing an audience sets a cookie and goes back to the page.
    "portal:audience": {role: 302 for role in ROLES},
    # A permanent redirect to the icon under /static/.
    "portal:favicon": {role: 301 for role in ROLES},
    "references:export": PUBLIC,
    "references:feed": PUBLIC,
    "references:topic-feed": PUBLIC,
    "healthz": PUBLIC,
    # The editorial screens: reading is for both roles, writing for editors.
    "editorial:dashboard": STAFF,
    "editorial:review": STAFF,
    "editorial:history": STAFF,
    "editorial:compare": STAFF,
    "editorial:login": {"anonymous": 200, "editor": 302, "board": 302, "admin": 302},
    # Logging out and taking actions are POST only.
    "editorial:logout": {role: 405 for role in ROLES},
    "editorial:transition": {
        "anonymous": 302,
        "editor": 405,
        "board": 405,
        "admin": 405,
    },
    "editorial:revert": {"anonymous": 302, "editor": 405, "board": 403, "admin": 405},
    "editorial:assign": {"anonymous": 302, "editor": 405, "board": 405, "admin": 405},
    "editorial:declare-conflict": {
        "anonymous": 302,
        "editor": 405,
        "board": 405,
        "admin": 405,
    },
    "editorial:create": WRITERS,
    "editorial:edit": WRITERS,
    "references_editorial:tools": WRITERS,
    "references_editorial:import": WRITERS,
    "references_editorial:add": WRITERS,
    "references_editorial:inboxes": WRITERS,
    "references_editorial:inbox": WRITERS,
    # The article form's citation picker: for those who write.
    "portal:cite": WRITERS,
    # Living literature: the board reads the searches and their report.
    "references_editorial:search-topics": STAFF,
    "references_editorial:searches": STAFF,
    "references_editorial:searches-csv": STAFF,
    "references_editorial:search-add": WRITERS,
    "references_editorial:search-edit": WRITERS,
    # Editing a reference: editors, never the board.
    "references_editorial:edit": WRITERS,
    # A background import's page: editors only; an unknown job is 404.
    "references_editorial:import-job": {
        "anonymous": 302,
        "editor": 404,
        "board": 403,
        "admin": 404,
    },
    # Preview and result need an upload in the session first: back to the form.
    "references_editorial:import-*": {
        "anonymous": 302,
        "editor": 302,
        "board": 403,
        "admin": 302,
    },
    "readyz": PUBLIC,
    # Readers' questions: anyone may ask and confirm; only editors
    # and the board read them; decisions are POST only, and planning writes
    # an article, so it is for editors.
    "questions:ask": PUBLIC,
    "questions:sent": PUBLIC,
    "questions:confirm": PUBLIC,
    "questions_editorial:queue": STAFF,
    "questions_editorial:group": STAFF,
    "questions_editorial:merge": {
        "anonymous": 302,
        "editor": 405,
        "board": 405,
        "admin": 405,
    },
    "questions_editorial:answer": {
        "anonymous": 302,
        "editor": 405,
        "board": 405,
        "admin": 405,
    },
    "questions_editorial:decline": {
        "anonymous": 302,
        "editor": 405,
        "board": 405,
        "admin": 405,
    },
    "questions_editorial:plan": {
        "anonymous": 302,
        "editor": 405,
        "board": 403,
        "admin": 405,
    },
    # The read API: the same public answer for everybody; any
    # other address under /api/ is a JSON 404.
    "api:root": PUBLIC,
    "api:schema": PUBLIC,
    "api:docs": PUBLIC,
    "api:topic-list": PUBLIC,
    "api:topic-detail": PUBLIC,
    "api:article-list": PUBLIC,
    "api:article-detail": PUBLIC,
    "api:reference-list": PUBLIC,
    "api:reference-detail": PUBLIC,
    "api:notice-list": PUBLIC,
    "api:fhir-base": PUBLIC,
    "api:fhir-metadata": PUBLIC,
    "api:fhir-citation": PUBLIC,
    "api:fhir-composition": PUBLIC,
    "api:fhir-rating": PUBLIC,
    "api:fhir-bundle": PUBLIC,
    "api:not-found": {role: 404 for role in ROLES},
    "admin:index": STAFF,
    "admin:login": {"anonymous": 200, "editor": 302, "board": 302, "admin": 302},
    # GET is not a way to log out (Django 5): 405, or home for the anonymous.
    "admin:logout": {"anonymous": 302, "editor": 405, "board": 405, "admin": 405},
    "admin:password_change": STAFF,
    "admin:password_change_done": STAFF,
    "admin:jsi18n": STAFF,
    # Without its query parameters the autocomplete refuses.
    "admin:autocomplete": {"anonymous": 302, "editor": 403, "board": 403, "admin": 403},
    "admin:app_list": STAFF,
    "admin:view_on_site": {role: 302 for role in ROLES},
    "admin/(?P<url>.*)$": {"anonymous": 302, "editor": 404, "board": 404, "admin": 404},
    # A model's bare object URL redirects to its change page.
    "admin/*/<path:object_id>/": {role: 302 for role in ROLES},
    # An article's old versions are restored as a new draft through the
    # editorial history page, never in place: the admin view sends people there.
    "admin:articles_article_revision": {role: 302 for role in ROLES},
}

# What each editorial role may do in the admin, per model: (v)iew, (a)dd,
# (c)hange, (d)elete. The administrator may do whatever the ModelAdmin allows.
ADMIN_ACCESS = {
    "auth.Group": {"editor": "", "board": "", "admin": "vacd"},
    "auth.User": {"editor": "", "board": "", "admin": "vacd"},
    "references.Topic": {"editor": "v", "board": "v", "admin": "vacd"},
    "references.Section": {"editor": "vac", "board": "v", "admin": "vacd"},
    "references.Reference": {"editor": "vac", "board": "v", "admin": "vacd"},
    "references.Entry": {"editor": "vacd", "board": "v", "admin": "vacd"},
    # Editors record a notice by hand (a retraction the watch has not seen).
    "references.ReferenceNotice": {"editor": "vac", "board": "v", "admin": "vacd"},
    # Editors keep the saved searches (checked on the editorial screen); the
    # board reads them. Dismissals are read-only; an administrator may delete
    # one so that the searches bring the paper again.
    "references.SavedSearch": {"editor": "vac", "board": "v", "admin": "vacd"},
    "references.Dismissal": {"editor": "", "board": "", "admin": "vd"},
    # The board reads articles in the admin (and approves from the list); only
    # editors write them, as on the editorial screens.
    "articles.Article": {"editor": "vac", "board": "v", "admin": "vacd"},
    # Who sits on the board is the administrators' business.
    "articles.BoardMember": {"editor": "", "board": "", "admin": "vacd"},
    # Declarations of interests are kept by the administrators.
    "articles.Disclosure": {"editor": "", "board": "", "admin": "vacd"},
    # Approved text is frozen: nobody edits it.
    "articles.ApprovedVersion": {"editor": "v", "board": "v", "admin": "vd"},
    # The login audit is for administrators, and read-only.
    "portal.LoginEvent": {"editor": "", "board": "", "admin": "v"},
    # Editors keep the search synonyms (IVIG, IVIg, intravenous immunoglobulin).
    "portal.SearchSynonym": {"editor": "vacd", "board": "", "admin": "vacd"},
    # Glossary definitions are public medical text: administrators only, until
    # they go through the board's review like articles do.
    "portal.GlossaryTerm": {"editor": "", "board": "", "admin": "vacd"},
    # Readers' questions are private: administrators read (and may delete)
    # them; editors and the board work in the queue, never here.
    "questions.QuestionGroup": {"editor": "", "board": "", "admin": "vd"},
    "questions.Question": {"editor": "", "board": "", "admin": "vd"},
}
# The letters each admin view needs (any one of them).
ADMIN_VIEWS = {
    "changelist": "vc",
    "change": "vc",
    "history": "vc",
    "revision": "vc",
    "add": "a",
    "recoverlist": "a",
    "recover": "a",
    "delete": "d",
    "password_change": "c",
}


def expected_status(route, role):
    if route.name in EXPECTED:
        return EXPECTED[route.name][role]
    model, view = urlmap._model_for(route.name)
    if model is not None and view in ADMIN_VIEWS:
        if role == "anonymous":
            return 302
        access = ADMIN_ACCESS.get(model._meta.label)
        if access is None:
            pytest.fail(
                f"Declare the admin access to {model._meta.label} in ADMIN_ACCESS"
            )
        allowed = set(access[role]) & set(ADMIN_VIEWS[view])
        if view == "recoverlist":  # reversion also wants the change permission
            allowed = allowed if "c" in access[role] else set()
        return 200 if allowed else 403
    for pattern, statuses in EXPECTED.items():
        if route.name == pattern or fnmatch.fnmatchcase(route.name, pattern):
            return statuses[role]
    return None


@pytest.fixture
def site_data(settings):
    call_command("seed_demo", "--no-accounts", verbosity=0)
    article = Article.objects.approved().first()
    data = {
        "topic": Topic.objects.first(),
        "article": article,
        "reference": Reference.objects.first(),
    }
    admin_user = get_user_model().objects.create_superuser(
        "site-admin", "admin@example.org", "correct horse 42"
    )
    LoginEvent.objects.create(kind="failure", username="someone")
    Disclosure.objects.create(
        user=BoardMemberFactory().user, statement="No interests to declare."
    )
    # Recorded with a revision, as the watch records it, for the admin's
    # history and recover pages.
    with reversion.create_revision():
        ReferenceNotice.objects.create(
            reference=data["reference"],
            kind=ReferenceNotice.Kind.CORRECTION,
            source=ReferenceNotice.Source.EDITOR,
        )
    # A reader's question, for the admin's pages and the queue's.
    urlmap.question_of(data)
    # Saved with a revision, as the editorial screen saves it, for the
    # admin's history and recover pages.
    data["search"] = surveillance.save_search(
        search=SavedSearchFactory.build(topic=data["topic"]), user=None
    )
    Dismissal.objects.create(topic=data["topic"], title="A dismissed paper")
    data["users"] = {"editor": editor(), "board": board_member(), "admin": admin_user}
    return data


def client_for(role, data):
    client = Client()
    if role != "anonymous":
        client.force_login(data["users"][role])
    return client


def test_every_url_has_a_declared_expectation():
    missing = [
        f"{route.name}  ({route.route})"
        for route in urlmap.walk()
        if expected_status(route, "anonymous") is None
    ]
    assert missing == [], "Declare expected statuses in EXPECTED for: " + ", ".join(
        missing
    )


def test_permission_matrix(site_data):
    clients = {role: client_for(role, site_data) for role in ROLES}
    wrong = []
    for route in urlmap.walk():
        try:
            url = urlmap.url_for(route, site_data)
        except LookupError as exc:
            wrong.append(f"{route.name}: {exc}")
            continue
        for role in ROLES:
            want = expected_status(route, role)
            got = clients[role].get(url).status_code
            if got != want:
                wrong.append(f"{role:9} GET {url}: {got}, expected {want}")
    assert wrong == [], "\n".join(wrong)


def test_admin_change_and_add_forms_refuse_a_post_without_the_permission(site_data):
    """GET shows a read-only page to a role that may only view; a POST of the
    change or add form must be refused (403) for every role lacking the right."""
    clients = {
        role: client_for(role, site_data) for role in ROLES if role != "anonymous"
    }
    wrong = []
    for route in urlmap.walk():
        model, view = urlmap._model_for(route.name)
        if model is None or view not in ("change", "add"):
            continue
        url = urlmap.url_for(route, site_data)
        access = ADMIN_ACCESS[model._meta.label]
        letter = "c" if view == "change" else "a"
        for role, client in clients.items():
            got = client.post(url, {}).status_code
            refused = got == 403
            if refused == (letter in access[role]):
                wrong.append(f"{role:9} POST {url}: {got}")
    assert wrong == [], "\n".join(wrong)


def test_a_board_member_cannot_rewrite_an_article_through_the_admin(site_data):
    article = site_data["article"]
    client = client_for("board", site_data)
    response = client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        {
            "topic": article.topic_id,
            "is_overview": "on",
            "title": article.title,
            "slug": article.slug,
            "summary": article.summary,
            "body": "Rewritten by a board member.",
            "plain_summary": article.plain_summary,
            "plain_body": article.plain_body,
            "author": "",
            "loaded_version": article.version,
            "change_note": "",
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 403
    stored = Article.objects.get(pk=article.pk)
    assert (stored.body, stored.version) == (article.body, article.version)


def test_the_service_refuses_a_writer_who_is_not_an_editor(site_data):
    article = site_data["article"]
    article.body = "Rewritten outside any screen."
    with pytest.raises(workflow.WorkflowError):
        services.save_article(
            article=article,
            user=site_data["users"]["board"],
            expected_version=article.version,
        )
    assert Article.objects.get(pk=article.pk).body != article.body
