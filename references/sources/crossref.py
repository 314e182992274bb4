"""Crossref's REST API: a work by DOI, and the notices that update a DOI.

``GET {CROSSREF_API_URL}/works/{doi}`` describes one work, with
``updated-by`` listing the notices (retraction, correction...) registered
against it. A notice's own record carries ``update-to`` pointing at the work
it updates; ``/works?filter=updates:{doi}`` finds those for several DOIs at
once, which catches notices whose publisher deposited only ``update-to``.
"""

import datetime
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import quote

from django.conf import settings
from django.utils.translation import gettext as _

from .. import identifiers
from ..formats import crossref as formats_crossref
from ..models import ReferenceNotice
from . import http
from .works import FoundNotice, Work, date_from_parts

SERVICE = "Crossref"
# Crossref's update types, as our notice kinds; other updates (a new version,
# an addendum, a comment) are not notices about the evidence.
NOTICE_KINDS = {
    "retraction": ReferenceNotice.Kind.RETRACTION,
    "partial_retraction": ReferenceNotice.Kind.RETRACTION,
    "removal": ReferenceNotice.Kind.WITHDRAWAL,
    "withdrawal": ReferenceNotice.Kind.WITHDRAWAL,
    "expression_of_concern": ReferenceNotice.Kind.CONCERN,
    "correction": ReferenceNotice.Kind.CORRECTION,
    "corrigendum": ReferenceNotice.Kind.CORRECTION,
    "erratum": ReferenceNotice.Kind.CORRECTION,
}
# DOIs per /works?filter=updates:... (or doi:...) request: the query string
# stays short.
UPDATES_BATCH = 50
WORKS_BATCH = 50
# Crossref's "polite pool" takes far more; this keeps a daily watch gentle.
LIMITER = http.RateLimiter(per_second=10)


def _params(**extra) -> dict:
    params = {**extra}
    if settings.PORTAL_CONTACT_EMAIL:
        params["mailto"] = settings.PORTAL_CONTACT_EMAIL
    return params


def _message(response) -> dict:
    try:
        message = json.loads(response.content)["message"]
    except (ValueError, KeyError, TypeError):
        raise http.Malformed(
            _("Crossref's answer could not be read (it is not the JSON it documents).")
        ) from None
    if not isinstance(message, dict):
        raise http.Malformed(_("Crossref's answer holds no work."))
    return message


def fetch_work(doi: str, *, timeout=None, retries=None, session=None) -> Work:
    """The work with this DOI (normalised), or NotFound."""
    response = http.get(
        f"{settings.CROSSREF_API_URL}/works/{quote(doi, safe='')}",
        service=SERVICE,
        params=_params(),
        timeout=timeout,
        retries=retries,
        session=session,
        limiter=LIMITER,
    )
    try:
        return parse_work(_message(response))
    except (AttributeError, TypeError, ValueError, IndexError):
        raise http.Malformed(
            _("Crossref's description of the work is garbled.")
        ) from None


def fetch_works(dois, *, timeout=None, retries=None, session=None) -> dict[str, Work]:
    """The works with these DOIs (normalised), by DOI, asked ``WORKS_BATCH``
    at a time (``/works?filter=doi:...,doi:...``). DOIs Crossref does not
    know are absent from the result; a failed request raises SourceError."""
    dois = sorted(set(dois))
    works = {}
    # A comma would split the filter list: such a DOI is asked on its own.
    for doi in [doi for doi in dois if "," in doi]:
        try:
            works[doi] = fetch_work(doi, timeout=timeout, retries=retries)
        except http.NotFound:
            pass
    dois = [doi for doi in dois if "," not in doi]
    for start in range(0, len(dois), WORKS_BATCH):
        batch = dois[start : start + WORKS_BATCH]
        response = http.get(
            f"{settings.CROSSREF_API_URL}/works",
            service=SERVICE,
            params=_params(
                filter=",".join(f"doi:{doi}" for doi in batch), rows=len(batch)
            ),
            timeout=timeout,
            retries=retries,
            session=session,
            limiter=LIMITER,
        )
        for item in _message(response).get("items") or []:
            if not isinstance(item, dict):
                continue
            try:
                work = parse_work(item)
            except (AttributeError, TypeError, ValueError, IndexError):
                continue  # one garbled work does not cost the others
            if work.record.doi in batch:
                works[work.record.doi] = work
    return works


def notices_updating(
    dois, *, timeout=None, retries=None, session=None
) -> list[FoundNotice]:
    """Notices whose ``update-to`` names one of ``dois``, asked in batches."""
    dois = sorted(set(dois))
    found = []
    for start in range(0, len(dois), UPDATES_BATCH):
        batch = set(dois[start : start + UPDATES_BATCH])
        response = http.get(
            f"{settings.CROSSREF_API_URL}/works",
            service=SERVICE,
            params=_params(
                filter=",".join(f"updates:{doi}" for doi in sorted(batch)),
                rows=1000,
            ),
            timeout=timeout,
            retries=retries,
            session=session,
            limiter=LIMITER,
        )
        items = _message(response).get("items") or []
        for item in items:
            if isinstance(item, dict):
                found += [n for n in _update_to(item) if n.target_doi in batch]
    return found


@dataclass
class Page:
    """One page of a Crossref search: the total found, its works, and the
    cursor of the next page ("" after the last)."""

    total: int
    works: list[Work] = field(default_factory=list)
    next_cursor: str = ""


def search(
    query: str,
    *,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    rows: int = 200,
    cursor: str = "*",
    timeout=None,
    retries=None,
    session=None,
) -> Page:
    """One page of the works matching ``query`` (Crossref's free-text search)
    that Crossref indexed between ``since`` and ``until`` (both days
    included); page on with ``cursor`` (Crossref's deep paging)."""
    filters = []
    if since:
        filters.append(f"from-index-date:{since.isoformat()}")
    if until:
        filters.append(f"until-index-date:{until.isoformat()}")
    params = {"query": query, "rows": rows, "cursor": cursor}
    if filters:
        params["filter"] = ",".join(filters)
    response = http.get(
        f"{settings.CROSSREF_API_URL}/works",
        service=SERVICE,
        params=_params(**params),
        timeout=timeout,
        retries=retries,
        session=session,
        limiter=LIMITER,
    )
    message = _message(response)
    try:
        items = message.get("items") or []
        return Page(
            total=int(message.get("total-results", 0)),
            works=[parse_work(item) for item in items if isinstance(item, dict)],
            next_cursor=str(message.get("next-cursor") or "") if items else "",
        )
    except (AttributeError, TypeError, ValueError, IndexError):
        raise http.Malformed(_("Crossref's list of works is garbled.")) from None


def search_all(
    query: str,
    *,
    since=None,
    until=None,
    limit: int,
    timeout=None,
    retries=None,
    session=None,
) -> Iterator[list[Work]]:
    """Every work ``search`` finds, a page at a time, at most ``limit``."""
    cursor, seen = "*", 0
    while cursor and seen < limit:
        page = search(
            query,
            since=since,
            until=until,
            rows=min(200, limit - seen),
            cursor=cursor,
            timeout=timeout,
            retries=retries,
            session=session,
        )
        seen += len(page.works)
        yield page.works
        if not page.works or page.next_cursor == cursor:
            break
        cursor = page.next_cursor


def _date(value) -> object:
    parts = (value or {}).get("date-parts") or [[]]
    return date_from_parts(parts[0] or [])


def _notice(entry, **where) -> FoundNotice | None:
    kind = NOTICE_KINDS.get(str(entry.get("type", "")).lower())
    if kind is None:
        return None
    return FoundNotice(
        kind=kind,
        source=ReferenceNotice.Source.CROSSREF,
        date=_date(entry.get("updated")),
        **where,
    )


def _updated_by(message) -> list[FoundNotice]:
    """Notices registered against this work (it is the one updated)."""
    target = formats_crossref.doi_of(message.get("DOI"))
    found = []
    for entry in message.get("updated-by") or []:
        doi = formats_crossref.doi_of(entry.get("DOI"))
        if doi == target:
            # Some publishers mark a correction in place, on the work itself.
            doi = ""
        notice = _notice(
            entry, target_doi=target, doi=doi, url=identifiers.doi_url(doi)
        )
        if notice:
            found.append(notice)
    return found


def _update_to(message) -> list[FoundNotice]:
    """This work is a notice: the works it updates."""
    doi = formats_crossref.doi_of(message.get("DOI"))
    found = []
    for entry in message.get("update-to") or []:
        target = formats_crossref.doi_of(entry.get("DOI"))
        if not target or target == doi:
            continue
        notice = _notice(
            entry, target_doi=target, doi=doi, url=identifiers.doi_url(doi)
        )
        if notice:
            found.append(notice)
    return found


def parse_work(message: dict) -> Work:
    """A Work from the ``message`` of Crossref's ``/works/{doi}`` answer."""
    crossref_type = str(message.get("type", ""))
    return Work(
        record=formats_crossref.to_record(message),
        publication_types=[crossref_type] if crossref_type else [],
        notices=_updated_by(message) + _update_to(message),
        services={SERVICE},
    )
