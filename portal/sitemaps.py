"""The sitemap: approved content only, as the public sees it.

``/sitemap.xml`` is a sitemap index (Django's ``index`` view) naming one
sitemap per section, split into pages (``?p=2``) of ``limit`` URLs: the
protocol allows 50,000 URLs and 50 MB a file, and a page must also be quick
to build, so the library's pages are much smaller. Nothing here reads a whole
table: each page reads its slice, and the index asks the database for the
newest change instead of comparing every item's.
"""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from articles.models import Article
from references.models import Reference

from . import topics


class StaticPagesSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return [
            "portal:home",
            "references:list",
            "portal:glossary",
            "portal:editorial-policy",
            "portal:editorial-board",
        ]

    def location(self, item):
        return reverse(item)


class TopicSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return topics.having_content().order_by("pk")

    def lastmod(self, item):
        return item.updated_at


def newest(queryset, field):
    """The latest ``field`` of ``queryset``: one indexed lookup for the index."""
    return queryset.order_by(f"-{field}").values_list(field, flat=True).first()


class ArticleSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return Article.objects.for_public().order_by("pk")

    def lastmod(self, item):
        return item.live.approved_at

    def get_latest_lastmod(self):
        return newest(Article.objects.approved(), "live__approved_at")


class ReferenceSitemap(Sitemap):
    changefreq = "yearly"
    priority = 0.3
    # URLs a page: a page is built in tens of milliseconds at this size,
    # where the protocol's 50,000 took seconds (issue 29).
    limit = 2000

    def items(self):
        # Only what a <url> needs: the abstract and stored citations of
        # thousands of rows are never read.
        return Reference.objects.visible().order_by("pk").only("pk", "updated_at")

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        return newest(Reference.objects.visible(), "updated_at")


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "topics": TopicSitemap,
    "articles": ArticleSitemap,
    "references": ReferenceSitemap,
}
