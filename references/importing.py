"""Importing reference files: read the file, preview the import, then commit it.

The steps are separate so that an editor sees what will happen before anything
is written: ``read_file`` turns bytes into records (or refuses the whole file,
saying where it goes wrong), ``preview`` says what each record would become,
and ``import_records`` writes them, in one transaction and one revision.
"""

import itertools
import logging
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from . import identifiers, kinds
from .formats import ParseError, Record, bibtex, crossref, csljson, medline, ris
from .matching import Match, Matcher
from .models import (
    ImportBatch,
    Reference,
    Topic,
    citation_key_validator,
    record_values,
)
from .revisions import add_to_bulk_revision, bulk_revision
from .signals import references_changed

# Sniffed in this order: the first whose looks_like() matches reads the file.
FORMATS = {
    # Before CSL-JSON: a saved answer of Crossref's API is JSON too.
    "crossref": crossref,
    "csljson": csljson,
    "ris": ris,
    "medline": medline,
    "bibtex": bibtex,
}
BATCH_SIZE = 1000
logger = logging.getLogger(__name__)


def _batches(items, size):
    """Consecutive lists of ``size`` items (itertools.batched is Python 3.12+)."""
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


class ImportRejected(Exception):
    """A file or an import refused as a whole; nothing was written."""

    def __init__(self, messages):
        self.messages = [
            str(m) for m in ([messages] if isinstance(messages, str) else messages)
        ]
        super().__init__("\n".join(self.messages))


@dataclass
class ParsedFile:
    format: str
    records: list[Record]
    # Lines before the first record that are no part of it (vendor headers).
    skipped_lines: int = 0

    @property
    def format_label(self):
        return FORMATS[self.format].LABEL


def max_upload_bytes():
    return settings.REFERENCES_IMPORT_MAX_BYTES


def check_size(size: int, *, max_bytes: int | None = None) -> None:
    """Refuse a file larger than the limit before anything reads it."""
    limit = max_upload_bytes() if max_bytes is None else max_bytes
    if size > limit:
        raise ImportRejected(
            _("The file is %(size)s; files of up to %(limit)s can be imported.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
        )


def _utf16_without_bom(data: bytes) -> str | None:
    """ "utf-16-le" or "utf-16-be" if the bytes look like UTF-16 text without
    a byte-order mark (every other byte zero, as ASCII text gives), else None."""
    sample = data[:4000]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    odd_zeros = sample[1::2].count(0)
    even_zeros = sample[0::2].count(0)
    if odd_zeros > pairs * 0.4 and even_zeros < pairs * 0.1:
        return "utf-16-le"
    if even_zeros > pairs * 0.4 and odd_zeros < pairs * 0.1:
        return "utf-16-be"
    return None


def decode(data: bytes) -> str:
    """The file's text, whichever encoding reference managers wrote it in.

    UTF-8 (with or without a byte-order mark) and UTF-16 (EndNote and
    Windows tools; with or without a byte-order mark) are read. Any other
    bytes are refused naming the encoding they look like (Latin-1/Windows-1252
    is the usual one), rather than guessed at: a wrong guess would store
    every accented name corrupted.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding, label = "utf-16", "UTF-16"
    elif encoding := _utf16_without_bom(data):
        label = "UTF-16 (without a byte-order mark)"
    else:
        encoding, label = "utf-8-sig", "UTF-8"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        if encoding != "utf-8-sig":
            raise ImportRejected(
                _(
                    "The file looks like %(encoding)s text, but byte %(offset)s "
                    "is not valid %(encoding)s. Export the file as UTF-8 and try "
                    "again."
                )
                % {"encoding": label, "offset": exc.start}
            ) from None
        line = data[: exc.start].count(b"\n") + 1
        try:
            data.decode("cp1252")
        except UnicodeDecodeError:
            looks_like = ""
        else:
            looks_like = _(
                " It looks like Latin-1 (Windows-1252), which the portal does "
                "not guess at."
            )
        raise ImportRejected(
            _(
                "The file is not UTF-8 text: line %(line)s holds byte 0x%(byte)02X, "
                "which UTF-8 does not allow.%(looks_like)s Export the file as UTF-8 "
                "and try again."
            )
            % {"line": line, "byte": data[exc.start], "looks_like": looks_like}
        ) from None


def detect_format(text: str, filename: str = "") -> str:
    """The format of a file, by its content first and its extension second."""
    for name, module in FORMATS.items():
        if module.looks_like(text):
            return name
    suffix = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    for name, module in FORMATS.items():
        if suffix in module.EXTENSIONS:
            return name
    raise ImportRejected(
        _(
            "This file is in none of the formats the portal reads: RIS (.ris), "
            "BibTeX (.bib), PubMed/MEDLINE (.nbib, .txt) or CSL-JSON (.json)."
        )
    )


def read_file(data: bytes, *, filename: str = "", max_bytes: int | None = None):
    """Read a reference file into records, or refuse it whole.

    Raises ImportRejected with a message that says what is wrong and where: a
    file too large, not UTF-8, in no known format, or a record that cannot be
    read (with its number and line).
    """
    check_size(len(data), max_bytes=max_bytes)
    text = decode(data)
    if not text.strip():
        raise ImportRejected(_("The file is empty."))
    name = detect_format(text, filename)
    try:
        records = FORMATS[name].parse(text)
    except ParseError as exc:
        raise ImportRejected(
            _("The %(format)s file cannot be read. %(error)s.")
            % {"format": FORMATS[name].LABEL, "error": str(exc).rstrip(".")}
        ) from None
    except (RecursionError, ValueError, TypeError, KeyError, IndexError):
        # Every reader answers bad input with ParseError (the property test
        # feeds them mangled files); should a third-party parser still trip,
        # the file is refused, never a 500, and the fault is logged to fix.
        logger.exception("Unexpected error reading a %s file", name)
        raise ImportRejected(
            _(
                "The %(format)s file cannot be read: it holds something the "
                "reader does not understand. Nothing was imported."
            )
            % {"format": FORMATS[name].LABEL}
        ) from None
    if not records:
        raise ImportRejected(
            _("The %(format)s file holds no references.")
            % {"format": FORMATS[name].LABEL}
        )
    for record in records:
        if _holds_nul(record.as_dict()):
            # No database column takes it (PostgreSQL refuses the whole write).
            raise ImportRejected(
                _(
                    "Record %(number)s of the file holds a NUL character, which "
                    "no text holds: the file is damaged. Nothing was imported."
                )
                % {"number": record.number}
            )
    skipped = getattr(FORMATS[name], "skipped_lines", None)
    return ParsedFile(
        format=name, records=records, skipped_lines=skipped(text) if skipped else 0
    )


# What a service's description never replaces in a file's record.
_RECORD_OWN = {"number", "line", "warnings", "citation_key", "kind"}


def complete_record(record: Record, work) -> None:
    """Fill what ``record`` lacks from a service's description of the same
    work (a ``sources.Work``, looked up by its DOI or PMID).

    The file's own values are kept; the kind is the service's (PubMed's
    publication types say more) unless the file said more than "research".
    """
    found = work.record
    for name, value in vars(found).items():
        if name not in _RECORD_OWN and value and not getattr(record, name):
            setattr(record, name, value)
    if found.kind and record.kind in ("", kinds.RESEARCH):
        record.kind = found.kind


def _holds_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(item) for item in value.values())
    if isinstance(value, list | tuple):
        return any(_holds_nul(item) for item in value)
    return False


def records_from_dicts(dicts: Iterable[dict]) -> list[Record]:
    """Records back from ``Record.as_dict()`` (as kept between two requests)."""
    return [Record(**item) for item in dicts]


@dataclass
class Skipped:
    """A record not imported because the reference is already there."""

    record: Record
    reason: str
    existing: Reference | None = None
    # Same title, year and first author, rather than the same identifier.
    probable: bool = False


@dataclass
class Problem:
    """A record that cannot be imported as it is, and why.

    ``lookup`` is ("doi", value) or ("pmid", value) when the record lacks
    only what a service could fill in: it has an identifier but no title.
    """

    record: Record
    messages: list[str]
    lookup: tuple[str, str] | None = None

    def __str__(self):
        where = _("Record %(number)s (line %(line)s)") % {
            "number": self.record.number,
            "line": self.record.line,
        }
        return f"{where}: {' '.join(self.messages)}"


@dataclass
class Preview:
    """What an import of these records would do, worked out without writing.

    The records with problems are left out of the import; the others can
    be imported without them.
    """

    new: list[tuple[Record, Reference]] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # (record, what the reader or the checks changed in it), for the editor
    # to look at: a LaTeX command not understood, a URL left out.
    warned: list[tuple[Record, list[str]]] = field(default_factory=list)

    @property
    def can_import(self):
        # Probable duplicates can still be imported, one by one, on request.
        return bool(self.new) or any(skipped.probable for skipped in self.skipped)

    @property
    def lookups(self) -> list[Problem]:
        """The records that a lookup of their DOI or PMID could complete."""
        return [problem for problem in self.problems if problem.lookup]


def _texts(reference):
    """(field name, value) of the reference's text fields, links included."""
    for model_field in reference._meta.concrete_fields:
        value = getattr(reference, model_field.attname)
        if isinstance(value, str):
            yield model_field.name, value
    for link in reference.links:
        yield "links", str(link)


# Bad values are quoted in the preview up to this many characters.
QUOTE_LIMIT = 80


def _quoted(value) -> str:
    text = str(value)
    if len(text) > QUOTE_LIMIT:
        text = text[: QUOTE_LIMIT - 1] + "…"
    return f"“{text}”"


_validate_url = URLValidator()


def _valid_url(value: str) -> bool:
    try:
        _validate_url(value)
    except ValidationError:
        return False
    return len(value) <= Reference._meta.get_field("url").max_length


def _drop_bad_links(reference) -> list[str]:
    """Leave out of ``reference`` the web addresses that are not valid URLs
    (the URL, the other links); the warnings that say which. A file's link
    is rarely what matters about a reference: losing the whole record for
    it would cost more than the link is worth."""
    warnings = []
    if reference.url and not _valid_url(reference.url):
        warnings.append(
            _("The URL %(value)s is not a valid web address and was left out.")
            % {"value": _quoted(reference.url)}
        )
        reference.url = ""
    kept = []
    for link in reference.links:
        if isinstance(link, str) and _valid_url(link):
            kept.append(link)
        else:
            warnings.append(
                _("The link %(value)s is not a valid web address and was left out.")
                % {"value": _quoted(link)}
            )
    if not reference.url and kept:
        # The next address the file gave takes the URL's place.
        reference.url = kept.pop(0)
    reference.links = kept
    return warnings


def reference_from_record(record: Record):
    """An unsaved Reference for a record, normalised and checked without queries.

    Returns (reference, problems, warnings): the problems (each naming the
    field and quoting its value) keep the record out of the import; the
    warnings say what was left out of it so that it could go in.
    """
    reference = Reference(
        **record_values(record), links=record.links, keywords=record.keywords
    )
    reference.match_key = reference.compute_match_key()
    warnings = _drop_bad_links(reference)
    messages = [
        _(
            "%(field)s: holds a NUL character (byte 0), which no text may hold; "
            "the file is damaged there."
        )
        % {"field": Reference._meta.get_field(name).verbose_name}
        for name, value in _texts(reference)
        if "\x00" in value
    ]
    try:
        # Duplicates and keys are checked in bulk by preview(), not here.
        reference.clean_fields(exclude=["citation_key"])
    except ValidationError as exc:
        for name, errors in exc.message_dict.items():
            label = Reference._meta.get_field(name).verbose_name
            value = getattr(record, name, "")
            # The value as the file gave it, unless the message quotes it.
            quote = value not in ("", None) and not isinstance(value, list)
            messages += [
                f"{label} {_quoted(value)}: {error}"
                if quote and str(value) not in error
                else f"{label}: {error}"
                for error in errors
            ]
    for name, error in reference.date_errors().items():
        messages.append(f"{Reference._meta.get_field(name).verbose_name}: {error}")
    messages = [message[0].upper() + message[1:] for message in messages]
    return reference, messages, warnings


def _lookup_identifier(record: Record) -> tuple[str, str] | None:
    """("doi", doi) or ("pmid", pmid) of a record whose title is missing
    and whose identifier is valid: a service may know the rest."""
    if record.title.strip():
        return None
    for name, normalize in (
        ("doi", identifiers.normalize_doi),
        ("pmid", identifiers.normalize_pmid),
    ):
        try:
            value = normalize(getattr(record, name))
        except ValidationError:
            continue
        if value:
            return name, value
    return None


def _usable_key(key, taken):
    if not key or key.lower() in taken or len(key) > 100:
        return False
    try:
        citation_key_validator(key)
    except ValidationError:
        return False
    return True


def _skipped(record: Record, match: Match) -> Skipped:
    """Why ``record`` is skipped: the earlier record of the file, or the entry
    of the library, that it duplicates."""
    if match.origin is not None:
        earlier = {"number": match.origin.number, "line": match.origin.line}
        if match.probable:
            reason = _(
                "Probably the same as record %(number)s (line %(line)s) "
                "of this file: same title, year and first author."
            )
        else:
            reason = _(
                "Same %(label)s as record %(number)s (line %(line)s) of this file."
            )
            earlier["label"] = Reference._meta.get_field(match.how).verbose_name
        return Skipped(record, reason % earlier, probable=match.probable)
    existing = match.known
    if match.probable:
        reason = _(
            "Probably the same as “%(title)s”, already in the "
            "library: same title, year and first author."
        ) % {"title": existing.title}
    else:
        reason = _("Already in the library (same %(label)s): “%(title)s”.") % {
            "label": Reference._meta.get_field(match.how).verbose_name,
            "title": existing.title,
        }
    return Skipped(record, reason, existing, probable=match.probable)


@dataclass(frozen=True, slots=True)
class _Accepted:
    """What the matcher keeps of a record accepted earlier in the file: its
    identity, not the whole unsaved Reference (an import of 100,000 records
    would otherwise hold them all until the end)."""

    doi: str
    pmid: str
    match_key: str


def _planned(
    records: Iterable[Record], *, batch_size: int, keep: Collection[int], plan: Preview
):
    """Go through ``records`` a batch at a time, noting in ``plan`` the
    skipped, the problems and the warnings; yield each batch's new
    (record, unsaved reference) pairs, for ``preview`` to keep or
    ``import_records`` to write before the next batch is checked."""
    # Keys are made unique against the whole library; reading them once is
    # cheaper than asking about each record.
    taken = {
        key.lower() for key in Reference.objects.values_list("citation_key", flat=True)
    }
    matcher, known = Matcher(), set()
    for batch in _batches(records, batch_size):
        checked, new = [], []
        for record in batch:
            reference, messages, warnings = reference_from_record(record)
            if warnings or record.warnings:
                plan.warned.append((record, [*record.warnings, *warnings]))
            if messages:
                plan.problems.append(
                    Problem(record, messages, lookup=_lookup_identifier(record))
                )
            else:
                checked.append((record, reference))
        for existing in Reference.objects.sharing_identity(
            [reference for _record, reference in checked]
        ).only("pk", "title", "doi", "pmid", "match_key"):
            if existing.pk not in known:
                known.add(existing.pk)
                matcher.add(existing)
        for record, reference in checked:
            match = matcher.match(reference, keep=record.number in keep)
            if match:
                plan.skipped.append(_skipped(record, match))
                continue
            matcher.add(
                _Accepted(reference.doi, reference.pmid, reference.match_key),
                origin=record,
            )
            if _usable_key(record.citation_key, taken):
                reference.citation_key = record.citation_key
            reference.set_default_citation_key(taken)
            taken.add(reference.citation_key.lower())
            new.append((record, reference))
        yield new


def preview(
    records: list[Record],
    *,
    batch_size: int = BATCH_SIZE,
    keep: Collection[int] = (),
) -> Preview:
    """Work out what importing ``records`` would create, skip and refuse.

    One matcher (references.matching) knows the library's references and the
    records of the file accepted so far. A record whose DOI or PMID one of
    them has is skipped with it named; so is one *probably* the same as one
    of them (title, year and first author agree, and no identifiers tell
    them apart), unless its number is in ``keep``: the editor looked and said
    it is another publication. A record that fails validation is a problem,
    named with its line and the value at fault, and left out: one bad record
    does not cost the others. The cost is two queries plus one per batch of
    records.
    """
    result = Preview()
    for new in _planned(records, batch_size=batch_size, keep=keep, plan=result):
        result.new += new
    return result


@dataclass
class ImportResult:
    created: int
    skipped: list[Skipped]
    topic: Topic
    # Records that could not be imported, left out (see ``preview``).
    problems: list[Problem] = field(default_factory=list)


@transaction.atomic
def import_records(
    *,
    records: list[Record],
    topic: Topic,
    user=None,
    comment: str = "",
    progress: Callable[[int, int], None] | None = None,
    batch_size: int = BATCH_SIZE,
    keep: Collection[int] = (),
    filename: str = "",
) -> ImportResult:
    """Create the new references in ``topic``'s curation inbox.

    There they wait, hidden from readers, until an editor places each in a
    section (``services.place_in_section``). Everything is one transaction
    and one reversion revision. A record with a problem (the preview lists
    it) is left out and returned in ``problems``; the others are imported.
    When no record can be, ImportRejected is raised with the problems.
    ``progress`` is called with (done, number of records) after each batch.
    ``keep`` holds the numbers of records to import although they are
    probably the same as another (see ``preview``). ``filename`` names the
    file in the inbox's filter: the references it creates share one
    ``ImportBatch``.

    Records are checked and written a batch at a time (as ``preview`` checks
    them), so that memory holds one batch of references, not the library's
    new hundred thousand.
    """
    plan = Preview()
    origin = ImportBatch.objects.create(
        topic=topic,
        filename=(filename or _("an unnamed file"))[:255],
        count=0,
        imported_by=user if user is not None and user.is_authenticated else None,
    )
    revision, done = None, 0
    try:
        for batch in _planned(records, batch_size=batch_size, keep=keep, plan=plan):
            if not batch:
                continue
            for _record, reference in batch:
                reference.inbox_topic = topic
                reference.import_batch = origin
            created = Reference.objects.bulk_create([ref for _, ref in batch])
            if revision is None:
                revision = bulk_revision(
                    created,
                    user=user,
                    comment=comment
                    or _("Imported %(file)s into the curation inbox of %(topic)s")
                    % {"file": origin.filename, "topic": topic.title},
                )
            else:
                add_to_bulk_revision(revision, created)
            references_changed.send(sender=Reference, references=created)
            done += len(created)
            if progress:
                progress(done, len(records))
    except IntegrityError:
        # Someone added a reference with the same identifier or key between
        # the preview and this write; the transaction is rolled back.
        raise ImportRejected(
            _("The library changed while importing. Nothing was imported; try again.")
        ) from None
    if plan.problems and not done:
        # Not one record could be imported: say why, as a refusal (the
        # batch record is rolled back with the rest).
        raise ImportRejected([str(problem) for problem in plan.problems])
    ImportBatch.objects.filter(pk=origin.pk).update(count=done)
    if revision is not None and not comment:
        revision.comment = _(
            "Imported %(count)s references into the curation inbox of %(topic)s"
        ) % {"count": done, "topic": topic.title}
        revision.save(update_fields=["comment"])
    return ImportResult(
        created=done, skipped=plan.skipped, topic=topic, problems=plan.problems
    )
