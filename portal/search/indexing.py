"""Keep the search documents in step with approved articles and references.

Only an article's live (approved) snapshot is ever indexed, so a draft's text
cannot be found. The signal receivers in ``portal.signals`` call these on
every save; ``rebuild()`` recreates the whole index from scratch. Each
document's words also go into the vocabulary spelling suggestions come from
(``spelling.remember``).
"""

import html
import re

from django.db import connections, transaction
from django.utils.formats import date_format

from articles.models import Article
from references.models import Reference

from ..models import ARTICLE_KIND, SearchDocument, SearchWord
from . import spelling
from .backends import (
    FTS_TABLE,
    PG_PAIRS_INDEX,
    PG_VECTOR_INDEX,
    PG_WORD_INDEX,
    WORD_FTS_TABLE,
)

# A citation in rendered HTML (in Markdown it is
# articles.rendering.syntax.MARKDOWN_CITATION_RE).
HTML_CITATION_RE = re.compile(r'<sup class="citation">.*?</sup>', re.DOTALL)
HTML_TAG_RE = re.compile(r"<[^>]+>")
INLINE_TAG_RE = re.compile(
    r"</?(?:a|abbr|b|code|dfn|em|i|mark|span|strong|sub|sup)\b[^>]*>", re.IGNORECASE
)
SPACE_BEFORE_PUNCTUATION_RE = re.compile(r"\s+([.,;:!?)\]])")
# Control characters would clash with the engines' match markers.
INDEX_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
BATCH = 1000


def clean_index_text(text: str) -> str:
    """Plain text with control characters removed and whitespace collapsed."""
    return " ".join(INDEX_CONTROL_RE.sub(" ", text or "").split())


def html_to_text(*parts: str) -> str:
    """Plain text of sanitised HTML fragments, for indexing.

    Citation numbers are dropped (they would glue onto the word before them).
    Block tags become a space, so list items do not run together; inline
    tags (bold, links) vanish, so "<strong>Dose:</strong>" stays "Dose:".
    No space is left before punctuation ("rituximab ." where a citation was).
    """
    text = " ".join(HTML_CITATION_RE.sub("", part or "") for part in parts)
    text = INLINE_TAG_RE.sub("", text)
    text = clean_index_text(html.unescape(HTML_TAG_RE.sub(" ", text)))
    return SPACE_BEFORE_PUNCTUATION_RE.sub(r"\1", text)


def article_values(article: Article) -> dict:
    live = article.live
    return {
        "kind": ARTICLE_KIND,
        "title": clean_index_text(live.title),
        "authors": "",
        "source": "",
        "body": html_to_text(
            live.summary, live.body_html, live.plain_summary, live.plain_body_html
        ),
        "url": article.get_absolute_url(),
        "date_display": date_format(live.approved_at, "j F Y"),
        "year": live.approved_at.year,
    }


def reference_values(reference: Reference) -> dict:
    return {
        "kind": reference.kind,
        "title": clean_index_text(reference.title),
        "authors": "\n".join(reference.author_list),
        "source": reference.source_line,
        # The keywords and MeSH headings it is indexed under: a reader's word
        # ("exercise") finds a paper filed under it ("Exercise Therapy").
        # PostgreSQL's parser reads "Myositis/drug therapy" as one file path:
        # the heading and its qualifier are given as words.
        "body": clean_index_text(
            " ".join(
                [reference.summary, *(k.replace("/", " ") for k in reference.keywords)]
            )
        ),
        "url": reference.get_absolute_url(),
        "date_display": reference.date_display,
        "year": reference.year,
    }


def words_of(values: dict) -> set[str]:
    """The vocabulary words of one document's indexed text."""
    return spelling.words_in(
        values["title"], values["authors"], values["source"], values["body"]
    )


def index_article(article: Article) -> None:
    """Index the article's live version, or drop it from search if none."""
    if article.live_id is None:
        SearchDocument.objects.filter(article=article).delete()
    else:
        values = article_values(article)
        SearchDocument.objects.update_or_create(article=article, defaults=values)
        spelling.remember(words_of(values))


def index_reference(reference: Reference) -> None:
    """Index the reference, or drop it while it waits in a curation inbox
    (``SearchDocument.objects.public()`` would hide it anyway; an index of
    what readers may find is smaller, and an import of thousands cheaper)."""
    if reference.is_in_inbox:
        SearchDocument.objects.filter(reference=reference).delete()
        return
    values = reference_values(reference)
    SearchDocument.objects.update_or_create(reference=reference, defaults=values)
    spelling.remember(words_of(values))


@transaction.atomic
def index_references(references) -> None:
    """Index many references at once (after an import or a link check)."""
    references = [r for r in references if r.pk is not None]
    SearchDocument.objects.filter(reference__in=references).delete()
    words = set()
    SearchDocument.objects.bulk_create(
        (
            SearchDocument(reference=r, **_with_words(reference_values(r), words))
            for r in references
            if not r.is_in_inbox
        ),
        batch_size=BATCH,
    )
    spelling.remember(words)


def _with_words(values: dict, words: set) -> dict:
    """``values``, once their vocabulary words are added to ``words``."""
    words |= words_of(values)
    return values


@transaction.atomic
def rebuild(using="default") -> int:
    """Recreate every search document and the vocabulary; return how many
    documents there are."""
    SearchDocument.objects.using(using).all().delete()
    SearchWord.objects.using(using).all().delete()
    words = set()
    articles = Article.objects.using(using).for_public()
    SearchDocument.objects.using(using).bulk_create(
        (
            SearchDocument(article=a, **_with_words(article_values(a), words))
            for a in articles.iterator()
        ),
        batch_size=BATCH,
    )
    references = Reference.objects.using(using).visible().order_by("pk")
    SearchDocument.objects.using(using).bulk_create(
        (
            SearchDocument(reference=r, **_with_words(reference_values(r), words))
            for r in references.iterator(chunk_size=BATCH)
        ),
        batch_size=BATCH,
    )
    spelling.remember(words, using)
    connection = connections[using]
    with connection.cursor() as cursor:
        # Merge the engines' structures for fast reads after a bulk load.
        if connection.vendor == "sqlite":
            for table in (FTS_TABLE, WORD_FTS_TABLE):
                cursor.execute(f"INSERT INTO {table}({table}) VALUES('optimize')")
        else:
            # The bulk insert left its GIN entries in the indexes' pending
            # lists, which every search would scan in full until autovacuum
            # merged them; merge them now. (VACUUM cannot run inside this
            # transaction.)
            for index in (PG_VECTOR_INDEX, PG_PAIRS_INDEX, PG_WORD_INDEX):
                cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
            for model in (SearchDocument, SearchWord):
                cursor.execute(f"ANALYZE {model._meta.db_table}")
    return SearchDocument.objects.using(using).count()
