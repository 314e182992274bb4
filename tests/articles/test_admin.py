"""The admin goes through the same workflow and services as the screens."""

import pytest
from django.urls import reverse
from reversion.models import Version

from articles import workflow
from articles.models import ApprovedVersion, Article, ReviewEvent
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


def test_delete_and_recover_keeps_the_record_of_review(admin_client):
    article = make_article(body="Reviewed text.", approve=True)
    events = list(article.events.values_list("pk", "action", "actor_id"))
    approved = list(article.approved_versions.values_list("pk", "approved_by_id"))
    assert [action for _, action, _ in events][-1] == "approve"
    admin_client.post(
        reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"}
    )
    assert not Article.objects.exists()
    # Out of view, but kept.
    assert ReviewEvent.objects.filter(article_id=article.pk).count() == len(events)
    assert ApprovedVersion.objects.filter(article_id=article.pk).count() == 1
    deleted = Version.objects.get_deleted(Article).get()
    admin_client.post(
        reverse("admin:articles_article_recover", args=[deleted.pk]),
        form_data(article, loaded_version=""),
    )
    recovered = Article.objects.get(pk=article.pk)
    record = list(recovered.events.values_list("pk", "action", "actor_id"))
    # The whole record, then the recovery itself, saved by the admin.
    assert record[:-1] == events
    admin_id = int(admin_client.session["_auth_user_id"])
    assert record[-1][1:] == ("edit", admin_id)
    assert (
        list(recovered.approved_versions.values_list("pk", "approved_by_id"))
        == approved
    )
    history = admin_client.get(reverse("editorial:history", args=[article.pk]))
    assert history.status_code == 200
    assert "Approved" in history.content.decode()
    # Who wrote the text is still known: neither may approve it (four eyes).
    assert workflow.writers(recovered) == {recovered.author_id, admin_id}
