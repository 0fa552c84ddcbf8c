from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("outcomes", "0002_default_vocabularies"),
    ]

    operations = [
        migrations.AddField(
            model_name="outcomekind",
            name="retired_on",
            field=models.DateField(blank=True, null=True, verbose_name="retired on"),
        ),
    ]
