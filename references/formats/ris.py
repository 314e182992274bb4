"""RIS, as Zotero, EndNote, Embase, Mendeley and PubMed write it (via rispy)."""

import re
from collections import Counter

import rispy

from ..kinds import genre, kind_from_ris_type
from . import (
    ARTICLE,
    DOCUMENT,
    WEBPAGE,
    ParseError,
    Record,
    clean_text,
    first,
    keyword_list,
    parse_date,
    publication_form,
    split_et_al,
)

LABEL = "RIS"
EXTENSIONS = (".ris",)
MEDIA_TYPE = "application/x-research-info-systems"

RIS_TAG_RE = re.compile(r"^([A-Z][A-Z0-9])  -(?: |$)")
# rispy numbers the records it writes ("1.", "2."); such lines carry nothing.
COUNTER_RE = re.compile(r"^\d+\.$")
# Embase writes authors as "Adler D.G.": a family name, then initials.
INITIALS_RE = re.compile(r"^(?P<family>.+?) (?P<initials>(?:[A-Z]\.-?)+)$")


# M2 is not in rispy's table. Zotero writes "PMID: 123" there (its "Extra"),
# which is read; but citation-js takes a journal article's M2 for its start
# page, so the export writes that line as a note (N1) instead.
MAPPING = {**rispy.TAG_KEY_MAPPING, "M2": "extra"}
EXTRA_PMID_RE = re.compile(r"\bPMID:\s*(\d+)\b")
# The reference type (TY) of each publication form (formats.publication_form),
# and the item type of each reference type read (any other is a document).
TYPES = {ARTICLE: "JOUR", "news": "NEWS", WEBPAGE: "ELEC", DOCUMENT: "GEN"}
ITEM_TYPES = {
    **dict.fromkeys(
        ("JOUR", "JFULL", "EJOUR", "ABST", "INPR", "MGZN", "NEWS", "CPAPER", "CONF"),
        ARTICLE,
    ),
    **dict.fromkeys(("ELEC", "WEB", "BLOG", "ICOMM", "DBASE"), WEBPAGE),
}


def looks_like(text):
    return re.search(r"^TY  - ", text, re.MULTILINE) is not None


def _preamble_length(lines):
    """How many lines come before the first record.

    ScienceDirect starts its files with "Provider: Elsevier", "Database: ...",
    "Content: text/plain"; Oxford with a MIME type. Readers such as rispy and
    citation-js skip such lines, and so does the portal (the preview counts
    them). A line there that is an RIS tag is a broken record, not a header.
    """
    for index, line in enumerate(lines):
        match = RIS_TAG_RE.match(line)
        if match:
            return index if match.group(1) == "TY" else None
    return len(lines)


def skipped_lines(text):
    """The number of non-empty lines before the first record (vendor headers)."""
    lines = text.splitlines()
    length = _preamble_length(lines) or 0
    return sum(
        1
        for line in lines[:length]
        if line.strip() and not COUNTER_RE.match(line.strip())
    )


def _record_spans(lines):
    """The (first line, last line) of each TY ... ER record, checked.

    rispy quietly drops text outside records and records that never end; an
    import must refuse such a file instead, saying where it goes wrong.
    """
    spans, start, previous = [], None, None
    preamble = _preamble_length(lines) or 0
    for number, line in enumerate(lines, start=1):
        if number <= preamble:
            continue
        match = RIS_TAG_RE.match(line)
        tag = match.group(1) if match else None
        if start is not None and tag is None and line.strip() and previous == "TY":
            raise ParseError(
                "this line continues no field (each line of a record starts "
                "with a tag, such as “TI  - ”)",
                record=len(spans) + 1,
                line=number,
            )
        previous = tag or previous
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
    # Zotero writes "PMID: 123" in M2, the portal's export in a note (N1).
    accession = clean_text(entry.get("accession_number"))
    database = (
        f"{entry.get('name_of_database', '')} {entry.get('database_provider', '')}"
    )
    if accession.isdigit() and "embase" not in database.lower():
        return accession
    for text in [entry.get("extra"), *entry.get("notes", [])]:
        match = EXTRA_PMID_RE.search(clean_text(text))
        if match:
            return match.group(1)
    return ""


def _abstract(entry):
    # AB is the abstract; EndNote writes it as N2.
    return clean_text(first(entry.get("abstract"), entry.get("notes_abstract")))


def _authors(entry):
    """Every AU line, in order: two co-authors may share a name ("Nakamura, Y.").

    A tool that writes the authors twice, as AU and as A1, gives the same
    names in both: an A1 name adds an author only beyond the AU lines that
    already name them.
    """
    authors = [name for name in map(_name, entry.get("authors", [])) if name]
    listed = Counter(authors)
    for name in map(_name, entry.get("first_authors", [])):
        if not name:
            continue
        if listed[name]:
            listed[name] -= 1
        else:
            authors.append(name)
    return split_et_al(authors)


def to_record(entry, *, number, line):
    authors, incomplete = _authors(entry)
    year, month, day = _date(entry)
    key = clean_text(entry.get("id"))
    urls = [clean_text(url) for url in entry.get("urls", []) if clean_text(url)]
    # A web link first if there is one; anything else is checked as a URL.
    urls.sort(key=lambda url: not url.lower().startswith(("http://", "https://")))
    return Record(
        number=number,
        line=line,
        title=clean_text(
            first(
                entry.get("title"), entry.get("primary_title"), entry.get("short_title")
            )
        ),
        authors=authors,
        authors_incomplete=incomplete,
        item_type=ITEM_TYPES.get(
            clean_text(entry.get("type_of_reference")).upper(), DOCUMENT
        ),
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
        url=urls[0] if urls else "",
        links=urls[1:],
        abstract=_abstract(entry),
        keywords=keyword_list(entry.get("keywords", [])),
        kind=kind_from_ris_type(
            entry.get("type_of_reference", ""), [entry.get("type_of_work", "")]
        ),
        # EndNote's ID is a record number, not a key anyone would cite by.
        citation_key=key if any(c.isalpha() for c in key) else "",
    )


def parse(text):
    """Records of an RIS file; a structural fault raises ParseError."""
    lines = text.splitlines()
    spans = _record_spans(lines)
    # rispy reads from the first TY line; vendor headers become blank lines
    # so that line numbers stay those of the file.
    preamble = _preamble_length(lines) or 0
    body = "\n".join([""] * preamble + lines[preamble:])
    try:
        entries = rispy.loads(body, skip_unknown_tags=True, mapping=MAPPING)
    except (KeyError, IndexError, ValueError, TypeError) as exc:
        # The structure was checked above; rispy tripping over a file anyway
        # is still a file that cannot be read, not a server error.
        raise ParseError(
            f"this file cannot be read as RIS ({type(exc).__name__}: {exc})"
        ) from None
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
    return "".join(dump_chunks(references))


def dump_chunks(references):
    """``dump``'s text a reference at a time (an export streams it)."""
    writer = PlainRisWriter(mapping=MAPPING)
    for number, reference in enumerate(references):
        type_ = TYPES[publication_form(reference)]
        entry = {
            "type_of_reference": type_,
            "id": reference.citation_key,
            "title": reference.title,
            # People and groups only: an incomplete list is said by no line
            # (RIS has none for it; "AU  - et al." reads as a person).
            "authors": reference.author_list,
        }
        if work := genre(reference.kind, implied=kind_from_ris_type(type_)):
            entry["type_of_work"] = work
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
            # AN with DP NLM is EndNote's way (rispy reads it too). A note
            # line "PMID: 123" is what citation processors and Zotero read
            # a PMID from; no reader takes it for a page, as M2 would be.
            entry["database_provider"] = "NLM"
            entry["notes"] = [f"PMID: {reference.pmid}"]
        if reference.pages:
            start, sep, end = reference.pages.partition("-")
            entry["start_page"] = start if sep and end else reference.pages
            if sep and end:
                entry["end_page"] = end
        # The link readers see, only: the further links an import brought
        # (``reference.links``) are shown to editors, unchecked, and an
        # export carries what the public pages show, nothing more.
        if reference.url:
            entry["urls"] = [reference.url]
        entry = {
            field: [_one_line(v) for v in value]
            if isinstance(value, list)
            else _one_line(value)
            for field, value in entry.items()
        }
        # A blank line between records, as rispy writes a whole file.
        yield (writer.NEWLINE if number else "") + writer.formats([entry])
