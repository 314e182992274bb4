"""The editorial groups and the permissions each needs for its work."""

from django.contrib.auth.models import Group, Permission

from .workflow import BOARD, EDITORS

PERMISSIONS = {
    EDITORS: {
        "articles": [
            "add_article",
            "change_article",
            "view_article",
            "view_approvedversion",
        ],
        "references": [
            "add_reference",
            "change_reference",
            "view_reference",
            "add_entry",
            "change_entry",
            "delete_entry",
            "view_entry",
            "add_section",
            "change_section",
            "view_section",
            "view_topic",
        ],
    },
    BOARD: {
        "articles": ["change_article", "view_article", "view_approvedversion"],
        "references": ["view_reference", "view_entry", "view_section", "view_topic"],
    },
}


def ensure_editorial_groups(**kwargs):
    """Create the Editors and Editorial Board groups with their permissions.

    Migration 0002 creates them on a new database; this post_migrate receiver
    keeps them whole afterwards (a test database flushed between tests, a
    group deleted by mistake). It only adds, never removes, what an
    administrator granted.
    """
    for name, wanted in PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codenames in wanted.items():
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label=app_label, codename__in=codenames
                )
            )
