"""A reference waiting in a curation inbox never becomes public through a
citation (issue 28, item 6).

The rule: an article citing such a reference cannot be approved until an
editor places it in a section; the review page says which and where.
Approval never places anything.
"""

import pytest

from articles.models import Article
from references import services as reference_services
from references.models import Reference
from tests.factories import (
    ReferenceFactory,
    SectionFactory,
    TopicFactory,
    advance_to,
    board_member,
    change_note,
    make_article,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting():
    topic = TopicFactory()
    reference = ReferenceFactory(title="A trial still in the inbox")
    Reference.objects.filter(pk=reference.pk).update(inbox_topic=topic)
    reference.refresh_from_db()
    return reference


def approve_through_the_page(client, article, reviewer):
    client.force_login(reviewer)
    return client.post(
        f"/editorial/articles/{article.pk}/act/",
        {"action": "approve", "version": str(article.version), "comment": ""},
        follow=True,
    )


def test_approval_is_refused_while_a_cited_reference_waits_in_an_inbox(client, waiting):
    reviewer = board_member()
    article = advance_to(
        make_article(body=f"Rituximab helped [@{waiting.citation_key}]."),
        Article.Status.IN_REVIEW,
        reviewer=reviewer,
    )
    response = approve_through_the_page(client, article, reviewer)
    page = response.content.decode()
    assert "still wait in a curation inbox" in page
    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW
    assert article.live_id is None
    # Nothing public cites it.
    assert (
        client.get("/articles/" + article.slug + "/references.ris").status_code == 404
    )
    # The review page says which references and where to place them.
    page = client.get(f"/editorial/articles/{article.pk}/").content.decode()
    assert "A trial still in the inbox" in page
    assert f"/editorial/literature/inbox/{waiting.inbox_topic.slug}/" in page
    assert "approval never places them" in page


def test_once_an_editor_places_the_reference_the_text_is_approved(client, waiting):
    reviewer = board_member()
    article = advance_to(
        make_article(body=f"Rituximab helped [@{waiting.citation_key}]."),
        Article.Status.IN_REVIEW,
        reviewer=reviewer,
    )
    reference_services.place_in_section(
        references=[waiting],
        section=SectionFactory(topic=waiting.inbox_topic),
        user=article.author,
    )
    response = approve_through_the_page(client, article, reviewer)
    assert "still wait in a curation inbox" not in response.content.decode()
    article.refresh_from_db()
    assert article.status == Article.Status.APPROVED
    export = client.get(f"/articles/{article.live.slug}/references.ris")
    assert waiting.title in export.content.decode()
    assert client.get(waiting.get_absolute_url()).status_code == 200


def test_the_workflow_refuses_it_on_every_path(waiting):
    from articles import workflow

    reviewer = board_member()
    article = advance_to(
        make_article(body=f"See [@{waiting.citation_key}]."),
        Article.Status.IN_REVIEW,
        reviewer=reviewer,
    )
    with pytest.raises(workflow.WorkflowError, match="curation inbox"):
        workflow.approve(article=article, user=reviewer, note=change_note(article))
