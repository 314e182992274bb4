"""Only what readers may see: nothing unapproved, nothing in an inbox, no
abstract, no editor's note or comment, no disclosure, on any endpoint.

The demo library is salted with text that must never leave the editorial
side; every address the API links to (walked from its root) is fetched as an
anonymous reader and as a signed-in editor, who must get the same answer.
"""

import pytest
from django.test import Client

from articles import services, workflow
from articles.models import Article, Conflict, Disclosure
from questions import services as question_services
from references.models import Reference, Topic
from tests.factories import board_member, editor, make_article

from .test_walk import ROOT, walk

pytestmark = pytest.mark.django_db

SECRETS = {
    "draft": "DRAFTSECRET",
    "draft_slug": "draft-slug-secret",
    "unapproved": "UNAPPROVEDSECRET",
    "inbox": "INBOXSECRET",
    "abstract": "ABSTRACTSECRET",
    "links": "LINKSSECRET",
    "citation_key": "keysecret-2020",
    "comment": "COMMENTSECRET",
    "disclosure": "DISCLOSURESECRET",
    "conflict": "CONFLICTSECRET",
    "email": "EMAILSECRET",
    # Readers' questions (issue 25): their words and addresses.
    "question": "QUESTIONSECRET",
    "question_email": "QUESTIONMAILSECRET",
}


@pytest.fixture
def salted(demo, settings):
    """The demo, with every kind of not-public text added by the real paths."""
    # Even with never-approved articles shown on their pages, the API keeps
    # to approved ones.
    settings.PORTAL_SHOW_UNREVIEWED = True
    author = editor(email=f"{SECRETS['email']}@example.org")
    reviewer = board_member()
    topic = Topic.objects.get(slug="myositis-treatment")
    published = Article.objects.approved().get(slug="antibody-therapy-pm-dm")

    # A newer draft of the published article, with a new address, under review
    # with a comment from the board.
    published.body += f"\n\n{SECRETS['draft']} changes the advice.\n"
    published.title += f" {SECRETS['draft']}"
    published.slug = SECRETS["draft_slug"]
    services.save_article(article=published, user=author)
    workflow.submit(article=published, user=author)
    workflow.start_review(article=published, user=reviewer)
    workflow.request_changes(
        article=published, user=reviewer, comment=f"{SECRETS['comment']} cite more."
    )

    # An article never approved, submitted to the board.
    pending = make_article(
        topic=topic,
        title=f"{SECRETS['unapproved']} article",
        slug="never-approved",
        body=f"{SECRETS['unapproved']} text.",
        author=author,
    )
    workflow.submit(article=pending, user=author)

    # A reference waiting in the topic's inbox; the editors' fields of a
    # published one.
    inbox = Reference.objects.create(
        title=f"{SECRETS['inbox']} study",
        citation_key="inbox-secret",
        inbox_topic=topic,
        summary=f"{SECRETS['inbox']} summary.",
    )
    visible = Reference.objects.visible().order_by("pk").first()
    visible.abstract = f"{SECRETS['abstract']} of the publisher."
    visible.links = [f"https://{SECRETS['links']}.example.org/"]
    visible.citation_key = SECRETS["citation_key"]
    visible.save()

    Disclosure.objects.create(user=author, statement=f"{SECRETS['disclosure']} fees.")
    Conflict.objects.create(
        article=published, member=reviewer, statement=f"{SECRETS['conflict']} grant."
    )
    question_services.ask(
        text=f"{SECRETS['question']}: is my dose of rituximab right?",
        asker="patient",
        page=published.get_absolute_url(),
        email=f"{SECRETS['question_email']}@example.org",
    )
    return {
        "author": author,
        "pending": pending,
        "inbox": inbox,
        "published": published,
    }


def assert_no_secret(url, body: bytes):
    text = body.decode()
    leaked = [
        name for name, secret in SECRETS.items() if secret.lower() in text.lower()
    ]
    assert leaked == [], f"{url} shows {leaked}"


def test_no_endpoint_shows_what_readers_may_not_see(salted):
    anonymous = Client()
    signed_in = Client()
    signed_in.force_login(salted["author"])
    seen = walk(anonymous)
    assert len(seen) > 20
    for url in seen:
        path = url.removeprefix("http://testserver")
        reader = anonymous.get(path)
        assert_no_secret(url, reader.content)
        # An editor's session changes nothing: the same answer, byte for byte.
        editors = signed_in.get(path)
        assert (editors.status_code, editors.content) == (200, reader.content), url


def test_the_published_article_is_its_approved_version(salted, api):
    published = salted["published"]
    data = api.get("/api/v1/articles/antibody-therapy-pm-dm/").json()
    assert data["version"] == published.live.number < published.version
    assert data["title"] == published.live.title
    assert data["body_html"] == published.live.body_html
    # Sent back by the board: not with it, so no "update in review" note.
    assert data["update_in_review"] is False


NOT_PUBLIC = [
    f"/api/v1/articles/{SECRETS['draft_slug']}/",
    "/api/v1/articles/never-approved/",
    "/api/v1/references/{inbox}/",
    "/api/v1/fhir/Citation/{inbox}",
    "/api/v1/fhir/Composition/article-{pending}",
    "/api/v1/fhir/Composition/article-{pending}-recommendation-1",
]


def test_what_is_not_public_is_not_found_even_for_an_editor(salted):
    signed_in = Client()
    signed_in.force_login(salted["author"])
    for path in NOT_PUBLIC:
        path = path.format(inbox=salted["inbox"].pk, pending=salted["pending"].pk)
        for client in (Client(), signed_in):
            response = client.get(path)
            assert response.status_code == 404, path
            assert response.json()["message" if "/fhir/" not in path else "issue"]
            assert_no_secret(path, response.content)
    listed = [r["url"] for r in Client().get(f"{ROOT}references/").json()["results"]]
    assert f"{ROOT}references/{salted['inbox'].pk}/" not in listed
