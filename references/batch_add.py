"""Add by identifier, many at once: pasted DOIs and PMIDs, looked up in
batches (``sources.lookup_many``), become records for the import preview.

Nothing is written here: the records go through the same preview and
import as a file's (``importing``), duplicates marked there; what could not
be read or looked up is reported per line, and never written.
"""

from dataclasses import asdict, dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from . import sources
from .formats import Record
from .models import Reference

# The most identifiers one paste may hold: PubMed's efetch takes 200 a request.
MAX_IDENTIFIERS = 200


@dataclass
class Failure:
    """A pasted line that gives no record, and why."""

    line: int
    value: str
    message: str

    def as_dict(self):
        return asdict(self)

    @property
    def where(self):
        return _("line %(line)s (%(value)s)") % {"line": self.line, "value": self.value}

    def __str__(self):
        return f"{self.where[0].upper()}{self.where[1:]}: {self.message}"


def failure_message(error) -> str:
    """What an editor is told when a lookup found nothing: the service's
    words, and whether trying again may help."""
    if isinstance(error, sources.NotFound):
        return str(error)
    return _("%(problem)s It was not looked up; try again later.") % {"problem": error}


def _known(pasted) -> dict:
    """The records of the pasted identifiers the library already holds, by
    (name, value): what the preview needs to mark them as duplicates,
    without asking any service about them (one query)."""
    dois = {value for _line, name, value in pasted if name == "doi"}
    pmids = {value for _line, name, value in pasted if name == "pmid"}
    known = {}
    for reference in Reference.objects.filter(Q(doi__in=dois) | Q(pmid__in=pmids)).only(
        "title", "doi", "pmid", "year", "authors"
    ):
        record = Record(
            number=0,
            line=0,
            title=reference.title,
            authors=reference.author_list,
            year=reference.year,
            doi=reference.doi,
            pmid=reference.pmid,
        )
        for name in ("doi", "pmid"):
            if getattr(reference, name):
                known[name, getattr(reference, name)] = record
    return known


def records_for(pasted, *, timeout=None, retries=None):
    """(records, failures) for identifiers read by ``identifiers.read_pasted``.

    Each identifier becomes a record numbered in the order pasted, with its
    line: one the library holds from the library's record (the preview
    marks it a duplicate; no service is asked), any other as the services
    describe it, asked in batches. One they cannot describe (unknown, or
    its service failing) becomes a Failure with the service's words.
    """
    known = _known(pasted)
    answers = sources.lookup_many(
        [(name, value) for _line, name, value in pasted if (name, value) not in known],
        timeout=timeout,
        retries=retries,
    )
    answers.update((key, sources.Work(record=record)) for key, record in known.items())
    records, failures = [], []
    for line, name, value in pasted:
        answer = answers[name, value]
        if isinstance(answer, sources.SourceError):
            failures.append(Failure(line, value, failure_message(answer)))
            continue
        record = Record(**{**answer.record.as_dict(), "line": line})
        record.number = len(records) + 1
        records.append(record)
    return records, failures
