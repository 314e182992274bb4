"""Which topics a reader is shown: those with something to read.

A topic with neither an approved article nor any literature is an empty page
("still being reviewed", "no literature yet"), so the home page, the "also
see" links and the sitemap leave it out; ``with_content()`` is the one rule
they share.
"""

from django.db.models import Count, Exists, OuterRef, Q

from articles.models import Article
from references.models import Entry, Topic


def with_content(topics=None):
    """Topics with an approved article or literature; reviewed overviews first.

    Each topic carries ``has_overview`` and ``entry_count``.
    """
    topics = Topic.objects.all() if topics is None else topics
    approved = Article.objects.approved().filter(topic=OuterRef("pk"))
    return (
        topics.annotate(
            has_overview=Exists(approved.filter(is_overview=True)),
            has_article=Exists(approved),
            has_literature=Exists(Entry.objects.filter(section__topic=OuterRef("pk"))),
            entry_count=Count("sections__entries", distinct=True),
        )
        .filter(Q(has_article=True) | Q(has_literature=True))
        .order_by("-has_overview", "-entry_count", "title")
    )
