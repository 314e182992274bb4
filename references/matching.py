"""When two records are probably the same publication, without identifiers.

A file from a reference manager often carries no DOI or PMID. Two records are
then taken to be the same publication when their titles, years and first
authors' family names agree once case, punctuation, diacritics and spacing
are folded away ("Müller, A." and "MULLER A"; "Rituximab: a trial." and
"rituximab a trial"). The key is a hash of the folded parts, stored on each
reference so that the library answers "is it here already?" by index.
"""

import hashlib
import re
import unicodedata

_WORD_RE = re.compile(r"[^\W_]+")
# Combining marks (the accents NFKD splits off), removed by str.translate at C
# speed: an import folds tens of thousands of titles.
_COMBINING = dict.fromkeys(
    code for code in range(0x10000) if unicodedata.combining(chr(code))
)


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
