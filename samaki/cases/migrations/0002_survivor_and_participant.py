"""Schema: the case side's own `Survivor`, the deliberate `participant` link, and room to move
each case's survivor off `people.Person` (0003 moves them, 0004 tightens)."""

import django.db.models.deletion
from django.db import migrations, models

import samaki.cases.fields


class Migration(migrations.Migration):
    dependencies = [
        ("areas", "0001_initial"),
        ("cases", "0001_case_management"),
        ("organisations", "0001_initial"),
        ("people", "0002_person_search_keys"),
    ]

    operations = [
        migrations.CreateModel(
            name="Survivor",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "name_km",
                    samaki.cases.fields.EncryptedTextField(
                        blank=True, verbose_name="name in Khmer script"
                    ),
                ),
                (
                    "name_latin",
                    samaki.cases.fields.EncryptedTextField(
                        blank=True, verbose_name="name in Latin script"
                    ),
                ),
                (
                    "sex",
                    models.CharField(
                        choices=[("female", "Female"), ("male", "Male"), ("other", "Other")],
                        max_length=10,
                        verbose_name="sex",
                    ),
                ),
                (
                    "birth_date",
                    models.DateField(blank=True, null=True, verbose_name="date of birth"),
                ),
                (
                    "birth_year",
                    models.PositiveSmallIntegerField(
                        blank=True, null=True, verbose_name="year of birth"
                    ),
                ),
                ("phone", samaki.cases.fields.EncryptedTextField(blank=True, verbose_name="phone")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="organisations.organisation",
                        verbose_name="organisation",
                    ),
                ),
                (
                    "village",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="areas.area",
                        verbose_name="village",
                    ),
                ),
            ],
            options={
                "verbose_name": "survivor",
                "verbose_name_plural": "survivors",
                "ordering": ["id"],
            },
        ),
        migrations.AddField(
            model_name="case",
            name="participant",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="people.person",
                verbose_name="programme participant",
            ),
        ),
        migrations.AlterField(
            model_name="case",
            name="survivor",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="people.person",
                verbose_name="survivor",
            ),
        ),
        migrations.AddField(
            model_name="case",
            name="survivor_record",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="cases.survivor",
            ),
        ),
    ]
