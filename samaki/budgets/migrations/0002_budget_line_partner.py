import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("budgets", "0001_budget_lines_and_spend"),
        ("organisations", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="budgetline",
            name="partner",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organisations.organisation",
                verbose_name="partner",
            ),
        ),
    ]
