from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("advocacy", "0002_default_topics"),
    ]

    operations = [
        migrations.AddField(
            model_name="requesttopic",
            name="retired_on",
            field=models.DateField(blank=True, null=True, verbose_name="retired on"),
        ),
    ]
