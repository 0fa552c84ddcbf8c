"""`samaki export FORMAT …`: files other systems ingest (docs/exports.md). One subcommand per
format; today `iati`:

    samaki export iati --project CODE [--organisation SLUG] [--by USERNAME] [-o FILE]
"""

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from samaki.accounts import access
from samaki.accounts.models import User
from samaki.exchange.iati import IatiRefused, build_iati
from samaki.projects.models import Project
from samaki.projects.queries import project_list


def _actor(username: str) -> Any:
    if not username:
        return access.SYSTEM
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"No active user “{username}”.")
    return user


def _project(*, code: str, organisation: str, by: Any) -> Project:
    """The project with this code (of this organisation), among those `by` may read."""
    projects = Project.objects.all() if access.is_system(by) else project_list(user=by)
    projects = projects.filter(code=code).select_related("organisation", "donor")
    if organisation:
        projects = projects.filter(organisation__slug=organisation)
    found = list(projects[:2])
    if not found:
        raise CommandError(f"No project “{code}” that you may export.")
    if len(found) > 1:
        raise CommandError(
            f"Several organisations have a project “{code}”: add --organisation SLUG."
        )
    return found[0]


class Command(BaseCommand):
    help = "Write a file for another system: an IATI 2.03 activity file (`export iati`)."

    def add_arguments(self, parser: CommandParser) -> None:
        formats = parser.add_subparsers(dest="format", required=True, metavar="FORMAT")
        iati = formats.add_parser(
            "iati", help="A project as an IATI 2.03 activity file with its results framework."
        )
        iati.add_argument("--project", required=True, help="project code, e.g. ccdo-elc-2024")
        iati.add_argument(
            "--organisation", default="", help="organisation short name, if codes clash"
        )
        iati.add_argument(
            "--by",
            default="",
            help="act as this user (her access applies); without it, as the system",
        )
        iati.add_argument("-o", "--output", default="", help="file to write (default: stdout)")

    def handle(self, *args: Any, format: str, **options: Any) -> None:
        by = _actor(options["by"])
        project = _project(code=options["project"], organisation=options["organisation"], by=by)
        try:
            content = build_iati(project, by=by)
        except (IatiRefused, PermissionDenied) as refusal:
            raise CommandError(f"No file was written: {refusal}") from refusal
        self._write(content, options["output"])

    def _write(self, content: bytes, output: str) -> None:
        if output:
            Path(output).write_bytes(content)
            self.stderr.write(f"Wrote {output} ({len(content)} bytes).")
        else:
            self.stdout.write(content.decode("utf-8"), ending="")
