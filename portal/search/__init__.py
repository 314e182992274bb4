"""Full-text search over approved articles and references.

``search(text, documents)`` is the whole interface the site uses: it parses
the reader's text once (``query.parse_query``), hands it to the engine of the
database in use (``backends``) and returns a lazy, sliceable result list that
Django's paginator understands. The index itself is kept by ``indexing``;
``spelling`` suggests a correction when a search finds nothing.
"""

from dataclasses import dataclass

from django.utils.functional import SimpleLazyObject
from django.utils.html import escape
from django.utils.safestring import mark_safe

from ..models import ARTICLE_KIND, SearchDocument
from . import synonyms
from .backends import MARK_END, MARK_START, get_backend
from .query import ParsedQuery, expand, parse_query

# Counting stops here: nobody reads past the best thousand results, and an
# exact count of tens of thousands of matches costs more than the page itself.
MAX_RESULTS = 1000
# The kind of documents that come before all others (see Results).
FIRST_KIND = ARTICLE_KIND

__all__ = ["MAX_RESULTS", "Hit", "Results", "highlight", "parse_query", "search"]


def highlight(snippet: str) -> str:
    """Escape an engine's snippet and turn its match markers into <mark>."""
    html = escape(snippet or "")
    return mark_safe(html.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))


@dataclass(frozen=True)
class Hit:
    """One result: the document and its snippet as safe HTML."""

    document: SearchDocument
    snippet: str


class Results:
    """Ranked matches, fetched a page at a time (count() and slicing only).

    Reviewed articles that match come first, best first, then the literature,
    best first: a reader looking for an answer should meet the board's
    answer before the papers it rests on. It is one list, ranked in two tiers.
    """

    def __init__(self, query: ParsedQuery, documents):
        self.query = query
        self.documents = documents
        self.backend = get_backend(documents.db)
        self._count = None

    def count(self):
        """How many matches, up to MAX_RESULTS (see ``more``)."""
        if self._count is None:
            self._count = (
                self.backend.count(self.query, self.documents, MAX_RESULTS + 1)
                if self.query
                else 0
            )
        return min(self._count, MAX_RESULTS)

    @property
    def more(self):
        """Whether more than MAX_RESULTS documents match."""
        return self.count() and self._count > MAX_RESULTS

    def exists(self):
        """Whether anything matches (one query that stops at the first)."""
        return (
            bool(self.query) and self.backend.count(self.query, self.documents, 1) > 0
        )

    def __len__(self):
        return self.count()

    def __getitem__(self, item):
        if not isinstance(item, slice) or item.step not in (None, 1):
            raise TypeError("Search results support plain slices only.")
        start, stop = item.start or 0, item.stop
        if not self.query or (stop is not None and stop <= start):
            return []
        limit = (stop - start) if stop is not None else self.count() - start

        def ranked():
            rows = self.backend.page(
                self.query, self.documents, start, limit, first_kind=FIRST_KIND
            )
            return [Hit(document, highlight(snippet)) for document, snippet in rows]

        # Ranked when first read, not when sliced: the paginator slices in the
        # view, and the search page reads the slice only where its results
        # are rendered, once per query and public change (a public fragment).
        # Ranking is the search's cost: bm25 over every match (100 ms for a
        # query that matches all of 100,000 references).
        return SimpleLazyObject(ranked)


def search(text: str, documents=None) -> Results:
    """Search the reader's ``text`` among ``documents`` (by default, all that
    readers may find: ``SearchDocument.objects.public()``)."""
    if documents is None:
        documents = SearchDocument.objects.public()
    return Results(expand(parse_query(text), synonyms.synonym_sets()), documents)
