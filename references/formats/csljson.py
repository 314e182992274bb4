"""CSL-JSON: the citation data of Zotero, Manubot, citeproc and Pandoc."""

import json
import math
import re
import textwrap

from ..kinds import genre, kind_from_csl_type
from . import (
    ARTICLE,
    DOCUMENT,
    WEBPAGE,
    ParseError,
    Record,
    clean_text,
    first,
    is_group,
    keyword_list,
    parse_date,
    person,
    publication_form,
    split_et_al,
    split_person,
)

LABEL = "CSL-JSON"
EXTENSIONS = (".json",)
MEDIA_TYPE = "application/vnd.citationstyles.csl+json"
# The CSL item type of each publication form (formats.publication_form), and
# the item type of each CSL type read (any other is a document). Crossref's
# names for its types are read too.
TYPES = {
    ARTICLE: "article-journal",
    "news": "article-newspaper",
    WEBPAGE: "webpage",
    DOCUMENT: "document",
}
ITEM_TYPES = {
    **dict.fromkeys(
        (
            "article-journal",
            "journal-article",
            "proceedings-article",
            "paper-conference",
            "article",
            "article-magazine",
            "article-newspaper",
            "review",
            "review-book",
        ),
        ARTICLE,
    ),
    **dict.fromkeys(("webpage", "post", "post-weblog"), WEBPAGE),
}


def item_type_from_csl_type(type_) -> str:
    """ARTICLE, WEBPAGE or DOCUMENT for a CSL (or Crossref) type."""
    return ITEM_TYPES.get(clean_text(type_).lower(), DOCUMENT if type_ else ARTICLE)


def looks_like(text):
    return text.lstrip()[:1] in ("[", "{")


def _line_of(text, index):
    return text.count("\n", 0, index) + 1


def _items(text):
    """The items with the line each starts on; bad JSON raises ParseError."""
    decoder = json.JSONDecoder()
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(
            f"this is not valid JSON ({exc.msg})", line=exc.lineno
        ) from None
    except RecursionError:
        raise ParseError(
            "its brackets are nested too deeply to be a list of references", line=1
        ) from None
    try:
        # JSON may spell half of a UTF-16 pair ("\\ud800") alone: Python reads
        # it into a str that no database, session or page can encode.
        json.dumps(data, ensure_ascii=False).encode()
    except UnicodeEncodeError as exc:
        raise ParseError(
            "it holds a \\u escape that is half of a character (a lone "
            f"surrogate, {exc.object[exc.start]!a}); save the file again as UTF-8",
            line=1,
        ) from None
    if isinstance(data, dict):
        if what := foreign(data):
            raise ParseError(f"this is {what}, not CSL-JSON", line=1)
        # A single item, or an object holding the list under "items".
        items = data["items"] if "items" in data else [data]
        if isinstance(items, list):
            return [(item, 1) for item in items]
    if not isinstance(data, list):
        raise ParseError("CSL-JSON is a list of items, “[{...}, ...]”", line=1)
    # Walk the array once more to learn where each item starts.
    starts, index = [], text.index("[") + 1
    for _ in data:
        while text[index] in " \t\r\n,":
            index += 1
        starts.append(_line_of(text, index))
        index = decoder.raw_decode(text, index)[1]
    return list(zip(data, starts, strict=True))


class _Field:
    """Reads one item's values, refusing any of a type CSL-JSON does not allow."""

    def __init__(self, number, line):
        self.number, self.line = number, line

    def refuse(self, key, what):
        raise ParseError(
            f"“{key}” should be {what}", record=self.number, line=self.line
        )

    def text(self, value, key, *, numbers=True):
        """A text value: a string, or (where ``numbers``) a number written as
        one, as tools write a volume or page."""
        if isinstance(value, list):
            # Some tools write a container title as a list of variants.
            value = next((v for v in value if v), None)
        if value is None:
            return ""
        if isinstance(value, bool) or not numbers and not isinstance(value, str):
            self.refuse(key, "text")
        if isinstance(value, int):
            return str(value)
        if isinstance(value, float):
            if not math.isfinite(value) or value != int(value):
                self.refuse(key, "text or a whole number")
            return str(int(value))
        if not isinstance(value, str):
            self.refuse(key, "text")
        return clean_text(value)

    def number_part(self, value, key):
        """A date part: a whole number, or digits as text; None if neither."""
        if isinstance(value, bool):
            self.refuse(key, "whole numbers")
        if isinstance(value, int):
            return value
        if isinstance(value, float):
            if not math.isfinite(value) or value != int(value):
                self.refuse(key, "whole numbers")
            return int(value)
        if isinstance(value, str) and value.strip().isdigit():
            return int(value.strip()[:9])
        return None

    def name(self, name, key):
        if isinstance(name, str):
            return clean_text(name)
        if not isinstance(name, dict):
            self.refuse(key, "a list of names, each {“family”: ..., “given”: ...}")

        def part(name_part):
            return self.text(name.get(name_part), key, numbers=False)

        if name.get("literal"):
            return part("literal")
        family = " ".join(
            p for p in (part("non-dropping-particle"), part("family")) if p
        )
        given = " ".join(p for p in (part("given"), part("dropping-particle")) if p)
        return person(family, given, part("suffix"))

    def names(self, value, key):
        if value is None:
            return []
        if not isinstance(value, list):
            self.refuse(key, "a list of names")
        return [name for name in (self.name(n, key) for n in value) if name]

    def date(self, value, key):
        if value is None:
            return None, None, None
        if isinstance(value, str):
            return parse_date(value)
        if not isinstance(value, dict):
            self.refuse(key, "a date, {“date-parts”: [[year, month, day]]}")
        parts = value.get("date-parts")
        if parts is not None:
            if not isinstance(parts, list) or not all(
                isinstance(p, list) for p in parts
            ):
                self.refuse(key, "a date, {“date-parts”: [[year, month, day]]}")
            numbers = []
            for part in (parts or [[]])[0][:3]:
                number = self.number_part(part, key)
                if number is None:
                    break
                numbers.append(number)
            if numbers:
                numbers += [None] * (3 - len(numbers))
                year, month, day = numbers
                return year, month if year else None, day if month else None
        raw = self.text(first(value.get("raw"), value.get("literal")), key)
        return parse_date(raw)


# citation-js and citeproc-js read "PMID: 123" lines of ``note`` as the PMID.
NOTE_PMID_RE = re.compile(r"^\s*PMID:\s*(\d+)\s*$", re.MULTILINE | re.IGNORECASE)


def _note_pmid(read, item):
    note = item.get("note")
    match = NOTE_PMID_RE.search(note) if isinstance(note, str) else None
    return read.text(match.group(1), "note") if match else ""


# JSON that other services and tools write, by the keys that give it away:
# read as CSL-JSON it would keep little more than a title, silently.
_FOREIGN = (
    (("conceptrecid",), "a Zenodo record"),
    (("recid", "metadata"), "a Zenodo record"),
    (("hits", "aggregations"), "a Zenodo search answer"),
    (("data", "included"), "a JSON:API answer (DataCite or similar)"),
    (("resultList",), "a Europe PMC search answer"),
    (("esearchresult",), "a PubMed (E-utilities) search answer"),
    (("header", "result"), "a PubMed (E-utilities) summary answer"),
    (("message",), "an answer of a web service (Crossref or similar)"),
    (("@context",), "JSON-LD (schema.org or similar)"),
)


def foreign(item) -> str:
    """What a JSON object looks like if it is not a CSL-JSON item ("" if it
    may be one): a Zenodo record, an E-utilities answer..."""
    if not isinstance(item, dict):
        return ""
    if isinstance(item.get("id"), str) and item["id"].startswith(
        "https://openalex.org/"
    ):
        return "an OpenAlex record"
    if isinstance(item.get("data"), dict) and "attributes" in item["data"]:
        return "a JSON:API answer (DataCite or similar)"
    for keys, what in _FOREIGN:
        if all(key in item for key in keys):
            return what
    return ""


def to_record(item, *, number, line):
    if not isinstance(item, dict):
        raise ParseError(
            "each CSL-JSON item must be an object", record=number, line=line
        )
    if what := foreign(item):
        raise ParseError(f"this is {what}, not CSL-JSON", record=number, line=line)
    read = _Field(number, line)
    year, month, day = read.date(item.get("issued"), "issued")
    key = read.text(first(item.get("citation-key"), item.get("id")), "id")
    authors, incomplete = split_et_al(read.names(item.get("author"), "author"))
    return Record(
        number=number,
        line=line,
        title=read.text(item.get("title"), "title"),
        authors=authors,
        authors_incomplete=incomplete,
        item_type=item_type_from_csl_type(read.text(item.get("type"), "type")),
        source=read.text(
            first(item.get("container-title"), item.get("publisher")),
            "container-title",
        ),
        year=year,
        month=month,
        day=day,
        volume=read.text(item.get("volume"), "volume"),
        issue=read.text(item.get("issue"), "issue"),
        pages=read.text(first(item.get("page"), item.get("number")), "page"),
        doi=read.text(item.get("DOI"), "DOI"),
        pmid=read.text(item.get("PMID"), "PMID") or _note_pmid(read, item),
        url=read.text(item.get("URL"), "URL"),
        abstract=read.text(item.get("abstract"), "abstract"),
        keywords=keyword_list([read.text(item.get("keyword"), "keyword")], split=True),
        kind=kind_from_csl_type(
            read.text(item.get("type"), "type"),
            [read.text(item.get("genre"), "genre")],
        ),
        citation_key=key,
    )


def parse(text):
    """Records of a CSL-JSON file; bad JSON or a bad item raises ParseError."""
    return [
        to_record(item, number=number, line=line)
        for number, (item, line) in enumerate(_items(text), start=1)
    ]


def csl_name(name):
    """A stored author line as a CSL name: a person's parts, or a group's literal."""
    if is_group(name):
        return {"literal": name}
    family, given, suffix = split_person(name)
    author = {"family": family, "given": given}
    if suffix:
        author["suffix"] = suffix
    return author


def csl_item(reference):
    """One reference as a CSL-JSON item (also what citeproc formats).

    The authors are the people and groups listed; an incomplete list has no
    name for "et al." (a reader would count it as a person): the site's own
    citations add it (references.citations). The kind is written in words
    (``genre``) only where the CSL type does not already say it.
    """
    type_ = TYPES[publication_form(reference)]
    item = {"id": reference.citation_key, "type": type_}
    if words := genre(reference.kind, implied=kind_from_csl_type(type_)):
        item["genre"] = words
    item["title"] = reference.title
    item["author"] = [csl_name(name) for name in reference.author_list]
    if reference.year:
        parts = [reference.year, reference.month, reference.day]
        item["issued"] = {"date-parts": [[part for part in parts if part]]}
    for key, value in (
        ("container-title", reference.source),
        ("volume", reference.volume),
        ("issue", reference.issue),
        ("page", reference.pages),
        ("DOI", reference.doi),
        ("PMID", reference.pmid),
        ("URL", reference.url),
    ):
        if value:
            item[key] = value
    return item


def dump(references):
    """The references as a CSL-JSON array."""
    return "".join(dump_chunks(references))


def dump_chunks(references):
    """``dump``'s text a reference at a time (an export streams it): the
    array ``json.dumps(items, indent=2)`` writes, item by item."""
    empty = True
    for reference in references:
        item = json.dumps(csl_item(reference), ensure_ascii=False, indent=2)
        yield ("[\n" if empty else ",\n") + textwrap.indent(item, "  ")
        empty = False
    yield "[]" if empty else "\n]"
