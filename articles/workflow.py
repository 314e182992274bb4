"""The review workflow: who may move an article from which state to which.

This module is the only code that changes ``Article.status`` or what the
public sees (``Article.live``). Views, admin actions and commands call it.
The rules are data (``TRANSITIONS``, each with the guards it carries) and
one eligibility rule for reviewers (``review_bar``); every transition locks
the article row, checks the rules, changes the status in one transaction
with a reversion revision, records a ``ReviewEvent`` and, once committed,
emails the people concerned. What the rules read about an article comes
from ``articles.selectors``; who holds which role, from ``articles.roles``.
"""

import datetime
import enum
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from references.models import SavedSearch
from references.revisions import revision

from . import evidence_profile, notifications
from .models import (
    ApprovedCitation,
    ApprovedVersion,
    Article,
    ChangeClass,
    Conflict,
    ReviewAssignment,
    ReviewEvent,
    months_later,
    person_name,
)
from .roles import (
    BOARD,
    EDITORS,
    ROLE_NAMES,
    has_role,
    is_board_member,
    is_editor,
    members,
)
from .selectors import (
    ReviewFacts,
    approvals_required,
    cited_in_inbox,
    cited_retractions,
    review_facts,
    writers,
)

Status = Article.Status
Action = ReviewEvent.Action


class WorkflowError(Exception):
    """An action the workflow does not allow, with a message for people."""


# A change note is a few sentences for readers, not a second article.
CHANGE_NOTE_MAX_LENGTH = 2000


@dataclass(frozen=True)
class ChangeNote:
    """What the board tells readers about a new version, and its class."""

    text: str = ""
    change_class: str = ""


class Bar(enum.Enum):
    """Why a board member may not review an article."""

    WROTE = "wrote"
    CONFLICT = "conflict"


def review_bar(facts: ReviewFacts, user_id) -> Bar | None:
    """Why the person ``user_id`` may not review the article ``facts``
    describe, or None when they may.

    Four eyes: nobody reviews text they wrote or edited since the last
    approval, superusers included, unless PORTAL_ALLOW_SELF_APPROVAL (never
    on a real site). Nor does anyone who declared a conflict with the
    article, whatever that setting says. The one rule behind ``check()``,
    ``assignable_reviewers()`` and ``assign_reviewers()``.
    """
    if user_id in facts.writer_ids and not settings.PORTAL_ALLOW_SELF_APPROVAL:
        return Bar.WROTE
    if user_id in facts.conflicted_ids:
        return Bar.CONFLICT
    return None


# What check() tells the person barred, and assign_reviewers() about a colleague.
YOU_ARE_BARRED = {
    Bar.WROTE: _(
        "You wrote or edited this text, so another board member must review it."
    ),
    Bar.CONFLICT: _(
        "You declared a conflict with this article, so another board member must "
        "review it."
    ),
}
THEY_ARE_BARRED = {
    Bar.WROTE: _("%(name)s wrote or edited this text and may not review it."),
    Bar.CONFLICT: _("%(name)s declared a conflict with this article."),
}


@dataclass(frozen=True)
class Attempt:
    """An action being taken, with what was posted with it: what guards read."""

    article: Article
    comment: str
    note: ChangeNote
    # review_facts() of the article, read for a review action; else None.
    facts: ReviewFacts | None
    # The text's evidence profile worked out afresh, for an approval; else None.
    profile: dict | None = None


def _completes_quorum(facts: ReviewFacts) -> bool:
    # Whether one more approval completes PORTAL_APPROVALS_REQUIRED.
    return len(set(facts.approver_ids)) + 1 >= approvals_required()


def check_note_form(attempt: Attempt) -> None:
    """Refuse a change note of an unknown class or too long for readers."""
    note = attempt.note
    if note.change_class and note.change_class not in ChangeClass.values:
        raise WorkflowError(_("Choose what kind of change this is from the list."))
    if len(note.text) > CHANGE_NOTE_MAX_LENGTH:
        raise WorkflowError(
            _("Keep the note for readers under %(limit)s characters.")
            % {"limit": CHANGE_NOTE_MAX_LENGTH}
        )


def check_change_note(attempt: Attempt) -> None:
    """Refuse a malformed change note, or none from the approval that publishes
    a version after the first.

    Readers are told what changed in every version after the first; the
    approval that publishes it carries the note (the editor's proposal,
    which the form starts from, or the board's own words).
    """
    check_note_form(attempt)
    note = attempt.note
    if not attempt.article.live_id or not _completes_quorum(attempt.facts):
        return
    if not note.text.strip() or not note.change_class:
        raise WorkflowError(
            _(
                "Write a short note for readers saying what changed in this "
                "version, and choose what kind of change it is."
            )
        )


def check_retractions_acknowledged(attempt: Attempt) -> None:
    """Refuse to approve, without a comment, text that cites a retracted paper.

    Some articles cite a retraction on purpose (to say a finding no longer
    stands), so it is not forbidden; the approving board member says so.
    """
    if attempt.comment.strip():
        return
    retracted = cited_retractions(attempt.article)
    if retracted:
        raise WorkflowError(
            _(
                "This text cites a retracted publication (%(titles)s). Approve it "
                "only with a comment saying why it still cites it."
            )
            % {"titles": "; ".join(f"“{r.title}”" for r in retracted)}
        )


def check_recommendations_acknowledged(attempt: Attempt) -> None:
    """Refuse to approve, without a comment, a recommendation that rests on no
    checkable evidence: one citing no guideline, systematic review, trial or
    observational study with a DOI, PMID or trial registration.

    A recommendation may rest on expert summaries where nothing better
    exists; the approving board member says so, as for a cited retraction.
    """
    if attempt.comment.strip() or not attempt.profile:
        return
    unsupported = attempt.profile["unsupported"]
    if unsupported:
        raise WorkflowError(
            _(
                "Resting on no checkable evidence: %(boxes)s (citing no "
                "guideline, systematic review, trial or observational study "
                "with a DOI, PMID or trial registration). Approve only with a "
                "comment acknowledging what it rests on."
            )
            % {"boxes": "; ".join(box_name(box) for box in unsupported)}
        )


def box_name(statement: dict) -> str:
    """“Recommendation 2” (or “Plain-language recommendation 2”), from a
    statement of the evidence profile."""
    number = statement["anchor"].rsplit("-", 1)[-1]
    if statement["body"] == evidence_profile.PLAIN:
        return str(_("Plain-language recommendation %(number)s")) % {"number": number}
    return str(_("Recommendation %(number)s")) % {"number": number}


def check_cited_references_placed(attempt: Attempt) -> None:
    """Refuse to approve text citing references that wait in a curation inbox.

    The inbox is the editors' and hidden from readers; an approved article
    would show such a citation, and export it, while its reference's page
    answers 404. The rule: an editor places each cited reference in a section
    first (the review page lists them); approval never places anything.
    """
    waiting = cited_in_inbox(attempt.article)
    if waiting:
        raise WorkflowError(
            _(
                "This text cites references that still wait in a curation inbox, "
                "unseen by readers (%(titles)s). An editor must place them in a "
                "section before the text can be approved."
            )
            % {"titles": "; ".join(f"“{r.title}”" for r in waiting)}
        )


@dataclass(frozen=True)
class Transition:
    """One allowed move: from which states, to which, by whom."""

    action: str
    sources: frozenset
    target: str
    role: str
    label: Promise
    # A review action: the actor must be eligible (review_bar).
    independent: bool = False
    comment_required: bool = False
    # Counts towards PORTAL_APPROVALS_REQUIRED: the text is published by the
    # action that completes the quorum; earlier ones are recorded and wait.
    publishes: bool = False
    # Checks of what is posted with the action (its comment, the change
    # note): run when it is taken, after check(), not when a page lists the
    # actions a person may take.
    guards: tuple[Callable[[Attempt], None], ...] = ()
    # The note posted with the action is kept as the editor's proposal for
    # the approval form (submitting), so nobody types it twice.
    proposes_note: bool = False


TRANSITIONS = {
    t.action: t
    for t in (
        Transition(
            Action.SUBMIT,
            frozenset({Status.DRAFT, Status.CHANGES_REQUESTED}),
            Status.SUBMITTED,
            EDITORS,
            _("Submit for review"),
            guards=(check_note_form,),
            proposes_note=True,
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
        # A board member may decide straight from "submitted": "Start review"
        # only tells colleagues somebody is reading it.
        Transition(
            Action.REQUEST_CHANGES,
            frozenset(Article.WITH_BOARD),
            Status.CHANGES_REQUESTED,
            BOARD,
            _("Request changes"),
            independent=True,
            comment_required=True,
        ),
        Transition(
            Action.APPROVE,
            frozenset(Article.WITH_BOARD),
            Status.APPROVED,
            BOARD,
            _("Approve and publish"),
            independent=True,
            publishes=True,
            guards=(
                check_change_note,
                check_retractions_acknowledged,
                check_recommendations_acknowledged,
                check_cited_references_placed,
            ),
        ),
    )
}

# The text may be edited in these states; editing approved text starts a new
# draft while the approved version stays live. Submitted text is the board's
# to read: it must be withdrawn before it changes.
EDITABLE = frozenset({Status.DRAFT, Status.CHANGES_REQUESTED, Status.APPROVED})


def review_period(months: int | None = None) -> int:
    """Months from an approval to the next review: ``months`` (an article's
    own ``review_period_months``) or, when it has none, the site's
    ``PORTAL_REVIEW_PERIOD_MONTHS``."""
    return months or settings.PORTAL_REVIEW_PERIOD_MONTHS


def next_review_due(approved_on: datetime.date, months=None) -> datetime.date:
    """The date a text approved on ``approved_on`` is due for its next review.

    The same day ``review_period(months)`` later; a day the target month
    lacks (31 August + 1 month, 29 February + 12) becomes its last day.
    """
    return months_later(approved_on, review_period(months))


def check(
    action: str,
    *,
    article: Article,
    user,
    comment: str = "",
    facts: ReviewFacts | None = None,
):
    """Raise WorkflowError unless ``user`` may do ``action`` to ``article`` now.

    ``facts`` may be passed when already known, to save queries. The
    transition's guards, which read what is posted with the action, are
    checked when it is taken (``transition()``).
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
        bar = review_bar(facts, user.pk)
        if bar is not None:
            raise WorkflowError(YOU_ARE_BARRED[bar])
    if rule.publishes and user.pk in facts.approver_ids:
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


def can(action: str, *, article: Article, user, facts=None) -> bool:
    """Whether ``user`` may take ``action`` on ``article`` now, as far as is
    known before the form is posted (for the buttons a page offers)."""
    rule = TRANSITIONS[action]
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
        return False
    return True


def allowed_actions(*, article: Article, user, facts=None) -> list:
    """The transitions ``user`` may take on ``article`` now, for buttons.

    ``facts`` (``review_facts()``) may be passed when already known.
    """
    facts = facts or review_facts(article)
    return [
        rule
        for action, rule in TRANSITIONS.items()
        if can(action, article=article, user=user, facts=facts)
    ]


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
    check(action, article=locked, user=user, comment=comment, facts=facts)
    attempt = Attempt(
        article=locked,
        comment=comment,
        note=note or ChangeNote(),
        facts=facts,
        # Approval works the profile out again: kinds, links and notices of
        # the cited references may have changed since the text was saved.
        profile=evidence_profile.current_profile(locked) if rule.publishes else None,
    )
    for guard in rule.guards:
        guard(attempt)
    writer_ids = facts.writer_ids if facts else None
    if rule.publishes and _completes_quorum(facts):
        event = _publish(
            article=locked,
            approved_by=user,
            comment=comment,
            note=attempt.note,
            approver_ids=[*facts.approver_ids, user.pk],
            author_ids=writer_ids,
            profile=attempt.profile,
        )[1]
    elif rule.publishes:
        # An approval that waits for more: the text is now under review.
        from_state = locked.status
        if from_state != Status.IN_REVIEW:
            with revision(user=user, comment=comment or Action(action).label):
                locked.status = Status.IN_REVIEW
                locked.save(update_fields=["status", "updated_at"])
        event = _record(
            article=locked,
            action=action,
            from_state=from_state,
            actor=user,
            comment=comment,
        )
    else:
        from_state = locked.status
        fields = ["status", "updated_at"]
        if rule.proposes_note:
            locked.proposed_change_class = attempt.note.change_class
            locked.proposed_change_note = attempt.note.text.strip()
            fields += ["proposed_change_class", "proposed_change_note"]
        with revision(user=user, comment=comment or Action(action).label):
            locked.status = rule.target
            locked.save(update_fields=fields)
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


def submit(
    *, article: Article, user, comment: str = "", note: ChangeNote | None = None
) -> ReviewEvent:
    """Send the draft to the editorial board, with the note for readers the
    editor proposes (what changed since the live version)."""
    return transition(
        Action.SUBMIT, article=article, user=user, comment=comment, note=note
    )


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
    version, _event = _publish(
        article=locked,
        approved_by=approved_by,
        comment=comment,
        note=note or ChangeNote(),
        approver_ids=[approved_by.pk] if approved_by else [],
        author_ids=writers(locked),
        profile=evidence_profile.current_profile(locked),
    )
    article.status, article.live_id = locked.status, locked.live_id
    return version


def _publish(
    *,
    article: Article,
    approved_by,
    comment: str,
    note: ChangeNote,
    approver_ids,
    author_ids,
    profile: dict,
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
        evidence_profile=profile,
        approved_by=approved_by,
        approved_at=now,
        next_review_due=next_review_due(
            timezone.localdate(now), article.review_period_months
        ),
        # Optional on a first version, required after it (check_change_note).
        change_class=note.change_class,
        change_note=note.text.strip(),
        literature_current_through=SavedSearch.objects.searched_through(
            article.topic_id
        ),
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
        article.evidence_profile = profile
        # The proposal is now the approved version's note.
        article.proposed_change_class = ""
        article.proposed_change_note = ""
        article.save(
            update_fields=[
                "live",
                "status",
                "evidence_profile",
                "proposed_change_class",
                "proposed_change_note",
                "updated_at",
            ]
        )
    event = _record(
        article=article,
        action=Action.APPROVE,
        from_state=from_state,
        actor=approved_by,
        comment=comment,
    )
    return version, event


def _editable(article: Article) -> bool:
    # A new article is always written; a saved one in the EDITABLE states.
    return not article.pk or article.status in EDITABLE


def check_editable(article: Article) -> None:
    """Raise WorkflowError if the article's text may not be edited now."""
    if not _editable(article):
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
    return is_editor(user) and _editable(article)


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


def can_declare_conflict(*, user, facts: ReviewFacts) -> bool:
    """Whether ``user`` may declare a conflict with the article ``facts``
    describe: a board member who has not yet."""
    return is_board_member(user) and user.pk not in facts.conflicted_ids


def _assign_refusal(article: Article, user):
    # Why ``user`` may not assign reviewers to ``article`` now, or None.
    if not is_board_member(user):
        return _("Only members of the editorial board assign reviewers.")
    if not article.is_with_board:
        return _("Only an article submitted for review or under review gets reviewers.")
    return None


def can_assign(*, article: Article, user) -> bool:
    """Whether ``user`` may ask colleagues to review ``article`` now."""
    return _assign_refusal(article, user) is None


def assignable_reviewers(*, article: Article, facts: ReviewFacts | None = None):
    """Board members who may be asked to review ``article``: eligible
    (``review_bar``) and not already assigned."""
    facts = facts or review_facts(article)
    barred = {
        pk
        for pk in facts.writer_ids | facts.conflicted_ids
        if review_bar(facts, pk) is not None
    }
    return (
        members(BOARD)
        .exclude(pk__in=barred)
        .exclude(review_assignments__article=article)
        .order_by("last_name", "first_name", "username")
    )


@transaction.atomic
def assign_reviewers(*, article: Article, reviewers, user) -> list:
    """Ask board members to review an article the board holds; email them.

    Only a board member assigns; only board members who may review it
    (``review_bar``) are assigned. Anyone eligible may still review it.
    Returns the new assignments (a reviewer already assigned is left as they
    were).
    """
    locked = _lock(article)
    refusal = _assign_refusal(locked, user)
    if refusal is not None:
        raise WorkflowError(refusal)
    facts = review_facts(locked)
    for reviewer in reviewers:
        name = person_name(reviewer)
        if not is_board_member(reviewer):
            raise WorkflowError(
                _("%(name)s is not a member of the editorial board.") % {"name": name}
            )
        bar = review_bar(facts, reviewer.pk)
        if bar is not None:
            raise WorkflowError(THEY_ARE_BARRED[bar] % {"name": name})
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
