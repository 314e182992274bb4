"""The only e-mails a reader ever gets: the confirmation, then one reply.

An address is used for nothing but its confirmation until the reader opens
the signed link; the reply (a link to the reviewed answer, or a polite
generic note when the question is declined) goes only to confirmed
addresses, once per address, never quoting a draft or the reader's words.
Messages leave after the transaction commits, so nobody is told about a
decision that was rolled back.
"""

import hashlib

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from articles.notifications import deliver

SALT = "questions.confirm-address"


def _address_digest(email: str) -> str:
    # The link names the address it confirms without carrying it: a link for
    # an address since deleted or changed confirms nothing.
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:16]


def confirmation_token(question) -> str:
    """A signed, timestamped token confirming ``question``'s address."""
    return signing.dumps(
        {"q": question.pk, "a": _address_digest(question.email)}, salt=SALT
    )


def read_confirmation_token(token: str) -> tuple[int, str] | None:
    """(question id, address digest) from a valid, unexpired token, or None."""
    try:
        data = signing.loads(
            token,
            salt=SALT,
            max_age=settings.PORTAL_QUESTION_CONFIRM_DAYS * 24 * 60 * 60,
        )
    except signing.BadSignature:  # tampered with, or expired
        return None
    if not isinstance(data, dict) or not isinstance(data.get("q"), int):
        return None
    return data["q"], str(data.get("a", ""))


def matches(question, digest: str) -> bool:
    return bool(question.email) and _address_digest(question.email) == digest


def send_confirmation(question) -> None:
    """Send the one message an unconfirmed address ever gets."""
    url = settings.PORTAL_SITE_URL + reverse(
        "questions:confirm", kwargs={"token": confirmation_token(question)}
    )
    body = render_to_string(
        "questions/email/confirm.txt",
        {
            "url": url,
            "days": settings.PORTAL_QUESTION_CONFIRM_DAYS,
            "portal_name": settings.PORTAL_NAME,
        },
    )
    subject = _("Confirm your address for your question to %(portal)s") % {
        "portal": settings.PORTAL_NAME
    }
    address = question.email
    messages = [(subject, body, settings.DEFAULT_FROM_EMAIL, [address])]
    # Logged and retried on failure, never an error page.
    transaction.on_commit(lambda: deliver(messages))


def send_replies(*, addresses, answer_url: str = "") -> None:
    """One reply to each confirmed address: the link to the reviewed answer,
    or (no ``answer_url``) the generic note for a declined question."""
    if not addresses:
        return
    context = {
        "answer_url": settings.PORTAL_SITE_URL + answer_url if answer_url else "",
        "portal_name": settings.PORTAL_NAME,
        "policy_url": settings.PORTAL_SITE_URL + reverse("portal:editorial-policy"),
    }
    if answer_url:
        subject = _("Our editors have answered your question")
        body = render_to_string("questions/email/answered.txt", context)
    else:
        subject = _("About your question to our editors")
        body = render_to_string("questions/email/declined.txt", context)
    sender = settings.DEFAULT_FROM_EMAIL
    messages = [(subject, body, sender, [address]) for address in sorted(addresses)]
    transaction.on_commit(lambda: deliver(messages))
