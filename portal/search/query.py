"""Turn what a reader typed into a safe, engine-neutral query.

``parse_query()`` is the only place reader input becomes search syntax. It
keeps words (letters and digits) and double-quoted phrases and throws
everything else away, so no operator, quote or fragment of SQL or HTML ever
reaches FTS5 or ``to_tsquery``. Each backend then writes the parsed query in
its own syntax from these clean tokens.
"""

import re
from dataclasses import dataclass

# Long input is cut before parsing: nobody types 500 characters into a search
# box, and the cap bounds the work a hostile query can cause.
MAX_QUERY_CHARS = 500
MAX_WORDS = 12
MAX_WORD_CHARS = 40
# Words at least this long also match longer words from the same stem
# ("treating" finds "treatment"), which neither engine's stemmer does alone.
PREFIX_MIN_CHARS = 4

WORD_RE = re.compile(r"[^\W_]+")
PHRASE_RE = re.compile(r'"([^"]*)"')

# PostgreSQL's English configuration drops these words; dropping them here
# too makes both databases answer the same query the same way.
STOP_WORDS = frozenset(
    """a about above after again against all am an and any are as at be because
    been before being below between both but by can could did do does doing down
    during each few for from further had has have having he her here hers herself
    him himself his how i if in into is it its itself just me more most my myself
    no nor not now of off on once only or other our ours ourselves out over own
    same she should so some such than that the their theirs them themselves then
    there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours
    yourself yourselves""".split()
)


@dataclass(frozen=True)
class ParsedQuery:
    """Words that must all appear, and phrases that must appear as written.

    ``either`` holds synonym groups (see ``expand``): each group must match
    one of its forms, a form being a word (a 1-tuple) or a phrase.
    """

    words: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    either: tuple[tuple[tuple[str, ...], ...], ...] = ()

    def __bool__(self):
        return bool(self.words or self.phrases or self.either)

    @property
    def all_words(self):
        """Every word the query may match, for highlighting windows."""
        found = {*self.words, *(w for p in self.phrases for w in p)}
        found.update(w for group in self.either for form in group for w in form)
        return found

    @staticmethod
    def is_prefix(word):
        return len(word) >= PREFIX_MIN_CHARS and word.isalpha()


def _words(text):
    return [w[:MAX_WORD_CHARS] for w in WORD_RE.findall(text.lower())]


def parse_query(text: str) -> ParsedQuery:
    """Parse a reader's query into words and phrases; never raises.

    Text in double quotes is a phrase (an unbalanced quote just ends the
    text); everything else is split into words. Common English words are
    dropped outside phrases, and so is a phrase of nothing else (PostgreSQL
    would ignore it, and SQLite check its positions in nearly every
    document); duplicates are removed, and at most ``MAX_WORDS`` words kept
    in all.
    """
    text = (text or "")[:MAX_QUERY_CHARS]
    budget = MAX_WORDS
    phrases, words = [], []
    # An odd number of quotes: the last one opens nothing.
    if text.count('"') % 2:
        head, _, tail = text.rpartition('"')
        text = f"{head} {tail}"
    for match in PHRASE_RE.finditer(text):
        phrase = tuple(_words(match.group(1))[:budget])
        if len(phrase) == 1 and phrase[0] not in STOP_WORDS:
            words.append(phrase[0])
        elif (
            len(phrase) > 1
            and phrase not in phrases
            and not STOP_WORDS.issuperset(phrase)
        ):
            phrases.append(phrase)
        budget -= len(phrase)
    for word in _words(PHRASE_RE.sub(" ", text)):
        if budget <= 0:
            break
        if word not in STOP_WORDS and word not in words:
            words.append(word)
            budget -= 1
    return ParsedQuery(words=tuple(words), phrases=tuple(phrases))


def normalise_forms(forms) -> tuple[tuple[str, ...], ...]:
    """A synonym set's forms as tuples of search words, each form once."""
    out = []
    for form in forms:
        words = tuple(_words(form))[:MAX_WORDS]
        if words and words not in out:
            out.append(words)
    return tuple(out)


def expand(query: ParsedQuery, synonym_sets) -> ParsedQuery:
    """Let each word or phrase of ``query`` that an editor listed as a synonym
    match any form of its set ("ivig" also finds "intravenous immunoglobulin").

    ``synonym_sets`` are tuples of forms from ``normalise_forms``. A form of
    several words matches when the reader typed those words in that order (as
    separate words or as a phrase). Each matched part of the query becomes one
    group in ``either``; the rest of the query is unchanged.
    """
    words, phrases, either = list(query.words), list(query.phrases), []
    for forms in synonym_sets:
        if len(forms) < 2:
            continue
        for form in sorted(forms, key=len, reverse=True):
            if form in phrases:
                phrases.remove(form)
            elif len(form) == 1 and form[0] in words:
                words.remove(form[0])
            elif len(form) > 1 and _contains_run(words, form):
                start = _find_run(words, form)
                del words[start : start + len(form)]
            else:
                continue
            either.append(forms)
            break
    if not either:
        return query
    return ParsedQuery(words=tuple(words), phrases=tuple(phrases), either=tuple(either))


def _find_run(words, form):
    for start in range(len(words) - len(form) + 1):
        if tuple(words[start : start + len(form)]) == form:
            return start
    return -1


def _contains_run(words, form):
    return _find_run(words, form) >= 0
