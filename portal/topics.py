"""Which topics a reader is shown: those with something to read.

A topic with neither an approved article nor any literature is an empty page
("still being reviewed", "no literature yet"), so the home page, the "also
see" links and the sitemap leave it out; ``having_content()`` is the one rule
they share.
"""

from django.db.models import Count, Exists, OuterRef, Q

from articles.models import Article
from references.models import VISIBLE, Entry, Topic


def having_content(topics=None):
    """Topics with an approved article or visible literature, unordered and
    uncounted: asked by existence only (the sitemap), whatever the library's
    size. ``with_content`` adds the counts and the order."""
    topics = Topic.objects.all() if topics is None else topics
    approved = Article.objects.approved().filter(live__topic=OuterRef("pk"))
    entries = Entry.objects.visible().filter(section__topic=OuterRef("pk"))
    return topics.annotate(
        has_article=Exists(approved), has_literature=Exists(entries)
    ).filter(Q(has_article=True) | Q(has_literature=True))


def with_content(topics=None):
    """Topics with an approved article or visible literature; overviews first.

    Each topic carries ``has_overview`` and ``entry_count`` (its visible
    entries). Articles count where their approved version puts them.
    """
    approved = Article.objects.approved().filter(live__topic=OuterRef("pk"))
    # Counted in one grouped pass over the entries: a correlated count per
    # topic made PostgreSQL hash the whole reference table once a topic.
    visible = Q(
        **{f"sections__entries__reference__{key}": v for key, v in VISIBLE.items()}
    )
    return (
        having_content(topics)
        .annotate(
            has_overview=Exists(approved.filter(live__is_overview=True)),
            entry_count=Count("sections__entries", filter=visible),
        )
        .order_by("-has_overview", "-entry_count", "title")
    )
