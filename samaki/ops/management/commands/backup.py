"""`samaki backup`: the database and the uploaded media, with a manifest (docs/deploy.md)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, no_translations

from samaki.ops.backups import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump, or SQLite's online backup) and MEDIA_ROOT into a new "
        "samaki-backup-<time> folder. The field keys are never in it: keep them apart."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "-o",
            "--output",
            type=Path,
            default=None,
            help="The folder to write the backup folder into (default $SAMAKI_VAR_DIR/backups).",
        )

    @no_translations  # for the operator's terminal and the journal
    def handle(self, *args, **options) -> None:
        into = options["output"] or Path(settings.VAR_DIR) / "backups"
        try:
            folder = backup_create(into=into)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(folder))
