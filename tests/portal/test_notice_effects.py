"""What a notice does, end to end: from the watch to badges, the caution, the
dashboard, one email, the feed, the page cache and the approval rule."""

import pytest
from django.core import mail
from django.core.management import call_command

from articles import workflow
from articles.models import Article
from references.models import ReferenceNotice
from tests.factories import (
    ReferenceFactory,
    advance_to,
    board_member,
    make_article,
)

pytestmark = pytest.mark.django_db
Kind = ReferenceNotice.Kind


@pytest.fixture
def published(db):
    """A published article whose second citation is a paper later retracted."""
    ReferenceFactory(citation_key="sound", doi="10.5555/myo.2020.002")
    retracted = ReferenceFactory(
        citation_key="cohort", doi="10.5555/myo.2019.001", pmid="900000001"
    )
    board = board_member(email="board@example.org")
    article = make_article(
        body="Well supported [@sound]. Then a cohort [@cohort].", approve=True
    )
    mail.outbox.clear()
    return article, retracted, board


def run_watch(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("watch_literature", verbosity=0)


def test_the_watch_flags_the_article_everywhere(
    client, scholarly_api, published, django_capture_on_commit_callbacks
):
    article, retracted, board = published
    approved_html = article.live.body_html
    # An anonymous reader's page is cached before the notice arrives.
    assert (
        "A cited study has changed"
        not in client.get(article.get_absolute_url()).content.decode()
    )

    run_watch(django_capture_on_commit_callbacks)

    page = client.get(article.get_absolute_url()).content.decode()
    assert "A cited study has changed" in page
    assert 'Reference <a href="#ref-2">2</a>: Retraction' in page
    assert "12 March 2024" in page
    assert "Retracted 12 March 2024" in page  # the badge in the reference list
    assert "The editorial board is reviewing this article" in page
    article.refresh_from_db()
    assert article.live.body_html == approved_html

    reference_page = client.get(retracted.get_absolute_url()).content.decode()
    assert "Notices about this publication" in reference_page
    assert "https://doi.org/10.5555/myo.2024.901" in reference_page

    client.force_login(board)
    dashboard = client.get("/editorial/").content.decode()
    assert "Needs attention" in dashboard
    assert article.title in dashboard


def test_the_board_is_emailed_once_per_new_notice(
    scholarly_api, published, django_capture_on_commit_callbacks
):
    article, retracted, board = published

    run_watch(django_capture_on_commit_callbacks)
    run_watch(django_capture_on_commit_callbacks)

    # A retraction and a correction, each once, whatever reported them again.
    to_board = [m for m in mail.outbox if m.to == ["board@example.org"]]
    subjects = sorted(message.subject for message in to_board)
    assert len(subjects) == 2
    assert subjects[0].startswith("Corrected: ")
    assert subjects[1].startswith("Retracted 12 March 2024: ")
    retraction = to_board[0] if "Retracted" in to_board[0].subject else to_board[1]
    assert article.title in retraction.body
    assert f"/editorial/articles/{article.pk}/" in retraction.body


def test_the_feed_lists_notices_on_cited_literature(
    client, scholarly_api, published, django_capture_on_commit_callbacks
):
    article, retracted, board = published
    uncited = ReferenceFactory(pmid="900000004")

    run_watch(django_capture_on_commit_callbacks)

    response = client.get("/feeds/notices/")
    feed = response.content.decode()
    assert response["Content-Type"].startswith("application/atom+xml")
    assert f"Retracted 12 March 2024: {retracted.title}" in feed
    assert f"Cited by: {article.live.title}" in feed
    assert uncited.notices.exists()
    assert uncited.title not in feed


def test_approving_text_that_still_cites_a_retraction_needs_a_comment(
    scholarly_api, published, django_capture_on_commit_callbacks
):
    article, retracted, board = published
    run_watch(django_capture_on_commit_callbacks)
    article.body += "\n\nA sentence added on review."
    from articles import services

    services.save_article(article=article, user=article.author)
    advance_to(article, Article.Status.IN_REVIEW, reviewer=board)

    note = workflow.ChangeNote(text="One sentence added.", change_class="minor")
    with pytest.raises(workflow.WorkflowError, match="cites a retracted publication"):
        workflow.approve(article=article, user=board, note=note)
    workflow.approve(
        article=article,
        user=board,
        comment="Cited on purpose: the text says the finding was withdrawn.",
        note=note,
    )

    article.refresh_from_db()
    assert article.status == Article.Status.APPROVED
    # The board has re-read it: no longer needs attention, no caution.
    assert not Article.objects.needing_attention().exists()


def test_the_review_page_warns_before_the_board_approves(
    client, scholarly_api, published, django_capture_on_commit_callbacks
):
    article, retracted, board = published
    run_watch(django_capture_on_commit_callbacks)
    client.force_login(board)

    page = client.get(f"/editorial/articles/{article.pk}/").content.decode()

    assert "This text cites a retracted publication" in page


def test_the_approval_form_posted_without_a_comment_is_refused(
    client, scholarly_api, published, django_capture_on_commit_callbacks
):
    article, retracted, board = published
    run_watch(django_capture_on_commit_callbacks)
    from articles import services

    article.body += "\r\n\r\nReviewed again."
    services.save_article(article=article, user=article.author)
    advance_to(article, Article.Status.IN_REVIEW, reviewer=board)
    client.force_login(board)

    response = client.post(
        f"/editorial/articles/{article.pk}/act/",
        {
            "action": "approve",
            "comment": "  \r\n",
            "version": article.version,
            "change_class": "minor",
            "change_note": "Reviewed again.",
        },
        follow=True,
    )

    assert "Approve it only with a comment saying why" in response.content.decode()
    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW


def test_a_correction_alone_does_not_caution_readers(client, db):
    reference = ReferenceFactory(citation_key="fixed")
    article = make_article(body="Fine [@fixed].", approve=True)
    ReferenceNotice.objects.create(
        reference=reference, kind=Kind.CORRECTION, source="editor"
    )

    page = client.get(article.get_absolute_url()).content.decode()

    assert "Corrected" in page
    assert "A cited study has changed" not in page
    assert not Article.objects.needing_attention().exists()


@pytest.mark.usefixtures("no_page_cache")
def test_badges_cost_no_query_per_reference(client, db):
    counts = []
    for n in (3, 30):
        references = ReferenceFactory.create_batch(n)
        for reference in references:
            ReferenceNotice.objects.create(
                reference=reference, kind=Kind.CONCERN, source="editor"
            )
        body = " ".join(f"Claim [@{r.citation_key}]." for r in references)
        article = make_article(body=body, approve=True)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            page = client.get(article.get_absolute_url()).content.decode()
        assert page.count("badge--notice-concern") == n
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_an_editor_records_a_notice_in_the_admin_and_the_board_hears_once(
    client, db, django_capture_on_commit_callbacks
):
    from tests.factories import administrator

    reference = ReferenceFactory()
    board_member(email="board@example.org")
    admin_user = administrator()
    admin_user.save()
    client.force_login(admin_user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/references/referencenotice/add/",
            {
                "reference": reference.pk,
                "kind": "concern",
                "date": "2025-01-31",
                "doi": "",
                "pmid": "",
                "url": "https://example.org/notice",
                "source": "editor",
                "reason": "The journal is investigating.\r\n",
            },
        )

    assert response.status_code == 302
    notice = ReferenceNotice.objects.get()
    assert (notice.kind, notice.source) == (Kind.CONCERN, "editor")
    to_board = [m for m in mail.outbox if m.to == ["board@example.org"]]
    assert [m.subject for m in to_board] == [
        f"Expression of concern: {reference.title}"
    ]


def test_literature_lists_show_the_badge(client, db):
    from tests.factories import EntryFactory

    entry = EntryFactory()
    ReferenceNotice.objects.create(
        reference=entry.reference,
        kind=Kind.WITHDRAWAL,
        source="editor",
        date="2024-05-02",
    )

    topic_page = client.get(entry.section.topic.get_absolute_url()).content.decode()
    literature = client.get("/literature/").content.decode()

    assert "Withdrawn 2 May 2024" in topic_page
    assert "Withdrawn 2 May 2024" in literature
