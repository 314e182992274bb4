"""The admin goes through the same workflow and services as the screens."""

import pytest
from django.urls import reverse
from reversion.models import Version

from articles import selectors, services
from articles.models import ApprovedVersion, Article, ReviewEvent
from tests.factories import UserFactory, editor, make_article

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
    page = admin_client.get(url)
    assert page.status_code == 200
    # The form carries the version it recovers, as every edit form does.
    assert f'name="loaded_version" value="{article.version}"' in page.content.decode()
    response = admin_client.post(url, form_data(article))
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
        form_data(article),
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
    assert selectors.writers(recovered) == {recovered.author_id, admin_id}


def test_a_save_that_loses_a_race_gets_the_conflict_message_not_a_500(
    client, monkeypatch
):
    """Another worker saves between this form's check and its save (the row
    lock is only taken in the save): the admin answers like the editorial
    screens, with the posted text kept and nothing lost."""
    from articles.admin import ArticleAdmin

    writer = editor()
    article = make_article(body="The text both opened.")
    stale = Article.objects.get(pk=article.pk)
    theirs = Article.objects.get(pk=article.pk)
    theirs.body = "Their text, saved first."
    services.save_article(article=theirs, user=editor(), expected_version=1)

    real_get_object = ArticleAdmin.get_object
    reads = []

    def read_before_their_save(self, request, object_id, from_field=None):
        reads.append(object_id)
        if len(reads) == 1:
            return stale  # what this worker read before the other one committed
        return real_get_object(self, request, object_id, from_field)

    monkeypatch.setattr(ArticleAdmin, "get_object", read_before_their_save)
    client.raise_request_exception = False
    client.force_login(writer)
    response = client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        form_data(stale, body="My text, saved second."),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved this article" in html
    assert "My text, saved second." in html
    stored = Article.objects.get(pk=article.pk)
    assert (stored.body, stored.version) == ("Their text, saved first.", 2)


def test_an_admin_form_without_the_loaded_version_is_refused(client):
    writer = editor()
    article = make_article(body="Kept.")
    client.force_login(writer)
    response = client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        form_data(article, body="Saved without a version.", loaded_version=""),
    )
    assert response.status_code == 200
    assert "did not say which version" in response.content.decode()
    assert Article.objects.get(pk=article.pk).body == "Kept."
