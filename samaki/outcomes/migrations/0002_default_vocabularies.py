from django.db import migrations

# The shared terms every organisation starts with (code, English, Khmer). Organisations add
# their own in the admin; these are never edited in place, so codes stay stable for indicators.
OUTCOME_KINDS = [
    ("business_started", "Started a business", "បានចាប់ផ្តើមអាជីវកម្ម"),
    ("id_card", "Obtained a national ID card", "បានទទួលអត្តសញ្ញាណប័ណ្ណ"),
    ("id_poor_card", "Obtained an ID Poor card", "បានទទួលបណ្ណសមធម៌"),
    ("disability_card", "Obtained a disability card", "បានទទួលប័ណ្ណពិការភាព"),
    ("birth_certificate", "Obtained a birth certificate", "បានទទួលសំបុត្រកំណើត"),
    ("marriage_certificate", "Obtained a marriage certificate", "បានទទួលសំបុត្រអាពាហ៍ពិពាហ៍"),
    ("land_certificate", "Obtained a land certificate", "បានទទួលប័ណ្ណកម្មសិទ្ធិដីធ្លី"),
    ("leadership_role", "Took a leadership role", "បានទទួលតួនាទីជាអ្នកដឹកនាំ"),
    ("job", "Got a job", "បានទទួលការងារ"),
    ("scholarship", "Got a scholarship", "បានទទួលអាហារូបករណ៍"),
    ("service_accessed", "Accessed a service", "បានទទួលសេវា"),
]


def add_defaults(apps, schema_editor):
    OutcomeKind = apps.get_model("outcomes", "OutcomeKind")
    OutcomeKind.objects.bulk_create(
        [OutcomeKind(code=code, name_en=name_en, name_km=name_km) for code, name_en, name_km in OUTCOME_KINDS]
    )


def remove_defaults(apps, schema_editor):
    apps.get_model("outcomes", "OutcomeKind").objects.filter(
        organisation__isnull=True, code__in=[code for code, _en, _km in OUTCOME_KINDS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("outcomes", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, remove_defaults)]
