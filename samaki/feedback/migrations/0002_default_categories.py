from django.db import migrations

# The shared categories every organisation starts with (code, English, Khmer).
CATEGORIES = [
    ("health_centre", "Health centre and health services", "មណ្ឌលសុខភាព និងសេវាសុខភាព"),
    ("id_poor", "ID Poor programme", "កម្មវិធីបណ្ណសមធម៌"),
    ("civil_documents", "Birth, marriage and land certificates", "សំបុត្រកំណើត អាពាហ៍ពិពាហ៍ និងប្លង់ដី"),
    ("identity_card", "National identity card", "អត្តសញ្ញាណប័ណ្ណសញ្ជាតិខ្មែរ"),
    ("school", "School and education", "សាលារៀន និងការអប់រំ"),
    ("police_justice", "Police and justice", "នគរបាល និងយុត្តិធម៌"),
    ("social_protection", "Social protection and cash transfers", "កិច្ចគាំពារសង្គម"),
    ("water_roads", "Water, sanitation and roads", "ទឹក អនាម័យ និងផ្លូវ"),
    ("commune_office", "Commune and village office", "សាលាឃុំ និងការិយាល័យភូមិ"),
    ("organisation", "This organisation's work", "ការងាររបស់អង្គការនេះ"),
    ("other", "Something else", "ផ្សេងទៀត"),
]


def add_defaults(apps, schema_editor):
    FeedbackCategory = apps.get_model("feedback", "FeedbackCategory")
    FeedbackCategory.objects.bulk_create(
        [FeedbackCategory(code=code, name_en=en, name_km=km) for code, en, km in CATEGORIES]
    )


def remove_defaults(apps, schema_editor):
    apps.get_model("feedback", "FeedbackCategory").objects.filter(organisation__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_feedback_focal_points")]
    operations = [migrations.RunPython(add_defaults, remove_defaults)]
