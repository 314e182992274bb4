"""Who does what on the editorial side: the two roles and the groups that carry them.

A role is a permission. Editors hold ``articles.add_article`` (they write);
the board holds ``articles.review_article`` (it reviews and approves). Each
role's group carries its permission, so an administrator makes someone an
editor or a board member by putting them in the group, or by granting the
permission itself, and the admin, the editorial screens, the workflow and
the literature pages all ask the same question: ``user.has_perm()``.
Superusers hold every permission, and so act in both roles.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext_lazy as _

EDITORS = "Editors"
BOARD = "Editorial Board"

ROLE_PERMISSIONS = {EDITORS: "articles.add_article", BOARD: "articles.review_article"}

ROLE_NAMES = {EDITORS: _("editors"), BOARD: _("members of the editorial board")}

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
            "add_savedsearch",
            "change_savedsearch",
            "view_savedsearch",
        ],
    },
    BOARD: {
        "articles": [
            "change_article",
            "review_article",
            "view_article",
            "view_approvedversion",
        ],
        "references": [
            "view_reference",
            "view_entry",
            "view_section",
            "view_topic",
            "view_savedsearch",
        ],
    },
}


def has_role(user, role: str) -> bool:
    """Whether an active, signed-in ``user`` acts as ``role`` (EDITORS or BOARD).

    Django keeps the user's permissions on the user object after the first
    question, so a page that asks about several actions reads them once.
    """
    return user is not None and user.has_perm(ROLE_PERMISSIONS[role])


def is_board_member(user) -> bool:
    """Whether the user may act for the editorial board."""
    return has_role(user, BOARD)


def is_editor(user) -> bool:
    """Whether the user may write and submit articles."""
    return has_role(user, EDITORS)


def members(role: str):
    """The active people who hold ``role``: whom its emails and lists reach.

    Superusers may act in every role but are counted only when they hold
    the role's permission (through its group or granted to them).
    """
    return get_user_model().objects.with_perm(
        ROLE_PERMISSIONS[role], include_superusers=False
    )


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
