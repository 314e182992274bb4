"""The read API, version 1: /api/v1/ (JSON), /api/v1/fhir/ (FHIR R5).

The version is in the path: a later incompatible API gets /api/v2/ beside
this one.
"""

from django.urls import path, re_path

from . import errors, views

app_name = "api"

# FHIR ids: letters, digits, "-" and "." (FHIR's own rule for ids).
FHIR_ID = r"(?P<id>[A-Za-z0-9\-\.]{1,64})"

urlpatterns = [
    path("v1/", views.RootView.as_view(), name="root"),
    path("v1/schema/", views.SchemaView.as_view(), name="schema"),
    path("v1/docs/", views.docs, name="docs"),
    path("v1/topics/", views.TopicListView.as_view(), name="topic-list"),
    path(
        "v1/topics/<slug:slug>/", views.TopicDetailView.as_view(), name="topic-detail"
    ),
    path("v1/articles/", views.ArticleListView.as_view(), name="article-list"),
    path(
        "v1/articles/<slug:slug>/",
        views.ArticleDetailView.as_view(),
        name="article-detail",
    ),
    path("v1/references/", views.ReferenceListView.as_view(), name="reference-list"),
    path(
        "v1/references/<int:pk>/",
        views.ReferenceDetailView.as_view(),
        name="reference-detail",
    ),
    path("v1/notices/", views.NoticeListView.as_view(), name="notice-list"),
    # The FHIR base answers what a FHIR server's /metadata does.
    path("v1/fhir/", views.CapabilityView.as_view(), name="fhir-base"),
    path("v1/fhir/metadata", views.CapabilityView.as_view(), name="fhir-metadata"),
    path(
        "v1/fhir/Citation/<int:pk>", views.CitationView.as_view(), name="fhir-citation"
    ),
    re_path(
        rf"^v1/fhir/Composition/{FHIR_ID}$",
        views.CompositionView.as_view(),
        name="fhir-composition",
    ),
    re_path(
        rf"^v1/fhir/ArtifactAssessment/{FHIR_ID}$",
        views.RatingView.as_view(),
        name="fhir-rating",
    ),
    re_path(
        rf"^v1/fhir/Bundle/{FHIR_ID}$", views.BundleView.as_view(), name="fhir-bundle"
    ),
    # Anything else under /api/: a JSON 404 (or the address with its slash).
    re_path(r"^(?P<path>.*)$", errors.NotFoundView.as_view(), name="not-found"),
]
