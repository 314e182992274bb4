"""Editors record notices (retractions, corrections...) by hand; the board reads them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSIONS = {
    "Editors": [
        "add_referencenotice",
        "change_referencenotice",
        "view_referencenotice",
    ],
    "Editorial Board": ["view_referencenotice"],
}


def grant(apps, schema_editor):
    # On a fresh database the permissions do not exist until post_migrate.
    app_config = apps.get_app_config("references")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in PERMISSIONS.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label="references", codename__in=codenames
                )
            )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in PERMISSIONS.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label="references", codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0008_keep_review_record_on_delete"),
        ("references", "0003_reference_notice"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
