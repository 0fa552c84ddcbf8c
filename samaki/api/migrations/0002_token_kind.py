"""One bearer-token model for the REST API and for phones: `ApiToken` becomes `Token` with a kind.

Existing API tokens keep their rows (and their secrets' SHA-256), as kind "api"; the phones'
device tokens are moved in by openrosa's 0003.
"""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("api", "0001_api_tokens"),
        ("organisations", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameModel("ApiToken", "Token"),
        migrations.AddField(
            model_name="token",
            name="kind",
            field=models.CharField(
                choices=[("api", "API script"), ("phone", "Phone (ODK Collect, KoboCollect)")],
                default="api",
                max_length=10,
                verbose_name="kind",
            ),
            preserve_default=False,
        ),
        migrations.AlterModelOptions(
            name="token",
            options={"ordering": ["name", "id"], "verbose_name": "token", "verbose_name_plural": "tokens"},
        ),
    ]
