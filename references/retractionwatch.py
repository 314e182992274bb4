"""The Retraction Watch database, as Crossref publishes it (one CSV file).

The file has tens of thousands of rows, so it is read once, row by row, and
each row's original-paper DOI and PubMed ID are looked up in an in-memory
index of the library's identifiers: only rows about references we hold become
notices. The columns used are::

    RetractionDate, RetractionDOI, RetractionPubMedID, OriginalPaperDOI,
    OriginalPaperPubMedID, RetractionNature, Reason

A missing PubMed ID is written ``0``; a missing DOI "unavailable"; several
values in one cell are separated by ``;``. Older copies of the file are not
UTF-8, so a line that is not is read as Windows-1252 (Latin-1).
"""

import csv
import datetime
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import identifiers
from .models import Reference, ReferenceNotice
from .sources import FoundNotice

REQUIRED_COLUMNS = (
    "RetractionDate",
    "RetractionDOI",
    "RetractionPubMedID",
    "OriginalPaperDOI",
    "OriginalPaperPubMedID",
    "RetractionNature",
    "Reason",
)
NATURES = {
    "retraction": ReferenceNotice.Kind.RETRACTION,
    "expression of concern": ReferenceNotice.Kind.CONCERN,
    "correction": ReferenceNotice.Kind.CORRECTION,
    "withdrawal": ReferenceNotice.Kind.WITHDRAWAL,
}
MISSING = {"", "0", "unavailable", "not available", "na", "n/a", "none"}
_US_DATE_RE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})")
_ISO_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


class RetractionWatchError(Exception):
    """The file is not the Retraction Watch CSV; nothing was recorded."""


def decoded_lines(binary: Iterable[bytes]) -> Iterator[str]:
    """Text lines from a binary file: UTF-8 where it is, else Windows-1252."""
    for number, raw in enumerate(binary):
        if number == 0 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError:
            yield raw.decode("cp1252", errors="replace")


def values(cell: str) -> list[str]:
    """The values of a ``;``-separated cell, without the "missing" markers."""
    parts = (part.strip() for part in (cell or "").split(";"))
    return [part for part in parts if part.lower() not in MISSING]


def parse_date(value: str) -> datetime.date | None:
    """A date from "3/12/2024 0:00" (month first, as the file writes) or ISO."""
    text = (value or "").strip()
    try:
        if match := _US_DATE_RE.match(text):
            month, day, year = map(int, match.groups())
            return datetime.date(year, month, day)
        if match := _ISO_DATE_RE.match(text):
            return datetime.date(*map(int, match.groups()))
    except ValueError:
        return None
    return None


def reason(cell: str) -> str:
    """ "+Concerns/Issues About Data;+Investigation by Journal;" as a list in words."""
    return "; ".join(part.lstrip("+").strip() for part in values(cell))


def _normalized(cell: str, normalize) -> list[str]:
    found = []
    for value in values(cell):
        try:
            found.append(normalize(value))
        except ValidationError:
            continue
    return found


@dataclass
class ReadResult:
    rows: int
    notices: list[FoundNotice]


def read(
    binary: Iterable[bytes],
    *,
    progress: Callable[[int], None] | None = None,
    every: int = 10_000,
) -> ReadResult:
    """Read the file in one pass: notices about works in the library.

    Raises RetractionWatchError if the header lacks a column it needs.
    """
    dois = set(Reference.objects.exclude(doi="").values_list("doi", flat=True))
    pmids = set(Reference.objects.exclude(pmid="").values_list("pmid", flat=True))
    reader = csv.DictReader(decoded_lines(binary))
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise RetractionWatchError(
            _("This is not the Retraction Watch CSV: it has no column %(columns)s.")
            % {"columns": ", ".join(missing)}
        )
    found, rows = [], 0
    for rows, row in enumerate(reader, start=1):
        if progress and rows % every == 0:
            progress(rows)
        kind = NATURES.get((row["RetractionNature"] or "").strip().lower())
        if kind is None:
            # A reinstatement, or a nature we do not record.
            continue
        targets_doi = [
            d
            for d in _normalized(row["OriginalPaperDOI"], identifiers.normalize_doi)
            if d in dois
        ]
        targets_pmid = [
            p
            for p in _normalized(
                row["OriginalPaperPubMedID"], identifiers.normalize_pmid
            )
            if p in pmids
        ]
        if not targets_doi and not targets_pmid:
            continue
        notice_doi = next(
            iter(_normalized(row["RetractionDOI"], identifiers.normalize_doi)), ""
        )
        notice_pmid = next(
            iter(_normalized(row["RetractionPubMedID"], identifiers.normalize_pmid)), ""
        )
        details = {
            "kind": kind,
            "source": ReferenceNotice.Source.RETRACTION_WATCH,
            "doi": notice_doi,
            "pmid": notice_pmid,
            "url": identifiers.doi_url(notice_doi)
            or identifiers.pubmed_url(notice_pmid),
            "date": parse_date(row["RetractionDate"]),
            "reason": reason(row["Reason"]),
        }
        for doi in targets_doi:
            found.append(FoundNotice(target_doi=doi, **details))
        for pmid in targets_pmid:
            found.append(FoundNotice(target_pmid=pmid, **details))
    return ReadResult(rows=rows, notices=found)
