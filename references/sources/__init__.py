"""Bibliographic services: what Crossref and PubMed say about a DOI or PMID.

Each service has its own small module (``crossref``, ``pubmed``) that asks it
and reads its answer into a ``Work``: a ``Record`` as the importers make (so a
looked-up reference goes where an imported one goes), its abstract and
publication types, and the notices (retraction, correction...) the service
reports about it. ``lookup()`` combines the two for one identifier,
``lookup_many()`` for many at once, in batches.
"""

from django.utils.translation import gettext as _

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
    "lookup_many",
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


def _in_batches(ask, values, size):
    """``ask(batch)`` for each batch of ``values``: the works found by value,
    and the error of each value whose batch failed."""
    found, failed = {}, {}
    values = sorted(set(values))
    for start in range(0, len(values), size):
        batch = values[start : start + size]
        try:
            found.update(ask(batch))
        except SourceError as exc:
            failed.update(dict.fromkeys(batch, exc))
    return found, failed


def lookup_many(wanted, *, timeout=None, retries=None) -> dict:
    """What the services know about many identifiers, asked in batches.

    ``wanted`` holds ("doi", doi) and ("pmid", pmid) pairs, normalised. The
    answer maps each pair to its Work, or to the SourceError that says why
    there is none (NotFound, or the service's failure for its batch): one
    failing batch or unknown identifier does not cost the others. DOIs are
    asked of Crossref (50 a request) and of PubMed (found by DOI, then read
    200 a request), PMIDs of PubMed; a DOI's two descriptions are merged as
    ``lookup`` merges them.
    """
    wanted = list(dict.fromkeys(wanted))
    dois = [value for name, value in wanted if name == "doi"]
    pmids = [value for name, value in wanted if name == "pmid"]
    options = {"timeout": timeout, "retries": retries}
    by_crossref, crossref_failed = _in_batches(
        lambda batch: crossref.fetch_works(batch, **options),
        dois,
        crossref.WORKS_BATCH,
    )
    by_pubmed_doi, _failed = _in_batches(
        lambda batch: pubmed.fetch_by_dois(batch, **options),
        dois,
        pubmed.BATCH,
    )
    by_pmid, pmid_failed = _in_batches(
        lambda batch: pubmed.fetch(batch, **options), pmids, pubmed.BATCH
    )
    answers = {}
    for name, value in wanted:
        if name == "pmid":
            answers[name, value] = by_pmid.get(value) or pmid_failed.get(
                value,
                NotFound(_("PubMed does not know PMID %(pmid)s.") % {"pmid": value}),
            )
            continue
        work, medline = by_crossref.get(value), by_pubmed_doi.get(value)
        if work is None and medline is None:
            answers[name, value] = crossref_failed.get(
                value,
                NotFound(
                    _("Neither Crossref nor PubMed knows DOI %(doi)s.") % {"doi": value}
                ),
            )
        elif work is None:
            answers[name, value] = medline
        else:
            if medline is not None:
                work.merge(medline)
            answers[name, value] = work
    return answers


def reference_values(work: Work) -> dict:
    """The work as the values of a Reference (and of the "Add reference" form)."""
    return record_values(work.record)
