"""The editors' queue: grouping, the three decisions, and the one reply each
confirmed asker gets when the answer is reviewed."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import services as article_services
from articles import workflow
from articles.models import Article
from questions import services
from questions.models import QuestionGroup
from tests.factories import (
    TopicFactory,
    advance_to,
    approve_through_review,
    board_member,
    editor,
    make_article,
)

pytestmark = pytest.mark.django_db


def confirmed(question):
    question.email_confirmed_at = timezone.now()
    question.save()
    return question


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """Run a write and send the e-mails its commit would send."""

    def run(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)

    return run


class TestTheQueue:
    def test_editors_and_the_board_see_the_most_asked_first_with_counts(
        self, client, ask
    ):
        for _ in range(3):
            ask("Can I exercise with dermatomyositis?")
        ask("Is pregnancy safe on methotrexate?")
        for person in (editor(), board_member()):
            client.force_login(person)
            page = client.get("/editorial/questions/").content.decode()
            assert page.index("Can I exercise") < page.index("Is pregnancy safe")
            month = timezone.now().strftime("%B %Y")
            assert f"asked 3 times since {month}" in page
            assert f"asked once, in {month}" in page

    def test_the_queue_costs_a_fixed_number_of_queries(self, client, ask):
        ask("Is rituximab given as an infusion?")
        client.force_login(editor())
        client.get("/editorial/questions/")  # sessions and permissions warm up
        with CaptureQueriesContext(connection) as few:
            client.get("/editorial/questions/")
        for number in range(10):
            ask(f"Question number {number} about rituximab?")
        with CaptureQueriesContext(connection) as many:
            client.get("/editorial/questions/")
        assert len(many) == len(few)

    def test_a_group_page_costs_a_fixed_number_of_queries(self, client, ask):
        group = ask("Can I exercise with dermatomyositis?").group
        client.force_login(editor())
        client.get(group.get_absolute_url())
        with CaptureQueriesContext(connection) as few:
            client.get(group.get_absolute_url())
        for number in range(10):
            ask("Can I exercise with dermatomyositis?", email=f"r{number}@example.org")
            ask(f"Can I exercise with dermatomyositis, question {number}?")
        with CaptureQueriesContext(connection) as many:
            page = client.get(group.get_absolute_url()).content.decode()
        assert "asked 11 times since" in page
        assert len(many) == len(few)

    def test_a_garbled_page_number_is_not_an_error(self, client, ask):
        ask()
        client.force_login(editor())
        for page in ("abc", "99999999999999999999", "\u0661", "-1", "1e3"):
            status = client.get("/editorial/questions/", {"page": page}).status_code
            assert status in (200, 400, 404), page

    def test_links_html_and_markdown_are_shown_as_text(self, client, ask):
        hostile = (
            '<script>alert(1)</script> <a href="https://x.example">click</a> '
            "[link](javascript:alert(1)) **bold**"
        )
        group = ask(hostile).group
        client.force_login(editor())
        for url in ("/editorial/questions/", group.get_absolute_url(), "/editorial/"):
            page = client.get(url).content.decode()
            assert "<script>alert(1)" not in page
            assert 'href="https://x.example"' not in page
            assert "&lt;script&gt;" in page
            assert "<strong>bold" not in page

    def test_the_queue_shows_the_page_a_question_came_from(self, client, ask):
        ask(page="/topics/myositis-treatment/")
        ask(page="/articles/exercise/?version=plain")
        client.force_login(editor())
        page = client.get("/editorial/questions/").content.decode()
        assert 'href="/articles/exercise/?version=plain"' in page

    def test_the_group_page_shows_where_each_question_came_from(self, client, ask):
        group = ask(page="/articles/exercise/?version=plain").group
        client.force_login(board_member())
        page = client.get(group.get_absolute_url()).content.decode()
        assert 'href="/articles/exercise/?version=plain"' in page

    def test_the_page_asked_from_is_named_by_its_title(self, client, ask):
        TopicFactory(slug="myositis-treatment", title="Treating myositis")
        group = ask(page="/topics/myositis-treatment/").group
        client.force_login(editor())
        for url in ("/editorial/questions/", group.get_absolute_url()):
            page = client.get(url).content.decode()
            assert '<a href="/topics/myositis-treatment/">Treating myositis</a>' in page

    def test_the_dashboard_lists_the_most_asked_open_questions(self, client, ask):
        ask("Can I exercise with dermatomyositis?")
        ask("Can I exercise with dermatomyositis?")
        planned = ask("Is IVIG given at home?").group
        planned.status = QuestionGroup.Status.PLANNED
        planned.save()
        client.force_login(board_member())
        page = client.get("/editorial/").content.decode()
        assert "Most-asked open questions" in page
        assert "Can I exercise with dermatomyositis?" in page
        assert "asked 2 times since" in page
        assert "Is IVIG given at home?" not in page


class TestGrouping:
    def test_similar_questions_are_suggested_and_grouped_by_an_editor(
        self, client, ask
    ):
        first = ask("Can I exercise with dermatomyositis?").group
        second = ask("Is it safe to exercise with dermatomyositis?").group
        unrelated = ask("What does a muscle biopsy show?").group
        client.force_login(editor())
        page = client.get(first.get_absolute_url()).content.decode()
        assert "Is it safe to exercise" in page
        assert "muscle biopsy" not in page
        response = client.post(
            f"/editorial/questions/{first.pk}/group/", {"merge-other": second.pk}
        )
        assert response.status_code == 302
        assert not QuestionGroup.objects.filter(pk=second.pk).exists()
        assert QuestionGroup.objects.with_counts().get(pk=first.pk).asked == 2
        assert QuestionGroup.objects.filter(pk=unrelated.pk).exists()

    def test_an_open_question_joins_a_planned_one_whichever_is_named_first(self, ask):
        author = editor()
        planned = ask("Can I exercise with dermatomyositis?").group
        article = services.plan_article(
            group=planned,
            topic=TopicFactory(),
            title="Exercise",
            slug="exercise",
            outline="Notes.",
            user=author,
        )
        newer = ask("Is it safe to exercise with dermatomyositis?").group
        kept = services.merge(group=newer, other=planned, user=author)
        assert kept.pk == planned.pk
        assert kept.planned_article == article
        assert not QuestionGroup.objects.filter(pk=newer.pk).exists()
        assert QuestionGroup.objects.with_counts().get(pk=planned.pk).asked == 2

    def test_two_questions_planned_into_different_articles_stay_apart(self, ask):
        author = editor()
        groups = []
        for number, text in enumerate(("Can I swim?", "Can I swim often?")):
            group = ask(text).group
            services.plan_article(
                group=group,
                topic=TopicFactory(),
                title=f"Swimming {number}",
                slug=f"swimming-{number}",
                outline="Notes.",
                user=author,
            )
            groups.append(group)
        with pytest.raises(services.QuestionError):
            services.merge(group=groups[0], other=groups[1], user=author)

    def test_a_group_cannot_take_itself_or_a_closed_one(self, client, ask):
        group = ask().group
        client.force_login(editor())
        response = client.post(
            f"/editorial/questions/{group.pk}/group/", {"merge-other": group.pk}
        )
        assert response.status_code == 400
        assert "cannot be grouped with itself" in response.content.decode()
        closed = ask("What does a muscle biopsy show?").group
        services.decline(group=closed, reason="off_topic", user=editor())
        response = client.post(
            f"/editorial/questions/{group.pk}/group/", {"merge-other": closed.pk}
        )
        assert response.status_code == 400
        assert "cannot be grouped with this one" in response.content.decode()
        assert QuestionGroup.objects.filter(pk=closed.pk).exists()


class TestAnsweringWithExistingContent:
    def test_confirmed_askers_get_one_link_and_every_address_goes(
        self, client, ask, sent
    ):
        article = make_article(
            approve=True,
            slug="exercise",
            title="Exercise",
            body="## Training\n\nWhat the trials show.",
        )
        one = confirmed(ask(email="one@example.org"))
        confirmed(ask(email="ONE@example.org"))  # the same reader, twice
        unconfirmed = ask(email="two@example.org")
        mail.outbox.clear()
        client.force_login(board_member())
        with_commit = sent(
            client.post,
            path=f"/editorial/questions/{one.group.pk}/answer/",
            data={"answer-article": article.pk, "answer-fragment": "#h-training"},
        )
        assert with_commit.status_code == 302
        assert [m.to for m in mail.outbox] == [["one@example.org"]]
        assert "http://127.0.0.1:8000/articles/exercise/#h-training" in (
            mail.outbox[0].body
        )
        for question in (one, unconfirmed):
            question.refresh_from_db()
            assert question.email == ""
        one.group.refresh_from_db()
        assert one.group.status == QuestionGroup.Status.ANSWERED

    def test_an_unpublished_article_cannot_answer(self, client, ask):
        draft = make_article(slug="draft-answer")
        group = ask().group
        client.force_login(editor())
        response = client.post(
            f"/editorial/questions/{group.pk}/answer/", {"answer-article": draft.pk}
        )
        assert response.status_code == 400
        group.refresh_from_db()
        assert group.status == QuestionGroup.Status.OPEN

    def test_an_anchor_the_article_lacks_is_refused(self, client, ask):
        article = make_article(approve=True, body="## Training\n\nText.")
        group = ask().group
        client.force_login(editor())
        response = client.post(
            f"/editorial/questions/{group.pk}/answer/",
            {"answer-article": article.pk, "answer-fragment": "h-swimming"},
        )
        assert response.status_code == 400
        assert "has no section “h-swimming”" in response.content.decode()
        group.refresh_from_db()
        assert group.status == QuestionGroup.Status.OPEN

    def test_a_hostile_anchor_is_refused(self, client, ask):
        article = make_article(approve=True)
        group = ask().group
        client.force_login(editor())
        response = client.post(
            f"/editorial/questions/{group.pk}/answer/",
            {"answer-article": article.pk, "answer-fragment": '"><script>'},
        )
        assert response.status_code == 400
        assert "A section anchor is" in response.content.decode()


class TestPlanning:
    def test_planning_starts_a_draft_linked_to_the_question(self, client, ask):
        group = ask().group
        topic = TopicFactory()
        author = editor()
        client.force_login(author)
        response = client.post(
            f"/editorial/questions/{group.pk}/plan/",
            {
                "plan-topic": topic.pk,
                "plan-title": "Exercise and myositis",
                "plan-slug": "",
                "plan-outline": "## Training\r\n\r\nWhat the trials show.\r\n",
            },
        )
        article = Article.objects.get(slug="exercise-and-myositis")
        assert response["Location"] == f"/editorial/articles/{article.pk}/edit/"
        assert article.status == Article.Status.DRAFT
        assert article.author == author
        assert "dermatomyositis" not in article.body  # readers' words stay out
        group.refresh_from_db()
        assert group.status == QuestionGroup.Status.PLANNED
        assert list(article.reader_question_groups.all()) == [group]
        # The draft's review page names its reason, linking to the question.
        review = client.get(f"/editorial/articles/{article.pk}/").content.decode()
        assert "Planned from readers’ questions" in review
        assert f'href="{group.get_absolute_url()}"' in review

    def test_the_board_does_not_write_so_cannot_plan(self, client, ask):
        group = ask().group
        client.force_login(board_member())
        response = client.post(
            f"/editorial/questions/{group.pk}/plan/",
            {"plan-topic": TopicFactory().pk, "plan-title": "T", "plan-outline": "x"},
        )
        assert response.status_code == 403
        assert Article.objects.count() == 0

    def test_a_taken_address_is_named(self, client, ask):
        make_article(slug="exercise")
        group = ask().group
        client.force_login(editor())
        response = client.post(
            f"/editorial/questions/{group.pk}/plan/",
            {
                "plan-topic": TopicFactory().pk,
                "plan-title": "Exercise",
                "plan-outline": "Notes.",
            },
        )
        assert response.status_code == 400
        assert "Another article has this address" in response.content.decode()

    def test_approval_sends_each_confirmed_asker_one_public_link(self, ask, sent):
        author = editor()
        first = confirmed(ask(email="reader@example.org"))
        unconfirmed = ask(email="quiet@example.org")
        article = services.plan_article(
            group=first.group,
            topic=TopicFactory(),
            title="Exercise and myositis",
            slug="exercise-and-myositis",
            outline="DRAFTWORDS the board has not seen.",
            user=author,
        )
        # Submitted and under review: the reader hears nothing yet.
        sent(advance_to, article=article, status=Article.Status.IN_REVIEW)
        assert not [m for m in mail.outbox if "reader@example.org" in m.to]
        sent(workflow.approve, article=article, user=board_member())
        replies = [m for m in mail.outbox if m.to == ["reader@example.org"]]
        assert len(replies) == 1
        assert "http://127.0.0.1:8000/articles/exercise-and-myositis/" in (
            replies[0].body
        )
        assert "DRAFTWORDS" not in replies[0].body
        assert not [m for m in mail.outbox if "quiet@example.org" in m.to]
        for question in (first, unconfirmed):
            question.refresh_from_db()
            assert question.email == ""
        first.group.refresh_from_db()
        assert first.group.status == QuestionGroup.Status.ANSWERED
        # A later approval of a new version sends nothing more.
        mail.outbox.clear()
        article.body += "\n\nMore."
        article_services.save_article(article=article, user=author)
        sent(approve_through_review, article=article)
        assert not [m for m in mail.outbox if "reader@example.org" in m.to]


class TestDeclining:
    def test_a_declined_question_sends_only_a_generic_reply(self, client, ask, sent):
        question = confirmed(
            ask("What dose of prednisone should I take?", email="r@example.org")
        )
        mail.outbox.clear()
        client.force_login(editor())
        response = sent(
            client.post,
            path=f"/editorial/questions/{question.group.pk}/decline/",
            data={"decline-reason": "personal_advice"},
        )
        assert response.status_code == 302
        assert len(mail.outbox) == 1
        body = mail.outbox[0].body
        assert "cannot answer it" in body
        assert "prednisone" not in body and "personal" not in body.lower()
        question.refresh_from_db()
        assert question.email == ""
        question.group.refresh_from_db()
        assert question.group.decline_reason == "personal_advice"

    def test_a_decline_without_a_reason_is_named(self, client, ask):
        group = ask().group
        client.force_login(editor())
        response = client.post(f"/editorial/questions/{group.pk}/decline/", {})
        assert response.status_code == 400
        assert "This field is required" in response.content.decode()

    def test_a_closed_question_cannot_be_decided_again(self, client, ask):
        group = ask().group
        services.decline(group=group, reason="off_topic", user=editor())
        client.force_login(editor())
        response = client.post(
            f"/editorial/questions/{group.pk}/decline/", {"decline-reason": "other"}
        )
        assert response.status_code == 400
        assert "dealt with already" in response.content.decode()
