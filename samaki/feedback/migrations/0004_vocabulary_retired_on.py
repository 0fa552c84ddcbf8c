from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0003_feedback_about_user"),
    ]

    operations = [
        migrations.AddField(
            model_name="feedbackcategory",
            name="retired_on",
            field=models.DateField(blank=True, null=True, verbose_name="retired on"),
        ),
    ]
