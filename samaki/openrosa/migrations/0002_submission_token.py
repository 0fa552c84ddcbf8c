"""Submissions point at the one token model (`api.Token`): the new column, filled by 0003."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("api", "0002_token_kind"),
        ("openrosa", "0001_phone_forms_devices_submissions"),
    ]

    operations = [
        migrations.AddField(
            model_name="submission",
            name="token",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="api.token",
            ),
        ),
    ]
