"""The login audit: who logged in, failed or logged out, from where."""

from django.db import transaction

from . import throttling
from .models import LoginEvent


@transaction.atomic
def record_login_event(*, kind: str, username: str, user, request) -> LoginEvent:
    """Store one audit row. ``request`` may be None (a login from a script)."""
    meta = request.META if request is not None else {}
    return LoginEvent.objects.create(
        kind=kind,
        username=(username or "")[:150],
        user=user,
        ip_address=throttling.client_ip(request) if request is not None else None,
        user_agent=meta.get("HTTP_USER_AGENT", "")[:300],
    )
