from django.db import migrations

# The shared terms every organisation starts with (code, English, Khmer). Organisations add
# their own in the admin; these are never edited in place, so codes stay stable for indicators.
ACTIVITY_KINDS = [
    ("training", "Training", "វគ្គបណ្តុះបណ្តាល"),
    ("workshop", "Workshop", "សិក្ខាសាលា"),
    ("seminar", "Seminar", "សិក្ខាសាលាសាធារណៈ"),
    ("public_forum", "Public forum", "វេទិកាសាធារណៈ"),
    ("campaign", "Campaign", "យុទ្ធនាការ"),
    ("home_visit", "Home visit", "ការចុះសួរសុខទុក្ខតាមផ្ទះ"),
    ("coaching", "Coaching and mentoring", "ការបង្វឹក និងការណែនាំ"),
    ("counselling", "Counselling", "ការប្រឹក្សាយោបល់"),
    ("meeting_authorities", "Meeting with authorities", "កិច្ចប្រជុំជាមួយអាជ្ញាធរ"),
    ("roundtable", "Roundtable", "កិច្ចពិភាក្សាតុមូល"),
    ("group_meeting", "Group meeting", "កិច្ចប្រជុំក្រុម"),
    ("community_event", "Community event", "ព្រឹត្តិការណ៍សហគមន៍"),
]

TOPICS = [
    ("health", "Health", "សុខភាព"),
    ("family_planning", "Family planning", "ការពន្យារកំណើត"),
    ("reproductive_health", "Reproductive health", "សុខភាពបន្តពូជ"),
    ("hygiene_nutrition", "Hygiene and nutrition", "អនាម័យ និងអាហារូបត្ថម្ភ"),
    ("mental_health", "Mental health", "សុខភាពផ្លូវចិត្ត"),
    ("self_empowerment", "Self-empowerment", "ការពង្រឹងសមត្ថភាពខ្លួនឯង"),
    ("business", "Business skills", "ជំនាញអាជីវកម្ម"),
    ("vocational", "Vocational skills", "ជំនាញវិជ្ជាជីវៈ"),
    ("agriculture", "Agriculture and nutrition", "កសិកម្ម និងអាហារូបត្ថម្ភ"),
    ("savings", "Savings and financial literacy", "ការសន្សំ និងចំណេះដឹងហិរញ្ញវត្ថុ"),
    ("rights", "Rights", "សិទ្ធិ"),
    ("child_rights", "Children's rights and protection", "សិទ្ធិ និងកិច្ចការពារកុមារ"),
    ("gbv", "Gender-based violence", "អំពើហិង្សាផ្អែកលើយេនឌ័រ"),
    ("gender_equality", "Gender equality", "សមភាពយេនឌ័រ"),
    ("leadership", "Women's leadership", "ភាពជាអ្នកដឹកនាំរបស់ស្ត្រី"),
    ("public_services", "Public services", "សេវាសាធារណៈ"),
    ("civil_documents", "ID Poor and civil documents", "បណ្ណសមធម៌ និងឯកសារអត្រានុកូលដ្ឋាន"),
    ("discrimination", "Stigma and discrimination", "ការមាក់ងាយ និងការរើសអើង"),
]


def add_defaults(apps, schema_editor):
    ActivityKind = apps.get_model("activities", "ActivityKind")
    ActivityKind.objects.bulk_create(
        [ActivityKind(code=code, name_en=name_en, name_km=name_km) for code, name_en, name_km in ACTIVITY_KINDS]
    )
    Topic = apps.get_model("activities", "Topic")
    Topic.objects.bulk_create(
        [Topic(code=code, name_en=name_en, name_km=name_km) for code, name_en, name_km in TOPICS]
    )


def remove_defaults(apps, schema_editor):
    apps.get_model("activities", "ActivityKind").objects.filter(
        organisation__isnull=True, code__in=[code for code, _en, _km in ACTIVITY_KINDS]
    ).delete()
    apps.get_model("activities", "Topic").objects.filter(
        organisation__isnull=True, code__in=[code for code, _en, _km in TOPICS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, remove_defaults)]
