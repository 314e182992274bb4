"""Spelling suggestions from the index's own vocabulary.

A search that finds nothing because of a typing slip ("rituximabb") is
offered the query with each word the index does not know replaced by the
most similar word it does ("rituximab"), and only if that query finds
something among the same filters. The vocabulary is ``portal.SearchWord``:
every word of the indexed text, added by ``indexing`` as documents are
indexed. Each database finds candidates with an index of its own
(``backends``: pg_trgm on PostgreSQL, an FTS5 trigram table on SQLite); one
measure, difflib's ratio, then picks among them the same way on both.
"""

import difflib
from dataclasses import dataclass

from ..models import SearchWord
from . import search, synonyms
from .backends import get_backend
from .query import MAX_QUERY_CHARS, MAX_WORD_CHARS, STOP_WORDS, WORD_RE, parse_query

# Words shorter than this are neither kept nor corrected: a slip in a short
# word has too many plausible corrections, and the search finds longer words
# from a word of this length anyway (query.PREFIX_MIN_CHARS).
MIN_CHARS = 4
# Candidates each engine hands over for one word, and how alike (difflib's
# ratio, 0 to 1) the best must be: "rituximabb" and "rituximab" are 0.95,
# "exercize" and "exercise" 0.88, "myositis" and "myosin" 0.71.
CANDIDATES = 30
MIN_RATIO = 0.75
BATCH = 1000


def _keeps(word: str) -> bool:
    return (
        MIN_CHARS <= len(word) <= MAX_WORD_CHARS
        and word not in STOP_WORDS
        and any(c.isalpha() for c in word)
    )


def words_in(*texts: str) -> set[str]:
    """The vocabulary words of ``texts``: lowercased words of at least
    ``MIN_CHARS`` characters, with a letter, that are not common English."""
    return {
        word
        for text in texts
        for word in WORD_RE.findall((text or "").lower())
        if _keeps(word)
    }


def remember(words, using="default") -> None:
    """Add ``words`` to the vocabulary (those it has already are skipped)."""
    SearchWord.objects.using(using).bulk_create(
        (SearchWord(word=word) for word in sorted(words)),
        batch_size=BATCH,
        ignore_conflicts=True,
    )


@dataclass(frozen=True)
class Suggestion:
    """A corrected query: its text, and its parts as (text, corrected) pairs
    so the page can mark the words that changed."""

    text: str
    parts: tuple[tuple[str, bool], ...]


def closest(word: str, candidates) -> str | None:
    """The candidate most like ``word`` by difflib's ratio, if alike enough."""
    found = difflib.get_close_matches(
        word, [c for c in candidates if c != word], n=1, cutoff=MIN_RATIO
    )
    return found[0] if found else None


def rewrite(text: str, corrections: dict[str, str]) -> Suggestion:
    """``text`` with each word in ``corrections`` replaced, everything else
    (quotes, spacing, the other words) as the reader typed it. A word typed
    with a capital keeps it."""
    text = (text or "")[:MAX_QUERY_CHARS]
    parts, end = [], 0
    for match in WORD_RE.finditer(text):
        typed = match.group()
        correction = corrections.get(typed.lower()[:MAX_WORD_CHARS])
        if correction is None:
            continue
        if typed[:1].isupper():
            correction = correction[:1].upper() + correction[1:]
        parts += [(text[end : match.start()], False), (correction, True)]
        end = match.end()
    parts.append((text[end:], False))
    parts = tuple(part for part in parts if part[0])
    return Suggestion("".join(p for p, _ in parts), parts)


def suggest(text: str, documents) -> Suggestion | None:
    """A spelling correction of ``text`` that finds something among
    ``documents`` (the page's filters), or None.

    Costs three queries at most, whatever the number of words: which words
    the engine knows, the vocabulary's candidates for the others, and
    whether the corrected query finds anything (see ``Results.exists``).
    The words of the editors' synonym sets count as known, and as
    candidates.
    """
    parsed = parse_query(text)
    typed = [*parsed.words, *(w for phrase in parsed.phrases for w in phrase)]
    # A word cut at MAX_WORD_CHARS is not what the reader typed.
    words = [w for w in dict.fromkeys(typed) if _keeps(w) and len(w) < MAX_WORD_CHARS]
    if not words:
        return None
    # The editors' synonyms are words search knows too ("exercise" finds
    # "physical therapy"), though no document need contain them.
    synonym_words = {
        word
        for forms in synonyms.synonym_sets()
        for form in forms
        for word in form
        if _keeps(word)
    }
    backend = get_backend(documents.db)
    known = backend.matched_words(set(words) - synonym_words, documents.db)
    unknown = [w for w in words if w not in known and w not in synonym_words]
    if not unknown:
        return None
    candidates = backend.similar_words(unknown, documents.db, CANDIDATES)
    corrections = {
        word: best
        for word in unknown
        if (best := closest(word, [*candidates.get(word, ()), *synonym_words]))
        is not None
    }
    if not corrections:
        return None
    suggestion = rewrite(text, corrections)
    if not search(suggestion.text, documents).exists():
        return None
    return suggestion
