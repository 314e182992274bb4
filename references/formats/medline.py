"""PubMed's MEDLINE text format (the ``.nbib`` a "citation manager" export gives).

No well-kept parser covers it without pulling in a large toolkit, and the format
is simple: a tag padded to four characters, "- ", the value; continuation lines
indented by six spaces; a blank line between records.
"""

import re

from ..kinds import kind_from_publication_types
from . import ParseError, Record, clean_text, keyword_list, parse_date

LABEL = "PubMed/MEDLINE"
EXTENSIONS = (".nbib", ".medline", ".txt")

MEDLINE_TAG_RE = re.compile(r"^([A-Z][A-Z0-9]{0,3}) {0,3}- ?(.*)$")
ID_SUFFIX_RE = re.compile(r"\s*\[(\w+)\]\s*$")


def looks_like(text):
    return re.search(r"^PMID- ?\d", text, re.MULTILINE) is not None


def _records(text):
    """Yield (first line number, [(tag, value)]) for each record, checked."""
    fields, start = [], None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            if fields:
                yield start, fields
            fields, start = [], None
            continue
        match = MEDLINE_TAG_RE.match(line)
        if match:
            if start is None:
                start = number
            fields.append([match.group(1), match.group(2)])
        elif line[:1].isspace() and fields:
            fields[-1][1] += " " + line.strip()
        else:
            raise ParseError(
                "this line is neither a MEDLINE field (“TAG - value”) nor the "
                "continuation of one",
                line=number,
            )
    if fields:
        yield start, fields


def _identifier(values, kind):
    """The value of the first "LID/AID - value [kind]" of that kind."""
    for value in values:
        match = ID_SUFFIX_RE.search(value)
        if match and match.group(1).lower() == kind:
            return value[: match.start()].strip()
    return ""


def to_record(fields, *, number, line):
    values = {}
    authors, full_names, short_names = [], False, []
    for tag, value in fields:
        values.setdefault(tag, []).append(value)
        # FAU is the full name; CN a group author, in the order they appear.
        if tag == "FAU":
            authors.append(clean_text(value))
            full_names = True
        elif tag == "CN":
            authors.append(clean_text(value))
        elif tag == "AU":
            short_names.append(clean_text(value))
    if not full_names:
        # Old records have only "AU - Casbon JA"; keep them as they are.
        groups = [clean_text(v) for v in values.get("CN", [])]
        authors = short_names + groups

    def one(*tags):
        for tag in tags:
            if values.get(tag):
                return clean_text(values[tag][0])
        return ""

    year, month, day = parse_date(one("DP"))
    ids = values.get("LID", []) + values.get("AID", [])
    return Record(
        number=number,
        line=line,
        title=one("TI", "BTI"),
        authors=authors,
        source=one("TA", "JT"),
        year=year,
        month=month,
        day=day,
        volume=one("VI"),
        issue=one("IP"),
        pages=one("PG"),
        doi=clean_text(_identifier(ids, "doi")),
        pmid=one("PMID"),
        abstract=one("AB"),
        # MeSH headings, then the authors' own keywords ("other terms").
        # A star marks a major topic ("Myositis/*drug therapy"), not a word.
        keywords=keyword_list(
            [v.replace("*", "") for v in values.get("MH", [])] + values.get("OT", [])
        ),
        kind=kind_from_publication_types(values.get("PT", [])),
    )


def parse(text):
    """Records of a MEDLINE file; a malformed line raises ParseError."""
    records = []
    for start, fields in _records(text):
        number = len(records) + 1
        if not any(tag == "PMID" for tag, _ in fields):
            raise ParseError("the record has no PMID line", record=number, line=start)
        records.append(to_record(fields, number=number, line=start))
    return records
