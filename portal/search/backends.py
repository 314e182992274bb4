"""The full-text engines, one per database vendor, behind one interface.

A backend answers two questions about a parsed query within a queryset of
search documents (already narrowed by the page's filters): how many match
(counting stops at a limit), and which ones with a highlighted snippet for a
slice, in one order: the first tier (the documents of a kind the caller
names) before the rest, each best first, ties by primary key. For spelling
suggestions it also says which of a reader's words find anything on their
own, and which words of the index's vocabulary look most like a word.
``get_backend()`` picks the engine for the database in use.
"""

import re

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.models import BooleanField, Case, F, Q, TextField, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.lookups import Exact, In
from django.db.models.sql.where import AND

from .query import STOP_WORDS, ParsedQuery

# The engines wrap matches in these control characters; they never occur in
# indexed text (see indexing.html_to_text), and highlight() turns them into
# <mark> after escaping everything else.
MARK_START = "\x02"
MARK_END = "\x03"
ELLIPSIS = " … "

FTS_TABLE = "portal_search_fts"
DOCUMENT_TABLE = "portal_searchdocument"
# The vocabulary for spelling suggestions (portal.SearchWord) and, on SQLite,
# its trigram index (migration 0009).
WORD_TABLE = "portal_searchword"
WORD_FTS_TABLE = "portal_searchword_fts"
# bm25 weights of the FTS5 columns (title, authors, source, body), matching
# the A/B/C/D weights the PostgreSQL trigger gives the same fields, and of
# the kind (migration 0008), which narrows and never ranks.
FTS_WEIGHTS = (10.0, 4.0, 2.0, 1.0, 0.0)
# The columns a reader's words are looked for in.
TEXT_COLUMNS = "title authors source body"
# A kind as the model writes it, safe to quote in an FTS5 query.
KIND_RE = re.compile(r"[a-z_]+")
PG_CONFIG = "english"
# The GIN indexes over search_vector (migration 0002) and search_pairs (0006).
PG_VECTOR_INDEX = "portal_searchdocument_vector_gin"
PG_PAIRS_INDEX = "portal_searchdocument_pairs_gin"
# The vocabulary's trigram index (migration 0009).
PG_WORD_INDEX = "portal_searchword_trgm"
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

    def page(self, query, documents, offset, limit, first_kind):
        first = Q(kind=first_kind)
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

    @classmethod
    def matched_words(cls, words, using):
        """The ``words`` that find some document on their own, stemmed and as
        prefixes as a search uses them; one query."""
        words = list(words)
        if not words:
            return set()
        exists = ", ".join(
            f"EXISTS (SELECT 1 FROM {DOCUMENT_TABLE} WHERE search_vector @@ "
            "to_tsquery(%s::regconfig, %s))"
            for _ in words
        )
        params = [
            value
            for word in words
            for value in (PG_CONFIG, cls._term(ParsedQuery(), (word,)))
        ]
        with connections[using].cursor() as cursor:
            cursor.execute(f"SELECT {exists}", params)
            found = cursor.fetchone()
        return {word for word, hit in zip(words, found, strict=True) if hit}

    @staticmethod
    def similar_words(words, using, limit):
        """For each of ``words``, up to ``limit`` words of the vocabulary that
        share the most trigrams with it (pg_trgm's similarity, its GIN index
        and its default threshold of 0.3); one query."""
        words = list(words)
        if not words:
            return {}
        with connections[using].cursor() as cursor:
            cursor.execute(
                "SELECT typed.word, alike.word "
                "FROM unnest(%s::text[]) AS typed(word) CROSS JOIN LATERAL ("
                f"SELECT word FROM {WORD_TABLE} WHERE word %% typed.word "
                "ORDER BY similarity(word, typed.word) DESC, word LIMIT %s"
                ") AS alike",
                [words, limit],
            )
            rows = cursor.fetchall()
        found = {word: [] for word in words}
        for typed, similar in rows:
            found[typed].append(similar)
        return found


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

    @classmethod
    def expression(cls, query: ParsedQuery, kinds=None, exclude=None) -> str:
        """The FTS5 query: the reader's words in the text columns, within the
        documents of ``kinds`` (any if None) and not of kind ``exclude``.

        The kind column (migration 0008) lets FTS5 intersect the matches with
        a kind's documents itself, so phrases are checked and bm25 computed
        for those documents only. Kinds are the model's choices (letters and
        underscores), quoted like the reader's words.
        """
        text = f"{{{TEXT_COLUMNS}}} : ({cls.match(query)})"
        if kinds is not None:
            text += " AND kind : (" + " OR ".join(f'"{k}"' for k in sorted(kinds)) + ")"
        if exclude is not None:
            text = f'({text}) NOT kind : "{exclude}"'
        return text

    def _where(self, query, documents, kinds, exclude=None):
        """The WHERE clause for the matches among ``documents``, with params.

        Filters become a correlated EXISTS on the document's primary key, so
        FTS5 still drives the query and hands rows over as it finds them; an
        IN list would either be pushed into FTS5 (one MATCH per listed row)
        or list every filtered document first. ``kinds`` (None for any) and
        ``exclude``, as in ``expression``, are handed to FTS5, which then
        offers only documents of those kinds to the EXISTS: the callers pass
        the kinds the filters require (``required_kinds``).
        """
        if kinds is not None and not kinds:
            # Filters no document can meet (two different kinds at once).
            return "0", []
        sql = f"{FTS_TABLE} MATCH %s"
        params = [self.expression(query, kinds, exclude)]
        if documents.query.has_filters():
            same_row = RawSQL(f"{FTS_TABLE}.rowid", ())
            subquery, subparams = (
                documents.filter(pk=same_row).values("pk").query.sql_with_params()
            )
            sql += f" AND EXISTS ({subquery})"
            params.extend(subparams)
        return sql, params

    def count(self, query, documents, limit):
        return self._count(query, documents, limit, required_kinds(documents))

    def _count(self, query, documents, limit, kinds):
        """How many of the matches among ``documents`` (of ``kinds``, any if
        None), up to ``limit``."""
        where, params = self._where(query, documents, kinds)
        with connections[documents.db].cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM {FTS_TABLE} WHERE {where} "
                "LIMIT %s)",
                [*params, limit],
            )
            return cursor.fetchone()[0]

    def page(self, query, documents, offset, limit, first_kind):
        # FTS5 ranks within one query only, so each tier is a ranked query of
        # its own. The first tier's matches, counted only as far as the slice
        # reaches, tell where the slice crosses into the rest; filters that
        # leave no document of the first tier's kind skip it altogether.
        narrowed = required_kinds(documents)
        in_tier = 0
        if narrowed is None or first_kind in narrowed:
            in_tier = self._count(query, documents, offset + limit, {first_kind})
        rows = []
        if offset < in_tier:
            rows = self._ranked(query, documents, offset, limit, {first_kind})
        if len(rows) < limit:
            rows += self._ranked(
                query,
                documents,
                max(offset - in_tier, 0),
                limit - len(rows),
                narrowed,
                exclude=first_kind,
            )
        return rows

    def _ranked(self, query, documents, offset, limit, kinds, exclude=None):
        """A slice of the matches among ``documents``, best first, ties by
        primary key, with their snippets (``kinds`` and ``exclude`` as in
        ``expression``)."""
        where, params = self._where(query, documents, kinds, exclude)
        weights = ", ".join(str(w) for w in FTS_WEIGHTS)
        # bm25() in ORDER BY is computed only for the rows that pass the
        # filters, where FTS5's own rank column would score every match
        # before any filter; the snippets, which read and tokenize each
        # document's text, are made afterwards for the slice's rows only.
        sql = (
            f"WITH slice AS (SELECT rowid AS id, bm25({FTS_TABLE}, {weights}) "
            f"AS score FROM {FTS_TABLE} WHERE {where} "
            "ORDER BY score, rowid LIMIT %s OFFSET %s) "
            f"SELECT slice.id, snippet({FTS_TABLE}, 3, %s, %s, %s, 24) "
            f"FROM slice JOIN {FTS_TABLE} ON {FTS_TABLE}.rowid = slice.id "
            f"WHERE {FTS_TABLE} MATCH %s ORDER BY slice.score, slice.id"
        )
        with connections[documents.db].cursor() as cursor:
            cursor.execute(
                sql,
                [
                    *params,
                    limit,
                    offset,
                    MARK_START,
                    MARK_END,
                    ELLIPSIS.strip(),
                    self.expression(query),
                ],
            )
            rows = cursor.fetchall()
        found = documents.model.objects.defer("body", "search_vector").in_bulk(
            [pk for pk, _ in rows]
        )
        return [(found[pk], snippet) for pk, snippet in rows if pk in found]

    @classmethod
    def matched_words(cls, words, using):
        """The ``words`` that find some document on their own, stemmed and as
        prefixes as a search uses them; one query."""
        words = list(words)
        if not words:
            return set()
        exists = ", ".join(
            f"EXISTS (SELECT 1 FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)"
            for _ in words
        )
        params = [cls.expression(ParsedQuery(words=(word,))) for word in words]
        with connections[using].cursor() as cursor:
            cursor.execute(f"SELECT {exists}", params)
            found = cursor.fetchone()
        return {word for word, hit in zip(words, found, strict=True) if hit}

    @staticmethod
    def similar_words(words, using, limit):
        """For each of ``words``, up to ``limit`` words of the vocabulary that
        share the most trigrams with it, best first by bm25 (an FTS5 table
        with the trigram tokenizer, migration 0009); one query.

        Words are letters and digits only (parse_query), so each trigram,
        quoted, is a plain string to FTS5.
        """
        words = [word for word in words if len(word) >= 3]
        if not words:
            return {}
        parts, params = [], []
        for word in words:
            trigrams = dict.fromkeys(word[i : i + 3] for i in range(len(word) - 2))
            parts.append(
                f"SELECT %s, word FROM {WORD_TABLE} WHERE id IN (SELECT rowid "
                f"FROM {WORD_FTS_TABLE} WHERE {WORD_FTS_TABLE} MATCH %s "
                "ORDER BY rank LIMIT %s)"
            )
            params += [word, " OR ".join(f'"{t}"' for t in trigrams), limit]
        with connections[using].cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            rows = cursor.fetchall()
        found = {word: [] for word in words}
        for typed, similar in rows:
            found[typed].append(similar)
        return found


def required_kinds(documents):
    """The kinds ``documents`` is narrowed to (as by ``of_kind``), or None.

    Read from the queryset's top-level conditions: a ``kind`` equal to a value
    or in a list of values. It only lets the engine narrow early; the
    queryset's filters still apply in full, so a condition not recognised
    here costs speed, never a wrong result.
    """
    where = documents.query.where
    if where.connector != AND or where.negated:
        return None
    kinds = None
    for condition in where.children:
        if not isinstance(condition, Exact | In):
            continue
        field = getattr(condition.lhs, "target", None)
        if field is None or field.model is not documents.model or field.name != "kind":
            continue
        values = [condition.rhs] if isinstance(condition, Exact) else condition.rhs
        if not all(isinstance(v, str) and KIND_RE.fullmatch(v) for v in values):
            continue
        kinds = set(values) if kinds is None else kinds & set(values)
    return kinds


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
