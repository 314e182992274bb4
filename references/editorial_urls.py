from django.urls import path

from . import editorial_views as views
from . import surveillance_views

app_name = "references_editorial"

urlpatterns = [
    path("", views.ToolsView.as_view(), name="tools"),
    path("import/", views.ImportUploadView.as_view(), name="import"),
    path("import/preview/", views.ImportPreviewView.as_view(), name="import-preview"),
    path("import/done/", views.ImportResultView.as_view(), name="import-result"),
    path("import/jobs/<str:job>/", views.ImportJobView.as_view(), name="import-job"),
    path("add/", views.ReferenceAddView.as_view(), name="add"),
    path("add/many/", views.AddByIdentifierView.as_view(), name="add-many"),
    path("references/<int:pk>/edit/", views.ReferenceEditView.as_view(), name="edit"),
    path("inbox/", views.InboxListView.as_view(), name="inboxes"),
    path("inbox/<slug:slug>/", views.InboxView.as_view(), name="inbox"),
    path("searches/", surveillance_views.TopicsView.as_view(), name="search-topics"),
    path(
        "searches/<slug:slug>/",
        surveillance_views.ReportView.as_view(),
        name="searches",
    ),
    path(
        "searches/<slug:slug>/report.csv",
        surveillance_views.ReportCSVView.as_view(),
        name="searches-csv",
    ),
    path(
        "searches/<slug:slug>/add/",
        surveillance_views.SearchFormView.as_view(),
        name="search-add",
    ),
    path(
        "searches/<slug:slug>/<int:pk>/",
        surveillance_views.SearchFormView.as_view(),
        name="search-edit",
    ),
]
