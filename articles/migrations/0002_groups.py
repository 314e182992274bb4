"""Create the editorial groups with the permissions their work needs."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_PERMISSIONS = {
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
}
BOARD_PERMISSIONS = {
    "articles": ["change_article", "view_article", "view_approvedversion"],
    "references": ["view_reference", "view_entry", "view_section", "view_topic"],
}


def create_groups(apps, schema_editor):
    # On a fresh database the permissions do not exist until post_migrate;
    # create them now so the groups can be given them.
    for app_label in ("articles", "references"):
        app_config = apps.get_app_config(app_label)
        # The migration state's app stubs lack this; Django's docs do the same.
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in (
        ("Editors", EDITOR_PERMISSIONS),
        ("Editorial Board", BOARD_PERMISSIONS),
    ):
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codenames in wanted.items():
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label=app_label, codename__in=codenames
                )
            )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=["Editors", "Editorial Board"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("references", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
