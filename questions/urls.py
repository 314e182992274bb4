"""The reader's side of questions, under /questions/ (namespace "questions")."""

from django.urls import path

from . import views

app_name = "questions"

urlpatterns = [
    path("ask/", views.AskView.as_view(), name="ask"),
    path("sent/", views.sent, name="sent"),
    path("confirm/<str:token>/", views.ConfirmView.as_view(), name="confirm"),
]
