"""What makes two readers' questions the same: one normal form and one measure.

``normalise()`` folds case, accents, punctuation and spacing, so "Can I
exercise?" and "can i  EXERCISE" are one question and join one group when
asked. ``terms()`` keeps the words that carry meaning (no stop words, a
plural's "s" dropped, the editors' search synonyms read as one word: "IVIG"
and "intravenous immunoglobulin" are the same term) and ``similarity()``
compares two sets of them (the share of words in common), which is how the
queue suggests questions an editor may group by hand ("Is it safe to
exercise with dermatomyositis?" beside "Can I exercise with
dermatomyositis?"). Both are computed once, when a question is stored.
"""

import re
import unicodedata

# Words that say nothing about what is asked (English, the portal's language).
STOP_WORDS = frozenset(
    """
    a about after also am an and any are as at be been being but by can could
    do does doing did for from had has have having how i if in into is it its
    me my myself no not of on or our should so some than that the their them
    then there these they this those to too us was we were what when where
    which while who whom why will with would you your yours
    """.split()
)
WORD = re.compile(r"\w+")
# Under this share of words in common, two questions are not suggested as one.
SIMILAR = 0.4


def normalise(text: str) -> str:
    """The question folded to compare: lower case, no accents or punctuation,
    single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(WORD.findall(bare.replace("_", " ")))


def _stem(word: str) -> str:
    # "injections" and "injection", "doses" and "dose"; short words as typed.
    if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _fold_synonyms(words: list, synonym_sets) -> list:
    # Each form of a set (a tuple of words, longest first) found as a run of
    # words becomes the set's first form, joined into one word.
    for forms in synonym_sets:
        name = "_".join(forms[0])
        for form in sorted(forms, key=len, reverse=True):
            start = 0
            while start <= len(words) - len(form):
                if tuple(words[start : start + len(form)]) == form:
                    words[start : start + len(form)] = [name]
                start += 1
    return words


def terms(text: str, synonym_sets=()) -> str:
    """The meaningful words of ``text``, stemmed, sorted, space-separated.

    ``synonym_sets``: the editors' synonyms as search reads them
    (``portal.search.synonyms.synonym_sets()``), tuples of forms.
    """
    words = _fold_synonyms(normalise(text).split(), synonym_sets)
    return " ".join(sorted({_stem(w) for w in words if w not in STOP_WORDS}))


def similarity(a: str, b: str) -> float:
    """The share of words two ``terms()`` strings have in common (0 to 1)."""
    first, second = set(a.split()), set(b.split())
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)
