"""`samaki retention`: anonymise people with no activity for SAMAKI_RETENTION_INACTIVE_YEARS."""

from django.conf import settings
from django.core.management.base import BaseCommand

from samaki.people.services import retention_run


class Command(BaseCommand):
    help = (
        "Count, by organisation, the people with no activity (attendance, membership, outcome, "
        "registration or change) for SAMAKI_RETENTION_INACTIVE_YEARS years; with --apply, "
        "anonymise them (their identifying data erased, anonymous counts kept)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--apply", action="store_true", help="Anonymise them (without it: a dry run)."
        )
        parser.add_argument(
            "--years",
            type=int,
            default=None,
            help="Override SAMAKI_RETENTION_INACTIVE_YEARS for this run.",
        )

    def handle(self, *args, **options) -> None:
        years = options["years"]
        if years is None:
            years = settings.SAMAKI_RETENTION_INACTIVE_YEARS
        apply = options["apply"]
        counts = retention_run(years=years, apply=apply)
        verb = "were anonymised" if apply else "would be anonymised"
        self.stdout.write(f"No activity for {years} years:")
        for count in counts:
            self.stdout.write(f"{count.due:,} people in {count.organisation} {verb}")
            if count.kept:
                self.stdout.write(
                    f"{count.kept:,} people in {count.organisation} must be kept for now"
                )
        if not counts:
            self.stdout.write("Nobody.")
        if not apply and any(count.due for count in counts):
            self.stdout.write("Dry run: nothing changed. Run again with --apply to anonymise.")
