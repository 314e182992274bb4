"""The review workflow: who may move an article from which state to which.

This module is the only code that changes ``Article.status`` or what the
public sees (``Article.live``). Views, admin actions and commands call it.
"""

import datetime

import reversion
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import ApprovedCitation, ApprovedVersion, Article

EDITORS = "Editors"
BOARD = "Editorial Board"


class WorkflowError(Exception):
    """An action the workflow does not allow, with a message for people."""


def is_board_member(user) -> bool:
    return bool(
        user
        and user.is_active
        and (user.is_superuser or user.groups.filter(name=BOARD).exists())
    )


def next_review_due(approved_on: datetime.date) -> datetime.date:
    """The date a newly approved text is due for its next review."""
    months = settings.PORTAL_REVIEW_PERIOD_MONTHS
    month_index = approved_on.month - 1 + months
    year, month = approved_on.year + month_index // 12, month_index % 12 + 1
    # The 31st of a month becomes the last day of a shorter month.
    for day in range(approved_on.day, 27, -1):
        try:
            return approved_on.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    return approved_on.replace(year=year, month=month, day=28)


@transaction.atomic
def approve(*, article: Article, user, comment: str = "") -> ApprovedVersion:
    """Approve the article's current text and make it the live version."""
    if not is_board_member(user):
        raise WorkflowError(_("Only members of the editorial board can approve."))
    if article.author_id == user.pk and not settings.PORTAL_ALLOW_SELF_APPROVAL:
        raise WorkflowError(_("Nobody may approve an article they wrote themselves."))
    return record_approval(article=article, approved_by=user, comment=comment)


@transaction.atomic
def record_approval(
    *, article: Article, approved_by, comment: str = ""
) -> ApprovedVersion:
    """Freeze the article's current text as approved and put it live.

    ``approve()`` checks the rules and then calls this. Loading content that
    was reviewed elsewhere (the demo content) calls it directly, with
    ``approved_by=None``.
    """
    now = timezone.now()
    version = ApprovedVersion.objects.create(
        article=article,
        number=article.version,
        title=article.title,
        summary=article.summary,
        body_html=article.body_html,
        plain_summary=article.plain_summary,
        plain_body_html=article.plain_body_html,
        approved_by=approved_by,
        approved_at=now,
        next_review_due=next_review_due(timezone.localdate(now)),
    )
    ApprovedCitation.objects.bulk_create(
        ApprovedCitation(version=version, reference_id=c.reference_id, number=c.number)
        for c in article.citations.all()
    )
    with reversion.create_revision():
        article.live = version
        article.status = Article.Status.APPROVED
        article.save(update_fields=["live", "status", "updated_at"])
        if approved_by is not None:
            reversion.set_user(approved_by)
        reversion.set_comment(comment or str(_("Approved")))
    return version
