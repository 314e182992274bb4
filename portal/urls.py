from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.urls import include, path

from articles.views import EditorialBoardView

from . import citation_picker, health, views
from .feeds import ApprovedArticlesFeed, NoticesFeed, UpdatesFeed
from .sitemaps import SITEMAPS
from .sitemaps import section as sitemap_section

site_patterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("topics/<slug:slug>/", views.TopicDetailView.as_view(), name="topic"),
    path(
        "editorial-policy/",
        views.EditorialPolicyView.as_view(),
        name="editorial-policy",
    ),
    path("editorial-board/", EditorialBoardView.as_view(), name="editorial-board"),
    path("search/", views.SearchView.as_view(), name="search"),
    # The article form's citation picker, for editors.
    path(
        "editorial/cite/",
        citation_picker.CitationPickerView.as_view(),
        name="cite",
    ),
    path("audience/", views.AudienceView.as_view(), name="audience"),
    path("glossary/", views.GlossaryView.as_view(), name="glossary"),
    path(
        "articles/<slug:slug>/references.ris",
        views.ArticleReferencesRisView.as_view(),
        name="article-references-ris",
    ),
    path("feeds/articles/", ApprovedArticlesFeed(), name="feed-articles"),
    path("feeds/notices/", NoticesFeed(), name="feed-notices"),
    path("feeds/updates/", UpdatesFeed(), name="feed-updates"),
    path("robots.txt", views.RobotsView.as_view(), name="robots"),
    # Browsers and feed readers ask for /favicon.ico whatever the page says.
    path("favicon.ico", views.favicon, name="favicon"),
    # A sitemap index: the library outgrows one sitemap's 50,000 URLs.
    path(
        "sitemap.xml",
        sitemaps.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "portal:sitemap-section"},
        name="sitemap",
    ),
    path("sitemap-<section>.xml", sitemap_section, name="sitemap-section"),
]

urlpatterns = [
    path("", include((site_patterns, "portal"))),
    path("", include("references.urls")),
    path("articles/", include("articles.urls")),
    path("editorial/", include("articles.editorial_urls")),
    path("editorial/literature/", include("references.editorial_urls")),
    # Readers' questions: the form, and the editors' queue.
    path("questions/", include("questions.urls")),
    path("editorial/questions/", include("questions.editorial_urls")),
    path("admin/", admin.site.urls),
    # The read API and FHIR, for systems that read the evidence rather than pages.
    path("api/", include("api.urls")),
]

# ---------------------------------------------------------------------------
# Operations: load-balancer probes; a database outage that escapes
# the views still gets the 503 page.
# ---------------------------------------------------------------------------
urlpatterns += [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]
handler500 = "portal.failures.server_error"
