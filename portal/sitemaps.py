"""The sitemap: approved content only, as the public sees it."""

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
        return topics.with_content().order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class ArticleSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return Article.objects.for_public().order_by("pk")

    def lastmod(self, item):
        return item.live.approved_at


class ReferenceSitemap(Sitemap):
    changefreq = "yearly"
    priority = 0.3

    def items(self):
        return Reference.objects.visible().order_by("pk")

    def lastmod(self, item):
        return item.updated_at


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "topics": TopicSitemap,
    "articles": ArticleSitemap,
    "references": ReferenceSitemap,
}
