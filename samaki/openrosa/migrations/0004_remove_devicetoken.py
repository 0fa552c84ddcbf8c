"""Device tokens now live in `api.Token`: the submission's column takes the old name, the old
model goes."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("openrosa", "0003_move_device_tokens"),
    ]

    operations = [
        migrations.RemoveField(model_name="submission", name="device"),
        migrations.RenameField(model_name="submission", old_name="token", new_name="device"),
        migrations.DeleteModel(name="DeviceToken"),
    ]
