"""`samaki serve`: Samaki under gunicorn, static files through WhiteNoise (docs/deploy.md)."""

import os
import signal
import subprocess
import sys
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, no_translations


def default_workers() -> int:
    """gunicorn's advice, (2 × CPUs) + 1, capped: each worker holds its own database connection."""
    return min(2 * (os.cpu_count() or 1) + 1, 9)


def gunicorn_argv(*, bind: str, workers: int, timeout: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "samaki.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--timeout",
        str(timeout),
        "--access-logfile",
        "-",  # to the journal, like the error log
        "--error-logfile",
        "-",
    ]


class Command(BaseCommand):
    help = (
        "Run Samaki in production under gunicorn, with static files served by WhiteNoise. "
        "Collects static files first. Jobs need `samaki db_worker` beside it (or --with-worker)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--bind", default="127.0.0.1:8000", help="HOST:PORT to listen on (default %(default)s)."
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=default_workers(),
            help="gunicorn worker processes (default (2 × CPUs) + 1, at most 9: %(default)s).",
        )
        parser.add_argument(
            "--timeout",
            type=int,
            default=60,
            help="Seconds a request may take before its worker is restarted (default %(default)s).",
        )
        parser.add_argument(
            "--with-worker",
            action="store_true",
            help="Also run `samaki db_worker` (background jobs) as a second process.",
        )
        parser.add_argument(
            "--no-collectstatic",
            action="store_true",
            help="Skip collectstatic (when the upgrade procedure has already run it).",
        )

    @no_translations
    def handle(self, *args, **options) -> None:
        # The system checks have run already (a production configuration with a development
        # default stops here, samaki.E001–E006).
        if options["workers"] < 1:
            raise CommandError("--workers must be 1 or more.")
        if not options["no_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        argv = gunicorn_argv(
            bind=options["bind"], workers=options["workers"], timeout=options["timeout"]
        )
        sys.stdout.flush()
        if not options["with_worker"]:
            os.execv(sys.executable, argv)  # noqa: S606 - gunicorn takes this process's place
        self._run_both(argv)

    def _run_both(self, web_argv: list[str]) -> None:
        """gunicorn and db_worker side by side; when either ends, or on SIGTERM, both end."""
        worker_argv = [sys.executable, "-m", "samaki", "db_worker"]
        children = [subprocess.Popen(web_argv), subprocess.Popen(worker_argv)]  # noqa: S603

        def stop(signum, frame) -> None:
            for child in children:
                if child.poll() is None:
                    child.terminate()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
        stop(signal.SIGTERM, None)
        # Ended by our SIGTERM before its own handler was installed: a clean stop too.
        codes = [0 if child.wait() == -signal.SIGTERM else child.returncode for child in children]
        if any(codes):
            raise CommandError(f"gunicorn exited with {codes[0]}, db_worker with {codes[1]}.")
