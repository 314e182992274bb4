"""The admin goes through the same workflow and services as the screens."""

import pytest
from django.urls import reverse
from reversion.models import Version

from articles.models import Article
from tests.factories import UserFactory, make_article

pytestmark = pytest.mark.django_db

Status = Article.Status


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_superuser=True))
    return client


def form_data(article, **changes):
    data = {
        "topic": article.topic_id,
        "title": article.title,
        "slug": article.slug,
        "summary": article.summary,
        "body": article.body,
        "plain_summary": "",
        "plain_body": "",
        "author": article.author_id,
        "loaded_version": article.version,
        "change_note": "",
        "events-TOTAL_FORMS": 0,
        "events-INITIAL_FORMS": 0,
    }
    data.update(changes)
    return data


def test_admin_edit_of_approved_text_starts_a_draft(admin_client):
    article = make_article(body="Approved.", approve=True)
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = admin_client.post(url, form_data(article, body="Revised."))
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.status, article.version, article.body) == (
        Status.DRAFT,
        2,
        "Revised.",
    )
    assert "Approved." in article.live.body_html


def test_admin_refuses_a_stale_save(admin_client):
    article = make_article(body="One.")
    url = reverse("admin:articles_article_change", args=[article.pk])
    stale = form_data(article, body="Mine.")
    admin_client.post(url, form_data(article, body="Theirs."))
    response = admin_client.post(url, stale)
    assert response.status_code == 200
    assert "Someone else saved this article" in response.content.decode()
    assert Article.objects.get(pk=article.pk).body == "Theirs."


def test_admin_revert_goes_to_the_editorial_history(admin_client):
    article = make_article()
    version = Version.objects.get_for_object(article).first()
    response = admin_client.get(
        reverse("admin:articles_article_revision", args=[article.pk, version.pk])
    )
    assert response["Location"] == reverse("editorial:history", args=[article.pk])


def test_a_deleted_article_is_recovered_as_a_draft(admin_client):
    article = make_article(body="Worth keeping.", approve=True)
    admin_client.post(
        reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"}
    )
    assert not Article.objects.exists()
    assert (
        admin_client.get(reverse("admin:articles_article_recoverlist")).status_code
        == 200
    )
    deleted = Version.objects.get_deleted(Article).get()
    url = reverse("admin:articles_article_recover", args=[deleted.pk])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, form_data(article, loaded_version=""))
    assert response.status_code == 302
    recovered = Article.objects.get(pk=article.pk)
    assert recovered.body == "Worth keeping."
    # Recovered text is not public until it is reviewed again.
    assert (recovered.status, recovered.live) == (Status.DRAFT, None)
