"""What a bibliographic service says about one work, before it is matched
to the library: the ``Work`` each client (``crossref``, ``pubmed``) returns,
and the notices it reports."""

import datetime
from dataclasses import dataclass, field

from ..formats import Record


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
    # PubMed's MeSH headings, "Descriptor/Qualifier" as PubMed writes them.
    mesh_headings: list[str] = field(default_factory=list)
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
        self.mesh_headings = self.mesh_headings or other.mesh_headings
        self.notices += other.notices
        self.services |= other.services


def date_from_parts(parts) -> datetime.date | None:
    """A date from (year, month, day) where month and day may be missing."""
    year, month, day = (list(parts) + [None, None, None])[:3]
    try:
        return datetime.date(int(year), int(month or 1), int(day or 1))
    except (TypeError, ValueError):
        return None
