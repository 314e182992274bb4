"""Crossref's REST API: a work by DOI, and the notices that update a DOI.

``GET {CROSSREF_API_URL}/works/{doi}`` describes one work, with
``updated-by`` listing the notices (retraction, correction...) registered
against it. A notice's own record carries ``update-to`` pointing at the work
it updates; ``/works?filter=updates:{doi}`` finds those for several DOIs at
once, which catches notices whose publisher deposited only ``update-to``.
"""

import json
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from lxml import etree, html

from .. import identifiers
from ..formats import Record, clean_text, person
from ..formats.csljson import item_type_from_csl_type
from ..kinds import kind_from_csl_type
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
# DOIs per /works?filter=updates:... request: the query string stays short.
UPDATES_BATCH = 50
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
    """The works of ``dois`` by DOI, UPDATES_BATCH to a request (a ``doi``
    filter per DOI, which Crossref ORs). DOIs it does not know are absent; a
    garbled work is left out rather than spoiling the batch."""
    dois = list(dict.fromkeys(dois))  # in the order given, once each
    works = {}
    for start in range(0, len(dois), UPDATES_BATCH):
        batch = dois[start : start + UPDATES_BATCH]
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
            try:
                work = parse_work(item)
            except (AttributeError, TypeError, ValueError, IndexError):
                continue
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


def _first(values) -> str:
    if isinstance(values, list):
        values = values[0] if values else ""
    return clean_text(values) if isinstance(values, str) else ""


def _doi(value) -> str:
    try:
        return identifiers.normalize_doi(value if isinstance(value, str) else "")
    except ValidationError:
        return ""


def _date(value) -> object:
    parts = (value or {}).get("date-parts") or [[]]
    return date_from_parts(parts[0] or [])


def _authors(people) -> list[str]:
    names = []
    for author in people or []:
        if clean_text(author.get("family")):
            names.append(person(author.get("family"), author.get("given")))
        elif name := clean_text(author.get("name")):
            names.append(name)
    return names


def abstract_text(jats: str) -> str:
    """Plain paragraphs from a JATS abstract (``<jats:p>``...), its title dropped."""
    if not jats or not jats.strip():
        return ""
    try:
        root = html.fragment_fromstring(jats, create_parent="div")
    except (etree.ParserError, ValueError):
        return clean_text(jats)
    headings = [
        element
        for element in root.iter()
        if isinstance(element.tag, str)
        and element.tag.endswith("title")
        and clean_text(element.text_content()).lower() == "abstract"
    ]
    for element in headings:
        element.drop_tree()
    paragraphs = []
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.endswith(":p"):
            paragraphs.append(clean_text(element.text_content()))
    if not paragraphs:
        paragraphs = [clean_text(root.text_content())]
    return "\n\n".join(p for p in paragraphs if p)


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
    target = _doi(message.get("DOI"))
    found = []
    for entry in message.get("updated-by") or []:
        doi = _doi(entry.get("DOI"))
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
    doi = _doi(message.get("DOI"))
    found = []
    for entry in message.get("update-to") or []:
        target = _doi(entry.get("DOI"))
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
    issued = None
    for name in ("issued", "published-print", "published-online", "published"):
        parts = ((message.get(name) or {}).get("date-parts") or [[]])[0] or []
        if parts and parts[0]:
            issued = parts
            break
    year, month, day = ((issued or []) + [None, None, None])[:3]
    crossref_type = str(message.get("type", ""))
    record = Record(
        number=1,
        line=0,
        title=_first(message.get("title")),
        authors=_authors(message.get("author")),
        source=_first(message.get("short-container-title"))
        or _first(message.get("container-title"))
        or _first(message.get("publisher")),
        year=int(year) if year else None,
        month=int(month) if year and month else None,
        day=int(day) if year and month and day else None,
        volume=clean_text(message.get("volume")),
        issue=clean_text(message.get("issue")),
        pages=clean_text(message.get("page")),
        doi=_doi(message.get("DOI")),
        url=clean_text(message.get("URL")),
        abstract=abstract_text(message.get("abstract", "")),
        kind=kind_from_csl_type(crossref_type),
        item_type=item_type_from_csl_type(crossref_type),
    )
    return Work(
        record=record,
        publication_types=[crossref_type] if crossref_type else [],
        notices=_updated_by(message) + _update_to(message),
        services={SERVICE},
    )
