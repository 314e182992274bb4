# Separate from 0005: PostgreSQL refuses to alter a table in the transaction
# that just updated its rows.
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_approved_address"),
    ]

    operations = [
        migrations.AlterField(
            model_name="approvedversion",
            name="topic",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="references.topic",
                verbose_name="topic",
            ),
        ),
    ]
