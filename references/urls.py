from django.urls import path

from . import feeds, views

app_name = "references"

urlpatterns = [
    path("literature/", views.LiteratureListView.as_view(), name="list"),
    path("references/<int:pk>/", views.ReferenceDetailView.as_view(), name="detail"),
    path(
        "literature/export.<slug:extension>",
        views.LiteratureExportView.as_view(),
        name="export",
    ),
    path("feeds/literature/", feeds.LatestLiteratureFeed(), name="feed"),
    path(
        "feeds/topics/<slug:slug>/literature/",
        feeds.TopicLiteratureFeed(),
        name="topic-feed",
    ),
]
