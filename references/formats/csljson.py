"""CSL-JSON: the citation data of Zotero, Manubot, citeproc and Pandoc."""

import json

from ..kinds import kind_from_csl_type
from . import (
    ParseError,
    Record,
    clean_text,
    first,
    is_group,
    parse_date,
    person,
    split_person,
)

LABEL = "CSL-JSON"
EXTENSIONS = (".json",)
MEDIA_TYPE = "application/vnd.citationstyles.csl+json"


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
    if isinstance(data, dict):
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


def _name(name):
    if not isinstance(name, dict):
        return clean_text(name)
    if name.get("literal"):
        return clean_text(name["literal"])
    family = " ".join(
        part for part in (name.get("non-dropping-particle"), name.get("family")) if part
    )
    given = " ".join(
        part for part in (name.get("given"), name.get("dropping-particle")) if part
    )
    return person(family, given, name.get("suffix", ""))


def _date(value):
    if not isinstance(value, dict):
        return parse_date(value)
    parts = (value.get("date-parts") or [[]])[0]
    numbers = []
    for part in parts[:3]:
        try:
            numbers.append(int(part))
        except (TypeError, ValueError):
            break
    if numbers:
        numbers += [None] * (3 - len(numbers))
        year, month, day = numbers
        return year, month if year else None, day if month else None
    return parse_date(first(value.get("raw"), value.get("literal")))


def to_record(item, *, number, line):
    if not isinstance(item, dict):
        raise ParseError(
            "each CSL-JSON item must be an object", record=number, line=line
        )
    year, month, day = _date(item.get("issued"))
    key = clean_text(first(item.get("citation-key"), item.get("id")))
    return Record(
        number=number,
        line=line,
        title=clean_text(item.get("title")),
        authors=[_name(name) for name in item.get("author") or [] if _name(name)],
        source=clean_text(first(item.get("container-title"), item.get("publisher"))),
        year=year,
        month=month,
        day=day,
        volume=clean_text(item.get("volume")),
        issue=clean_text(item.get("issue")),
        pages=clean_text(first(item.get("page"), item.get("number"))),
        doi=clean_text(item.get("DOI")),
        pmid=clean_text(item.get("PMID")),
        url=clean_text(item.get("URL")),
        kind=kind_from_csl_type(clean_text(item.get("type")), [item.get("genre", "")]),
        citation_key=key,
    )


def parse(text):
    """Records of a CSL-JSON file; bad JSON or a bad item raises ParseError."""
    return [
        to_record(item, number=number, line=line)
        for number, (item, line) in enumerate(_items(text), start=1)
    ]


def csl_item(reference):
    """One reference as a CSL-JSON item (also what citeproc formats)."""
    item = {
        "id": reference.citation_key,
        "type": "article-newspaper" if reference.kind == "news" else "article-journal",
        "genre": reference.kind,
        "title": reference.title,
        "author": [],
    }
    for name in reference.author_list:
        if is_group(name):
            item["author"].append({"literal": name})
        else:
            family, given, suffix = split_person(name)
            author = {"family": family, "given": given}
            if suffix:
                author["suffix"] = suffix
            item["author"].append(author)
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
    return json.dumps(
        [csl_item(reference) for reference in references], ensure_ascii=False, indent=2
    )
