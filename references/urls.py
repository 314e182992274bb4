from django.urls import path

from . import views

app_name = "references"

urlpatterns = [
    path("literature/", views.LiteratureListView.as_view(), name="list"),
    path("references/<int:pk>/", views.ReferenceDetailView.as_view(), name="detail"),
]
