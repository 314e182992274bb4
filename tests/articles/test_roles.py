import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.db.models.signals import post_migrate

from articles.roles import BOARD, EDITORS, PERMISSIONS

pytestmark = pytest.mark.django_db


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
