"""What a reference is as a publication (journal article, web page or registry
record, other document), which exports and citation styles type it by.

Existing references stay journal articles, as the exports typed them so far;
editors change the type in the admin.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("references", "0009_reference_authors_incomplete"),
    ]

    operations = [
        migrations.AddField(
            model_name="reference",
            name="item_type",
            field=models.CharField(
                choices=[
                    ("article", "Journal article"),
                    ("webpage", "Web page or registry record"),
                    ("document", "Report, book or other document"),
                ],
                default="article",
                max_length=10,
                verbose_name="type of publication",
            ),
        ),
    ]
