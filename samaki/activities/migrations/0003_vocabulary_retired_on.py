from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0002_default_vocabularies"),
    ]

    operations = [
        migrations.AddField(
            model_name="activitykind",
            name="retired_on",
            field=models.DateField(blank=True, null=True, verbose_name="retired on"),
        ),
        migrations.AddField(
            model_name="topic",
            name="retired_on",
            field=models.DateField(blank=True, null=True, verbose_name="retired on"),
        ),
    ]
