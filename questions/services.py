"""Every write to readers' questions: asking, confirming, and the editors'
decisions. Views, the admin, the receivers and the commands call these.

Each is one transaction and one reversion revision (of the groups only:
their revisions keep decisions, never readers' words or addresses).
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from reversion.models import Version

from articles import services as article_services
from articles.models import ApprovedVersion, Article
from articles.roles import BOARD, EDITORS, has_role
from portal.search.synonyms import synonym_sets
from references.models import Topic
from references.revisions import revision

from . import emails, pages
from . import text as question_text
from .models import Question, QuestionGroup

Status = QuestionGroup.Status


class QuestionError(Exception):
    """A decision that cannot be taken, with the reason to show."""


def _check_editorial(user) -> None:
    if not (has_role(user, EDITORS) or has_role(user, BOARD)):
        raise QuestionError(_("Only editors and the board handle readers' questions."))


def _check_waiting(group: QuestionGroup) -> None:
    if group.is_closed:
        raise QuestionError(_("This question has been dealt with already."))


def _lock(group: QuestionGroup) -> QuestionGroup:
    return QuestionGroup.objects.select_for_update().get(pk=group.pk)


@transaction.atomic
def ask(*, text: str, asker: str, page: str = "", email: str = "") -> Question:
    """Store a reader's question, in the waiting group asking the same thing
    (same normalised words) or a new one, and send the confirmation e-mail
    when an address is given."""
    question = Question(
        text=text,
        asker=asker,
        page=page,
        page_title=pages.title_of(page) if page else "",
        email=email.strip(),
    )
    question.set_normalised()
    now = timezone.now()
    group = (
        QuestionGroup.objects.waiting()
        .select_for_update()
        .filter(key=question.normalised)
        .order_by("created_at")
        .first()
    )
    with revision(user=None, comment=str(_("Asked by a reader"))):
        if group is None:
            group = QuestionGroup(
                text=question.text,
                key=question.normalised,
                terms=question_text.terms(question.text, synonym_sets()),
                created_at=now,
            )
        group.last_asked_at = now
        group.full_clean()
        group.save()
        question.group = group
        question.created_at = now
        question.full_clean()
        question.save()
    if question.email:
        emails.send_confirmation(question)
    return question


@transaction.atomic
def confirm_address(*, question_id: int, digest: str) -> Question | None:
    """Mark the address the signed link names as confirmed; None when the
    question or its address is gone (replied, closed, deleted)."""
    question = Question.objects.select_for_update().filter(pk=question_id).first()
    if question is None or not emails.matches(question, digest):
        return None
    if question.email_confirmed_at is None:
        question.email_confirmed_at = timezone.now()
        question.save(update_fields=["email_confirmed_at"])
    return question


def _close(group: QuestionGroup, *, answer_url: str = "") -> None:
    """Reply once to each confirmed address of the group, then delete every
    address it holds (confirmed or not)."""
    now = timezone.now()
    with_address = group.questions.exclude(email="")
    confirmed = with_address.filter(
        email_confirmed_at__isnull=False, replied_at__isnull=True
    )
    # One reply per address, however often (and in whatever case) it asked.
    addresses = {
        email.lower(): email
        for email in confirmed.order_by("-created_at").values_list("email", flat=True)
    }
    emails.send_replies(addresses=addresses.values(), answer_url=answer_url)
    confirmed.update(replied_at=now)
    with_address.update(email="", email_confirmed_at=None)


def _decide(group: QuestionGroup, *, status: str, user) -> None:
    group.status = status
    group.decided_by = user
    group.decided_at = timezone.now()


@transaction.atomic
def merge(*, group: QuestionGroup, other: QuestionGroup, user) -> QuestionGroup:
    """Group ``other``'s questions with ``group``'s (the same question asked in
    other words); one group remains and is returned.

    A planned group keeps its article: an open one joins it, whichever was
    named first, and its askers will hear when that article is approved. Two
    groups planned into different articles are not grouped.
    """
    _check_editorial(user)
    group, other = _lock(group), _lock(other)
    if group.pk == other.pk:
        raise QuestionError(_("A question cannot be grouped with itself."))
    _check_waiting(group)
    _check_waiting(other)
    if other.status == Status.PLANNED:
        if group.status == Status.PLANNED:
            raise QuestionError(
                _("Both questions have an article planned: they stay apart.")
            )
        group, other = other, group
    with revision(user=user, comment=str(_("Grouped with a similar question"))):
        other.questions.update(group=group)
        group.last_asked_at = max(group.last_asked_at, other.last_asked_at)
        group.created_at = min(group.created_at, other.created_at)
        group.save()
        other.delete()
    return group


@transaction.atomic
def answer_with_content(
    *, group: QuestionGroup, article: Article, fragment: str = "", user
) -> QuestionGroup:
    """Answer by a published article (a section of it): already reviewed, so
    each confirmed asker gets the link now and the addresses go."""
    _check_editorial(user)
    group = _lock(group)
    _check_waiting(group)
    if article.live_id is None:
        raise QuestionError(_("Only a published article can answer a question."))
    live = article.live
    if fragment and not any(
        f'id="{fragment}"' in html for html in (live.body_html, live.plain_body_html)
    ):
        raise QuestionError(
            _(
                "The published article has no section “%(anchor)s”: copy the part "
                "after # from the link to the section in its contents."
            )
            % {"anchor": fragment}
        )
    with revision(user=user, comment=str(_("Answered by existing content"))):
        _decide(group, status=Status.ANSWERED, user=user)
        group.answer_article = article
        group.answer_fragment = fragment
        group.full_clean()
        group.save()
        _close(group, answer_url=group.answer_url())
    return group


@transaction.atomic
def plan_article(
    *,
    group: QuestionGroup,
    topic: Topic,
    title: str,
    slug: str,
    outline: str,
    user,
) -> Article:
    """Start an article draft to answer the group, linked to it as its reason.

    The draft is written by an editor (``articles.services.save_article``
    checks who may write); its askers hear nothing until the board approves
    it (``answer_planned``).
    """
    _check_editorial(user)
    group = _lock(group)
    if group.status != Status.OPEN:
        raise QuestionError(_("Only an open question can be planned."))
    with revision(user=user, comment=str(_("Article planned from readers' questions"))):
        article = Article(
            topic=topic, title=title, slug=slug, body=outline, author=user
        )
        article_services.save_article(
            article=article,
            user=user,
            comment=str(_("Planned from readers' questions")),
        )
        _decide(group, status=Status.PLANNED, user=user)
        group.planned_article = article
        group.full_clean()
        group.save()
    return article


@transaction.atomic
def decline(*, group: QuestionGroup, reason: str, user) -> QuestionGroup:
    """Close the group without an answer; confirmed askers get a polite
    generic reply (never the reason) and every address goes."""
    _check_editorial(user)
    group = _lock(group)
    _check_waiting(group)
    with revision(user=user, comment=str(_("Declined"))):
        _decide(group, status=Status.DECLINED, user=user)
        group.decline_reason = reason
        group.full_clean()
        group.save()
        _close(group)
    return group


@transaction.atomic
def answer_planned(*, version: ApprovedVersion) -> int:
    """The board approved ``version``: every group planned on its article is
    answered by it, with a link to its public page. Returns the groups
    answered."""
    groups = list(
        QuestionGroup.objects.select_for_update().filter(
            status=Status.PLANNED, planned_article_id=version.article_id
        )
    )
    url = reverse("articles:detail", kwargs={"slug": version.slug})
    for group in groups:
        with revision(user=None, comment=str(_("Answered by an approved article"))):
            group.status = Status.ANSWERED
            group.answer_article_id = version.article_id
            group.answer_fragment = ""
            group.decided_at = timezone.now()
            group.save()
            _close(group, answer_url=url)
    return len(groups)


@transaction.atomic
def delete_expired(*, now: datetime.datetime | None = None) -> tuple[int, int]:
    """Delete every question older than ``PORTAL_QUESTION_RETENTION_DAYS``.
    Returns (questions, groups) deleted.

    A question is kept no longer than the period whatever its group's state.
    A group goes with its last question (and its revisions with it); a group
    that keeps newer questions shows the oldest of those instead, so no
    deleted reader's words stay behind as its text.
    """
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.PORTAL_QUESTION_RETENTION_DAYS)
    old = Question.objects.filter(created_at__lt=cutoff)
    touched = set(old.values_list("group_id", flat=True))
    questions, _by_model = old.delete()
    empty = list(
        QuestionGroup.objects.filter(
            pk__in=touched, questions__isnull=True
        ).values_list("pk", flat=True)
    )
    Version.objects.get_for_model(QuestionGroup).filter(
        object_id__in=[str(pk) for pk in empty]
    ).delete()
    groups, _by_model = QuestionGroup.objects.filter(pk__in=empty).delete()
    for group in QuestionGroup.objects.filter(pk__in=touched - set(empty)):
        first = group.questions.order_by("created_at").first()
        group.text, group.key = first.text, first.normalised
        group.terms = question_text.terms(first.text, synonym_sets())
        group.save(update_fields=["text", "key", "terms"])
    return questions, groups
