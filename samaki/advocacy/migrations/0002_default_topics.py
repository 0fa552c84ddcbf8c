from django.db import migrations

TOPICS = [
    ("id_poor_card", "ID Poor card", "បណ្ណសមធម៌"),
    ("disability_card", "Disability identification card", "បណ្ណសម្គាល់ជនពិការ"),
    ("decent_jobs", "Decent jobs and job announcements", "ការងារសមរម្យ និងការផ្សព្វផ្សាយការងារ"),
    ("scholarship", "Scholarships", "អាហារូបករណ៍"),
    ("civil_documents", "Birth, marriage and land certificates", "សំបុត្រកំណើត អាពាហ៍ពិពាហ៍ និងប្លង់ដី"),
    ("health_services", "Health services", "សេវាសុខាភិបាល"),
    ("education", "Education", "ការអប់រំ"),
    ("end_discrimination", "End discrimination, equal access", "បញ្ចប់ការរើសអើង និងការទទួលបានសេវាស្មើគ្នា"),
    ("safety_gbv", "Safety and violence against women", "សុវត្ថិភាព និងអំពើហិង្សាលើស្ត្រី"),
    ("infrastructure", "Roads, water and sanitation", "ផ្លូវ ទឹក និងអនាម័យ"),
    ("other", "Something else", "ផ្សេងទៀត"),
]


def add_defaults(apps, schema_editor):
    RequestTopic = apps.get_model("advocacy", "RequestTopic")
    RequestTopic.objects.bulk_create(
        [RequestTopic(code=code, name_en=en, name_km=km) for code, en, km in TOPICS]
    )


def remove_defaults(apps, schema_editor):
    apps.get_model("advocacy", "RequestTopic").objects.filter(organisation__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("advocacy", "0001_requests_to_authorities")]
    operations = [migrations.RunPython(add_defaults, remove_defaults)]
