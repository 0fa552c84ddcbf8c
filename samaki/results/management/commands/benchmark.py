"""`samaki benchmark [--period 2024Q3] [--naive-every N]`: time the consortium report's figures.

Run it against a database filled by `samaki synthetic`; see docs/benchmarks.md.
"""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from samaki.organisations.models import Consortium
from samaki.results.benchmark import benchmark_run, people_count
from samaki.results.engine import IndicatorError, Period
from samaki.results.synthetic import CONSORTIUM_SLUG


class Command(BaseCommand):
    help = "Time the synthetic consortium's quarterly report figures: engine, SQL, Python."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--period", default="2024Q3")
        parser.add_argument(
            "--naive-every",
            type=int,
            default=1,
            help="run the naive Python loop on every Nth figure only and extrapolate",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            period = Period.parse(options["period"])
        except (IndicatorError, ValueError) as error:
            raise CommandError(str(error)) from error
        consortium = Consortium.objects.filter(slug=CONSORTIUM_SLUG).first()
        if consortium is None:
            raise CommandError("No synthetic data here: run samaki synthetic first.")
        started = time.perf_counter()
        timings = benchmark_run(
            consortium=consortium,
            period=period,
            naive_every=options["naive_every"],
            progress=self.stderr.write,
        )
        engine = sum(t.engine for t in timings)
        hand = sum(t.hand for t in timings)
        sampled = [t for t in timings if t.naive is not None]
        naive = sum(t.naive or 0 for t in sampled) * len(timings) / len(sampled)
        disagree = [t for t in timings if not t.agrees]
        self.stdout.write(
            f"people {people_count(consortium):,}; period {period}; {len(timings)} figures\n"
            f"engine {engine:.2f} s; hand-written SQL {hand:.2f} s "
            f"(engine/SQL {engine / hand:.2f}); naive Python {naive:.1f} s"
            + (
                ""
                if len(sampled) == len(timings)
                else f" (extrapolated from {len(sampled)} of {len(timings)} figures)"
            )
            + f"\nall figures agree: {'yes' if not disagree else 'NO'}"
            + f"\nwall time {time.perf_counter() - started:.1f} s"
        )
        if disagree:
            raise CommandError(f"{len(disagree)} figures differ between the engine and SQL.")
