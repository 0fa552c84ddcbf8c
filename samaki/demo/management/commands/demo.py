"""`samaki demo`: build (or complete) the demo data set, then list the demo logins."""

import time

from django.core.management.base import BaseCommand, CommandError, no_translations

from samaki.accounts.models import Role
from samaki.demo.builder import GazetteerMissing, demo_build


class Command(BaseCommand):
    help = (
        "Create the demo organisations, people, groups, activities and logins from the seed "
        "reports. Idempotent: a second run finds everything and creates nothing."
    )

    @no_translations  # the log and the table are for whoever installs the demo: English
    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        try:
            result = demo_build(log=self.stdout.write)
        except GazetteerMissing as error:
            raise CommandError(str(error)) from error
        created = sum(result.created.values())
        self.stdout.write(
            f"Done in {time.monotonic() - started:.1f} s: "
            + (f"{created:,} rows created." if created else "nothing new, the demo was complete.")
        )
        rows = [("username", "password", "role", "organisation", "scope")]
        rows += [
            (
                login.username,
                login.password,
                str(Role(login.role).label),
                login.organisation,
                login.scope,
            )
            for login in result.logins
        ]
        widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
        self.stdout.write("")
        self.stdout.write("Demo logins:")
        for n, row in enumerate(rows):
            self.stdout.write(
                "  ".join(
                    cell.ljust(width) for cell, width in zip(row, widths, strict=True)
                ).rstrip()
            )
            if n == 0:
                self.stdout.write("  ".join("-" * width for width in widths))
