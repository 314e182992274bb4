"""RIS, as Zotero, EndNote, Embase, Mendeley and PubMed write it (via rispy)."""

import re

import rispy

from ..kinds import kind_from_ris_type
from . import ParseError, Record, clean_text, first, parse_date

LABEL = "RIS"
EXTENSIONS = (".ris",)
MEDIA_TYPE = "application/x-research-info-systems"

TAG_RE = re.compile(r"^([A-Z][A-Z0-9])  -(?: |$)")
# rispy numbers the records it writes ("1.", "2."); such lines carry nothing.
COUNTER_RE = re.compile(r"^\d+\.$")
# Embase writes authors as "Adler D.G.": a family name, then initials.
INITIALS_RE = re.compile(r"^(?P<family>.+?) (?P<initials>(?:[A-Z]\.-?)+)$")


def looks_like(text):
    return re.search(r"^TY  - ", text, re.MULTILINE) is not None


def _record_spans(text):
    """The (first line, last line) of each TY ... ER record, checked.

    rispy quietly drops text outside records and records that never end; an
    import must refuse such a file instead, saying where it goes wrong.
    """
    spans, start = [], None
    for number, line in enumerate(text.splitlines(), start=1):
        match = TAG_RE.match(line)
        tag = match.group(1) if match else None
        if start is None:
            if tag == "TY":
                start = number
            elif line.strip() and not COUNTER_RE.match(line.strip()):
                raise ParseError(
                    "this line is outside any record (a record starts with “TY  - ”)",
                    record=len(spans) + 1,
                    line=number,
                )
        elif tag == "TY":
            raise ParseError(
                "a new record starts before this one ended with “ER  - ”",
                record=len(spans) + 1,
                line=number,
            )
        elif tag == "ER":
            spans.append((start, number))
            start = None
    if start is not None:
        raise ParseError(
            "the record has no end line (“ER  - ”)", record=len(spans) + 1, line=start
        )
    return spans


def _name(name):
    name = clean_text(name)
    match = INITIALS_RE.match(name) if "," not in name else None
    if match:
        return f"{match['family']}, {match['initials']}"
    return name


def _date(entry):
    year, month, day = parse_date(
        first(entry.get("year"), entry.get("publication_year"))
    )
    da_year, da_month, da_day = parse_date(entry.get("date"))
    year = year or da_year
    # DA may hold the full date, or (EndNote) only "Jun" or "Mar 1" beside PY.
    if da_month and da_year in (None, year) and not month:
        month, day = da_month, da_day
    return year, month if year else None, day if year and month else None


def _pages(entry):
    start = clean_text(entry.get("start_page"))
    end = clean_text(entry.get("end_page"))
    if start and end and "-" not in start:
        return f"{start}-{end}"
    return start or end


def _pmid(entry):
    # EndNote puts the PMID of a PubMed record in AN; Embase's AN is its own.
    accession = clean_text(entry.get("accession_number"))
    database = (
        f"{entry.get('name_of_database', '')} {entry.get('database_provider', '')}"
    )
    if accession.isdigit() and "embase" not in database.lower():
        return accession
    return ""


def to_record(entry, *, number, line):
    authors = []
    for name in [*entry.get("authors", []), *entry.get("first_authors", [])]:
        name = _name(name)
        if name and name not in authors:
            authors.append(name)
    year, month, day = _date(entry)
    key = clean_text(entry.get("id"))
    urls = [clean_text(url) for url in entry.get("urls", [])]
    return Record(
        number=number,
        line=line,
        title=clean_text(
            first(
                entry.get("title"), entry.get("primary_title"), entry.get("short_title")
            )
        ),
        authors=authors,
        source=clean_text(
            first(
                entry.get("secondary_title"),
                entry.get("journal_name"),
                entry.get("alternate_title3"),
                entry.get("alternate_title2"),
                entry.get("alternate_title1"),
                entry.get("publisher"),
            )
        ),
        year=year,
        month=month,
        day=day,
        volume=clean_text(entry.get("volume")),
        issue=clean_text(entry.get("number")),
        pages=_pages(entry),
        doi=clean_text(entry.get("doi")),
        pmid=_pmid(entry),
        # A web link if there is one; anything else is checked as a URL.
        url=next(
            (url for url in urls if url.startswith(("http://", "https://"))),
            urls[0] if urls else "",
        ),
        kind=kind_from_ris_type(
            entry.get("type_of_reference", ""), [entry.get("type_of_work", "")]
        ),
        # EndNote's ID is a record number, not a key anyone would cite by.
        citation_key=key if any(c.isalpha() for c in key) else "",
    )


def parse(text):
    """Records of an RIS file; a structural fault raises ParseError."""
    spans = _record_spans(text)
    entries = rispy.loads(text, skip_unknown_tags=True)
    if len(entries) != len(spans):
        raise ParseError(
            f"found {len(spans)} records but could read only {len(entries)}"
        )
    return [
        to_record(entry, number=number, line=start)
        for number, (entry, (start, _end)) in enumerate(
            zip(entries, spans, strict=True), start=1
        )
    ]


class PlainRisWriter(rispy.RisWriter):
    """RIS as reference managers write it: CRLF lines, no "1." record counter."""

    NEWLINE = "\r\n"

    def set_header(self, count):
        return ""


def _one_line(value):
    # A line break inside a value would start a line without a tag.
    return " ".join(value.split()) if isinstance(value, str) else value


def dump(references):
    """The references as RIS text."""
    entries = []
    for reference in references:
        entry = {
            "type_of_reference": "NEWS" if reference.kind == "news" else "JOUR",
            "id": reference.citation_key,
            "title": reference.title,
            "authors": reference.author_list,
            "type_of_work": reference.kind,
        }
        if reference.source:
            entry["secondary_title"] = reference.source
        if reference.year:
            entry["year"] = str(reference.year)
            if reference.month:
                day = f"{reference.day:02d}" if reference.day else ""
                entry["date"] = f"{reference.year}/{reference.month:02d}/{day}/"
        for field, value in (
            ("volume", reference.volume),
            ("number", reference.issue),
            ("doi", reference.doi),
            ("accession_number", reference.pmid),
        ):
            if value:
                entry[field] = value
        if reference.pmid:
            entry["database_provider"] = "NLM"
        if reference.pages:
            start, sep, end = reference.pages.partition("-")
            entry["start_page"] = start if sep and end else reference.pages
            if sep and end:
                entry["end_page"] = end
        if reference.url:
            entry["urls"] = [reference.url]
        entries.append(
            {
                field: [_one_line(v) for v in value]
                if isinstance(value, list)
                else _one_line(value)
                for field, value in entry.items()
            }
        )
    return rispy.dumps(entries, implementation=PlainRisWriter)
