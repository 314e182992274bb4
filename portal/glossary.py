"""Link medical terms in plain-language text to their plain definitions.

The first time a glossary term (or one of its other forms) appears in the
running text it becomes a link to its definition, which the page lists under
"Words used on this page". The HTML comes from the sanitiser, so splitting it
at tags is reliable; text inside links, headings, citations and code is left
alone.
"""

import hashlib
import re
from dataclasses import dataclass

from . import caching
from .models import GlossaryTerm

CACHE_KEY = "portal:glossary"
# Changes whenever a term is saved or deleted (forget()); linked texts are
# cached under it, so a glossary change relinks every text on its next view.
VERSION_KEY = "portal:glossary:version"
# A linked text stays cached this long without a view (the glossary's version
# in its key makes it unreachable at once after a glossary change).
LINKED_TIMEOUT = 7 * 24 * 60 * 60
# An HTML tag, captured so that split() keeps the tags between the texts.
HTML_TAG_SPLIT_RE = re.compile(r"(<[^>]+>)")
SKIP_TAGS = frozenset(
    {"a", "abbr", "code", "dfn", "h2", "h3", "h4", "h5", "h6", "pre", "sup"}
)


@dataclass(frozen=True)
class Term:
    slug: str
    term: str
    definition: str
    forms: tuple[str, ...]

    @property
    def anchor(self):
        return f"term-{self.slug}"


def all_terms() -> list[Term]:
    """Every glossary term, cached until a term is saved or deleted.

    With the cache down they are read from the database on each call.
    """
    terms = caching.shared_cache.get(CACHE_KEY)
    if terms is None:
        terms = [
            Term(t.slug, t.term, t.definition, tuple(t.forms))
            for t in GlossaryTerm.objects.all()
        ]
        caching.shared_cache.set(CACHE_KEY, terms, None)
    return terms


def forget() -> None:
    """Drop the cached terms and start a new glossary version: a term changed.

    Now and again when the transaction commits: a reader between the two
    still sees the old terms.
    """

    def bump():
        caching.shared_cache.delete(CACHE_KEY)
        caching.shared_cache.set(VERSION_KEY, caching.new_generation(), timeout=None)

    caching.now_and_on_commit(bump)


def _version() -> str | None:
    return caching.shared_generation(VERSION_KEY)


def linked(html: str) -> tuple[str, list[Term]]:
    """``define_terms(html, all_terms())``, done once per text and glossary version.

    Approved texts never change, so the result is cached under the text's own
    hash and the glossary's version: readers of the plain-language page get
    the stored result instead of a glossary scan per request.
    """
    digest = hashlib.sha256(html.encode()).hexdigest()
    key = f"portal:glossary:linked:{_version()}:{digest}"
    result = caching.shared_cache.get(key)
    if result is None:
        result = define_terms(html, all_terms())
        caching.shared_cache.set(key, result, timeout=LINKED_TIMEOUT)
    return result


def _pattern(form):
    # Apostrophes may be straight or curly, spaces may be any whitespace.
    parts = [re.escape(word) for word in form.split()]
    return r"\s+".join(parts).replace("'", "['’]")


def define_terms(html: str, terms: list[Term]) -> tuple[str, list[Term]]:
    """Link each term's first use in ``html``; return the HTML and terms used.

    Terms are listed in the order they first appear.
    """
    forms = sorted(
        ((form, term) for term in terms for form in term.forms),
        key=lambda item: len(item[0]),
        reverse=True,
    )
    if not forms or not html:
        return html, []
    by_form = {form.lower().replace("’", "'"): term for form, term in forms}
    regex = re.compile(
        r"(?<![\w-])(" + "|".join(_pattern(f) for f, _ in forms) + r")(?![\w-])",
        re.IGNORECASE,
    )
    used, out, skipping = [], [], []

    def link(match):
        text = match.group(0)
        key = " ".join(text.split()).lower().replace("’", "'")
        term = by_form.get(key)
        if term is None or term in used:
            return text
        used.append(term)
        return f'<a class="term" href="#{term.anchor}">{text}</a>'

    for piece in HTML_TAG_SPLIT_RE.split(html):
        if piece.startswith("<"):
            name = re.match(r"</?\s*([a-zA-Z0-9]+)", piece)
            if name and name.group(1).lower() in SKIP_TAGS:
                if piece.startswith("</"):
                    if skipping:
                        skipping.pop()
                elif not piece.endswith("/>"):
                    skipping.append(name.group(1))
            out.append(piece)
        elif skipping or not piece.strip():
            out.append(piece)
        else:
            out.append(regex.sub(link, piece))
    return "".join(out), used
