"""The board's role becomes a permission, articles.review_article, which the
Editorial Board group carries: who reviews is asked with has_perm(), as for
every other editorial right."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

BOARD = "Editorial Board"


def grant(apps, schema_editor):
    # On a fresh database the permission does not exist until post_migrate.
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=BOARD).first()
    if group is not None:
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="articles", codename="review_article"
            )
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=BOARD).first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="articles", codename="review_article"
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0009_notice_permissions"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="article",
            options={
                "ordering": ["title"],
                "permissions": [("review_article", "Can review and approve articles")],
                "verbose_name": "article",
                "verbose_name_plural": "articles",
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
