"""Login throttling that a stranger cannot turn against an editor.

Failed logins are counted in the cache (shared through Redis when several
servers run), in a fixed window that starts with the first failure, three
ways:

- per username and address (``LOGIN_FAILURES_PER_USERNAME_AND_ADDRESS``, 5):
  one address guessing one account's password is stopped quickly, and only
  that address is refused for that account;
- per address (``LOGIN_FAILURES_PER_ADDRESS``, 20): one address guessing at
  many accounts is stopped for all of them;
- per username, from anywhere (``LOGIN_FAILURES_PER_USERNAME``, 100): a slow
  limit against guessing spread over many addresses. Even then an address
  the account has signed in from before (remembered for
  ``LOGIN_KNOWN_ADDRESS_DAYS``) is not refused: the editor at their usual
  desk still gets in while strangers are held.

So five wrong passwords typed by a stranger lock out nobody but the stranger.
A success clears its username's counts for that address and the global one,
never the address's own count, so one valid account cannot launder an
address guessing at others. Every failure and refusal is recorded as a
LoginEvent (portal.signals), for the audit in the admin.

If the cache itself is unreachable, logins are not throttled (the guarded
cache logs it and counts nothing): editors can still work while Redis is
repaired.
"""

import hashlib
import ipaddress
import math
import time

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.utils.translation import ngettext

from .caching import shared_cache


def client_ip(request) -> str | None:
    """The client's address, from ``CLIENT_IP_HEADER`` (REMOTE_ADDR by default).

    From a forwarded-for list the last entry is used: it is the one our own
    proxy added, while earlier ones are whatever the client claimed.
    """
    raw = request.META.get(settings.CLIENT_IP_HEADER, "") if request else ""
    candidate = raw.split(",")[-1].strip()
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def _username_key(username: str) -> str:
    return _digest(username.strip().lower())


def _known_key(*, username: str, address: str) -> str:
    return f"login-known:{_username_key(username)}:{_digest(address)}"


def _counters(*, request, username: str, known: bool = False):
    """(cache key, limit) for each thing counted in this attempt.

    ``known``: the address has signed in to this account before, so the
    global count of the username does not hold it back.
    """
    counters = []
    address = client_ip(request)
    if username:
        user = _username_key(username)
        # Without an address (a misconfigured proxy header) the pair is the
        # username alone: stricter, never looser.
        counters.append(
            (
                f"login-failures:pair:{user}:{_digest(address or '-')}",
                settings.LOGIN_FAILURES_PER_USERNAME_AND_ADDRESS,
            )
        )
        if not known:
            counters.append(
                (f"login-failures:user:{user}", settings.LOGIN_FAILURES_PER_USERNAME)
            )
    if address:
        counters.append(
            (
                f"login-failures:ip:{_digest(address)}",
                settings.LOGIN_FAILURES_PER_ADDRESS,
            )
        )
    return counters


def _is_known(*, request, username: str) -> bool:
    address = client_ip(request)
    if not (username and address):
        return False
    return bool(shared_cache.get(_known_key(username=username, address=address)))


def count_request(*, scope: str, request, window: int) -> tuple[int, int] | None:
    """Count this request against its client's address in a fixed window.

    The windows are ``window`` seconds long and the same for every address
    (the count's key names the window), so nothing has to remember when one
    opened. Returns (requests from this address in this window, seconds
    until it ends), or None when the address is unknown or the cache is
    unreachable: then nothing is counted and nobody is refused.
    """
    address = client_ip(request)
    if address is None:
        return None
    return _count(f"{scope}:ip:{_digest(address)}", window=window)


def count_all_requests(*, scope: str, window: int) -> tuple[int, int] | None:
    """Count this request against everybody's in a fixed window: a flood from
    many addresses. Returns what ``count_request`` returns."""
    return _count(f"{scope}:all", window=window)


def _count(prefix: str, *, window: int) -> tuple[int, int] | None:
    now = time.time()
    slot = int(now // window)
    key = f"{prefix}:{slot}"
    try:
        count = shared_cache.incr(key)
    except ValueError:  # the first request in this window
        shared_cache.add(key, 0, timeout=window + 1)
        try:
            count = shared_cache.incr(key)
        except ValueError:  # not kept: a cache that stores nothing
            count = None
    if count is None:
        return None
    return count, max(1, math.ceil((slot + 1) * window - now))


def record_failure(*, request, username: str) -> None:
    """Count one failed login against the username and the address."""
    window = settings.LOGIN_THROTTLE_MINUTES * 60
    for key, _limit in _counters(request=request, username=username):
        # add() only acts on the first failure: it opens the window, and
        # incr() below leaves the expiry it set alone.
        shared_cache.add(f"{key}:until", time.time() + window, timeout=window)
        shared_cache.add(key, 0, timeout=window)
        try:
            shared_cache.incr(key)
        except ValueError:  # expired between add() and incr()
            shared_cache.set(key, 1, timeout=window)


def retry_after_seconds(*, request, username: str) -> int:
    """Seconds until this attempt may be made; 0 when it is allowed now."""
    wait = 0.0
    known = _is_known(request=request, username=username)
    for key, limit in _counters(request=request, username=username, known=known):
        if (shared_cache.get(key) or 0) >= limit:
            until = shared_cache.get(f"{key}:until") or 0
            wait = max(wait, until - time.time())
    return max(0, math.ceil(wait))


def is_throttled(*, request, username: str) -> bool:
    return retry_after_seconds(request=request, username=username) > 0


def login_succeeded(*, request, username: str) -> None:
    """A successful login clears that username's failures (for this address
    and everywhere) and remembers the address as one the account uses."""
    keys = [
        key
        for key, _limit in _counters(request=request, username=username)
        if not key.startswith("login-failures:ip:")
    ]
    shared_cache.delete_many([k for key in keys for k in (key, f"{key}:until")])
    address = client_ip(request)
    if username and address:
        shared_cache.set(
            _known_key(username=username, address=address),
            1,
            timeout=settings.LOGIN_KNOWN_ADDRESS_DAYS * 24 * 60 * 60,
        )


def throttled_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Too many attempts, try again in %(minutes)d minute.",
        "Too many attempts, try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


class ThrottledModelBackend(ModelBackend):
    """Django's backend, refusing throttled attempts before checking a password.

    Every login path goes through here, whatever form it uses; refusing
    without hashing also keeps a password-guessing flood cheap.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        wait = retry_after_seconds(request=request, username=username or "")
        if wait:
            raise PermissionDenied(throttled_message(wait))
        return super().authenticate(request, username, password, **kwargs)


class ThrottledAuthenticationForm(AuthenticationForm):
    """The login form of every sign-in page: says plainly that it is throttled.

    The backend refuses a throttled attempt anyway; this form gives the person
    the reason and the wait instead of "wrong password". ``/editorial/login/``
    uses it as it is, the admin through ``portal.admin``.
    """

    def clean(self):
        username = self.data.get("username", "")
        wait = retry_after_seconds(request=self.request, username=username)
        if wait:
            # Recorded as the backend's refusals are (a THROTTLED LoginEvent,
            # portal.signals), though no password is checked.
            user_login_failed.send(
                sender=__name__,
                credentials={"username": username},
                request=self.request,
            )
            raise forms.ValidationError(throttled_message(wait), code="throttled")
        return super().clean()
