"""Bibliographic services: what Crossref and PubMed say about a DOI or PMID.

Each service has its own small module (``crossref``, ``pubmed``) that asks it
and reads its answer into a ``Work``: a ``Record`` as the importers make (so a
looked-up reference goes where an imported one goes), its abstract and
publication types, and the notices (retraction, correction...) the service
reports about it. ``lookup()`` combines the two for one identifier.
"""

from .. import identifiers
from ..models import record_values
from . import crossref, http, pubmed
from .http import Malformed, NotFound, ServiceDown, SourceError, Unavailable
from .works import FoundNotice, Work

__all__ = [
    "FoundNotice",
    "Malformed",
    "NotFound",
    "ServiceDown",
    "SourceError",
    "Unavailable",
    "Work",
    "lookup",
]


def lookup(value: str, *, timeout=None, retries=None) -> Work:
    """What the services know about a pasted DOI, PMID, doi.org or PubMed URL.

    A DOI is asked of Crossref, and of PubMed for its PMID, abstract and
    publication types; a PMID of PubMed. Raises ValidationError for something
    that is no identifier, NotFound when no service knows it, Unavailable or
    Malformed when they cannot say.
    """
    name, identifier = identifiers.parse_identifier(value)
    with http.Session(timeout=timeout, retries=retries) as session:
        if name == "pmid":
            return pubmed.fetch_one(identifier, session=session)
        return _lookup_doi(identifier, session)


def _lookup_doi(identifier: str, session: http.Session) -> Work:
    work = crossref_error = None
    try:
        work = crossref.fetch_work(identifier, session=session)
    except SourceError as exc:
        crossref_error = exc
    try:
        pmid = pubmed.pmid_for_doi(identifier, session=session)
        medline = pubmed.fetch_one(pmid, session=session)
    except SourceError:
        # Crossref's description is enough; PubMed only adds to it.
        medline = None
    if work is None and medline is None:
        raise crossref_error
    if work is None:
        return medline
    if medline is not None:
        work.merge(medline)
    return work


def reference_values(work: Work) -> dict:
    """The work as the values of a Reference (and of the "Add reference" form)."""
    return record_values(work.record)
