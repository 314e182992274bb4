"""The review workflow: the whole transition table, four eyes, the record."""

import datetime
import itertools

import pytest
from django.contrib.auth.models import Group
from reversion.models import Version

from articles import roles, services, workflow
from articles.models import Article, Disclosure, ReviewEvent
from tests.factories import (
    UserFactory,
    advance_to,
    approve_through_review,
    board_member,
    change_note,
    editor,
    make_article,
)

pytestmark = pytest.mark.django_db

Status = Article.Status
STATES = [status.value for status in Status]
ROLES = ["inactive", "author", "other_editor", "board", "author_board", "superuser"]
WRITERS = {"author", "other_editor", "author_board", "superuser"}
REVIEWERS = {"board", "superuser"}

# What the workflow must allow, written out independently of workflow.TRANSITIONS:
# action -> (states it may start from, roles that may take it, state it leads to).
EXPECTED = {
    "submit": ({"draft", "changes_requested"}, WRITERS, "submitted"),
    "withdraw": ({"submitted", "in_review"}, WRITERS, "draft"),
    # The author who sits on the board may not review their own text.
    "start_review": ({"submitted"}, REVIEWERS, "in_review"),
    # The board decides straight from "submitted": starting a review is
    # optional (it tells colleagues somebody is reading).
    "request_changes": ({"submitted", "in_review"}, REVIEWERS, "changes_requested"),
    "approve": ({"submitted", "in_review"}, REVIEWERS, "approved"),
}


def test_the_table_has_exactly_the_expected_actions():
    assert set(workflow.TRANSITIONS) == set(EXPECTED)
    for action, (sources, _roles, target) in EXPECTED.items():
        rule = workflow.TRANSITIONS[action]
        assert set(rule.sources) == sources
        assert rule.target == target


def user_for(role):
    if role == "inactive":
        return UserFactory(is_active=False, groups=[roles.EDITORS, roles.BOARD])
    if role in ("author", "other_editor"):
        return editor()
    if role == "board":
        return board_member()
    if role == "author_board":
        return UserFactory(groups=[roles.EDITORS, roles.BOARD])
    return UserFactory(is_superuser=True)


@pytest.mark.parametrize(
    "state, action, role", list(itertools.product(STATES, EXPECTED, ROLES))
)
def test_transition_table(state, action, role):
    user = user_for(role)
    author = user if role in ("author", "author_board") else editor()
    article = advance_to(make_article(author=author), state)
    assert article.status == state
    events_before = article.events.count()
    sources, roles, target = EXPECTED[action]

    def act():
        return getattr(workflow, action)(
            article=article, user=user, comment="Checked the doses."
        )

    if state in sources and role in roles:
        act()
        article.refresh_from_db()
        assert article.status == target
        event = article.events.last()
        assert (event.action, event.from_state, event.to_state) == (
            action,
            state,
            target,
        )
        assert event.actor == user
    else:
        with pytest.raises(workflow.WorkflowError) as excinfo:
            act()
        assert str(excinfo.value)  # a message for people
        article.refresh_from_db()
        assert article.status == state
        assert article.events.count() == events_before


def test_request_changes_needs_a_comment():
    article = advance_to(make_article(), Status.IN_REVIEW)
    with pytest.raises(workflow.WorkflowError, match="comment is required"):
        workflow.request_changes(article=article, user=board_member(), comment="  ")
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW


def test_unknown_action_is_refused():
    with pytest.raises(workflow.WorkflowError):
        workflow.transition("publish", article=make_article(), user=board_member())


def test_approving_a_version_other_than_the_one_read_is_refused():
    article = advance_to(make_article(), Status.IN_REVIEW)
    with pytest.raises(workflow.WorkflowError, match="changed since you opened"):
        workflow.approve(article=article, user=board_member(), version=0)
    assert Article.objects.get(pk=article.pk).live_id is None


class TestFourEyes:
    def in_review(self, **kwargs):
        return advance_to(make_article(**kwargs), Status.IN_REVIEW)

    def test_the_author_may_not_approve_even_as_superuser(self):
        boss = UserFactory(is_superuser=True)
        article = make_article(author=boss)
        workflow.submit(article=article, user=boss)
        workflow.start_review(article=article, user=board_member())
        with pytest.raises(workflow.WorkflowError, match="another board member"):
            workflow.approve(article=article, user=boss)

    def test_anyone_who_edited_the_text_may_not_approve(self):
        reviewer = UserFactory(groups=[roles.EDITORS, roles.BOARD])
        article = make_article()
        article.body = "A correction by a board member."
        services.save_article(article=article, user=reviewer)
        workflow.submit(article=article, user=article.author)
        workflow.start_review(article=article, user=board_member())
        with pytest.raises(workflow.WorkflowError):
            workflow.approve(article=article, user=reviewer)
        workflow.approve(article=article, user=board_member())
        assert Article.objects.get(pk=article.pk).status == Status.APPROVED

    def test_a_superuser_who_edited_may_not_approve(self):
        admin = UserFactory(is_superuser=True)
        article = make_article()
        services.save_article(article=article, user=admin, comment="Typo")
        workflow.submit(article=article, user=article.author)
        workflow.start_review(article=article, user=board_member())
        with pytest.raises(workflow.WorkflowError):
            workflow.approve(article=article, user=admin)

    def test_edits_before_the_last_approval_do_not_count(self):
        reviewer = UserFactory(groups=[roles.EDITORS, roles.BOARD])
        article = make_article()
        services.save_article(article=article, user=reviewer)
        approve_through_review(article)
        article.body = "Version three, by the author."
        services.save_article(article=article, user=article.author)
        workflow.submit(article=article, user=article.author)
        workflow.start_review(article=article, user=reviewer)
        workflow.approve(article=article, user=reviewer, note=change_note(article))
        assert Article.objects.get(pk=article.pk).live.approved_by == reviewer

    def test_the_setting_allows_self_approval(self, settings):
        settings.PORTAL_ALLOW_SELF_APPROVAL = True
        author = UserFactory(groups=[roles.EDITORS, roles.BOARD])
        article = make_article(author=author)
        workflow.submit(article=article, user=author)
        workflow.start_review(article=article, user=author)
        workflow.approve(article=article, user=author)
        assert Article.objects.get(pk=article.pk).status == Status.APPROVED


class TestTheRecord:
    """Each transition leaves an event and a reversion revision, with who and why."""

    @pytest.mark.parametrize(
        "action, state",
        [
            ("submit", Status.DRAFT),
            ("withdraw", Status.SUBMITTED),
            ("start_review", Status.SUBMITTED),
            ("request_changes", Status.IN_REVIEW),
            ("approve", Status.IN_REVIEW),
        ],
    )
    def test_event_and_revision(self, action, state):
        article = advance_to(make_article(), state)
        user = article.author if action in ("submit", "withdraw") else board_member()
        revisions_before = Version.objects.get_for_object(article).count()
        getattr(workflow, action)(article=article, user=user, comment=f"Why {action}")
        event = ReviewEvent.objects.filter(article=article).last()
        assert event.action == action
        assert event.from_state == state
        assert event.actor == user
        assert event.comment == f"Why {action}"
        assert event.version == article.version
        assert event.created_at is not None
        versions = Version.objects.get_for_object(article)
        assert versions.count() == revisions_before + 1
        revision = versions.first().revision
        assert revision.user == user
        assert revision.comment == f"Why {action}"

    def test_every_save_is_recorded_with_its_editor(self):
        article = make_article()
        other = editor()
        article.body = "Better."
        services.save_article(article=article, user=other, comment="Clearer")
        edits = article.events.filter(action=ReviewEvent.Action.EDIT)
        assert [(e.actor, e.version) for e in edits] == [
            (article.author, 1),
            (other, 2),
        ]
        assert edits.last().comment == "Clearer"


class TestEditing:
    def test_editing_approved_text_starts_a_draft_and_keeps_the_live_version(self):
        article = make_article(body="Approved words.", approve=True)
        live = article.live
        article.body = "New words."
        services.save_article(article=article, user=article.author)
        article.refresh_from_db()
        assert article.status == Status.DRAFT
        assert article.live == live
        assert article.version == live.number + 1
        assert "Approved words." in article.live.body_html

    @pytest.mark.parametrize("state", [Status.SUBMITTED, Status.IN_REVIEW])
    def test_text_with_the_board_cannot_be_edited(self, state):
        article = advance_to(make_article(body="As submitted."), state)
        article.body = "Sneaky change."
        with pytest.raises(workflow.WorkflowError, match="Withdraw it"):
            services.save_article(article=article, user=article.author)
        stored = Article.objects.get(pk=article.pk)
        assert stored.body == "As submitted."
        assert stored.status == state

    def test_withdrawing_makes_it_editable_again(self):
        article = advance_to(make_article(), Status.IN_REVIEW)
        workflow.withdraw(article=article, user=article.author, comment="Fixing")
        article.body = "Fixed."
        services.save_article(article=article, user=article.author)
        assert Article.objects.get(pk=article.pk).status == Status.DRAFT

    def test_changes_requested_stays_so_until_resubmitted(self):
        article = advance_to(make_article(), Status.CHANGES_REQUESTED)
        article.body = "As the board asked."
        services.save_article(article=article, user=article.author)
        assert Article.objects.get(pk=article.pk).status == Status.CHANGES_REQUESTED


class TestConflicts:
    def test_saving_over_a_newer_version_is_refused_and_nothing_is_lost(self):
        article = make_article(body="Version one.")
        mine = Article.objects.get(pk=article.pk)
        theirs = Article.objects.get(pk=article.pk)
        theirs.body = "Their version."
        services.save_article(
            article=theirs, user=editor(), expected_version=theirs.version
        )
        mine.body = "My version."
        with pytest.raises(services.EditConflict) as excinfo:
            services.save_article(article=mine, user=article.author, expected_version=1)
        assert "version 2" in str(excinfo.value)
        stored = Article.objects.get(pk=article.pk)
        assert (stored.body, stored.version) == ("Their version.", 2)
        assert mine.body == "My version."  # still there to copy

    def test_saving_the_version_loaded_is_fine(self):
        article = make_article()
        article.body = "Next."
        services.save_article(article=article, user=article.author, expected_version=1)
        assert Article.objects.get(pk=article.pk).version == 2


class TestReviewPeriod:
    def test_approval_sets_last_reviewed_and_next_review_due(self, settings):
        settings.PORTAL_REVIEW_PERIOD_MONTHS = 6
        article = make_article(approve=True)
        live = article.live
        due = workflow.next_review_due(live.approved_at.date())
        assert live.next_review_due == due
        assert (due.year * 12 + due.month) - (
            live.approved_at.year * 12 + live.approved_at.month
        ) == 6

    @pytest.mark.parametrize(
        ("approved_on", "months", "due"),
        [
            # An ordinary day keeps its day of the month (main gave the 28th).
            ("2026-11-23", 12, "2027-11-23"),
            ("2026-01-05", 1, "2026-02-05"),
            ("2026-03-27", 6, "2026-09-27"),
            # A day the target month lacks becomes its last day.
            ("2026-01-31", 1, "2026-02-28"),
            ("2027-01-31", 13, "2028-02-29"),
            ("2026-08-31", 1, "2026-09-30"),
            ("2026-10-31", 2, "2026-12-31"),
            # Leap days.
            ("2024-02-29", 12, "2025-02-28"),
            ("2024-02-29", 48, "2028-02-29"),
            ("2023-02-28", 12, "2024-02-28"),
        ],
    )
    def test_next_review_is_the_same_day_months_later(
        self, settings, approved_on, months, due
    ):
        settings.PORTAL_REVIEW_PERIOD_MONTHS = months
        approved = datetime.date.fromisoformat(approved_on)
        assert workflow.next_review_due(approved) == datetime.date.fromisoformat(due)

    def test_approval_on_23_november_is_due_23_november_a_year_on(
        self, settings, monkeypatch
    ):
        settings.PORTAL_REVIEW_PERIOD_MONTHS = 12
        approval = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=datetime.UTC)
        monkeypatch.setattr(workflow.timezone, "now", lambda: approval)
        article = make_article(approve=True)
        assert article.live.next_review_due == datetime.date(2027, 11, 23)

    def test_overdue_articles_are_listed(self):
        article = make_article(approve=True)
        assert not Article.objects.overdue_for_review().exists()
        later = article.live.next_review_due
        assert list(Article.objects.overdue_for_review(today=later)) == [article]

    @pytest.mark.parametrize("days", [-1, 0, 1])
    def test_the_page_and_the_dashboard_agree_on_overdue(self, days):
        article = make_article(approve=True)
        today = article.live.next_review_due + datetime.timedelta(days=days)
        listed = article in Article.objects.overdue_for_review(today=today)
        assert article.live.is_overdue(today=today) == listed == (days >= 0)

    @pytest.mark.parametrize(
        "declared_on", ["2025-03-31", "2024-02-29", "2026-01-31", "2026-11-23"]
    )
    @pytest.mark.parametrize("months", [1, 12, 13])
    def test_a_disclosure_is_due_as_a_review_would_be(
        self, settings, declared_on, months
    ):
        settings.PORTAL_DISCLOSURE_VALID_MONTHS = months
        declared = datetime.date.fromisoformat(declared_on)
        due = Disclosure(declared_on=declared).due_on()
        assert due == workflow.next_review_due(declared, months)


class TestNotifications:
    def test_submit_emails_the_board(
        self, mailoutbox, django_capture_on_commit_callbacks
    ):
        members = [board_member(), board_member()]
        article = make_article(title="IVIG in dermatomyositis")
        with django_capture_on_commit_callbacks(execute=True):
            workflow.submit(article=article, user=article.author, comment="Ready")
        assert sorted(m.to[0] for m in mailoutbox) == sorted(m.email for m in members)
        assert "IVIG in dermatomyositis" in mailoutbox[0].subject
        assert "Ready" in mailoutbox[0].body
        assert f"/editorial/articles/{article.pk}/" in mailoutbox[0].body

    def test_changes_requested_and_approval_email_the_writers(
        self, mailoutbox, django_capture_on_commit_callbacks
    ):
        reviewer = board_member()
        article = make_article()
        helper = editor()
        services.save_article(article=article, user=helper)
        article = advance_to(article, Status.IN_REVIEW, reviewer=reviewer)
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            workflow.request_changes(
                article=article, user=reviewer, comment="Add the 2016 trial."
            )
        assert sorted(m.to[0] for m in mailoutbox) == sorted(
            [article.author.email, helper.email]
        )
        assert "Add the 2016 trial." in mailoutbox[0].body
        mailoutbox.clear()
        workflow.submit(article=article, user=article.author)
        workflow.start_review(article=article, user=reviewer)
        with django_capture_on_commit_callbacks(execute=True):
            workflow.approve(article=article, user=reviewer)
        assert reviewer.email not in [m.to[0] for m in mailoutbox]
        assert article.author.email in [m.to[0] for m in mailoutbox]

    def test_nothing_is_sent_when_the_transition_fails(
        self, mailoutbox, django_capture_on_commit_callbacks
    ):
        board_member()
        article = make_article()
        with django_capture_on_commit_callbacks(execute=True):
            with pytest.raises(workflow.WorkflowError):
                workflow.approve(article=article, user=board_member())
        assert mailoutbox == []


def test_groups_exist():
    assert set(Group.objects.values_list("name", flat=True)) >= {
        roles.EDITORS,
        roles.BOARD,
    }
