"""HTTP for the scholarly APIs: one polite client, timeouts, bounded retries.

Crossref and NCBI both ask callers to identify themselves (a User-Agent with a
contact address), to back off when told to (429, 503) and, for NCBI, to keep
under a rate limit. Every request of ``references.sources`` goes through
``get()``, so those rules are kept in one place.
"""

import threading
import time
from collections.abc import Callable

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


class ServiceDown(Unavailable):
    """A service failed so long, or so often in a row, that a run stops asking."""


class CircuitBreaker:
    """Stops a run's requests to a service that is down.

    Each failed attempt (no answer in time, no connection, a 5xx) counts;
    any answer from the service (a success, a 404) resets the count. After
    ``failures`` failures in a row, or failures for ``seconds`` without an
    answer in between, the breaker opens and every later request raises
    ServiceDown at once, without a network call: a run over 100,000
    identifiers stops in seconds instead of retrying each one for days.
    ``clock`` is injectable so that tests run on a fake one.
    """

    def __init__(
        self,
        service: str,
        *,
        failures: int = 5,
        seconds: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.service = service
        self.max_failures = failures
        self.max_seconds = seconds
        self.clock = clock
        self.failures = 0
        self.failing_since: float | None = None
        self.last_problem = ""
        self.is_open = False

    def check(self) -> None:
        """Raise ServiceDown if the breaker is open."""
        if self.is_open:
            raise ServiceDown(
                _(
                    "%(service)s is down: %(count)s attempts in a row failed over "
                    "%(seconds)s seconds (last: %(problem)s) The run stopped "
                    "asking it; run it again later."
                )
                % {
                    "service": self.service,
                    "count": self.failures,
                    "seconds": round(self.clock() - self.failing_since),
                    "problem": self.last_problem,
                }
            )

    def failed(self, problem: str, *, started: float | None = None) -> None:
        """Count a failed attempt (begun at ``started``, by ``clock``)."""
        now = self.clock()
        if self.failing_since is None:
            self.failing_since = now if started is None else started
        self.failures += 1
        self.last_problem = problem
        if (
            self.failures >= self.max_failures
            or now - self.failing_since >= self.max_seconds
        ):
            self.is_open = True

    def answered(self) -> None:
        self.failures = 0
        self.failing_since = None


class Session:
    """One HTTP client for a run's requests, with a circuit breaker per service.

    A run (the literature watch, a lookup) opens one session and passes it to
    the clients: connections are kept and reused (a new client per request
    cost about 100 ms each), and a service that is down stops the run quickly
    (``CircuitBreaker``). The client is safe to share between threads.
    ``clock`` and ``sleep`` are injectable for tests on a fake clock.
    """

    def __init__(
        self,
        *,
        timeout: float | None = None,
        retries: int | None = None,
        breaker_failures: int = 5,
        breaker_seconds: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        transport: httpx.BaseTransport | None = None,
    ):
        self.timeout = (
            settings.REFERENCES_SOURCES_TIMEOUT if timeout is None else timeout
        )
        self.retries = (
            settings.REFERENCES_SOURCES_RETRIES if retries is None else retries
        )
        self.backoff = settings.REFERENCES_SOURCES_BACKOFF
        self.clock, self.sleep = clock, sleep
        self._breaker_options = {
            "failures": breaker_failures,
            "seconds": breaker_seconds,
            "clock": clock,
        }
        self.breakers: dict[str, CircuitBreaker] = {}
        self._lock = threading.Lock()
        self.client = httpx.Client(
            timeout=self.timeout,
            headers={"User-Agent": user_agent()},
            follow_redirects=True,
            transport=transport,
        )

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def close(self) -> None:
        self.client.close()

    def breaker(self, service: str) -> CircuitBreaker:
        with self._lock:
            if service not in self.breakers:
                self.breakers[service] = CircuitBreaker(
                    service, **self._breaker_options
                )
            return self.breakers[service]

    def get(
        self,
        url: str,
        *,
        service: str,
        params: dict | None = None,
        limiter: RateLimiter | None = None,
    ) -> httpx.Response:
        """GET ``url`` as ``http.get`` does, through this session's client."""
        breaker = self.breaker(service)
        problem = ""
        for attempt in range(self.retries + 1):
            breaker.check()
            response = None
            if limiter is not None:
                limiter.wait()
            started = self.clock()
            try:
                response = self.client.get(url, params=params)
            except httpx.TimeoutException:
                problem = _(
                    "%(service)s did not answer within %(seconds)s seconds."
                ) % {"service": service, "seconds": self.timeout}
                breaker.failed(problem, started=started)
            except httpx.HTTPError:
                problem = _("%(service)s could not be reached.") % {"service": service}
                breaker.failed(problem, started=started)
            else:
                if response.is_success:
                    breaker.answered()
                    return response
                if response.status_code == 404:
                    breaker.answered()
                    raise NotFound(
                        _("%(service)s does not know this identifier.")
                        % {"service": service}
                    )
                problem = _("%(service)s answered with an error (HTTP %(status)s).") % {
                    "service": service,
                    "status": response.status_code,
                }
                if response.status_code >= 500:
                    breaker.failed(problem, started=started)
                else:
                    # Busy (429) or a refusal: the service is there.
                    breaker.answered()
                if response.status_code not in RETRY_STATUSES:
                    break
            if attempt < self.retries:
                breaker.check()
                self.sleep(_pause(response, attempt, self.backoff))
        raise Unavailable(problem)


def get(
    url: str,
    *,
    service: str,
    params: dict | None = None,
    timeout: float | None = None,
    retries: int | None = None,
    limiter: RateLimiter | None = None,
    session: Session | None = None,
) -> httpx.Response:
    """GET ``url`` and return the response of a 2xx answer.

    Timeouts, lost connections, 429 and 5xx are tried again up to ``retries``
    times, waiting REFERENCES_SOURCES_BACKOFF seconds, then twice that (or
    what Retry-After says, up to 30 seconds). A 404 raises NotFound; anything
    else that is not a success raises Unavailable, naming ``service``. With
    a ``session`` (a run of many requests) its client, retries and breakers
    are used; ServiceDown says its breaker stopped the run.
    """
    if session is not None:
        return session.get(url, service=service, params=params, limiter=limiter)
    with Session(timeout=timeout, retries=retries) as one_off:
        return one_off.get(url, service=service, params=params, limiter=limiter)
