"""Bibliographic services: what Crossref and PubMed say about a DOI or PMID.

Each service has its own small module (``crossref``, ``pubmed``) that asks it
and reads its answer into a ``Work``: a ``Record`` as the importers make (so a
looked-up reference goes where an imported one goes), its abstract and
publication types, and the notices (retraction, correction...) the service
reports about it. ``lookup()`` combines the two for one identifier.
"""

import datetime
from dataclasses import dataclass, field

from .. import identifiers
from ..formats import Record
from .http import Malformed, NotFound, SourceError, Unavailable

__all__ = [
    "FoundNotice",
    "Malformed",
    "NotFound",
    "SourceError",
    "Unavailable",
    "Work",
    "lookup",
]


@dataclass
class FoundNotice:
    """A notice a service reports, before it is matched to a reference.

    ``target_doi``/``target_pmid`` name the work the notice is about; ``doi``,
    ``pmid`` and ``url`` are the notice's own, where it has them.
    """

    kind: str
    source: str
    target_doi: str = ""
    target_pmid: str = ""
    doi: str = ""
    pmid: str = ""
    url: str = ""
    date: datetime.date | None = None
    reason: str = ""


@dataclass
class Work:
    """One work as a service describes it."""

    record: Record
    publication_types: list[str] = field(default_factory=list)
    notices: list[FoundNotice] = field(default_factory=list)
    # The services that described it: "Crossref", "PubMed".
    services: set[str] = field(default_factory=set)

    @property
    def abstract(self) -> str:
        return self.record.abstract

    def merge(self, other: "Work") -> None:
        """Fill what this description lacks from ``other`` (another service's)."""
        for name, value in vars(other.record).items():
            if name not in ("number", "line", "kind") and not getattr(
                self.record, name
            ):
                setattr(self.record, name, value)
        if other.publication_types:
            # PubMed's publication types say more than Crossref's "journal-article".
            self.publication_types = other.publication_types
            self.record.kind = other.record.kind
        self.notices += other.notices
        self.services |= other.services


def date_from_parts(parts) -> datetime.date | None:
    """A date from (year, month, day) where month and day may be missing."""
    year, month, day = (list(parts) + [None, None, None])[:3]
    try:
        return datetime.date(int(year), int(month or 1), int(day or 1))
    except (TypeError, ValueError):
        return None


def lookup(value: str, *, timeout=None, retries=None) -> Work:
    """What the services know about a pasted DOI, PMID, doi.org or PubMed URL.

    A DOI is asked of Crossref, and of PubMed for its PMID, abstract and
    publication types; a PMID of PubMed. Raises ValidationError for something
    that is no identifier, NotFound when no service knows it, Unavailable or
    Malformed when they cannot say.
    """
    # Imported here: both modules import this one's dataclasses.
    from . import crossref, pubmed

    name, identifier = identifiers.parse_identifier(value)
    if name == "pmid":
        return pubmed.fetch_one(identifier, timeout=timeout, retries=retries)
    work = crossref_error = None
    try:
        work = crossref.fetch_work(identifier, timeout=timeout, retries=retries)
    except SourceError as exc:
        crossref_error = exc
    try:
        pmid = pubmed.pmid_for_doi(identifier, timeout=timeout, retries=retries)
        medline = pubmed.fetch_one(pmid, timeout=timeout, retries=retries)
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


# The Reference fields a looked-up work fills, in the form's order.
FILLED_FIELDS = (
    "kind",
    "item_type",
    "title",
    "authors",
    "authors_incomplete",
    "source",
    "year",
    "month",
    "day",
    "volume",
    "issue",
    "pages",
    "doi",
    "pmid",
    "url",
    "abstract",
)


def reference_values(work: Work) -> dict:
    """The work as the values of a Reference (and of the "Add reference" form)."""
    record = work.record
    values = {name: getattr(record, name) for name in FILLED_FIELDS}
    values["authors"] = "\n".join(record.authors)
    values["kind"] = record.kind or "research"
    values["item_type"] = record.item_type or "article"
    return values
