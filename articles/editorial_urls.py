"""The editorial screens, under /editorial/ (namespace "editorial")."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import path
from django.utils.module_loading import import_string

from . import editorial_views as views

app_name = "editorial"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            # The site's login form (throttled, saying so); articles does not
            # know where it lives.
            authentication_form=import_string(settings.PORTAL_LOGIN_FORM),
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("articles/new/", views.ArticleCreateView.as_view(), name="create"),
    path("articles/<int:pk>/", views.ReviewView.as_view(), name="review"),
    path("articles/<int:pk>/edit/", views.ArticleUpdateView.as_view(), name="edit"),
    path("articles/<int:pk>/act/", views.TransitionView.as_view(), name="transition"),
    path(
        "articles/<int:pk>/assign/",
        views.AssignReviewersView.as_view(),
        name="assign",
    ),
    path(
        "articles/<int:pk>/conflict/",
        views.DeclareConflictView.as_view(),
        name="declare-conflict",
    ),
    path("articles/<int:pk>/history/", views.HistoryView.as_view(), name="history"),
    path("articles/<int:pk>/compare/", views.CompareView.as_view(), name="compare"),
    path("articles/<int:pk>/revert/", views.RevertView.as_view(), name="revert"),
]
