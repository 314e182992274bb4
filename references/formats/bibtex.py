"""BibTeX and BibLaTeX, as JabRef, Zotero (Better BibTeX) and Mendeley write them.

Splitting the file into entries and fields is bibtexparser's (v2). What a
value means is then worked out here, as BibTeX and biber would: ``@string``
macros and ``#`` concatenation are expanded, ``crossref`` children inherit
their parent's missing fields, and LaTeX ("M{\\"u}ller", "\\&", "\\mbox{...}")
becomes Unicode field by field (a whole-entry decoder would also eat the
braces that mark a group author and the "%" of a URL).

A LaTeX command the reader does not know keeps its words: ``{\\TUG}`` reads
"TUG", ``\\acro{CD}s`` reads "CDs", and the record warns the editor which
commands those were (``Record.warnings``).

Whatever a file holds, reading it either gives records or raises ParseError
naming the record, its line and the reason: never another exception.
"""

import re
from contextvars import ContextVar

import bibtexparser
from bibtexparser.middlewares.enclosing import RemoveEnclosingMiddleware
from bibtexparser.middlewares.names import (
    parse_single_name_into_parts,
    split_multiple_persons_names,
)
from bibtexparser.model import (
    DuplicateBlockKeyBlock,
    DuplicateFieldKeyBlock,
    Entry,
    ParsingFailedBlock,
    String,
)
from django.utils.translation import gettext
from pylatexenc import latexwalker, macrospec
from pylatexenc.latex2text import (
    LatexNodes2Text,
    MacroTextSpec,
    get_default_latex_context_db,
)

from ..kinds import genre, kind_from_bibtex_type
from . import (
    ARTICLE,
    DOCUMENT,
    ET_AL,
    MONTHS,
    WEBPAGE,
    ParseError,
    Record,
    clean_text,
    first,
    is_group,
    keyword_list,
    parse_date,
    parse_month,
    person,
    publication_form,
    split_et_al,
    split_person,
)

LABEL = "BibTeX"
EXTENSIONS = (".bib", ".bibtex")
MEDIA_TYPE = "application/x-bibtex"

# Deeper nesting is no bibliography: it is refused before any recursive
# reader sees it (LaTeX decoding recurses once per level).
MAX_BRACE_DEPTH = 50


def _nth_argument(index):
    """Text of a macro's ``index``-th argument, or "" if the file left it out."""

    def text(node, l2tobj):
        arguments = node.nodeargd.argnlist if node.nodeargd else []
        argument = arguments[index] if index < len(arguments) else None
        return l2tobj.nodelist_to_text([argument]) if argument is not None else ""

    return text


# Macros bibliographies use that pylatexenc's defaults drop or trip over:
# (name, argument spec, text). \noopsort{1973c}1981 sorts as 1973 and prints
# 1981; \mbox and \href keep their words; \url gives the address itself.
_BIBTEX_MACROS = [
    ("mbox", "{", _nth_argument(0)),
    ("hbox", "{", _nth_argument(0)),
    ("noopsort", "{", ""),
    ("href", "{{", _nth_argument(1)),
    ("url", "{", _nth_argument(0)),
    ("path", "{", _nth_argument(0)),
    ("doi", "{", _nth_argument(0)),
    ("BibTeX", "", "BibTeX"),
    ("LaTeX", "", "LaTeX"),
    ("TeX", "", "TeX"),
    # LaTeX prints these as the ASCII characters; pylatexenc's default reads
    # them as the modifier letters (U+02C6, U+02DC), so an exported "^" or
    # "~" came back as another character.
    ("textasciicircum", "", "^"),
    ("textasciitilde", "", "~"),
]
_walker_context = latexwalker.get_default_latex_context_db()
_walker_context.add_context_category(
    "bibliography",
    prepend=True,
    macros=[macrospec.MacroSpec(name, args) for name, args, _ in _BIBTEX_MACROS],
)
_text_context = get_default_latex_context_db()
_text_context.add_context_category(
    "bibliography",
    prepend=True,
    macros=[
        MacroTextSpec(name, simplify_repl=text) for name, _, text in _BIBTEX_MACROS
    ],
)
# The unknown commands met while one record is read (see to_record).
_unknown_commands: ContextVar[set | None] = ContextVar("unknown_commands", default=None)


class _LatexToText(LatexNodes2Text):
    """pylatexenc's reader, keeping the words of commands it does not know.

    Its default drops an unknown command: ``{\\TUG}`` (a logo) would leave an
    empty title. A bibliography's own commands mostly print their name
    (``\\TUG``, ``\\CTAN``) or format the braces that follow them
    (``\\acro{CD}``): so the name is kept, unless braces with text follow,
    which are kept instead. Each is noted for the record's warnings.
    """

    def macro_node_to_text(self, node):
        name = node.macroname
        if self.latex_context.get_macro_spec(name) is not None or not name.isalpha():
            return super().macro_node_to_text(node)
        unknown = _unknown_commands.get()
        if unknown is not None:
            unknown.add(f"\\{name}")
        following = node.parsing_state.s[node.pos + node.len :]
        if following.startswith("{") and not following.startswith("{}"):
            return ""
        return name + (" " if node.macro_post_space else "")


_latex = _LatexToText(latex_context=_text_context, math_mode="verbatim")
_UNESCAPED_PERCENT_RE = re.compile(r"(?<!\\)%")
_ESCAPED_RE = re.compile(r"\\([_&%#$~{}])")
_URL_MACRO_RE = re.compile(r"^\s*\\url\s*\{(?P<url>[^{}]*)\}\s*$")
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
# A hyphen followed by another: the ligatures "--" and "---".
_HYPHENS_RE = re.compile(r"-(?=-)")
# BibLaTeX reads these fields verbatim: no LaTeX, no escapes.
VERBATIM_FIELDS = ("doi", "url", "eprint")
# BibTeX's predefined month macros.
_MONTH_MACROS = {
    name: name.capitalize() for name in MONTHS if len(name) == 3 and name != "sept"
}
# Fields a crossref child never takes from its parent (biber's defaults).
_NOT_INHERITED = {"crossref", "xref", "ids", "entryset", "label", "key", "xdata"}


class _Unreadable(Exception):
    """A value that cannot be understood, with the reason in words."""


def looks_like(text):
    return re.search(r"^\s*@\s*[A-Za-z_]+\s*[{(]", text, re.MULTILINE) is not None


def _too_deep(value):
    """The index where braces nest deeper than MAX_BRACE_DEPTH, or None."""
    depth = 0
    for index, char in enumerate(value):
        if char == "{":
            depth += 1
            if depth > MAX_BRACE_DEPTH:
                return index
        elif char == "}":
            depth -= 1
    return None


def _check_depth(value):
    if _too_deep(value) is not None:
        raise _Unreadable(f"braces are nested more than {MAX_BRACE_DEPTH} deep")


def decode(value):
    """LaTeX-encoded text to Unicode ("{\\"u}" to "ü", "\\&" to "&")."""
    _check_depth(value)
    # "%" starts a LaTeX comment, but in a BibTeX value it is usually a
    # literal percent sign: escape it so the decoder keeps it.
    try:
        text = _latex.latex_to_text(
            _UNESCAPED_PERCENT_RE.sub(r"\\%", value), latex_context=_walker_context
        )
    except (latexwalker.LatexWalkerError, IndexError, KeyError, ValueError) as exc:
        reason = str(exc) or type(exc).__name__
        raise _Unreadable(f"its LaTeX cannot be read ({reason})") from None
    return clean_text(text)


def _verbatim(value):
    """URLs and DOIs are taken as written, only "\\_"-style escapes undone."""
    match = _URL_MACRO_RE.match(value)
    if match:
        value = match["url"]
    return clean_text(_ESCAPED_RE.sub(r"\1", value.strip("{}")))


def _split_concatenation(value):
    """The parts of ``"a" # name # {b}``, split on ``#`` outside braces and quotes."""
    parts, depth, quoted, start = [], 0, False, 0
    for index, char in enumerate(value):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == '"' and depth == 0:
            quoted = not quoted
        elif char == "#" and depth == 0 and not quoted:
            parts.append(value[start:index])
            start = index + 1
    parts.append(value[start:])
    return [part.strip() for part in parts]


def _expand(value, strings):
    """A raw field value as BibTeX reads it: macros expanded, parts joined.

    A quoted or braced part is literal text; digits are a number; any other
    name is an ``@string`` macro (or a month), case-insensitive. ``strings``
    holds the macros defined so far, already expanded (as BibTeX expands a
    macro where it is defined).
    """
    _check_depth(value)
    pieces = []
    for part in _split_concatenation(value):
        literal, enclosing = RemoveEnclosingMiddleware._strip_enclosing(part)
        if enclosing != "no-enclosing" or literal.isdigit():
            pieces.append(literal)
            continue
        name = literal.lower()
        if name in strings:
            pieces.append(strings[name])
        elif name in _MONTH_MACROS:
            pieces.append(_MONTH_MACROS[name])
        elif literal:
            raise _Unreadable(
                f"“{literal}” is neither text in braces or quotes, a number, "
                "nor an @string defined in the file"
            )
    return "".join(pieces)


def _names(value):
    names = []
    for raw in split_multiple_persons_names(value):
        raw = raw.strip()
        if raw == "others":
            names.append(ET_AL)  # BibTeX's own word for "and more authors"
            continue
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
        year, month, day = parse_date(decode(fields["date"]).split("/")[0])
        if year:
            return year, month, day
    year, _, _ = parse_date(decode(fields.get("year", "")))
    month = parse_month(decode(fields.get("month", ""))) if year else None
    day = None
    if month and fields.get("day", "").strip().isdigit():
        day = int(fields["day"])
    return year, month, day


def _title(fields):
    title = decode(fields.get("title", ""))
    subtitle = decode(fields.get("subtitle", ""))
    if title and subtitle:
        # BibLaTeX prints "Title. Subtitle"; a colon is the medical convention.
        return f"{title.rstrip(':.')}: {subtitle}"
    return title or subtitle


def _howpublished(fields):
    """(source, url) from ``howpublished``: a bare \\url{...} is a link."""
    value = fields.get("howpublished", "")
    match = _URL_MACRO_RE.match(value)
    if match:
        return "", _verbatim(value)
    return value, ""


# The item type of each entry type read (any other is a document). A paper
# in proceedings is cited like an article in a journal, as CSL's
# paper-conference is (formats.csljson).
ITEM_TYPES = {
    **dict.fromkeys(("article", "inproceedings", "conference"), ARTICLE),
    **dict.fromkeys(("online", "electronic", "www"), WEBPAGE),
}


def to_record(entry_type, key, fields, *, number, line):
    """A record from an entry's expanded fields (lower-cased names, raw LaTeX)."""
    unknown = set()
    token = _unknown_commands.set(unknown)
    try:
        record = _to_record(entry_type, key, fields, number=number, line=line)
    finally:
        _unknown_commands.reset(token)
    if unknown:
        record.warnings.append(
            gettext(
                "LaTeX commands the importer does not know: %(commands)s. "
                "Their words were kept; check how the record reads."
            )
            % {"commands": ", ".join(sorted(unknown, key=str.lower))}
        )
    return record


def _to_record(entry_type, key, fields, *, number, line):
    howpublished, howpublished_url = _howpublished(fields)
    year, month, day = _date(fields)
    # "12--15" is BibTeX for the range 12-15; an en dash already there stays.
    pages = decode(fields.get("pages", "").replace("--", "-"))
    authors, incomplete = split_et_al(_names(fields.get("author", "")))
    return Record(
        number=number,
        line=line,
        title=_title(fields),
        authors=authors,
        authors_incomplete=incomplete,
        item_type=ITEM_TYPES.get(entry_type.lower(), DOCUMENT),
        # Where it appeared: a journal, a book; the institution of a report,
        # the school of a thesis, the organisation of a manual or web page;
        # else its publisher.
        source=decode(
            first(
                fields.get("journaltitle"),
                fields.get("journal"),
                fields.get("booktitle"),
                fields.get("institution"),
                fields.get("school"),
                fields.get("organization"),
                fields.get("publisher"),
                howpublished,
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
                fields.get("eprint")
                if fields.get("eprinttype", "").lower() == "pubmed"
                else "",
            )
        ),
        url=_verbatim(fields.get("url", "")) or howpublished_url,
        abstract=decode(fields.get("abstract", "")),
        keywords=keyword_list([decode(fields.get("keywords", ""))], split=True),
        kind=kind_from_bibtex_type(
            entry_type, [fields.get("type", ""), fields.get("entrysubtype", "")]
        ),
        citation_key=key.strip(),
    )


def _fields(entry, strings, number, line):
    """An entry's fields, expanded, by lower-cased name.

    A field given twice with the same value is read once; with two values,
    the record is refused naming the field.
    """
    fields = {}
    for field in entry.fields:
        name = field.key.lower()
        try:
            value = _expand(str(field.value), strings)
        except _Unreadable as exc:
            raise ParseError(
                f"the field “{name}” cannot be read: {exc}", record=number, line=line
            ) from None
        if name in fields and fields[name] != value:
            raise ParseError(
                f"the field “{name}” is given twice with different values "
                f"(“{fields[name][:60]}” and “{value[:60]}”); keep one",
                record=number,
                line=line,
            )
        fields[name] = value
    return fields


def _inherit(entries):
    """Give crossref children their parent's missing fields, as BibTeX does.

    The parent's title is the child's book title (a paper in proceedings);
    the parent may come before or after the child in the file.
    """
    by_key = {key.lower(): fields for _type, key, fields, _n, _l in entries}
    for _type, _key, fields, _number, _line in entries:
        parent_key = fields.get("crossref", "").strip().lower()
        if not parent_key:
            continue
        parent = by_key.get(parent_key)
        if parent is None or parent is fields:
            continue
        for name, value in parent.items():
            if name in _NOT_INHERITED:
                continue
            if name == "title":
                fields.setdefault("booktitle", value)
                if "title" not in fields:
                    fields["title"] = value
            else:
                fields.setdefault(name, value)


def _failure_reason(block):
    """Why bibtexparser could not read a block, in its words, or ""."""
    error = block.error
    # Its exceptions keep the reason in attributes, not in str().
    reason = getattr(error, "abort_reason", "") or getattr(error, "message", "")
    return str(reason or error or "").strip().rstrip(".")


def parse(text):
    """Records of a BibTeX file; a block that cannot be read raises ParseError."""
    _check_file_depth(text)
    library = bibtexparser.parse_string(text, parse_stack=[])
    strings, entries = {}, []
    for block in library.blocks:
        number = len(entries) + 1
        line = (block.start_line or 0) + 1
        if isinstance(block, DuplicateBlockKeyBlock | DuplicateFieldKeyBlock):
            # A repeated key (Mendeley writes "@article{," for every entry
            # without one) is still an entry; the import gives it a new key.
            # Repeated fields are compared below.
            block = block.ignore_error_block
        if isinstance(block, String):
            try:
                strings[block.key.lower()] = _expand(str(block.value), strings)
            except _Unreadable as exc:
                raise ParseError(
                    f"the @string “{block.key}” cannot be read: {exc}", line=line
                ) from None
        elif isinstance(block, Entry):
            fields = _fields(block, strings, number, line)
            entries.append((block.entry_type, block.key, fields, number, line))
        elif isinstance(block, ParsingFailedBlock):
            reason = _failure_reason(block)
            raise ParseError(
                f"this entry cannot be read ({reason})"
                if reason
                else "this entry cannot be read: check its braces and commas",
                record=number,
                line=line,
            )
    _inherit(entries)
    records = []
    for entry_type, key, fields, number, line in entries:
        try:
            records.append(to_record(entry_type, key, fields, number=number, line=line))
        except _Unreadable as exc:
            raise ParseError(str(exc), record=number, line=line) from None
    return records


def _check_file_depth(text):
    index = _too_deep(text)
    if index is not None:
        raise ParseError(
            f"braces are nested more than {MAX_BRACE_DEPTH} deep",
            line=text.count("\n", 0, index) + 1,
        )


def encode(value):
    """Text with BibTeX's special characters escaped; Unicode stays as it is.

    Runs of hyphens are split by "{}": LaTeX (and every reader that follows
    it: pybtex, pylatexenc, citation-js) turns "--" into an en dash and "---"
    into an em dash, so "IL--6" would come back as "IL–6".
    """
    escaped = _ESCAPE_RE.sub(lambda match: _ESCAPES[match.group(0)], value)
    return _HYPHENS_RE.sub("-{}", escaped)


def _bib_name(name):
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


def _verbatim_value(value):
    """A verbatim field's value: unescaped, with braces (which would end the
    field) percent-encoded as a URL would have them."""
    return value.replace("{", "%7B").replace("}", "%7D")


# The entry type of each publication form (formats.publication_form), and
# the field its source goes in.
ENTRY_TYPES = {
    ARTICLE: ("article", "journal"),
    "news": ("article", "journal"),
    WEBPAGE: ("online", "organization"),
    DOCUMENT: ("misc", "organization"),
}


def dump(references):
    """The references as BibLaTeX-compatible BibTeX text (UTF-8).

    Authors are the people and groups listed: an incomplete list gets no
    "and others", which citation-js and others read as a person.
    """
    return "".join(dump_chunks(references))


def dump_chunks(references):
    """``dump``'s text a reference at a time (an export streams it)."""
    for number, reference in enumerate(references):
        entry_type, source_field = ENTRY_TYPES[publication_form(reference)]
        values = [
            ("author", " and ".join(_bib_name(name) for name in reference.author_list)),
            # Double braces keep the title's capitals as they are.
            ("title", "{" + encode(reference.title) + "}"),
            (source_field, encode(reference.source)),
            ("year", str(reference.year or "")),
            ("month", str(reference.month or "")),
            ("day", str(reference.day or "")),
            ("volume", encode(reference.volume)),
            ("number", encode(reference.issue)),
            ("pages", encode(reference.pages).replace("-", "--")),
            # Verbatim fields (BibLaTeX, citation-js): written as they are.
            ("doi", _verbatim_value(reference.doi)),
            ("pmid", reference.pmid),
            ("url", _verbatim_value(reference.url)),
            (
                "type",
                genre(reference.kind, implied=kind_from_bibtex_type(entry_type)),
            ),
        ]
        lines = [f"@{entry_type}{{{reference.citation_key},"]
        lines += [f"  {key} = {{{value}}}," for key, value in values if value]
        # A blank line between entries.
        yield ("\n" if number else "") + "\n".join(lines) + "\n}\n"
