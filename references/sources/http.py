"""HTTP for the scholarly APIs: one polite client, timeouts, bounded retries.

Crossref and NCBI both ask callers to identify themselves (a User-Agent with a
contact address), to back off when told to (429, 503) and, for NCBI, to keep
under a rate limit. Every request of ``references.sources`` goes through
``get()``, so those rules are kept in one place.
"""

import threading
import time

import httpx
from django.conf import settings
from django.utils.translation import gettext as _

# Busy or broken for now: worth asking again after a pause.
RETRY_STATUSES = {429, 500, 502, 503, 504}
# A server's Retry-After is obeyed up to this many seconds, no longer.
MAX_RETRY_AFTER = 30


class SourceError(Exception):
    """A lookup that failed, with a message an editor understands."""


class NotFound(SourceError):
    """The service answered: it does not know this identifier."""


class Unavailable(SourceError):
    """The service could not be reached, timed out, or kept failing."""


class Malformed(SourceError):
    """The service answered with something that is not what it documents."""


def user_agent() -> str:
    """The descriptive User-Agent both services ask for."""
    contact = settings.PORTAL_CONTACT_EMAIL
    agent = f"MyositisKnowledgePortal/1.0 (+{settings.PORTAL_SITE_URL}"
    return f"{agent}; mailto:{contact})" if contact else f"{agent})"


class RateLimiter:
    """At most ``per_second`` requests a second from this process (all threads)."""

    def __init__(self, per_second: float):
        self.interval = 1.0 / per_second
        self._lock = threading.Lock()
        self._next = 0.0

    def wait(self) -> None:
        with self._lock:
            now = time.monotonic()
            delay = self._next - now
            self._next = max(now, self._next) + self.interval
        if delay > 0:
            time.sleep(delay)


def _pause(response, attempt: int, backoff: float) -> float:
    retry_after = response.headers.get("Retry-After", "") if response else ""
    if retry_after.strip().isdigit():
        return min(int(retry_after), MAX_RETRY_AFTER)
    return backoff * 2**attempt


def get(
    url: str,
    *,
    service: str,
    params: dict | None = None,
    timeout: float | None = None,
    retries: int | None = None,
    limiter: RateLimiter | None = None,
) -> httpx.Response:
    """GET ``url`` and return the response of a 2xx answer.

    Timeouts, lost connections, 429 and 5xx are tried again up to ``retries``
    times, waiting REFERENCES_SOURCES_BACKOFF seconds, then twice that (or
    what Retry-After says, up to 30 seconds). A 404 raises NotFound; anything
    else that is not a success raises Unavailable, naming ``service``.
    """
    timeout = settings.REFERENCES_SOURCES_TIMEOUT if timeout is None else timeout
    retries = settings.REFERENCES_SOURCES_RETRIES if retries is None else retries
    backoff = settings.REFERENCES_SOURCES_BACKOFF
    problem = ""
    with httpx.Client(
        timeout=timeout,
        headers={"User-Agent": user_agent()},
        follow_redirects=True,
    ) as client:
        for attempt in range(retries + 1):
            response = None
            if limiter is not None:
                limiter.wait()
            try:
                response = client.get(url, params=params)
            except httpx.TimeoutException:
                problem = _(
                    "%(service)s did not answer within %(seconds)s seconds."
                ) % {
                    "service": service,
                    "seconds": timeout,
                }
            except httpx.HTTPError:
                problem = _("%(service)s could not be reached.") % {"service": service}
            else:
                if response.is_success:
                    return response
                if response.status_code == 404:
                    raise NotFound(
                        _("%(service)s does not know this identifier.")
                        % {"service": service}
                    )
                problem = _("%(service)s answered with an error (HTTP %(status)s).") % {
                    "service": service,
                    "status": response.status_code,
                }
                if response.status_code not in RETRY_STATUSES:
                    break
            if attempt < retries:
                time.sleep(_pause(response, attempt, backoff))
    raise Unavailable(problem)
