"""`samaki restore`: a backup folder back into the database in use and MEDIA_ROOT."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, no_translations

from samaki.ops.backups import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `samaki backup` (its folder or its manifest.json). Checks the "
        "manifest's hashes first; refuses a database or media folder that is not empty unless "
        "--yes. Stop `samaki serve` and the db_worker first."
    )
    requires_system_checks: list[str] = []  # an empty target database has no tables to check

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path, help="The backup folder, or its manifest.json.")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Replace what the database and MEDIA_ROOT hold now.",
        )

    @no_translations
    def handle(self, *args, **options) -> None:
        try:
            result = backup_restore(path=options["path"], replace=options["yes"])
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored the {result.engine} database {result.database} ({result.tables} tables) "
            f"and {result.media_files} media files into {settings.MEDIA_ROOT}, from the backup "
            f"made at {result.created_at} by Samaki {result.samaki_version}."
        )
        if result.migrations_behind:
            self.stdout.write(
                f"{result.migrations_behind} migrations of this Samaki are not applied to it: "
                "run `samaki migrate`."
            )
