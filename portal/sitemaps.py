"""The sitemap: approved content only, as the public sees it.

``/sitemap.xml`` is a sitemap index (Django's ``index`` view) naming one
sitemap per section, split into pages (``?p=2``) of ``limit`` URLs: the
protocol allows 50,000 URLs and 50 MB a file, and a page must also be quick
to build, so the library's pages are much smaller. Nothing here reads a whole
table: each page reads its slice, and the index asks the database for the
newest change instead of comparing every item's.
"""

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.urls import reverse
from django.utils.html import escape
from django.utils.timezone import template_localtime

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


# A number no reference has yet, to find where the pk goes in its address.
ADDRESS_PLACEHOLDER = 987654321987


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
    # where the protocol's 50,000 took seconds.
    limit = 1000

    def items(self):
        # Only what a <url> needs: the abstract and stored citations of
        # thousands of rows are never read.
        return Reference.objects.visible().order_by("pk").only("pk", "updated_at")

    def lastmod(self, item):
        return item.updated_at

    def location(self, item):
        # The address reversed once a page, not once a URL (reverse() was
        # most of a page's time): a placeholder number is replaced.
        if not hasattr(self, "_address"):
            self._address = reverse(
                "references:detail", kwargs={"pk": ADDRESS_PLACEHOLDER}
            ).replace(str(ADDRESS_PLACEHOLDER), "{}")
        return self._address.format(item.pk)

    def get_latest_lastmod(self):
        return newest(Reference.objects.visible(), "updated_at")


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "topics": TopicSitemap,
    "articles": ArticleSitemap,
    "references": ReferenceSitemap,
}


def _urlset(urls) -> str:
    """Django's sitemap.xml written directly: its template cost about 0.4 ms
    a URL, most of a page's time."""
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    ]
    for url in urls:
        parts.append(f"<url><loc>{escape(url['location'])}</loc>")
        if url["lastmod"]:
            day = template_localtime(url["lastmod"]).strftime("%Y-%m-%d")
            parts.append(f"<lastmod>{day}</lastmod>")
        if url["changefreq"]:
            parts.append(f"<changefreq>{escape(url['changefreq'])}</changefreq>")
        if url["priority"]:
            parts.append(f"<priority>{escape(url['priority'])}</priority>")
        parts.append("</url>")
    parts.append("</urlset>\n")
    return "".join(parts)


def section(request, section):
    """One page of one section's sitemap: Django's view (pages, 404s,
    Last-Modified, X-Robots-Tag) with the XML written by ``_urlset``."""
    response = sitemap_views.sitemap(request, SITEMAPS, section)
    response.content = _urlset(response.context_data["urlset"])
    return response
