"""The approved version carries the address, topic and overview flag it was
approved with; existing versions take their article's current values."""

import django.db.models.deletion
from django.db import migrations, models


def copy_from_article(apps, schema_editor):
    ApprovedVersion = apps.get_model("articles", "ApprovedVersion")
    for version in ApprovedVersion.objects.select_related("article"):
        version.topic_id = version.article.topic_id
        version.slug = version.article.slug
        version.is_overview = version.article.is_overview
        version.save(update_fields=["topic", "slug", "is_overview"])


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_recommendations"),
        ("references", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="approvedversion",
            name="topic",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="references.topic",
                verbose_name="topic",
            ),
        ),
        migrations.AddField(
            model_name="approvedversion",
            name="slug",
            field=models.SlugField(default="", max_length=100, verbose_name="slug"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="approvedversion",
            name="is_overview",
            field=models.BooleanField(default=False, verbose_name="topic overview"),
        ),
        migrations.RunPython(copy_from_article, migrations.RunPython.noop),
    ]
