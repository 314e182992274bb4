"""Board sign-off: the approval quorum, conflicts, assigned reviewers, change
notes, the per-article review period, and what readers see of them."""

import datetime

import pytest
from django.urls import reverse

from articles import roles, selectors, services, workflow
from articles.models import Article, Disclosure, ReviewEvent
from tests.factories import (
    ReferenceFactory,
    UserFactory,
    advance_to,
    board_member,
    editor,
    make_article,
)

pytestmark = pytest.mark.django_db

Status = Article.Status


def in_review(**kwargs):
    return advance_to(make_article(**kwargs), Status.IN_REVIEW)


class TestQuorum:
    """With PORTAL_APPROVALS_REQUIRED = N, the N-th distinct approval publishes."""

    @pytest.fixture(autouse=True)
    def three_required(self, settings):
        settings.PORTAL_APPROVALS_REQUIRED = 3

    def test_each_approval_is_recorded_and_only_the_last_publishes(self):
        article = in_review()
        first, second, third = board_member(), board_member(), board_member()
        workflow.approve(article=article, user=first, comment="Doses checked.")
        workflow.approve(article=article, user=second, comment="References fine.")
        article.refresh_from_db()
        assert (article.status, article.live_id) == (Status.IN_REVIEW, None)
        assert selectors.approval_progress(article) == {"approvals": 2, "required": 3}
        live = workflow.approve(article=article, user=third)
        assert article.status == Status.APPROVED
        assert set(live.approvers.all()) == {first, second, third}
        approvals = article.events.filter(action=ReviewEvent.Action.APPROVE)
        assert [(e.actor, e.comment, e.to_state) for e in approvals] == [
            (first, "Doses checked.", Status.IN_REVIEW),
            (second, "References fine.", Status.IN_REVIEW),
            (third, "", Status.APPROVED),
        ]

    def test_the_same_member_cannot_approve_twice(self):
        article = in_review()
        member = board_member()
        workflow.approve(article=article, user=member)
        with pytest.raises(workflow.WorkflowError, match="already approved"):
            workflow.approve(article=article, user=member)
        assert selectors.approval_progress(article)["approvals"] == 1
        actions = workflow.allowed_actions(article=article, user=member)
        assert workflow.Action.APPROVE not in [rule.action for rule in actions]

    def test_a_request_for_changes_ends_the_round(self):
        article = in_review()
        workflow.approve(article=article, user=board_member())
        workflow.approve(article=article, user=board_member())
        workflow.request_changes(
            article=article, user=board_member(), comment="Cite the trial."
        )
        article.refresh_from_db()
        assert article.status == Status.CHANGES_REQUESTED
        workflow.submit(article=article, user=article.author)
        workflow.start_review(article=article, user=board_member())
        assert selectors.approval_progress(article)["approvals"] == 0
        workflow.approve(article=article, user=board_member())
        assert Article.objects.get(pk=article.pk).live_id is None

    def test_writers_and_conflicted_members_do_not_count(self):
        writer = UserFactory(groups=[roles.EDITORS, roles.BOARD])
        article = make_article(author=writer)
        advance_to(article, Status.IN_REVIEW)
        conflicted = board_member()
        workflow.declare_conflict(article=article, user=conflicted)
        for user in (writer, conflicted):
            with pytest.raises(workflow.WorkflowError):
                workflow.approve(article=article, user=user)
        assert selectors.approval_progress(article)["approvals"] == 0

    def test_dashboard_and_stepper_say_how_many_approvals(self, client):
        article = in_review(title="Rituximab in refractory myositis")
        workflow.approve(article=article, user=board_member())
        workflow.approve(article=article, user=board_member())
        client.force_login(board_member())
        dashboard = client.get(reverse("editorial:dashboard")).content.decode()
        assert "2 of 3 approvals" in dashboard
        review = client.get(reverse("editorial:review", args=[article.pk]))
        assert "(2 of 3 approvals)" in review.content.decode()

    def test_a_pending_article_shows_its_approvals_to_readers(self, client, settings):
        settings.PORTAL_SHOW_UNREVIEWED = True
        article = in_review()
        workflow.approve(article=article, user=board_member())
        html = client.get(article.get_absolute_url()).content.decode()
        assert "(1 of 3 approvals)" in html

    def test_dashboard_counts_cost_one_query_for_any_number_of_articles(
        self, client, django_assert_max_num_queries
    ):
        for _ in range(5):
            workflow.approve(article=in_review(), user=board_member())
        client.force_login(board_member())
        # 13: with the approved articles whose searches found new papers.
        with django_assert_max_num_queries(13):
            client.get(reverse("editorial:dashboard"))


# The transition table with a quorum of two: the first approval keeps the
# article under review, the second publishes; nothing else changes.
QUORUM_TABLE = {
    # (state, approvals already given) -> state after one more approval
    (Status.IN_REVIEW, 0): Status.IN_REVIEW,
    (Status.IN_REVIEW, 1): Status.APPROVED,
    # A first approval straight from "submitted" puts it under review.
    (Status.SUBMITTED, 0): Status.IN_REVIEW,
}


@pytest.mark.parametrize(
    "state, given", [(state, 0) for state in Status] + [(Status.IN_REVIEW, 1)]
)
def test_quorum_in_the_transition_table(settings, state, given):
    article = advance_to(make_article(), state)
    settings.PORTAL_APPROVALS_REQUIRED = 2
    for _ in range(given):
        workflow.approve(article=article, user=board_member())
    expected = QUORUM_TABLE.get((state, given))
    if expected is None:
        with pytest.raises(workflow.WorkflowError):
            workflow.approve(article=article, user=board_member())
        assert Article.objects.get(pk=article.pk).status == state
    else:
        workflow.approve(article=article, user=board_member())
        assert Article.objects.get(pk=article.pk).status == expected


class TestConflicts:
    def test_a_conflict_bars_every_review_action(self):
        article = advance_to(make_article(), Status.SUBMITTED)
        member = board_member()
        workflow.declare_conflict(
            article=article, user=member, statement="I advise the maker of drug A."
        )
        with pytest.raises(workflow.WorkflowError, match="declared a conflict"):
            workflow.start_review(article=article, user=member)
        workflow.start_review(article=article, user=board_member())
        for action in ("request_changes", "approve"):
            with pytest.raises(workflow.WorkflowError, match="declared a conflict"):
                workflow.transition(
                    action, article=article, user=member, comment="Looks fine."
                )

    def test_self_approval_setting_does_not_lift_a_conflict(self, settings):
        settings.PORTAL_ALLOW_SELF_APPROVAL = True
        article = in_review()
        member = board_member()
        workflow.declare_conflict(article=article, user=member)
        with pytest.raises(workflow.WorkflowError, match="declared a conflict"):
            workflow.approve(article=article, user=member)

    def test_only_board_members_declare_conflicts_and_it_is_recorded(self):
        article = make_article()
        with pytest.raises(workflow.WorkflowError):
            workflow.declare_conflict(article=article, user=editor())
        member = board_member()
        workflow.declare_conflict(article=article, user=member, statement="Grant.")
        event = article.events.last()
        assert (event.action, event.actor, event.comment) == (
            "conflict",
            member,
            "Grant.",
        )

    def test_declaring_through_the_review_page(self, client):
        article = in_review()
        member = board_member()
        client.force_login(member)
        client.post(
            reverse("editorial:declare-conflict", args=[article.pk]),
            {"statement": "Shares in the company.\r\n"},
        )
        page = client.get(reverse("editorial:review", args=[article.pk]))
        html = page.content.decode()
        assert "You declared a conflict" in html
        assert 'value="approve"' not in html


class TestAssignedReviewers:
    def test_assigned_reviewers_see_it_first_and_get_the_email(
        self, client, mailoutbox, django_capture_on_commit_callbacks
    ):
        article = advance_to(make_article(title="IVIG dosing"), Status.SUBMITTED)
        chair, reviewer = board_member(), board_member()
        client.force_login(chair)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("editorial:assign", args=[article.pk]),
                {"reviewer": [str(reviewer.pk)]},
            )
        assert response.status_code == 302
        assert [m.to for m in mailoutbox] == [[reviewer.email]]
        assert "IVIG dosing" in mailoutbox[0].subject
        client.force_login(reviewer)
        html = client.get(reverse("editorial:dashboard")).content.decode()
        assert html.index("Assigned to you for review") < html.index("Awaiting review")

    def test_writers_and_conflicted_members_cannot_be_assigned(self):
        author_on_board = UserFactory(groups=[roles.EDITORS, roles.BOARD])
        article = advance_to(make_article(author=author_on_board), Status.SUBMITTED)
        conflicted = board_member()
        workflow.declare_conflict(article=article, user=conflicted)
        for who in (author_on_board, conflicted, editor()):
            with pytest.raises(workflow.WorkflowError):
                workflow.assign_reviewers(
                    article=article, reviewers=[who], user=board_member()
                )
        assert not article.assignments.exists()

    def test_anyone_eligible_may_still_review(self):
        article = advance_to(make_article(), Status.SUBMITTED)
        workflow.assign_reviewers(
            article=article, reviewers=[board_member()], user=board_member()
        )
        workflow.start_review(article=article, user=board_member())
        workflow.approve(article=article, user=board_member())
        assert Article.objects.get(pk=article.pk).status == Status.APPROVED

    def test_a_draft_gets_no_reviewers(self):
        with pytest.raises(workflow.WorkflowError, match="submitted"):
            workflow.assign_reviewers(
                article=make_article(), reviewers=[board_member()], user=board_member()
            )


@pytest.mark.parametrize("self_approval", [False, True])
@pytest.mark.parametrize("who", ["writer", "conflicted", "writer_conflicted", "other"])
def test_review_assignment_and_the_list_agree_on_who_may_review(
    settings, who, self_approval
):
    """One eligibility rule: whoever may not review is neither offered for
    assignment, nor assignable, nor let in by the workflow."""
    settings.PORTAL_ALLOW_SELF_APPROVAL = self_approval
    writer = UserFactory(groups=[roles.EDITORS, roles.BOARD])
    article = advance_to(make_article(author=writer), Status.SUBMITTED)
    person = writer if who.startswith("writer") else board_member()
    if who.endswith("conflicted"):
        workflow.declare_conflict(article=article, user=person)
    # The self-approval setting lifts the four-eyes rule, never a conflict.
    may = who == "other" or (who == "writer" and self_approval)

    listed = person in workflow.assignable_reviewers(article=article)
    try:
        workflow.assign_reviewers(
            article=article, reviewers=[person], user=board_member()
        )
    except workflow.WorkflowError:
        assigned = False
    else:
        assigned = True
    allowed = workflow.can(workflow.Action.START_REVIEW, article=article, user=person)
    assert (listed, assigned, allowed) == (may, may, may)


class TestChangeNotes:
    def revised(self):
        article = make_article(body="First words.", approve=True)
        article.body = "Second words."
        services.save_article(article=article, user=article.author)
        return advance_to(article, Status.IN_REVIEW)

    def test_the_first_version_needs_no_note_but_may_have_one(self):
        live = make_article(approve=True).live
        assert (live.change_note, live.change_class) == ("", "")
        article = advance_to(make_article(), Status.IN_REVIEW)
        live = workflow.approve(
            article=article,
            user=board_member(),
            note=workflow.ChangeNote(text="First published."),
        )
        assert live.change_note == "First published."

    @pytest.mark.parametrize(
        "note",
        [
            workflow.ChangeNote(),
            workflow.ChangeNote(text="  ", change_class="minor"),
            workflow.ChangeNote(text="Updated doses."),
        ],
    )
    def test_a_later_version_needs_a_note_and_its_class(self, note):
        article = self.revised()
        with pytest.raises(workflow.WorkflowError, match="note for readers"):
            workflow.approve(article=article, user=board_member(), note=note)
        assert Article.objects.get(pk=article.pk).status == Status.IN_REVIEW

    def test_an_overlong_note_is_refused(self):
        article = self.revised()
        with pytest.raises(workflow.WorkflowError, match="under 2000 characters"):
            workflow.approve(
                article=article,
                user=board_member(),
                note=workflow.ChangeNote(text="x" * 2001, change_class="minor"),
            )

    def test_an_unknown_class_is_refused(self):
        article = self.revised()
        with pytest.raises(workflow.WorkflowError, match="kind of change"):
            workflow.approve(
                article=article,
                user=board_member(),
                note=workflow.ChangeNote(text="x", change_class="<b>huge</b>"),
            )

    def test_the_note_is_kept_with_the_version(self):
        article = self.revised()
        live = workflow.approve(
            article=article,
            user=board_member(),
            note=workflow.ChangeNote(
                text="Rituximab is now advised earlier.\r\n",
                change_class="practice-changing",
            ),
        )
        assert live.change_note == "Rituximab is now advised earlier."
        assert live.is_practice_changing


class TestReviewPeriod:
    def test_an_article_may_be_due_sooner_than_the_default(self, settings):
        settings.PORTAL_REVIEW_PERIOD_MONTHS = 12
        live = make_article(review_period_months=3, approve=True).live
        approved = live.approved_at.date()
        assert live.next_review_due == workflow.next_review_due(approved, 3)
        assert live.next_review_due < workflow.next_review_due(approved)

    def test_the_period_is_set_in_the_editing_form(self, client):
        article = make_article()
        client.force_login(article.author)
        client.post(
            reverse("editorial:edit", args=[article.pk]),
            {
                "topic": article.topic_id,
                "title": article.title,
                "slug": article.slug,
                "summary": "",
                "body": "Text.",
                "plain_summary": "",
                "plain_body": "",
                "review_period_months": "6",
                "loaded_version": article.version,
            },
        )
        assert Article.objects.get(pk=article.pk).review_period_months == 6


class TestReaders:
    @pytest.fixture
    def history(self):
        kept = ReferenceFactory(citation_key="kept", title="A trial that stays")
        gone = ReferenceFactory(citation_key="gone", title="A report now dropped")
        new = ReferenceFactory(citation_key="new", title="A newer guideline")
        reviewer = board_member(first_name="Grace", last_name="Okafor")
        Disclosure.objects.create(
            user=reviewer,
            statement="Speaker fees from a maker of IVIG.",
            declared_on=datetime.date(2020, 1, 1),
        )
        article = make_article(body="A [@kept] and [@gone].", approve=True)
        article.body = "A [@kept] and [@new]."
        services.save_article(article=article, user=article.author)
        advance_to(article, Status.IN_REVIEW)
        workflow.approve(
            article=article,
            user=reviewer,
            note=workflow.ChangeNote(
                text="IVIG now advised for severe skin disease.",
                change_class="practice-changing",
            ),
        )
        return article, kept, gone, new, reviewer

    def test_article_page_shows_what_changed_and_who_with_disclosures(
        self, client, history
    ):
        article, *_refs, reviewer = history
        html = client.get(article.get_absolute_url()).content.decode()
        assert "What changed" in html
        assert "IVIG now advised for severe skin disease." in html
        assert "Practice-changing" in html
        assert reverse("articles:changes", args=[article.slug]) in html
        assert f"/editorial-board/#person-{reviewer.pk}" in html
        assert "declaration due" in html

    def test_change_log_lists_versions_newest_first_with_references(
        self, client, history
    ):
        article, kept, gone, new, reviewer = history
        html = client.get(
            reverse("articles:changes", args=[article.slug])
        ).content.decode()
        assert html.index('id="version-2"') < html.index('id="version-1"')
        version_two = html[html.index('id="version-2"') : html.index('id="version-1"')]
        assert "A newer guideline" in version_two
        assert "A report now dropped" in version_two
        assert "A trial that stays" not in version_two
        assert "Grace Okafor" in version_two
        assert "First published" in html

    def test_change_log_of_an_unapproved_article_is_not_found(self, client):
        article = make_article()
        url = reverse("articles:changes", args=[article.slug])
        assert client.get(url).status_code == 404

    def test_updates_feed_and_its_practice_changing_filter(self, client, history):
        article = history[0]
        make_article(title="Another article", approve=True)
        everything = client.get("/feeds/updates/").content.decode()
        assert "Another article (First published)" in everything
        assert "IVIG now advised" in everything
        changing = client.get(
            "/feeds/updates/", {"class": "practice-changing"}
        ).content.decode()
        assert "IVIG now advised" in changing
        assert "Another article" not in changing
        assert f"/articles/{article.slug}/changes/#version-2" in changing

    def test_a_nonsense_feed_filter_is_ignored(self, client, history):
        response = client.get("/feeds/updates/", {"class": "<script>"})
        assert response.status_code == 200
        assert b"<script>" not in response.content

    def test_editorial_board_page_shows_disclosures_and_due_ones(self, client, history):
        article, *_refs, reviewer = history
        from tests.factories import BoardMemberFactory

        BoardMemberFactory(user=reviewer)
        html = client.get("/editorial-board/").content.decode()
        assert f'id="person-{reviewer.pk}"' in html
        assert "Speaker fees from a maker of IVIG." in html
        assert "Declaration due for renewal" in html
        # The article's author is listed too, without a declaration on file.
        assert f'id="person-{article.author_id}"' in html
        assert "No declaration of interests on file." in html

    def test_disclosure_is_due_after_twelve_months(self):
        disclosure = Disclosure(declared_on=datetime.date(2025, 3, 31))
        assert not disclosure.is_due(today=datetime.date(2026, 3, 30))
        assert disclosure.is_due(today=datetime.date(2026, 3, 31))
        leap = Disclosure(declared_on=datetime.date(2024, 2, 29))
        assert leap.due_on() == datetime.date(2025, 2, 28)
