"""Link checking: is each reference's URL still there?

``check_url`` asks one URL, with a timeout and retries; ``record_result`` is
the rule that turns answers into a link status; ``check_links`` runs the
checks concurrently in a bounded pool and saves what they found. Only the
standard library is used.
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


def check_links(
    references,
    *,
    workers: int | None = None,
    timeout: float | None = None,
    retries: int | None = None,
    backoff: float = 1.0,
    expire_after: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> CheckSummary:
    """Check the URLs of ``references`` (a queryset) and save what was found.

    Each distinct URL is asked once, by at most ``workers`` threads at a time;
    the results are written in one transaction at the end. Defaults come
    from the REFERENCES_LINKCHECK_* settings.
    """
    workers = workers or settings.REFERENCES_LINKCHECK_WORKERS
    timeout = timeout or settings.REFERENCES_LINKCHECK_TIMEOUT
    retries = settings.REFERENCES_LINKCHECK_RETRIES if retries is None else retries
    expire_after = expire_after or settings.REFERENCES_LINKCHECK_EXPIRE_AFTER
    by_url = {}
    for reference in references.exclude(url=""):
        by_url.setdefault(reference.url, []).append(reference)
    summary = CheckSummary()
    reformatted = []
    opener = urllib.request.build_opener()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {
            pool.submit(
                check_url,
                url,
                timeout=timeout,
                retries=retries,
                backoff=backoff,
                opener=opener,
            ): url
            for url in by_url
        }
        now = timezone.now()
        for done, future in enumerate(as_completed(futures), start=1):
            result = future.result()
            for reference in by_url[futures[future]]:
                was_expired = reference.is_expired
                record_result(reference, result, now=now, expire_after=expire_after)
                # An expired link is left out of the stored citations.
                if reference.refresh_citations():
                    reformatted.append(reference)
                summary.checked += 1
                setattr(summary, result.outcome, getattr(summary, result.outcome) + 1)
                summary.expired += reference.is_expired and not was_expired
            if progress:
                progress(done, len(futures))
    checked = [reference for group in by_url.values() for reference in group]
    with transaction.atomic():
        # A link check is not an editorial change: no revision, and the
        # reference's "updated" time stays as the editors left it.
        Reference.objects.bulk_update(
            checked,
            ["link_status", "link_http_status", "link_checked_at", "link_failures"],
            batch_size=500,
        )
        Reference.objects.bulk_update(
            reformatted, Reference.CITATION_FIELDS, batch_size=500
        )
        references_changed.send(sender=Reference, references=checked)
    return summary
