"""Every phone's device token becomes an `api.Token` of kind "phone", with the same secret's
SHA-256 (issued secrets keep working), name, user, dates; its submissions point at it."""

from django.db import migrations


def forwards(apps, schema_editor):
    try:
        DeviceToken = apps.get_model("openrosa", "DeviceToken")
    except LookupError:
        # Called with today's registry (the tests reload the data migrations' rows after a
        # flush that way): the model is gone, there is nothing to move.
        return
    Token = apps.get_model("api", "Token")
    Submission = apps.get_model("openrosa", "Submission")
    for device in DeviceToken.objects.order_by("pk").iterator():
        token = Token.objects.create(
            organisation_id=device.organisation_id,
            user_id=device.user_id,
            kind="phone",
            name=device.name,
            secret_sha256=device.secret_sha256,
            last_used_at=device.last_used_at,
            revoked_at=device.revoked_at,
        )
        # auto_now_add set it to now: keep when the phone was really set up.
        Token.objects.filter(pk=token.pk).update(created_at=device.created_at)
        Submission.objects.filter(device_id=device.pk).update(token_id=token.pk)


def backwards(apps, schema_editor):
    DeviceToken = apps.get_model("openrosa", "DeviceToken")
    Token = apps.get_model("api", "Token")
    Submission = apps.get_model("openrosa", "Submission")
    for token in Token.objects.filter(kind="phone").order_by("pk").iterator():
        device = DeviceToken.objects.create(
            organisation_id=token.organisation_id,
            user_id=token.user_id,
            name=token.name,
            secret_sha256=token.secret_sha256,
            last_used_at=token.last_used_at,
            revoked_at=token.revoked_at,
        )
        DeviceToken.objects.filter(pk=device.pk).update(created_at=token.created_at)
        Submission.objects.filter(token_id=token.pk).update(device_id=device.pk)
    Token.objects.filter(kind="phone").delete()


class Migration(migrations.Migration):

    dependencies = [
        ("openrosa", "0002_submission_token"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
