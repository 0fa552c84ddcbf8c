from django.db import migrations

# The shared terms every organisation starts with (code, English, Khmer). Organisations add
# their own in the admin; these are never edited in place, so codes stay stable for indicators.
GROUP_KINDS = [
    ("smart_women", "Smart Women", "ស្ត្រីឆ្លាតវៃ"),
    ("good_men_network", "Good Men Network", "បណ្តាញបុរសល្អ"),
    ("children_youth_network", "Children and Youth Network", "បណ្តាញកុមារ និងយុវជន"),
    ("happy_women_network", "Happy Women Network", "បណ្តាញស្ត្រីរីករាយ"),
    ("young_women_network", "Young Women Network", "បណ្តាញស្ត្រីវ័យក្មេង"),
    ("producer_group", "Producer group", "ក្រុមផលិតករ"),
    ("savings_group", "Savings group", "ក្រុមសន្សំប្រាក់"),
    ("female_protection_network", "Female Protection Network", "បណ្តាញការពារស្ត្រី"),
    ("community_of_practice", "Community of Practice", "សហគមន៍អនុវត្ត"),
    ("other", "Other group", "ក្រុមផ្សេងៗ"),
]


def add_defaults(apps, schema_editor):
    GroupKind = apps.get_model("groups", "GroupKind")
    GroupKind.objects.bulk_create(
        [GroupKind(code=code, name_en=name_en, name_km=name_km) for code, name_en, name_km in GROUP_KINDS]
    )


def remove_defaults(apps, schema_editor):
    apps.get_model("groups", "GroupKind").objects.filter(
        organisation__isnull=True, code__in=[code for code, _en, _km in GROUP_KINDS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("groups", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, remove_defaults)]
