"""Reference file formats: one module per format, one record shape for all.

Every parser turns a file's text into a list of ``Record``: the fields the
library keeps, still as the file gave them (identifiers are normalised and
checked later, by the import service, so that problems can name the record and
line). Every exporter turns references back into text of its format.
"""

import re
import unicodedata
from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext_lazy as _

from ..numbers import parse_number


@dataclass
class Record:
    """One reference read from a file, before it is checked or saved."""

    number: int
    line: int
    title: str = ""
    authors: list[str] = field(default_factory=list)
    # The file says there are more authors than it lists ("et al.", BibTeX's
    # "others"): a fact about the list, never an author of its own.
    authors_incomplete: bool = False
    # ARTICLE, WEBPAGE or DOCUMENT, from the record's type in its file.
    item_type: str = ""
    source: str = ""
    year: int | None = None
    month: int | None = None
    day: int | None = None
    volume: str = ""
    issue: str = ""
    pages: str = ""
    doi: str = ""
    pmid: str = ""
    url: str = ""
    # Further web addresses after ``url`` (RIS files may carry several UR).
    links: list[str] = field(default_factory=list)
    abstract: str = ""
    # Keywords and subject headings (MeSH): what the paper is indexed under.
    keywords: list[str] = field(default_factory=list)
    kind: str = ""
    citation_key: str = ""
    # What the reader could not understand and how it read it instead, for
    # the editor to check in the preview (e.g. an unknown LaTeX command).
    warnings: list[str] = field(default_factory=list)

    def as_dict(self):
        return asdict(self)

    @property
    def where(self):
        return _("record %(number)s (line %(line)s)") % {
            "number": self.number,
            "line": self.line,
        }


class ParseError(Exception):
    """A file that cannot be read as its format, with the place at fault."""

    def __init__(self, message, *, record=None, line=None):
        self.message = str(message)
        self.record = record
        self.line = line
        super().__init__(self.message)

    def __str__(self):
        if self.record and self.line:
            where = _("Record %(record)s, line %(line)s") % {
                "record": self.record,
                "line": self.line,
            }
        elif self.line:
            where = _("Line %(line)s") % {"line": self.line}
        else:
            return self.message
        return f"{where}: {self.message}"


# Only line breaks, tabs and runs of ordinary spaces are folded: a no-break or
# thin space inside a title is part of the text and is kept.
_FOLD_RE = re.compile(r"[ \t\r\n]+")


def clean_text(value):
    """One line of text, Unicode composed (NFC), outer and repeated spaces gone.

    Files from macOS tools can spell "ü" as "u" plus a combining mark (NFD);
    composing it means the same name is stored, searched and compared once.
    """
    if value is None:
        return ""
    return unicodedata.normalize("NFC", _FOLD_RE.sub(" ", str(value))).strip()


MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_DATE_TOKEN_RE = re.compile(r"\d+|[A-Za-z]+")


def parse_month(value):
    """A month number from "3", "03", "mar" or "March"; None if not a month."""
    text = clean_text(value).lower().rstrip(".")
    if text.isdigit():
        return parse_number(text, minimum=1, maximum=12)
    return MONTHS.get(text)


def parse_date(value):
    """(year, month, day) from the date forms reference tools write.

    Handles "2018 Nov 1", "2019/07/24/", "2019///", "2019/10//undefined",
    "2009-03", "2019 Jan-Feb" (the first month), "2019 Spring" (the year
    only) and "Mar 1" (no year). Parts that are not there are None; a day is
    kept only after a month.
    """
    year = month = day = None
    for token in _DATE_TOKEN_RE.findall(clean_text(value)):
        if token.isdigit():
            number = int(token)
            if year is None and len(token) == 4:
                year = number
            elif month is None and year is not None and len(token) <= 2:
                month = number if 1 <= number <= 12 else None
                if month is None:
                    break
            elif month is not None and day is None and len(token) <= 2:
                day = number
                break
            else:
                break
        elif month is None:
            month = MONTHS.get(token.lower())
            if month is None and year is not None:
                break  # a season or "undefined": keep what we have
        else:
            break
    return year, month, day


def person(family, given="", suffix=""):
    """An author line as the library stores it: "Family, Given[, Suffix]"."""
    family, given, suffix = clean_text(family), clean_text(given), clean_text(suffix)
    if not given and not suffix:
        return family
    return (
        ", ".join(part for part in (family, given, suffix) if part) if family else given
    )


def split_person(name):
    """(family, given, suffix) of a stored author line; a group is all family."""
    parts = [part.strip() for part in name.split(",")]
    family = parts[0]
    given = parts[1] if len(parts) > 1 else ""
    suffix = ", ".join(parts[2:])
    return family, given, suffix


# How pages and citations say that more authors exist than those listed.
ET_AL = "et al."
# "et al.", "et al", "et. al.", "et alii", "and others", "others" (BibTeX).
_ET_AL_RE = re.compile(
    r"^\s*(?:et\.?\s*al(?:\.|ii|ia)?|(?:and\s+)?others)\.?\s*$", re.IGNORECASE
)


def is_et_al(name):
    """Whether an author "name" only says that the list goes on."""
    return bool(_ET_AL_RE.match(name or ""))


def split_et_al(names):
    """(the names that are people or groups, whether an "et al." was among them).

    Files write an incomplete author list with a last author "et al." (RIS,
    CSL-JSON) or "others" (BibTeX); the library keeps that as
    ``authors_incomplete``, not as an author.
    """
    kept = [name for name in names if not is_et_al(name)]
    return kept, len(kept) != len(names)


def with_et_al(names, incomplete):
    """The names with ``ET_AL`` where a reader expects it, if ``incomplete``.

    After the last person, so that a group named after the people still
    follows ("Oddis CV, et al.; RIM Study Group", as Citing Medicine writes
    it); after the last name when there is no person.
    """
    names = list(names)
    if not incomplete:
        return names
    people = [index for index, name in enumerate(names) if not is_group(name)]
    position = people[-1] + 1 if people else len(names)
    return [*names[:position], ET_AL, *names[position:]]


def is_group(name):
    """Group authors ("PRIME Study Group") are stored without a comma."""
    return "," not in name and not is_et_al(name)


# Longest keyword kept; more than this is a paragraph, not a keyword.
KEYWORD_MAX = 200
_KEYWORD_SPLIT_RE = re.compile(r"\s*[;,]\s*|\n+")


def keyword_list(values, *, split=False):
    """Keywords as the library keeps them: text, in the file's order, each
    once (whatever its case), a MeSH heading's major-topic star dropped.

    ``split``: each value may hold several, separated by commas or
    semicolons (BibTeX ``keywords``, CSL ``keyword``).
    """
    kept, seen = [], set()
    for value in values:
        if not isinstance(value, str):
            continue
        parts = _KEYWORD_SPLIT_RE.split(value) if split else [value]
        for part in parts:
            keyword = clean_text(part).lstrip("*").strip()[:KEYWORD_MAX]
            if keyword and keyword.casefold() not in seen:
                seen.add(keyword.casefold())
                kept.append(keyword)
    return kept


def first(*values):
    """The first value that is not empty, or ""."""
    for value in values:
        if isinstance(value, list | tuple):
            value = next((v for v in value if v), "")
        if value:
            return value
    return ""


# What a reference is as a publication (Reference.item_type), in the words
# of no format in particular; "" reads as an article.
ARTICLE = "article"
WEBPAGE = "webpage"
DOCUMENT = "document"


def publication_form(reference):
    """ "article", "news", "webpage" or "document": what each export format
    names with its own type (CSL ``type``, RIS ``TY``, BibTeX entry type),
    and citation styles cite as they should ("ClinicalTrials.gov
    [Internet]. …" for a registry record). Our news kind is news, whatever
    it was published as."""
    if reference.kind == "news":
        return "news"
    return reference.item_type or ARTICLE
