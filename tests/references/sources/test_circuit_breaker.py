"""A service that is down stops a run quickly: the breaker, on a fake clock."""

import httpx
import pytest

from references import watch
from references.models import Reference
from references.sources import http


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


def test_the_breaker_opens_after_failures_in_a_row():
    clock = FakeClock()
    breaker = http.CircuitBreaker("Crossref", failures=3, seconds=60, clock=clock)
    for _ in range(2):
        breaker.failed("no answer")
    breaker.answered()  # the service answered: the count starts again
    breaker.failed("no answer")
    breaker.failed("no answer")
    breaker.check()
    breaker.failed("no answer")
    with pytest.raises(http.ServiceDown, match="Crossref is down: 3 attempts"):
        breaker.check()


def test_the_breaker_opens_after_failing_for_too_long_however_few_attempts():
    clock = FakeClock()
    breaker = http.CircuitBreaker("PubMed", failures=100, seconds=20, clock=clock)
    started = clock.now
    clock.now += 8
    breaker.failed("timeout", started=started)
    clock.now += 8
    breaker.failed("timeout")
    breaker.check()
    clock.now += 4
    breaker.failed("timeout")
    with pytest.raises(http.ServiceDown, match="over 20 seconds"):
        breaker.check()


def unreachable(seconds_per_attempt, clock, calls):
    """A transport whose every request times out after ``seconds_per_attempt``."""

    def handler(request):
        calls.append(request.url)
        clock.now += seconds_per_attempt
        raise httpx.ConnectTimeout("timed out", request=request)

    return httpx.MockTransport(handler)


@pytest.mark.django_db
@pytest.mark.parametrize("seconds_per_attempt", [0.01, watch.TIMEOUT])
def test_a_watch_with_both_services_down_stops_within_30_seconds(
    seconds_per_attempt, settings
):
    settings.REFERENCES_SOURCES_RETRIES = 2
    settings.REFERENCES_SOURCES_BACKOFF = 1
    Reference.objects.bulk_create(
        Reference(
            title=f"Study {n}",
            citation_key=f"down-{n}",
            doi=f"10.5555/down.{n}",
            pmid=str(800000000 + n),
        )
        for n in range(3 * watch.BATCH)
    )
    clock, calls, reported = FakeClock(), [], []
    session = http.Session(
        clock=clock,
        sleep=clock.sleep,
        transport=unreachable(seconds_per_attempt, clock, calls),
    )
    started = clock.now

    result = watch.watch(
        Reference.objects.order_by("pk"),
        session=session,
        report=lambda error: reported.append((clock.now, error)),
    )

    assert sorted(result.down) == ["Crossref", "PubMed"]
    assert clock.now - started < 30
    assert len(calls) <= 10
    assert result.checked < 3 * watch.BATCH  # it stopped before the end
    # Failures were reported as they happened, not all at the end.
    assert reported[0][0] < reported[-1][0]
    assert any("Crossref is down" in error for _at, error in reported)
