"""Crossref's JSON for a work: the mapping the lookup (``sources.crossref``)
reads an answer of Crossref's REST API with, and the importer reads a saved
answer (``{"status": "ok", "message-type": "work", "message": {...}}``) with.

Crossref's fields are close to CSL-JSON's but not the same: ``title`` and
``container-title`` are lists, the date is ``issued`` or one of several
``published-*``, the abstract is JATS XML.
"""

import json
import re

from django.core.exceptions import ValidationError
from lxml import etree, html

from .. import identifiers
from ..kinds import kind_from_csl_type
from . import ParseError, Record, clean_text, person
from .csljson import item_type_from_csl_type

LABEL = "Crossref JSON"
# Sniffed by content only: a .json file is CSL-JSON unless it says this.
EXTENSIONS = ()
# The "message-type" of an answer describing one work, and a list of works.
WORK, WORK_LIST = "work", "work-list"
# Every answer of the REST API starts with its status and message type; no
# CSL-JSON item has either key.
_ANSWER_RE = re.compile(r'"message-type"\s*:|"status"\s*:\s*"ok"')


def looks_like(text) -> bool:
    """Whether the text is a saved answer of Crossref's REST API."""
    start = text.lstrip()[:1000]
    return start[:1] == "{" and bool(_ANSWER_RE.search(start))


def is_answer(data) -> bool:
    """Whether parsed JSON is an answer of Crossref's REST API."""
    return (
        isinstance(data, dict)
        and isinstance(data.get("message"), dict)
        and ("message-type" in data or data.get("status") == "ok")
    )


def parse(text) -> list[Record]:
    """The works of a saved Crossref answer (one work, or a list of works)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(
            f"this is not valid JSON ({exc.msg})", line=exc.lineno
        ) from None
    except RecursionError:
        raise ParseError("its brackets are nested too deeply", line=1) from None
    if not is_answer(data):
        raise ParseError(
            "it looks like an answer of Crossref's REST API but holds no “message”",
            line=1,
        )
    works = works_of(data)
    if works is None:
        raise ParseError(
            f"this Crossref answer describes a "
            f"“{clean_text(data.get('message-type')) or 'something'}”, not works",
            line=1,
        )
    return [
        to_record(work, number=number, line=1)
        for number, work in enumerate(works, start=1)
        if isinstance(work, dict)
    ]


def works_of(data) -> list | None:
    """The works in a Crossref answer: its message (one work) or its items (a
    list of works, as ``/works?filter=...`` answers); None if it holds
    something else (a journal, a member, a funder)."""
    message = data["message"]
    kind = data.get("message-type")
    if kind == WORK_LIST or (kind is None and isinstance(message.get("items"), list)):
        items = message.get("items")
        return items if isinstance(items, list) else None
    if kind == WORK or (kind is None and "DOI" in message):
        return [message]
    return None


def first_text(values) -> str:
    """The first of Crossref's list values ("title": ["..."]), as text."""
    if isinstance(values, list):
        values = values[0] if values else ""
    return clean_text(values) if isinstance(values, str) else ""


def doi_of(value) -> str:
    """A DOI Crossref gives, normalised; "" if it is none."""
    try:
        return identifiers.normalize_doi(value if isinstance(value, str) else "")
    except ValidationError:
        return ""


def authors_of(people) -> list[str]:
    names = []
    for author in people if isinstance(people, list) else []:
        if not isinstance(author, dict):
            continue
        if clean_text(author.get("family")):
            names.append(person(author.get("family"), author.get("given")))
        elif name := clean_text(author.get("name")):
            names.append(name)
    return names


def abstract_text(jats: str) -> str:
    """Plain paragraphs from a JATS abstract (``<jats:p>``...), its title dropped."""
    if not isinstance(jats, str) or not jats.strip():
        return ""
    try:
        root = html.fragment_fromstring(jats, create_parent="div")
    except (etree.ParserError, ValueError):
        return clean_text(jats)
    headings = [
        element
        for element in root.iter()
        if isinstance(element.tag, str)
        and element.tag.endswith("title")
        and clean_text(element.text_content()).lower() == "abstract"
    ]
    for element in headings:
        element.drop_tree()
    paragraphs = []
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.endswith(":p"):
            paragraphs.append(clean_text(element.text_content()))
    if not paragraphs:
        paragraphs = [clean_text(root.text_content())]
    return "\n\n".join(p for p in paragraphs if p)


def _number(value):
    try:
        return int(value) if value else None
    except (TypeError, ValueError):
        return None


def to_record(message: dict, *, number: int = 1, line: int = 0) -> Record:
    """A Record from one work as Crossref describes it (an answer's ``message``)."""
    issued = []
    for name in ("issued", "published-print", "published-online", "published"):
        date = message.get(name)
        parts = ((date if isinstance(date, dict) else {}).get("date-parts") or [[]])[0]
        if isinstance(parts, list) and parts and parts[0]:
            issued = parts
            break
    year, month, day = (_number(part) for part in (issued + [None, None, None])[:3])
    crossref_type = str(message.get("type", ""))
    return Record(
        number=number,
        line=line,
        title=first_text(message.get("title")),
        authors=authors_of(message.get("author")),
        source=first_text(message.get("short-container-title"))
        or first_text(message.get("container-title"))
        or first_text(message.get("publisher")),
        year=year,
        month=month if year else None,
        day=day if year and month else None,
        volume=clean_text(message.get("volume")),
        issue=clean_text(message.get("issue")),
        pages=clean_text(message.get("page")),
        doi=doi_of(message.get("DOI")),
        url=clean_text(message.get("URL")),
        abstract=abstract_text(message.get("abstract", "")),
        kind=kind_from_csl_type(crossref_type),
        item_type=item_type_from_csl_type(crossref_type),
    )
