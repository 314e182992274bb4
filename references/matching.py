"""Whether a reference is already known: the one matcher every path asks.

Two records are the same publication when they share a DOI or a PMID. A file
from a reference manager often carries neither; two records are then taken
to be *probably* the same publication when their titles, years and first
authors' family names agree once case, punctuation, diacritics and spacing
are folded away ("Müller, A." and "MULLER A"; "Rituximab: a trial." and
"rituximab a trial"). The key is a hash of the folded parts, stored on each
reference so that the library answers "is it here already?" by index.

An identifier is certain; a probable match is a guess that an editor may
overrule ("it is another publication: import it anyway"). ``Matcher`` holds
both rules and the editor's overruling (``keep``), and is fed whatever is
known: the library's references, the records of a file accepted so far. The
model's validation, the import preview and anything else that asks "is this
one here already?" ask it.
"""

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

_WORD_RE = re.compile(r"[^\W_]+")
# Combining marks (the accents NFKD splits off), removed by str.translate at C
# speed: an import folds tens of thousands of titles.
_COMBINING = dict.fromkeys(
    code for code in range(0x10000) if unicodedata.combining(chr(code))
)

# How a match was made: the identifier shared, or the match key.
DOI, PMID, PROBABLE = "doi", "pmid", "probable"
IDENTIFIERS = (DOI, PMID)


def fold(text: str) -> str:
    """Text with case, diacritics, punctuation and spacing folded away."""
    bare = unicodedata.normalize("NFKD", text or "").translate(_COMBINING)
    return " ".join(_WORD_RE.findall(bare.casefold()))


def first_family_name(authors: list[str]) -> str:
    """The first author's family name ("Family, Given" lines; a group whole)."""
    return authors[0].split(",")[0] if authors else ""


def match_key(*, title: str, year: int | None, authors: list[str]) -> str:
    """The key two records of one publication share, or "" without a title."""
    folded_title = fold(title)
    if not folded_title:
        return ""
    parts = f"{folded_title}|{year or ''}|{fold(first_family_name(authors))}"
    return hashlib.sha1(parts.encode("utf-8"), usedforsecurity=False).hexdigest()


def _identifiers(reference) -> set[tuple[str, str]]:
    return {(name, getattr(reference, name)) for name in IDENTIFIERS} - {
        (name, "") for name in IDENTIFIERS
    }


def probably_different(one, other) -> bool:
    """Two references with identifiers, none shared, are different publications
    even with the same title, year and first author (a correction, a second
    edition); identifiers decide when both have them."""
    ids, others = _identifiers(one), _identifiers(other)
    return bool(ids and others and not ids & others)


@dataclass(frozen=True)
class Match:
    """A known reference that another one duplicates, and how."""

    # The known reference, as it was fed to the matcher.
    known: Any
    # DOI or PMID (the identifier shared), or PROBABLE (the match key).
    how: str
    # What was fed with it to tell where it came from (a file's record), or None.
    origin: Any = None

    @property
    def probable(self) -> bool:
        """Only probably the same: an editor may say it is another publication."""
        return self.how == PROBABLE


class Matcher:
    """Which known references a reference duplicates.

    Known references and the one asked about are read through three
    attributes: ``doi`` and ``pmid`` (normalised) and ``match_key``
    (``match_key()`` of its title, year and authors). Feed it the library's
    references that may match (``ReferenceQuerySet.sharing_identity``) and,
    while going through a file, each record accepted.
    """

    def __init__(self, known: Iterable = ()):
        self._by_identifier: dict[tuple[str, str], tuple[Any, Any]] = {}
        self._by_key: dict[str, list[tuple[Any, Any]]] = {}
        for reference in known:
            self.add(reference)

    def add(self, reference, *, origin=None) -> None:
        """Know ``reference`` from now on; ``origin`` comes back with its matches."""
        for identifier in _identifiers(reference):
            self._by_identifier.setdefault(identifier, (reference, origin))
        if reference.match_key:
            self._by_key.setdefault(reference.match_key, []).append((reference, origin))

    def matches(self, reference, *, keep: bool = False) -> list[Match]:
        """Every way ``reference`` duplicates a known one: the same DOI, the
        same PMID, probably the same publication; at most one match of each,
        in that order.

        ``keep`` is an editor's word that it is another publication: then a
        probable match does not count (a shared identifier still does).
        """
        found = []
        for name in IDENTIFIERS:
            value = getattr(reference, name)
            if value and (name, value) in self._by_identifier:
                known, origin = self._by_identifier[name, value]
                found.append(Match(known, name, origin))
        if not keep and reference.match_key:
            for known, origin in self._by_key.get(reference.match_key, ()):
                if not probably_different(reference, known):
                    found.append(Match(known, PROBABLE, origin))
                    break
        return found

    def match(self, reference, *, keep: bool = False) -> Match | None:
        """The first of ``matches``: what a duplicate is reported as, or None."""
        found = self.matches(reference, keep=keep)
        return found[0] if found else None
