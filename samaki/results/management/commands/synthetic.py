"""`samaki synthetic --people N --organisations K --years Y`: benchmark data, never for production."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from samaki.areas.models import Area
from samaki.areas.services import gazetteer_load
from samaki.results.synthetic import SyntheticError, synthetic_generate


class Command(BaseCommand):
    help = "Generate synthetic programme data (a benchmark fixture: unaudited, not for production)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--people", type=int, required=True)
        parser.add_argument("--organisations", type=int, default=7)
        parser.add_argument("--years", type=int, default=3, help="years ending in 2024")
        parser.add_argument("--seed", type=int, default=2024)

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        if not Area.objects.exists():
            self.stderr.write("Loading the gazetteer…")
            gazetteer_load()
        try:
            result = synthetic_generate(
                people=options["people"],
                organisations=options["organisations"],
                years=options["years"],
                seed=options["seed"],
                progress=lambda message: self.stderr.write(
                    f"{time.perf_counter() - started:7.1f} s  {message}"
                ),
            )
        except SyntheticError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{result.organisations} organisations, {result.people:,} people, "
            f"{result.groups:,} groups, {result.memberships:,} memberships, "
            f"{result.activities:,} activities, {result.attendances:,} attendances, "
            f"{result.headcounts:,} headcount rows, {result.outcomes:,} outcomes "
            f"in {time.perf_counter() - started:.1f} s"
        )
