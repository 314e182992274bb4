"""The editors' queue of readers' questions (namespace "questions_editorial")."""

from django.urls import path

from . import editorial_views as views

app_name = "questions_editorial"

urlpatterns = [
    path("", views.QueueView.as_view(), name="queue"),
    path("<int:pk>/", views.GroupView.as_view(), name="group"),
    path("<int:pk>/group/", views.MergeView.as_view(), name="merge"),
    path("<int:pk>/answer/", views.AnswerView.as_view(), name="answer"),
    path("<int:pk>/plan/", views.PlanView.as_view(), name="plan"),
    path("<int:pk>/decline/", views.DeclineView.as_view(), name="decline"),
]
