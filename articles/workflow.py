"""The review workflow: who may move an article from which state to which.

This module is the only code that changes ``Article.status`` or what the
public sees (``Article.live``). Views, admin actions and commands call it.
The rules are data (``TRANSITIONS``); every transition locks the article row,
checks the rule, changes the status in one transaction with a reversion
revision, records a ``ReviewEvent`` and, once committed, emails the people
concerned.
"""

import datetime
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from references.models import Reference, ReferenceNotice
from references.revisions import revision

from . import notifications
from .models import (
    ApprovedCitation,
    ApprovedVersion,
    Article,
    ChangeClass,
    Conflict,
    ReviewAssignment,
    ReviewEvent,
    person_name,
)

EDITORS = "Editors"
BOARD = "Editorial Board"

Status = Article.Status
Action = ReviewEvent.Action


class WorkflowError(Exception):
    """An action the workflow does not allow, with a message for people."""


@dataclass(frozen=True)
class Transition:
    """One allowed move: from which states, to which, by whom."""

    action: str
    sources: frozenset
    target: str
    role: str
    label: Promise
    # A review action. Four eyes: the actor must not have written or edited
    # the current text; and must not have declared a conflict with the article.
    independent: bool = False
    comment_required: bool = False
    # Counts towards PORTAL_APPROVALS_REQUIRED: the text is published by the
    # approval that completes the quorum; earlier ones are recorded and wait.
    quorum: bool = False


TRANSITIONS = {
    t.action: t
    for t in (
        Transition(
            Action.SUBMIT,
            frozenset({Status.DRAFT, Status.CHANGES_REQUESTED}),
            Status.SUBMITTED,
            EDITORS,
            _("Submit for review"),
        ),
        Transition(
            Action.WITHDRAW,
            frozenset(Article.WITH_BOARD),
            Status.DRAFT,
            EDITORS,
            _("Withdraw to draft"),
        ),
        Transition(
            Action.START_REVIEW,
            frozenset({Status.SUBMITTED}),
            Status.IN_REVIEW,
            BOARD,
            _("Start review"),
            independent=True,
        ),
        Transition(
            Action.REQUEST_CHANGES,
            frozenset({Status.IN_REVIEW}),
            Status.CHANGES_REQUESTED,
            BOARD,
            _("Request changes"),
            independent=True,
            comment_required=True,
        ),
        Transition(
            Action.APPROVE,
            frozenset({Status.IN_REVIEW}),
            Status.APPROVED,
            BOARD,
            _("Approve and publish"),
            independent=True,
            quorum=True,
        ),
    )
}

# The text may be edited in these states; editing approved text starts a new
# draft while the approved version stays live. Submitted text is the board's
# to read: it must be withdrawn before it changes.
EDITABLE = frozenset({Status.DRAFT, Status.CHANGES_REQUESTED, Status.APPROVED})

ROLE_NAMES = {EDITORS: _("editors"), BOARD: _("members of the editorial board")}


def _group_names(user) -> frozenset:
    # Cached on the user object: a page asks about several actions.
    if not hasattr(user, "_portal_groups"):
        user._portal_groups = frozenset(user.groups.values_list("name", flat=True))
    return user._portal_groups


def has_role(user, role: str) -> bool:
    """Whether an active user acts as ``role`` (EDITORS or BOARD)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or role in _group_names(user)


def is_board_member(user) -> bool:
    """Whether the user may act for the editorial board."""
    return has_role(user, BOARD)


def is_editor(user) -> bool:
    """Whether the user may write and submit articles."""
    return has_role(user, EDITORS)


def review_period(article: Article) -> int:
    """Months from an approval of ``article`` to its next review."""
    return article.review_period_months or settings.PORTAL_REVIEW_PERIOD_MONTHS


def next_review_due(approved_on: datetime.date, months=None) -> datetime.date:
    """The date a text approved on ``approved_on`` is due for its next review.

    The same day ``months`` later (the article's ``review_period()``; by
    default ``PORTAL_REVIEW_PERIOD_MONTHS``); a day the target month lacks
    (31 August + 1 month, 29 February + 12) becomes its last day.
    """
    months = months or settings.PORTAL_REVIEW_PERIOD_MONTHS
    return approved_on + relativedelta(months=months)


def writers(article: Article) -> set:
    """Ids of the people who wrote the current text.

    The author, and everyone who saved a version since the last approval.
    """
    since = article.live.number if article.live_id else 0
    edited_by = ReviewEvent.objects.filter(
        article=article, action=Action.EDIT, version__gt=since, actor__isnull=False
    ).values_list("actor_id", flat=True)
    return {article.author_id, *edited_by} - {None}


# A change note is a few sentences for readers, not a second article.
CHANGE_NOTE_MAX_LENGTH = 2000


@dataclass(frozen=True)
class ChangeNote:
    """What the board tells readers about a new version, and its class."""

    text: str = ""
    change_class: str = ""


@dataclass
class ReviewFacts:
    """What the review rules need to know about an article, read once."""

    writer_ids: set = field(default_factory=set)
    conflicted_ids: set = field(default_factory=set)
    # Who approved the current text in this round, not yet enough to publish.
    approver_ids: list = field(default_factory=list)


def approvals_required() -> int:
    """How many board members must approve a text before it is published."""
    return settings.PORTAL_APPROVALS_REQUIRED


def _round_start(article_ref):
    # A round of review starts with each submission; a request for changes or
    # a withdrawal ends it, and the next submission starts afresh.
    started = (
        ReviewEvent.objects.filter(article=article_ref, action=Action.SUBMIT)
        .order_by("-pk")
        .values("pk")[:1]
    )
    return Coalesce(Subquery(started), Value(0))


def _round_approvals(article_ref):
    # Approvals recorded in this round that did not (yet) publish the text.
    return ReviewEvent.objects.filter(
        article=article_ref,
        action=Action.APPROVE,
        to_state=Status.IN_REVIEW,
        pk__gt=_round_start(article_ref),
    )


def round_approver_ids(article: Article) -> list:
    """Ids of the board members who approved the current text in this round."""
    return list(_round_approvals(article.pk).values_list("actor_id", flat=True))


def with_approval_counts(queryset):
    """Annotate articles with ``approvals``: this round's approvals so far.

    One subquery for the whole list, for the dashboard.
    """
    votes = (
        _round_approvals(OuterRef("pk"))
        .order_by()
        .values("article")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(
        approvals=Coalesce(Subquery(votes, output_field=IntegerField()), Value(0))
    )


def review_facts(article: Article) -> ReviewFacts:
    """Writers, conflicted members and this round's approvers of ``article``."""
    return ReviewFacts(
        writer_ids=writers(article),
        conflicted_ids=set(
            Conflict.objects.filter(article=article).values_list("member_id", flat=True)
        ),
        approver_ids=round_approver_ids(article),
    )


def _publishes(article: Article, facts: ReviewFacts) -> bool:
    # Whether one more approval completes the quorum.
    return len(set(facts.approver_ids)) + 1 >= approvals_required()


# Board actions whose comments speak to the editors about the text.
COMMENTED_BOARD_ACTIONS = frozenset(
    {Action.START_REVIEW, Action.REQUEST_CHANGES, Action.APPROVE}
)


def _events(article: Article, events) -> list:
    # A page that lists the record already has the events, in order.
    if events is None:
        events = article.events.select_related("actor").order_by("created_at", "pk")
    return list(events)


def last_reviewed_version(article: Article, events=None) -> int | None:
    """The version the board last sent back with a request for changes.

    None unless it is newer than the live version: once a version is approved,
    the live one is what a new round is read against. ``events``: the
    article's record in order, when the caller has it.
    """
    requests = [
        e.version
        for e in _events(article, events)
        if e.action == Action.REQUEST_CHANGES
    ]
    number = requests[-1] if requests else None
    live = article.live.number if article.live_id else 0
    return number if number and number > live else None


def open_comments(article: Article, events=None) -> list:
    """The board's comments the editors are answering now, oldest first.

    A round of review runs from a submission to the board's decision. The
    comments of the round that ended in a request for changes stay open while
    the editors work and while the board reads the resubmitted text, with any
    comments of the round under way; publishing the text closes them all.
    """
    answered, current, requested = [], [], False
    for event in _events(article, events):
        if event.to_state == Status.APPROVED:
            answered, current, requested = [], [], False
        elif event.action == Action.SUBMIT:
            if requested:
                answered = current
            else:
                answered += current
            current, requested = [], False
        elif event.action in COMMENTED_BOARD_ACTIONS and event.comment.strip():
            current.append(event)
        if event.action == Action.REQUEST_CHANGES:
            # The board decided on the resubmitted text: this round's
            # comments replace those of the round before.
            answered, requested = [], True
    return answered + current


def check(
    action: str,
    *,
    article: Article,
    user,
    comment: str = "",
    facts: ReviewFacts | None = None,
    note: ChangeNote | None = None,
):
    """Raise WorkflowError unless ``user`` may do ``action`` to ``article`` now.

    ``facts`` may be passed when already known, to save queries. ``note`` is
    the change note given with an approval; None when not yet known (to list
    the buttons a page offers).
    """
    rule = TRANSITIONS.get(action)
    if rule is None:
        raise WorkflowError(_("There is no such review action."))
    if user is None or not user.is_authenticated or not user.is_active:
        raise WorkflowError(_("Only signed-in, active accounts can do this."))
    if not has_role(user, rule.role):
        raise WorkflowError(
            _("Only %(role)s can %(action)s.")
            % {"role": ROLE_NAMES[rule.role], "action": str(rule.label).lower()}
        )
    if article.status not in rule.sources:
        raise WorkflowError(
            _("This article is %(status)s; it cannot be %(done)s from there.")
            % {
                "status": Status(article.status).label.lower(),
                "done": Action(action).label.lower(),
            }
        )
    if rule.independent:
        facts = facts or review_facts(article)
        if not settings.PORTAL_ALLOW_SELF_APPROVAL and user.pk in facts.writer_ids:
            raise WorkflowError(
                _(
                    "You wrote or edited this text, so another board member must "
                    "review it."
                )
            )
        if user.pk in facts.conflicted_ids:
            raise WorkflowError(
                _(
                    "You declared a conflict with this article, so another board "
                    "member must review it."
                )
            )
    if rule.quorum and user.pk in facts.approver_ids:
        raise WorkflowError(
            _(
                "You have already approved this version: %(missing)s more approval "
                "from other board members is needed before it is published."
            )
            % {"missing": approvals_required() - len(set(facts.approver_ids))}
        )
    if rule.comment_required and not comment.strip():
        raise WorkflowError(
            _("Say what needs to change: a comment is required to request changes.")
        )
    if rule.quorum and note is not None:
        _check_note(article=article, facts=facts, note=note)


def _check_note(*, article: Article, facts: ReviewFacts, note: ChangeNote) -> None:
    # Readers are told what changed in every version after the first; the
    # approval that publishes it carries the note.
    if note.change_class and note.change_class not in ChangeClass.values:
        raise WorkflowError(_("Choose what kind of change this is from the list."))
    if len(note.text) > CHANGE_NOTE_MAX_LENGTH:
        raise WorkflowError(
            _("Keep the note for readers under %(limit)s characters.")
            % {"limit": CHANGE_NOTE_MAX_LENGTH}
        )
    if not article.live_id or not _publishes(article, facts):
        return
    if not note.text.strip() or not note.change_class:
        raise WorkflowError(
            _(
                "Write a short note for readers saying what changed in this "
                "version, and choose what kind of change it is."
            )
        )


def allowed_actions(*, article: Article, user, facts=None) -> list:
    """The transitions ``user`` may take on ``article`` now, for buttons.

    ``facts`` (``review_facts()``) may be passed when already known.
    """
    allowed = []
    for action, rule in TRANSITIONS.items():
        if rule.independent and facts is None:
            facts = review_facts(article)
        try:
            # The comment is not known before the form is posted.
            check(
                action,
                article=article,
                user=user,
                comment="-" if rule.comment_required else "",
                facts=facts,
            )
        except WorkflowError:
            continue
        allowed.append(rule)
    return allowed


def approval_progress(article: Article) -> dict:
    """This round's approvals and how many are needed, for pages."""
    return {
        "approvals": len(set(round_approver_ids(article))),
        "required": approvals_required(),
    }


def _lock(article: Article) -> Article:
    """The article's row, locked until the transaction ends."""
    return Article.objects.select_for_update().get(pk=article.pk)


def _record(*, article, action, from_state, actor, comment) -> ReviewEvent:
    return ReviewEvent.objects.create(
        article=article,
        action=action,
        from_state=from_state,
        to_state=article.status,
        actor=actor,
        comment=comment,
        version=article.version,
    )


@transaction.atomic
def transition(
    action: str,
    *,
    article: Article,
    user,
    comment: str = "",
    version=None,
    note: ChangeNote | None = None,
) -> ReviewEvent:
    """Take ``action`` on the article, or raise WorkflowError saying why not.

    ``version``, when given, is the version the user was looking at: if the
    text changed since, nothing happens, so nobody approves unseen text.
    ``note`` is the change note for readers that an approval publishing a
    new version must carry. An approval that does not yet complete the
    quorum (PORTAL_APPROVALS_REQUIRED) is recorded and the text stays under
    review.
    """
    locked = _lock(article)
    if version is not None and int(version) != locked.version:
        raise WorkflowError(
            _(
                "The text changed since you opened it (now version %(version)s). "
                "Read the new version first."
            )
            % {"version": locked.version}
        )
    rule = TRANSITIONS.get(action)
    facts = review_facts(locked) if rule and rule.independent else None
    note = note or ChangeNote()
    check(action, article=locked, user=user, comment=comment, facts=facts, note=note)
    if action == Action.APPROVE:
        check_retractions_acknowledged(article=locked, comment=comment)
    writer_ids = facts.writer_ids if facts else None
    if rule.quorum and not _publishes(locked, facts):
        event = _record(
            article=locked,
            action=action,
            from_state=locked.status,
            actor=user,
            comment=comment,
        )
    elif action == Action.APPROVE:
        event = _approve(
            article=locked,
            approved_by=user,
            comment=comment,
            note=note,
            approver_ids=[*facts.approver_ids, user.pk],
            author_ids=writer_ids,
        )[1]
    else:
        from_state = locked.status
        with revision(user=user, comment=comment or Action(action).label):
            locked.status = rule.target
            locked.save(update_fields=["status", "updated_at"])
        event = _record(
            article=locked,
            action=action,
            from_state=from_state,
            actor=user,
            comment=comment,
        )
    notifications.transition_done(event=event, writer_ids=writer_ids)
    article.status, article.live_id = locked.status, locked.live_id
    return event


def cited_retractions(article: Article, citations=None) -> list:
    """The references the article's current text cites that were retracted or
    withdrawn (by a recorded notice), by title.

    ``citations``, when given, are the article's citations with their
    references' notices prefetched: a page that shows them asks nothing more.
    """
    if citations is not None:
        return sorted(
            {
                c.reference
                for c in citations
                for notice in c.reference.notices.all()
                if notice.kind in ReferenceNotice.RETRACTED
            },
            key=lambda reference: reference.title,
        )
    return list(
        Reference.objects.filter(
            pk__in=article.citations.values("reference_id"),
            notices__kind__in=ReferenceNotice.RETRACTED,
        )
        .distinct()
        .order_by("title")
    )


def check_retractions_acknowledged(*, article: Article, comment: str) -> None:
    """Refuse to approve, without a comment, text that cites a retracted paper.

    Some articles cite a retraction on purpose (to say a finding no longer
    stands), so it is not forbidden; the approving board member says so.
    """
    if comment.strip():
        return
    retracted = cited_retractions(article)
    if retracted:
        raise WorkflowError(
            _(
                "This text cites a retracted publication (%(titles)s). Approve it "
                "only with a comment saying why it still cites it."
            )
            % {"titles": "; ".join(f"“{r.title}”" for r in retracted)}
        )


def submit(*, article: Article, user, comment: str = "") -> ReviewEvent:
    """Send the draft to the editorial board."""
    return transition(Action.SUBMIT, article=article, user=user, comment=comment)


def withdraw(*, article: Article, user, comment: str = "") -> ReviewEvent:
    """Take a submitted article back to draft so it can be edited."""
    return transition(Action.WITHDRAW, article=article, user=user, comment=comment)


def start_review(*, article: Article, user, comment: str = "") -> ReviewEvent:
    """A board member takes up a submitted article."""
    return transition(Action.START_REVIEW, article=article, user=user, comment=comment)


def request_changes(*, article: Article, user, comment: str) -> ReviewEvent:
    """Send the article back to its editors, saying what must change."""
    return transition(
        Action.REQUEST_CHANGES, article=article, user=user, comment=comment
    )


def approve(
    *,
    article: Article,
    user,
    comment: str = "",
    version=None,
    note: ChangeNote | None = None,
):
    """Approve the article's current text; the last approval needed publishes it.

    Returns the live version (unchanged while more approvals are needed).
    """
    transition(
        Action.APPROVE,
        article=article,
        user=user,
        comment=comment,
        version=version,
        note=note,
    )
    article.refresh_from_db()
    return article.live


@transaction.atomic
def record_approval(
    *,
    article: Article,
    approved_by,
    comment: str = "",
    note: ChangeNote | None = None,
) -> ApprovedVersion:
    """Freeze the article's current text as approved and put it live.

    ``approve()`` checks the rules and then comes here. Loading content that
    was reviewed elsewhere (the demo content without accounts) calls it
    directly, with ``approved_by=None``.
    """
    locked = _lock(article)
    version, _event = _approve(
        article=locked,
        approved_by=approved_by,
        comment=comment,
        note=note or ChangeNote(),
        approver_ids=[approved_by.pk] if approved_by else [],
        author_ids=writers(locked),
    )
    article.status, article.live_id = locked.status, locked.live_id
    return version


def _approve(
    *,
    article: Article,
    approved_by,
    comment: str,
    note: ChangeNote,
    approver_ids,
    author_ids,
):
    # The one code path that makes text live; the caller holds the row lock.
    from_state = article.status
    if article.slug_taken_by_another():
        raise WorkflowError(
            _(
                "Another article is published at the address “%(slug)s”: give "
                "this one another slug before approving it."
            )
            % {"slug": article.slug}
        )
    now = timezone.now()
    version = ApprovedVersion.objects.create(
        article=article,
        number=article.version,
        # The address, topic and overview flag are published with the text.
        topic_id=article.topic_id,
        slug=article.slug,
        is_overview=article.is_overview,
        title=article.title,
        summary=article.summary,
        body_html=article.body_html,
        plain_summary=article.plain_summary,
        plain_body_html=article.plain_body_html,
        recommendations=article.recommendations,
        approved_by=approved_by,
        approved_at=now,
        next_review_due=next_review_due(
            timezone.localdate(now), review_period(article)
        ),
        # Optional on a first version, required after it (see check()).
        change_class=note.change_class,
        change_note=note.text.strip(),
    )
    version.approvers.set(set(approver_ids))
    version.authors.set(set(author_ids or ()))
    ApprovedCitation.objects.bulk_create(
        ApprovedCitation(version=version, reference_id=c.reference_id, number=c.number)
        for c in article.citations.all()
    )
    with revision(user=approved_by, comment=comment or _("Approved")):
        article.live = version
        article.status = Status.APPROVED
        article.save(update_fields=["live", "status", "updated_at"])
    event = _record(
        article=article,
        action=Action.APPROVE,
        from_state=from_state,
        actor=approved_by,
        comment=comment,
    )
    return version, event


def check_editable(article: Article) -> None:
    """Raise WorkflowError if the article's text may not be edited now."""
    if article.pk and article.status not in EDITABLE:
        raise WorkflowError(
            _(
                "This article is %(status)s: the board is reading this text, so "
                "it cannot change. Withdraw it to draft first."
            )
            % {"status": Status(article.status).label.lower()}
        )


def check_writer(user) -> None:
    """Raise WorkflowError unless ``user`` may write article text.

    ``None`` is the system itself (the demo loader, scripts); people must be
    editors, whichever screen or command they write through.
    """
    if user is not None and not is_editor(user):
        raise WorkflowError(_("Only editors can write or change articles."))


def can_edit(*, article: Article, user) -> bool:
    """Whether ``user`` may change the article's text now (for what screens offer)."""
    return is_editor(user) and article.status in EDITABLE


def prepare_edit(*, article: Article) -> Article | None:
    """Lock a saved article for an edit and give it the status the edit leads to.

    Returns the locked row as stored (for its version and status), or None
    for a new article. Refuses text the board is reading. Call inside the
    transaction that saves the edit, then ``record_edit()``.
    """
    if not article.pk:
        article.status = Status.DRAFT
        return None
    stored = _lock(article)
    check_editable(stored)
    article.status = Status.DRAFT if stored.status == Status.APPROVED else stored.status
    article.live_id = stored.live_id
    return stored


def record_edit(*, article: Article, user, comment: str, from_state: str):
    """Record that ``user`` saved the article's current version."""
    actor = user if user is not None and user.is_authenticated else None
    return _record(
        article=article,
        action=Action.EDIT,
        from_state=from_state,
        actor=actor,
        comment=comment,
    )


def assignable_reviewers(*, article: Article, facts: ReviewFacts | None = None):
    """Board members who may be asked to review ``article``: not its writers,
    not conflicted, not already assigned."""
    facts = facts or review_facts(article)
    barred = set(facts.conflicted_ids)
    if not settings.PORTAL_ALLOW_SELF_APPROVAL:
        barred |= facts.writer_ids
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=BOARD)
        .exclude(pk__in=barred)
        .exclude(review_assignments__article=article)
        .order_by("last_name", "first_name", "username")
        .distinct()
    )


@transaction.atomic
def assign_reviewers(*, article: Article, reviewers, user) -> list:
    """Ask board members to review an article the board holds; email them.

    Only a board member assigns; only board members who may review it (not
    its writers, not conflicted) are assigned. Anyone eligible may still
    review it. Returns the new assignments (a reviewer already assigned is
    left as they were).
    """
    if not is_board_member(user):
        raise WorkflowError(_("Only members of the editorial board assign reviewers."))
    locked = _lock(article)
    if locked.status not in Article.WITH_BOARD:
        raise WorkflowError(
            _("Only an article submitted for review or under review gets reviewers.")
        )
    facts = review_facts(locked)
    for reviewer in reviewers:
        name = person_name(reviewer)
        if not is_board_member(reviewer):
            raise WorkflowError(
                _("%(name)s is not a member of the editorial board.") % {"name": name}
            )
        if reviewer.pk in facts.conflicted_ids:
            raise WorkflowError(
                _("%(name)s declared a conflict with this article.") % {"name": name}
            )
        if not settings.PORTAL_ALLOW_SELF_APPROVAL and reviewer.pk in facts.writer_ids:
            raise WorkflowError(
                _("%(name)s wrote or edited this text and may not review it.")
                % {"name": name}
            )
    taken = set(
        ReviewAssignment.objects.filter(article=locked).values_list(
            "reviewer_id", flat=True
        )
    )
    new = [
        ReviewAssignment(article=locked, reviewer=reviewer, assigned_by=user)
        for reviewer in {r.pk: r for r in reviewers}.values()
        if reviewer.pk not in taken
    ]
    for assignment in new:
        assignment.full_clean()
    ReviewAssignment.objects.bulk_create(new)
    if new:
        event = _record(
            article=locked,
            action=Action.ASSIGN,
            from_state=locked.status,
            actor=user,
            comment=", ".join(person_name(a.reviewer) for a in new),
        )
        notifications.reviewers_assigned(
            event=event, reviewer_ids=[a.reviewer_id for a in new]
        )
    return new


@transaction.atomic
def declare_conflict(*, article: Article, user, statement: str = "") -> Conflict:
    """Record that a board member has a conflict with an article.

    From then on ``check()`` refuses them every review action on it, and any
    assignment to review it is withdrawn.
    """
    if not is_board_member(user):
        raise WorkflowError(
            _("Only members of the editorial board declare conflicts with articles.")
        )
    locked = _lock(article)
    conflict = Conflict.objects.filter(article=locked, member=user).first()
    if conflict is not None:
        return conflict
    conflict = Conflict(article=locked, member=user, statement=statement.strip())
    conflict.full_clean()
    conflict.save()
    ReviewAssignment.objects.filter(article=locked, reviewer=user).delete()
    _record(
        article=locked,
        action=Action.DECLARE_CONFLICT,
        from_state=locked.status,
        actor=user,
        comment=conflict.statement,
    )
    return conflict
