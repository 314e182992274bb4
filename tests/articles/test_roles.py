import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db.models.signals import post_migrate
from django.urls import reverse

from articles import roles, workflow
from articles.models import Article
from articles.roles import BOARD, EDITORS, PERMISSIONS
from tests.factories import UserFactory, board_member, make_article

pytestmark = pytest.mark.django_db
Status = Article.Status


def granted(name):
    return set(
        Group.objects.get(name=name).permissions.values_list("codename", flat=True)
    )


def test_migration_creates_both_groups_with_their_permissions():
    assert {"add_article", "add_reference", "delete_entry"} <= granted(EDITORS)
    assert "change_article" in granted(BOARD)
    assert "add_article" not in granted(BOARD)


def test_post_migrate_restores_groups_lost_after_migrating():
    Group.objects.all().delete()
    post_migrate.send(
        sender=apps.get_app_config("articles"),
        app_config=apps.get_app_config("articles"),
        verbosity=0,
        interactive=False,
        using="default",
        plan=[],
        apps=apps,
    )
    for name, wanted in PERMISSIONS.items():
        expected = {code for codes in wanted.values() for code in codes}
        assert granted(name) == expected


def permission(codename):
    return Permission.objects.get(content_type__app_label="articles", codename=codename)


class TestEachRoleIsAPermission:
    """An administrator gives a role by the group or by its permission alone,
    and every path (workflow, editorial screens, emails, lists) agrees."""

    def test_the_review_permission_granted_to_one_person_makes_them_a_reviewer(
        self, client, mailoutbox, django_capture_on_commit_callbacks
    ):
        person = UserFactory(email="granted@example.org")
        person.user_permissions.add(permission("review_article"))
        article = make_article()
        with django_capture_on_commit_callbacks(execute=True):
            workflow.submit(article=article, user=article.author)
        assert "granted@example.org" in [m.to[0] for m in mailoutbox]
        assert person in workflow.assignable_reviewers(article=article)
        client.force_login(person)
        review = reverse("editorial:review", args=[article.pk])
        assert client.get(review).status_code == 200
        workflow.start_review(article=article, user=person)
        assert Article.objects.get(pk=article.pk).status == Status.IN_REVIEW

    def test_the_write_permission_granted_to_one_person_makes_them_a_writer(
        self, client
    ):
        person = UserFactory()
        person.user_permissions.add(permission("add_article"))
        client.force_login(person)
        assert client.get(reverse("editorial:create")).status_code == 200
        article = make_article(author=person)
        workflow.submit(article=article, user=person)
        assert Article.objects.get(pk=article.pk).status == Status.SUBMITTED

    def test_the_board_group_without_its_permission_reviews_nothing(self, client):
        Group.objects.get(name=BOARD).permissions.remove(permission("review_article"))
        member = board_member()
        article = make_article()
        workflow.submit(article=article, user=article.author)
        with pytest.raises(workflow.WorkflowError, match="Only members of the"):
            workflow.start_review(article=article, user=member)
        assert member not in workflow.assignable_reviewers(article=article)
        client.force_login(member)
        review = reverse("editorial:review", args=[article.pk])
        assert client.get(review).status_code == 403

    def test_an_inactive_holder_of_the_permission_has_no_role(self):
        person = UserFactory(is_active=False, groups=[EDITORS, BOARD])
        assert not roles.is_editor(person)
        assert not roles.is_board_member(person)
        assert person not in roles.members(BOARD)
