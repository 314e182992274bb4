"""Emails about the review, sent through Django's email backend.

Messages go out only after the transition's transaction commits, so nobody
is told about a step that was rolled back.
"""

import logging
import time
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from references.fields import one_line

from .models import Article, ReviewEvent
from .roles import BOARD, members

Action = ReviewEvent.Action
logger = logging.getLogger(__name__)

SUBJECT_LENGTH = 200
# A mail server that refused once is tried again, briefly: the request that
# made the step waits for it.
MAIL_ATTEMPTS = 3
MAIL_RETRY_SECONDS = 0.5

# Set while content is loaded by a program rather than reviewed by people
# (the demo loader): its submissions and approvals are not news to anyone.
_silenced = ContextVar("notifications_silenced", default=False)


@contextmanager
def silenced():
    """Queue no e-mail for the review steps taken inside this block."""
    token = _silenced.set(True)
    try:
        yield
    finally:
        _silenced.reset(token)


def recipients(*, event: ReviewEvent, writer_ids) -> list:
    """Email addresses of the people an event concerns, never its actor.

    A submission goes to the board; changes requested and the approval that
    publishes go to the author and the editors of the text (an approval that
    still waits for others' is only recorded).
    """
    if event.action == Action.SUBMIT:
        users = members(BOARD)
    elif event.action == Action.REQUEST_CHANGES or (
        event.action == Action.APPROVE
        and event.to_state == event.article.Status.APPROVED
    ):
        users = get_user_model().objects.filter(pk__in=writer_ids or ())
    else:
        return []
    return _addresses(users, actor_id=event.actor_id)


def _addresses(users, *, actor_id=None) -> list:
    """The distinct email addresses of the active ``users``, never the actor's."""
    users = users.filter(is_active=True).exclude(email="")
    if actor_id:
        users = users.exclude(pk=actor_id)
    return sorted(set(users.values_list("email", flat=True)))


def transition_done(*, event: ReviewEvent, writer_ids=None) -> None:
    """Email the people concerned by ``event`` once the transaction commits."""
    _send(event=event, to=recipients(event=event, writer_ids=writer_ids))


def reviewers_assigned(*, event: ReviewEvent, reviewer_ids) -> None:
    """Email the board members just asked to review, once the transaction commits."""
    users = get_user_model().objects.filter(pk__in=reviewer_ids)
    _send(event=event, to=_addresses(users, actor_id=event.actor_id))


def _send(*, event: ReviewEvent, to) -> None:
    if not to or _silenced.get():
        return
    article = event.article
    subject = _("%(action)s: %(title)s") % {
        "action": event.get_action_display(),
        "title": article.title,
    }
    body = render_to_string(
        "articles/email/transition.txt",
        {
            "event": event,
            "article": article,
            "review_url": settings.PORTAL_SITE_URL
            + reverse("editorial:review", kwargs={"pk": article.pk}),
            "portal_name": settings.PORTAL_NAME,
        },
    )
    sender = settings.DEFAULT_FROM_EMAIL
    messages = [(safe_subject(subject), body, sender, [address]) for address in to]
    transaction.on_commit(lambda: deliver(messages))


def safe_subject(text: str) -> str:
    """A subject Django will send: one line (a break in a header is refused
    with BadHeaderError), and short."""
    return Truncator(one_line(text)).chars(SUBJECT_LENGTH)


def deliver(messages) -> bool:
    """Send the messages after the commit; on failure log, retry, never raise.

    The step they announce is saved whatever happens to the mail: an
    exception here would turn a done step into an error page (the commit is
    over, nothing can be undone). Each failed attempt is logged; after the
    last, the error names the recipients so the editors can tell them.
    """
    for attempt in range(1, MAIL_ATTEMPTS + 1):
        try:
            send_mass_mail(messages, fail_silently=False)
            return True
        except Exception:  # SMTP, DNS, a refused header: any of them
            logger.warning(
                "E-mail not sent (attempt %d of %d)",
                attempt,
                MAIL_ATTEMPTS,
                exc_info=True,
            )
            if attempt < MAIL_ATTEMPTS:
                time.sleep(MAIL_RETRY_SECONDS * attempt)
    logger.error(
        "E-mail lost after %d attempts: %r to %s",
        MAIL_ATTEMPTS,
        messages[0][0] if messages else "",
        ", ".join(address for message in messages for address in message[3]),
    )
    return False


def notices_found(*, notices) -> None:
    """Email the board once about each new notice (retraction, correction...).

    Each message names the reference, the notice, and the articles whose live
    or working text cites the reference. Called once per notice, when it is
    first recorded (``references.signals.notices_recorded``).
    """
    if not notices or _silenced.get():
        return
    to = _addresses(members(BOARD))
    if not to:
        return
    messages = []
    for notice in notices:
        reference = notice.reference
        citing = Article.objects.filter(
            Q(live__citations__reference=reference) | Q(citations__reference=reference)
        ).distinct()
        subject = safe_subject(
            _("%(badge)s: %(title)s")
            % {"badge": notice.badge, "title": reference.title}
        )
        body = render_to_string(
            "articles/email/notice.txt",
            {
                "notice": notice,
                "reference": reference,
                "articles": [
                    (
                        article,
                        settings.PORTAL_SITE_URL
                        + reverse("editorial:review", kwargs={"pk": article.pk}),
                    )
                    for article in citing
                ],
                "reference_url": settings.PORTAL_SITE_URL
                + reference.get_absolute_url(),
                "portal_name": settings.PORTAL_NAME,
            },
        )
        sender = settings.DEFAULT_FROM_EMAIL
        messages += [(subject, body, sender, [address]) for address in to]
    transaction.on_commit(lambda: deliver(messages))
