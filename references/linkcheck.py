"""Link checking: is each reference's URL still there?

``check_url`` asks one URL, with a timeout and retries; ``record_result`` is
the rule that turns answers into a link status; ``check_links`` runs the
checks concurrently in a bounded pool and saves what they found, a batch at
a time. Only the standard library is used for HTTP.
"""

import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from http.client import HTTPException

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import Reference
from .signals import references_changed

OK, GONE, UNCLEAR = "ok", "gone", "unclear"
# The server says the page is gone for good.
GONE_STATUSES = {404, 410}
# The server is busy or broken for now: ask again later.
RETRY_STATUSES = {408, 425, 429, 500, 502, 503, 504}
# getaddrinfo's "this name does not exist" (not "try again").
DNS_GONE_ERRORS = {socket.EAI_NONAME, getattr(socket, "EAI_NODATA", socket.EAI_NONAME)}
USER_AGENT = "MyositisKnowledgePortal-LinkCheck/1.0"


@dataclass(frozen=True)
class LinkResult:
    outcome: str  # OK, GONE or UNCLEAR
    http_status: int | None = None
    detail: str = ""


def _dns_gone(reason):
    return isinstance(reason, socket.gaierror) and reason.errno in DNS_GONE_ERRORS


def check_url(
    url: str, *, timeout: float, retries: int, backoff: float = 1.0, opener=None
) -> LinkResult:
    """Ask for ``url`` (redirects followed) and say what became of it.

    A 404 or 410, or a host name that does not exist, is GONE. A timeout, a
    reset connection or a 5xx is tried again up to ``retries`` times, waiting
    ``backoff`` seconds, then twice that, and so on; if it never answers the
    result is UNCLEAR, which never expires a link.
    """
    if not url.startswith(("http://", "https://")):
        return LinkResult(UNCLEAR, detail="not a web address")
    opener = opener or urllib.request.build_opener()
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    result = LinkResult(UNCLEAR)
    for attempt in range(retries + 1):
        if attempt:
            time.sleep(backoff * 2 ** (attempt - 1))
        try:
            with opener.open(request, timeout=timeout) as response:
                return LinkResult(OK, response.status)
        except urllib.error.HTTPError as exc:
            exc.close()
            if exc.code in GONE_STATUSES:
                return LinkResult(GONE, exc.code, exc.reason)
            result = LinkResult(UNCLEAR, exc.code, str(exc.reason))
            if exc.code not in RETRY_STATUSES:
                # 401 or 403: the page is there, we may just not read it.
                return result
        except urllib.error.URLError as exc:
            if _dns_gone(exc.reason):
                return LinkResult(GONE, None, "host not found")
            result = LinkResult(UNCLEAR, None, str(exc.reason))
        except (HTTPException, OSError) as exc:
            # Timeouts and reset connections (both OSError) say nothing for sure.
            result = LinkResult(UNCLEAR, None, str(exc) or type(exc).__name__)
    return result


def record_result(reference: Reference, result: LinkResult, *, now, expire_after: int):
    """Apply one check to a reference: the rule for when a link expires.

    A working link is OK and its failure count starts again. A link found
    gone counts one failure; only ``expire_after`` in a row expire it. An
    unclear check (a timeout, a server error) changes neither.
    """
    reference.link_checked_at = now
    reference.link_http_status = result.http_status
    if result.outcome == OK:
        reference.link_status = Reference.LinkStatus.OK
        reference.link_failures = 0
    elif result.outcome == GONE:
        reference.link_failures += 1
        if reference.link_failures >= expire_after:
            reference.link_status = Reference.LinkStatus.EXPIRED


@dataclass
class CheckSummary:
    checked: int = 0
    ok: int = 0
    gone: int = 0
    unclear: int = 0
    expired: int = 0


# References checked, then written, at a time: a killed run loses at most
# one batch, and memory holds one batch whatever the library's size.
BATCH_SIZE = 500
LINK_FIELDS = ["link_status", "link_http_status", "link_checked_at", "link_failures"]


def check_links(
    references,
    *,
    workers: int | None = None,
    timeout: float | None = None,
    retries: int | None = None,
    backoff: float = 1.0,
    expire_after: int | None = None,
    checked_before=None,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int, int], None] | None = None,
) -> CheckSummary:
    """Check the URLs of ``references`` (a queryset) and save what was found.

    References are taken a batch at a time, stalest check first, and each
    batch is written (one transaction) before the next is asked: a run that
    is stopped keeps what it checked. Only references never checked, or last
    checked before ``checked_before`` (by default the start of this run),
    are asked, so a run started again with the time the stopped one began
    resumes where it stopped. Each distinct URL of a batch is asked once, by
    at most ``workers`` threads at a time. Citations are not formatted here
    (they are on first use) but for a formatted one whose link just expired
    or came back. Defaults come from the REFERENCES_LINKCHECK_* settings.
    """
    workers = workers or settings.REFERENCES_LINKCHECK_WORKERS
    timeout = timeout or settings.REFERENCES_LINKCHECK_TIMEOUT
    retries = settings.REFERENCES_LINKCHECK_RETRIES if retries is None else retries
    expire_after = expire_after or settings.REFERENCES_LINKCHECK_EXPIRE_AFTER
    cutoff = checked_before or timezone.now()
    pending = (
        references.exclude(url="")
        .filter(Q(link_checked_at__isnull=True) | Q(link_checked_at__lt=cutoff))
        .order_by(F("link_checked_at").asc(nulls_first=True), "pk")
    )
    total = pending.count()
    summary = CheckSummary()
    opener = urllib.request.build_opener()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        while batch := list(pending[:batch_size]):
            _check_batch(
                batch,
                pool=pool,
                opener=opener,
                summary=summary,
                options={"timeout": timeout, "retries": retries, "backoff": backoff},
                expire_after=expire_after,
            )
            if progress:
                progress(summary.checked, total)
    return summary


def _check_batch(batch, *, pool, opener, summary, options, expire_after):
    by_url = {}
    for reference in batch:
        by_url.setdefault(reference.url, []).append(reference)
    futures = {
        pool.submit(check_url, url, opener=opener, **options): url for url in by_url
    }
    now = timezone.now()
    changed, reformatted = [], []
    for future in as_completed(futures):
        result = future.result()
        for reference in by_url[futures[future]]:
            was = (reference.link_status, reference.is_expired)
            record_result(reference, result, now=now, expire_after=expire_after)
            summary.checked += 1
            setattr(summary, result.outcome, getattr(summary, result.outcome) + 1)
            summary.expired += reference.is_expired and not was[1]
            if reference.link_status != was[0]:
                changed.append(reference)
            # An expired link is left out of the citations: those already
            # formatted are formatted again (a few a run); the rest wait for
            # their first use, as imported ones do.
            if (
                reference.is_expired != was[1]
                and reference.citation_source
                and reference.refresh_citations()
            ):
                reformatted.append(reference)
    with transaction.atomic():
        # A link check is not an editorial change: no revision, and the
        # reference's "updated" time stays as the editors left it.
        Reference.objects.bulk_update(batch, LINK_FIELDS)
        if reformatted:
            Reference.objects.bulk_update(reformatted, Reference.CITATION_FIELDS)
        if changed:
            references_changed.send(sender=Reference, references=changed)
