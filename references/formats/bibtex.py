"""BibTeX and BibLaTeX, as JabRef, Zotero (Better BibTeX) and Mendeley write them.

Parsing is bibtexparser's (v2). LaTeX in values ("M{\\"u}ller", "\\&") becomes
Unicode here, field by field: a whole-entry decoder would also eat the braces
that mark a group author and the "%" of a URL.
"""

import re

import bibtexparser
from bibtexparser.middlewares.names import (
    parse_single_name_into_parts,
    split_multiple_persons_names,
)
from bibtexparser.model import DuplicateBlockKeyBlock, Entry, ParsingFailedBlock
from pylatexenc.latex2text import LatexNodes2Text

from ..kinds import kind_from_bibtex_type
from . import (
    ET_AL,
    ParseError,
    Record,
    clean_text,
    first,
    is_group,
    parse_date,
    parse_month,
    person,
    split_person,
)

LABEL = "BibTeX"
EXTENSIONS = (".bib", ".bibtex")
MEDIA_TYPE = "application/x-bibtex"

_latex = LatexNodes2Text(math_mode="verbatim")
_UNESCAPED_PERCENT_RE = re.compile(r"(?<!\\)%")
_ESCAPED_RE = re.compile(r"\\([_&%#$~{}])")
# Characters BibTeX gives a meaning to, and how to write them as text.
_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_ESCAPE_RE = re.compile("|".join(re.escape(char) for char in _ESCAPES))


def looks_like(text):
    return re.search(r"^\s*@\s*[A-Za-z_]+\s*[{(]", text, re.MULTILINE) is not None


def decode(value):
    """LaTeX-encoded text to Unicode ("{\\"u}" to "ü", "\\&" to "&")."""
    # "%" starts a LaTeX comment, but in a BibTeX value it is usually a
    # literal percent sign: escape it so the decoder keeps it.
    return clean_text(_latex.latex_to_text(_UNESCAPED_PERCENT_RE.sub(r"\\%", value)))


def _verbatim(value):
    """URLs and DOIs are taken as written, only "\\_"-style escapes undone."""
    return clean_text(_ESCAPED_RE.sub(r"\1", value.strip("{}")))


def _names(value):
    names = []
    for raw in split_multiple_persons_names(value):
        raw = raw.strip()
        if raw.startswith("{") and raw.endswith("}"):
            names.append(decode(raw))  # {World Health Organization}: a group
            continue
        try:
            parts = parse_single_name_into_parts(raw, strict=False)
        except Exception:  # noqa: BLE001 (the parser raises several types)
            names.append(decode(raw))
            continue
        family = decode(" ".join([*parts.von, *parts.last]))
        given = decode(" ".join(parts.first))
        names.append(person(family, given, decode(" ".join(parts.jr))))
    return [name for name in names if name]


def _date(fields):
    if fields.get("date"):
        # BibLaTeX "2009-03" or "2009-03-15"; a range "2009/2010" keeps its start.
        year, month, day = parse_date(fields["date"].split("/")[0])
        if year:
            return year, month, day
    year, _, _ = parse_date(fields.get("year", ""))
    month = parse_month(fields.get("month", "")) if year else None
    day = None
    if month and fields.get("day", "").strip().isdigit():
        day = int(fields["day"])
    return year, month, day


def to_record(entry, *, number, line):
    fields = {field.key.lower(): str(field.value) for field in entry.fields}
    year, month, day = _date(fields)
    # "12--15" is BibTeX for the range 12-15; an en dash already there stays.
    pages = decode(fields.get("pages", "").replace("--", "-"))
    return Record(
        number=number,
        line=line,
        title=decode(fields.get("title", "")),
        authors=_names(fields.get("author", "")),
        source=decode(
            first(
                fields.get("journaltitle"),
                fields.get("journal"),
                fields.get("booktitle"),
                fields.get("publisher"),
                fields.get("howpublished"),
                fields.get("institution"),
            )
        ),
        year=year,
        month=month,
        day=day,
        volume=decode(fields.get("volume", "")),
        issue=decode(first(fields.get("number"), fields.get("issue"))),
        pages=pages,
        doi=_verbatim(fields.get("doi", "")),
        pmid=_verbatim(
            first(
                fields.get("pmid"),
                fields.get("eprint") if fields.get("eprinttype") == "pubmed" else "",
            )
        ),
        url=_verbatim(fields.get("url", "")),
        kind=kind_from_bibtex_type(
            entry.entry_type, [fields.get("type", ""), fields.get("entrysubtype", "")]
        ),
        citation_key=entry.key.strip(),
    )


def parse(text):
    """Records of a BibTeX file; a block that cannot be read raises ParseError."""
    library = bibtexparser.parse_string(text)
    records = []
    for block in library.blocks:
        if isinstance(block, DuplicateBlockKeyBlock):
            # A repeated key (Mendeley writes "@article{," for every entry
            # without one) is still an entry; the import gives it a new key.
            block = block.ignore_error_block
        if isinstance(block, Entry):
            number = len(records) + 1
            records.append(to_record(block, number=number, line=block.start_line + 1))
        elif isinstance(block, ParsingFailedBlock):
            raise ParseError(
                f"this entry cannot be read ({block.error})",
                record=len(records) + 1,
                line=block.start_line + 1,
            )
    return records


def encode(value):
    """Text with BibTeX's special characters escaped; Unicode stays as it is."""
    return _ESCAPE_RE.sub(lambda match: _ESCAPES[match.group(0)], value)


def _bib_name(name):
    if name == ET_AL:
        # BibTeX's own word for "and more authors".
        return "others"
    if is_group(name):
        return "{" + encode(name) + "}"
    family, given, suffix = split_person(name)
    parts = (
        [encode(family), encode(suffix), encode(given)]
        if suffix
        else [
            encode(family),
            encode(given),
        ]
    )
    return ", ".join(part for part in parts if part)


def dump(references):
    """The references as BibLaTeX-compatible BibTeX text (UTF-8)."""
    entries = []
    for reference in references:
        values = [
            ("author", " and ".join(_bib_name(name) for name in reference.author_list)),
            # Double braces keep the title's capitals as they are.
            ("title", "{" + encode(reference.title) + "}"),
            ("journal", encode(reference.source)),
            ("year", str(reference.year or "")),
            ("month", str(reference.month or "")),
            ("day", str(reference.day or "")),
            ("volume", encode(reference.volume)),
            ("number", encode(reference.issue)),
            ("pages", encode(reference.pages).replace("-", "--")),
            ("doi", encode(reference.doi)),
            ("pmid", reference.pmid),
            ("url", reference.url.replace("%", r"\%")),
            ("type", reference.kind),
        ]
        lines = [f"@article{{{reference.citation_key},"]
        lines += [f"  {key} = {{{value}}}," for key, value in values if value]
        entries.append("\n".join(lines) + "\n}\n")
    return "\n".join(entries)
