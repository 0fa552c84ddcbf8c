"""`samaki report --project P --period 2024Q3 --format json|docx|pdf|xlsx [--lang km]`."""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from samaki.organisations.models import Consortium, Organisation
from samaki.projects.models import Project
from samaki.reports.queries import (
    ReportScope,
    organisation_scope,
    project_scope,
    report_build,
)
from samaki.reports.render import RENDERERS
from samaki.results.engine import IndicatorError, Period


class Command(BaseCommand):
    help = "Write a project's, an organisation's or a consortium's report for a period."

    def add_arguments(self, parser: Any) -> None:
        scope = parser.add_mutually_exclusive_group(required=True)
        scope.add_argument("--project", help="project code, e.g. ccdo-elc-2024")
        scope.add_argument("--organisation", help="organisation short name, e.g. ccdo")
        scope.add_argument("--consortium", help="consortium short name")
        parser.add_argument("--period", required=True, help="2024Q3, 2024, 2024-07 or a..b")
        parser.add_argument("--format", default="json", choices=sorted(RENDERERS))
        parser.add_argument("--lang", default="en", choices=["en", "km"])
        parser.add_argument("--output", "-o", help="file to write (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            period = Period.parse(options["period"])
        except (IndicatorError, ValueError) as error:
            raise CommandError(str(error)) from error
        scope = self._scope(options)
        report = report_build(
            scope=scope,
            period=period,
            language=options["lang"],
            today=timezone.localdate(),
            progress=lambda done, total: self.stderr.write(f"{done}/{total}", ending="\r"),
        )
        content = RENDERERS[options["format"]](report)
        if options["output"]:
            Path(options["output"]).write_bytes(content)
            self.stderr.write(f"{options['output']}: {len(content):,} bytes")
        else:
            sys.stdout.buffer.write(content)

    def _scope(self, options: dict[str, Any]) -> ReportScope:
        if options["project"]:
            projects = list(Project.objects.filter(code=options["project"]))
            if len(projects) != 1:
                raise CommandError(f"No single project has the code “{options['project']}”.")
            return project_scope(projects[0])
        if options["organisation"]:
            organisation = Organisation.objects.filter(slug=options["organisation"]).first()
            if organisation is None:
                raise CommandError(f"No organisation “{options['organisation']}”.")
            return organisation_scope(organisation)
        consortium = Consortium.objects.filter(slug=options["consortium"]).first()
        if consortium is None:
            raise CommandError(f"No consortium “{options['consortium']}”.")
        return ReportScope(
            kind="consortium",
            code=consortium.slug,
            name_en=consortium.name_en,
            name_km=consortium.name_km,
            organisations=(consortium.lead_id, *consortium.members.values_list("pk", flat=True)),
            consortium=consortium,
        )
