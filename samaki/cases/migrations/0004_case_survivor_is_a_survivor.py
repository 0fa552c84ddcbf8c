"""Tighten: every case's survivor is now a `Survivor` (0003 moved them all)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_move_survivors_off_people"),
    ]

    operations = [
        migrations.RemoveField(model_name="case", name="survivor"),
        migrations.RenameField(model_name="case", old_name="survivor_record", new_name="survivor"),
        migrations.AlterField(
            model_name="case",
            name="survivor",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="cases",
                to="cases.survivor",
                verbose_name="survivor",
            ),
        ),
    ]
