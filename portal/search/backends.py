"""The full-text engines, one per database vendor, behind one interface.

A backend answers two questions about a parsed query within a queryset of
search documents (already narrowed by the page's filters): how many match
(counting stops at a limit), and which ones with a highlighted snippet for a
slice, in one order: the first tier (a Q the caller gives) before the rest,
each best first, ties by primary key.
``get_backend()`` picks the engine for the database in use.
"""

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.models import BooleanField, Case, F, TextField, Value, When
from django.db.models.expressions import RawSQL

from .query import STOP_WORDS, ParsedQuery

# The engines wrap matches in these control characters; they never occur in
# indexed text (see indexing.html_to_text), and highlight() turns them into
# <mark> after escaping everything else.
MARK_START = "\x02"
MARK_END = "\x03"
ELLIPSIS = " … "

FTS_TABLE = "portal_search_fts"
# bm25 weights of the FTS5 columns (title, authors, source, body), matching
# the A/B/C/D weights the PostgreSQL trigger gives the same fields.
FTS_WEIGHTS = (10.0, 4.0, 2.0, 1.0)
PG_CONFIG = "english"
# The GIN indexes over search_vector (migration 0002) and search_pairs (0006).
PG_VECTOR_INDEX = "portal_searchdocument_vector_gin"
PG_PAIRS_INDEX = "portal_searchdocument_pairs_gin"
# ts_headline reads this many characters of a document's text, starting this
# many before the first match (see PostgresBackend.snippet_text).
SNIPPET_WINDOW = 1000
SNIPPET_LEAD = 80


class PostgresBackend:
    """PostgreSQL: a stored tsvector with a GIN index, ts_rank and ts_headline."""

    @staticmethod
    def _term(query: ParsedQuery, form) -> str:
        if len(form) == 1:
            return f"{form[0]}:*" if query.is_prefix(form[0]) else form[0]
        return "(" + " <-> ".join(form) + ")"

    @classmethod
    def tsquery(cls, query: ParsedQuery) -> SearchQuery:
        words = [cls._term(query, (w,)) for w in query.words]
        phrases = [cls._term(query, p) for p in query.phrases]
        groups = [
            "(" + " | ".join(cls._term(query, form) for form in group) + ")"
            for group in query.either
        ]
        return SearchQuery(
            " & ".join(words + phrases + groups), search_type="raw", config=PG_CONFIG
        )

    @staticmethod
    def phrase_pairs(query: ParsedQuery):
        """Conditions that every match of the query's phrases meets, so a
        phrase of common words reads its few candidates from the pairs index
        instead of checking the positions in every document with both words.

        A phrase's keys come from its own tsvector, as the documents' come
        from theirs (search_pairs, migration 0006); a phrase without two
        adjacent words that are not stop words has none to give.
        """
        return [
            RawSQL(
                "search_pairs @> "
                "portal_search_pair_keys(to_tsvector(%s::regconfig, %s))",
                (PG_CONFIG, " ".join(phrase)),
                output_field=BooleanField(),
            )
            for phrase in query.phrases
            if any(
                a not in STOP_WORDS and b not in STOP_WORDS
                for a, b in zip(phrase, phrase[1:], strict=False)
            )
        ]

    def matching(self, query, documents):
        """The ``documents`` that match ``query``."""
        return documents.filter(
            *self.phrase_pairs(query), search_vector=self.tsquery(query)
        )

    def count(self, query, documents, limit):
        return self.matching(query, documents)[:limit].count()

    @staticmethod
    def snippet_text(query: ParsedQuery) -> RawSQL:
        """The part of ``body`` to headline: a window around the first match.

        ts_headline parses and stems every word of the text it is given,
        about a millisecond per long article, so headlining whole articles
        cost more than finding and ranking them. The window starts a little
        before the first word beginning with a query word or its stem (the
        stem finds the word's other forms), or at the start if none does.
        Words are letters and digits only (parse_query), so they are safe
        in a regular expression; a single match, then strpos() of the text
        it matched, keeps each long body from being lowercased or scanned
        once per word.
        """
        tokens = sorted(query.all_words - STOP_WORDS) or sorted(query.all_words)
        alternatives = ", ".join(
            "%s, (ts_lexize('english_stem', %s))[1]" for _ in tokens
        )
        pattern = (
            f"'(?i)(?:^|\\W)(?:' || array_to_string(ARRAY[{alternatives}], '|') || ')'"
        )
        first = f"nullif(strpos(body, substring(body from {pattern})), 0)"
        start = f"greatest(coalesce({first}, 1) - {SNIPPET_LEAD}, 1)"
        # A window that starts inside a word would show its tail ("ximab"):
        # drop the partial word, so the snippet starts at a word boundary.
        # The start is found once, in a subquery of its own (OFFSET 0 keeps
        # PostgreSQL from copying the expression into both of its uses).
        return RawSQL(
            f"(SELECT regexp_replace(substr(body, start, {SNIPPET_WINDOW}), "
            "CASE WHEN start > 1 THEN '^\\S*\\s+' ELSE '^$' END, '') "
            f"FROM (SELECT {start} AS start OFFSET 0) AS snippet_window)",
            [value for token in tokens for value in (token, token)],
            output_field=TextField(),
        )

    def page(self, query, documents, offset, limit, first):
        tsquery = self.tsquery(query)
        rank = SearchRank(F("search_vector"), tsquery)
        # Two steps, so the costly parts run for the rows shown only: rank
        # the matches reading just their id and vector, keep a page of ids,
        # then load those rows and headline them. (In one query, a parallel
        # plan headlines each worker's best rows before merging them.)
        # The ids: each tier ranked on its own, one after the other in one
        # query. PostgreSQL runs the second part only if the first tier runs
        # out before the slice ends, so a page of reviewed articles never
        # ranks the literature (tens of thousands of matches for a common
        # word), and nothing counts the first tier.
        matching = (
            self.matching(query, documents)
            .annotate(rank=rank)
            .order_by("-rank", "pk")
            .values("pk")
        )
        end = offset + limit
        ranked = matching.filter(first)[:end].union(
            matching.exclude(first)[:end], all=True
        )[offset:end]
        rows = (
            documents.model.objects.using(documents.db)
            .filter(pk__in=ranked)
            .defer("body", "search_vector")
            .annotate(
                tier=Case(When(first, then=Value(0)), default=Value(1)),
                rank=rank,
                snippet=SearchHeadline(
                    self.snippet_text(query),
                    tsquery,
                    config=PG_CONFIG,
                    start_sel=MARK_START,
                    stop_sel=MARK_END,
                    max_words=30,
                    min_words=15,
                    max_fragments=2,
                    fragment_delimiter=ELLIPSIS,
                ),
            )
            .order_by("tier", "-rank", "pk")
        )
        return [(row, row.snippet) for row in rows]


class SqliteBackend:
    """SQLite: an FTS5 table (porter stemmer) ranked by bm25, with snippet()."""

    @staticmethod
    def match(query: ParsedQuery) -> str:
        # Every token is letters and digits only (parse_query), so quoting
        # it makes it a plain string to FTS5, never an operator.
        def term(form):
            if len(form) == 1:
                return f'"{form[0]}"*' if query.is_prefix(form[0]) else f'"{form[0]}"'
            return '"' + " ".join(form) + '"'

        words = [term((w,)) for w in query.words]
        phrases = [term(p) for p in query.phrases]
        groups = [
            "(" + " OR ".join(term(form) for form in group) + ")"
            for group in query.either
        ]
        return " AND ".join(words + phrases + groups)

    def _where(self, query, documents, only=None):
        """The WHERE clause for the matches among ``documents``, with params.

        Filters become a correlated EXISTS on the document's primary key, so
        FTS5 still drives the query and hands rows over in rank order; an IN
        list would either be pushed into FTS5 (one MATCH per listed row) or
        list every filtered document first. ``only`` (a query of document
        ids, already filtered: the first tier) is read once instead.
        """
        sql, params = f"{FTS_TABLE} MATCH %s", [self.match(query)]
        if only is not None:
            # "+" keeps SQLite from handing the list to FTS5 row by row: the
            # subquery is read once, and each match is looked up in it.
            subquery, subparams = only.query.sql_with_params()
            sql += f" AND +rowid IN ({subquery})"
            params.extend(subparams)
        elif documents.query.has_filters():
            same_row = RawSQL(f"{FTS_TABLE}.rowid", ())
            subquery, subparams = (
                documents.filter(pk=same_row).values("pk").query.sql_with_params()
            )
            sql += f" AND EXISTS ({subquery})"
            params.extend(subparams)
        return sql, params

    def count(self, query, documents, limit):
        return self._count(query, documents, limit)

    def _count(self, query, documents, limit, only=None):
        """How many of the matches among ``documents`` (``only`` as in
        ``_where``), up to ``limit``."""
        where, params = self._where(query, documents, only)
        with connections[documents.db].cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM {FTS_TABLE} WHERE {where} "
                "LIMIT %s)",
                [*params, limit],
            )
            return cursor.fetchone()[0]

    def page(self, query, documents, offset, limit, first):
        # FTS5 hands its matches over in rank order and cannot put a tier
        # before it, so each tier is a ranked query of its own. The first
        # tier's matches, counted only as far as the slice reaches, tell
        # where the slice crosses into the rest.
        tier = documents.filter(first).values("pk")
        in_tier = self._count(query, documents, offset + limit, only=tier)
        rows = []
        if offset < in_tier:
            rows = self._ranked(query, documents, offset, limit, only=tier)
        if len(rows) < limit:
            rows += self._ranked(
                query,
                documents.exclude(first),
                max(offset - in_tier, 0),
                limit - len(rows),
            )
        return rows

    def _ranked(self, query, documents, offset, limit, only=None):
        """A slice of the matches among ``documents``, best first, with their
        snippets (``only`` as in ``_where``)."""
        where, params = self._where(query, documents, only)
        weights = ", ".join(str(w) for w in FTS_WEIGHTS)
        # Ordering by FTS5's rank column (set to our weighted bm25 for this
        # query) lets FTS5 sort internally, so snippet() runs for the rows
        # returned only; ORDER BY bm25(...) would make a snippet per match.
        sql = (
            f"SELECT rowid, snippet({FTS_TABLE}, 3, %s, %s, %s, 24) "
            f"FROM {FTS_TABLE} WHERE {where} AND rank MATCH %s "
            "ORDER BY rank LIMIT %s OFFSET %s"
        )
        with connections[documents.db].cursor() as cursor:
            cursor.execute(
                sql,
                [
                    MARK_START,
                    MARK_END,
                    ELLIPSIS.strip(),
                    *params,
                    f"bm25({weights})",
                    limit,
                    offset,
                ],
            )
            rows = cursor.fetchall()
        found = documents.model.objects.defer("body", "search_vector").in_bulk(
            [pk for pk, _ in rows]
        )
        return [(found[pk], snippet) for pk, snippet in rows if pk in found]


BACKENDS = {"postgresql": PostgresBackend, "sqlite": SqliteBackend}


def get_backend(using="default"):
    """The engine for the database behind ``using``."""
    vendor = connections[using].vendor
    try:
        return BACKENDS[vendor]()
    except KeyError:
        raise ImproperlyConfigured(
            f"Search supports PostgreSQL and SQLite, not {vendor}."
        ) from None
