"""Building a report's data from the indicator engine: aggregates only, never a person.

`report_build()` makes a `ReportData` for a scope (a project, an organisation or a consortium) and
a period. Each section is made by one builder function in `SECTIONS`; docs/reports.md says how to
add one. The number of queries depends on the vocabularies (activity, outcome and group kinds in
use), never on the number of people or records.
"""

import dataclasses
import datetime
from collections.abc import Callable
from typing import Any

from django.db import models
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.translation import gettext as _

from samaki.accounts import access
from samaki.activities.models import Activity, ActivityKind
from samaki.areas.models import Area
from samaki.groups.models import GroupKind, Membership
from samaki.language import name_in
from samaki.numbers import format_number
from samaki.organisations.models import Consortium, Organisation
from samaki.organisations.queries import consortium_list
from samaki.outcomes.models import Outcome, OutcomeKind
from samaki.people.models import Disability, IdPoor, Sex
from samaki.projects.models import Project
from samaki.projects.queries import get_project_for_user, project_list
from samaki.reports.data import Chart, IndicatorFigure, ReportData, Section, Table
from samaki.reports.models import ReportBranding, ReportJob, ReportNarrative, SubmittedReport
from samaki.reports.voice import voice_section
from samaki.results.engine import (
    NOT_RECORDED,
    UNKNOWN,
    YES,
    AttributeDimension,
    Dimension,
    DimensionKey,
    Filters,
    IndicatorDefinition,
    IndicatorValue,
    Measure,
    Period,
    attribute_names,
    dimension_label,
    indicator_compute,
)
from samaki.results.models import IndicatorKind, ResultsFramework, parse_age_bands
from samaki.results.queries import (
    Band,
    IndicatorProgress,
    fraction,
    indicator_progress,
    project_organisations,
)
from samaki.results.suppression import (
    THRESHOLD,
    TOTAL,
    Audience,
    Count,
    Key,
    Suppressed,
    suppress_count,
    suppress_grid,
)


@dataclasses.dataclass(frozen=True)
class ReportScope:
    kind: str  # "project", "organisation" or "consortium"
    code: str
    name_en: str
    name_km: str
    organisations: tuple[int, ...]
    project: Project | None = None
    consortium: Consortium | None = None
    # Who will read the figures: outside the organisation, small counts are suppressed.
    audience: Audience = Audience.INTERNAL

    def __post_init__(self) -> None:
        if self.kind == "consortium" and self.audience != Audience.EXTERNAL:
            raise ValueError("A consortium's figures always leave its member organisations.")

    @property
    def filters(self) -> Filters:
        return Filters(projects=(self.project.pk,)) if self.project else Filters()


def project_scope(project: Project, *, audience: Audience = Audience.INTERNAL) -> ReportScope:
    return ReportScope(
        kind="project",
        code=project.code,
        name_en=project.name_en,
        name_km=project.name_km,
        organisations=tuple(project_organisations(project)),
        project=project,
        audience=audience,
    )


def project_audience(*, user: Any, project: Project) -> Audience:
    """A project's figures stay exact for its own organisation's staff; anyone else (a donor
    viewer, a partner organisation) reads them suppressed."""
    if access.is_platform_operator(user):
        return Audience.INTERNAL
    if access.is_donor_viewer(user):
        return Audience.EXTERNAL
    if user.organisation_id != project.organisation_id:
        return Audience.EXTERNAL
    return Audience.INTERNAL


def scope_for_project(*, user: Any, pk: int) -> ReportScope:
    project = get_project_for_user(user=user, pk=pk)
    return project_scope(project, audience=project_audience(user=user, project=project))


def scope_for_organisation(*, user: Any) -> ReportScope:
    """Her organisation's whole programme (not a donor viewer's, nor a case role's): else 404."""
    if not access.can_read_organisation_programme(user) or user.organisation is None:
        raise Http404
    return organisation_scope(user.organisation)


def scope_for_consortium(*, user: Any, pk: int) -> ReportScope:
    """A consortium's report: its lead's and members' aggregates, for the lead and its members."""
    return consortium_scope(get_object_or_404(consortium_list(user=user), pk=pk))


def consortium_scope(consortium: Consortium) -> ReportScope:
    members = list(consortium.members.values_list("pk", flat=True))
    return ReportScope(
        kind="consortium",
        code=consortium.slug,
        name_en=consortium.name_en,
        name_km=consortium.name_km,
        organisations=(consortium.lead_id, *members),
        consortium=consortium,
        audience=Audience.EXTERNAL,  # it leaves the member organisations, always
    )


def organisation_scope(organisation: Organisation) -> ReportScope:
    return ReportScope(
        kind="organisation",
        code=organisation.slug,
        name_en=organisation.name_en,
        name_km=organisation.name_km,
        organisations=(organisation.pk,),
    )


def job_scope(job: Any) -> ReportScope:
    """The scope a `ReportJob` was asked for (rights were checked when it was asked)."""
    if job.scope_kind == "project":
        return project_scope(
            job.project, audience=project_audience(user=job.by, project=job.project)
        )
    if job.scope_kind == "consortium":
        return consortium_scope(job.consortium)
    return organisation_scope(job.organisation)


def report_job_list(*, user: Any) -> models.QuerySet[ReportJob]:
    """Her organisation's report jobs (a facilitator's own only); never another's.

    A donor viewer: those about her donor's projects only; case roles: none.
    """
    if access.is_platform_operator(user):
        return ReportJob.objects.all()
    if not access.can_read_programme(user):
        return ReportJob.objects.none()
    jobs = ReportJob.objects.filter(organisation_id=user.organisation_id)
    if access.sees_own_rows_only(user):
        jobs = jobs.filter(by=user)
    if not access.can_read_organisation_programme(user):
        jobs = jobs.filter(scope_kind="project", project__in=project_list(user=user))
    return jobs.defer("data")


def get_report_job_for_user(*, user: Any, pk: int) -> ReportJob:
    return get_object_or_404(report_job_list(user=user), pk=pk)


def submitted_report_list(*, user: Any) -> models.QuerySet[SubmittedReport]:
    """Her organisation's submitted reports (a donor viewer: her donor's projects'; case roles: none)."""
    if access.is_platform_operator(user):
        return SubmittedReport.objects.all()
    if not access.can_read_programme(user):
        return SubmittedReport.objects.none()
    reports = SubmittedReport.objects.filter(organisation_id=user.organisation_id)
    if not access.can_read_organisation_programme(user):
        reports = reports.filter(job__in=report_job_list(user=user))
    return reports


def get_submitted_report_for_user(*, user: Any, pk: int) -> SubmittedReport:
    return get_object_or_404(submitted_report_list(user=user), pk=pk)


# --- labels --------------------------------------------------------------------------------


def number(value: int | float | str | None) -> str:
    """A figure in a paragraph: samaki.numbers, rounded to a whole number ("<5" stays)."""
    return format_number(value)


def _dimension_label(dimension: DimensionKey, attributes: dict[str, str] | None = None) -> str:
    """The dimension's name: the engine's one list of labels (an attribute's from `attributes`)."""
    return dimension_label(dimension, attribute_names=attributes)


class CellLabels:
    """Cell values (codes) to words, with the area and organisation names read once."""

    def __init__(self, language: str, values: list[IndicatorValue]) -> None:
        self.language = language
        codes = set()
        slugs = set()
        for value in values:
            for index, dimension in enumerate(value.definition.dimensions):
                for cell in value.cells:
                    if dimension in (Dimension.PROVINCE, Dimension.DISTRICT, Dimension.COMMUNE):
                        codes.add(cell[index])
                    elif dimension == Dimension.ORGANISATION:
                        slugs.add(cell[index])
        self.areas = {
            area.code: name_in(area, language) for area in Area.objects.filter(code__in=codes)
        }
        self.organisations = {
            o.slug: o.acronym or name_in(o, language)
            for o in Organisation.objects.filter(slug__in=slugs)
        }
        organisation_ids = {
            pk
            for value in values
            if any(isinstance(d, AttributeDimension) for d in value.definition.dimensions)
            for pk in value.organisations
        }
        self.attributes = (
            attribute_names(organisation_ids=sorted(organisation_ids)) if organisation_ids else {}
        )

    def cell(self, dimension: DimensionKey, value: str) -> str:
        if value == UNKNOWN:
            return _("Unknown")
        if value == NOT_RECORDED:
            return _("Not recorded")
        if dimension == Dimension.ID_POOR:
            return str(IdPoor(value).label) if value in IdPoor.values else value
        if isinstance(dimension, AttributeDimension) or dimension in (
            Dimension.INDIGENOUS,
            Dimension.LGBTQI,
            Dimension.LIVING_WITH_HIV,
        ):
            return _("Yes") if value == YES else _("No")
        if dimension == Dimension.SEX:
            return str(Sex(value).label)
        if dimension == Dimension.DISABILITY:
            return str(Disability(value).label)
        if dimension == Dimension.ORGANISATION:
            return self.organisations.get(value, value)
        if dimension in (Dimension.PROVINCE, Dimension.DISTRICT, Dimension.COMMUNE):
            return self.areas.get(value, value)
        return value


BAND_LABELS = {
    Band.ON_TRACK: lambda: _("on track"),
    Band.AT_RISK: lambda: _("at risk"),
    Band.OFF_TRACK: lambda: _("off track"),
    Band.NO_TARGET: lambda: _("no target"),
}


# --- the sections ---------------------------------------------------------------------------


@dataclasses.dataclass
class _Context:
    scope: ReportScope
    period: Period
    language: str
    bands: tuple[tuple[int, int | None], ...]
    today: datetime.date | None = None  # what "overdue" is measured against

    @property
    def external(self) -> bool:
        return self.scope.audience == Audience.EXTERNAL

    @property
    def threshold(self) -> int:
        # Inside the organisation nothing is below the threshold: every figure stays exact.
        return THRESHOLD if self.external else 0

    def count(self, n: int) -> Count:
        """A figure that stands alone, suppressed for an audience outside the organisation."""
        return suppress_count(n, threshold=self.threshold)

    def grid(self, counts: dict[Any, int], rows: list[Any], columns: list[Any]) -> dict[Key, Count]:
        """Cells with their row, column and grand totals (TOTAL), suppressed for outside."""
        return suppress_grid(counts, rows=rows, columns=columns, threshold=self.threshold)

    def line(self, counts: dict[Any, int]) -> dict[Any, Count]:
        """Parts of one total (e.g. by sex), and the total keyed TOTAL."""
        grid = self.grid({("", key): n for key, n in counts.items()}, [""], list(counts))
        return {key: grid[("", key)] for key in [*counts, TOTAL]}

    def compute(self, measure: Measure, dimensions=(), **filters: Any) -> IndicatorValue:
        base = dataclasses.asdict(self.scope.filters)
        if measure in (Measure.GROUP_MEMBERS_ACTIVE_AT_END, Measure.NEW_GROUP_MEMBERS):
            base["projects"] = ()
        definition = IndicatorDefinition(
            measure=measure,
            filters=Filters(**(base | filters)),
            dimensions=tuple(dimensions),
            age_bands=self.bands,
        )
        return indicator_compute(
            definition, organisations=self.scope.organisations, period=self.period
        )


def _activities_in_scope(context: _Context):
    activities = Activity.objects.filter(
        organisation_id__in=context.scope.organisations,
        date__range=(context.period.start, context.period.end),
    )
    if context.scope.project:
        activities = activities.filter(project=context.scope.project)
    return activities


def summary_section(context: _Context) -> Section:
    reach = context.compute(Measure.DISTINCT_PEOPLE, (Dimension.SEX,))
    attendances = context.compute(Measure.ATTENDANCES)
    sessions = context.compute(Measure.SESSIONS)
    headcount = context.compute(Measure.HEADCOUNT, (Dimension.SEX,))
    women_count = reach.by(Dimension.SEX).get("female", 0) if reach.cells else 0
    # People reached is women and girls plus the rest: one line, so neither gives the other back.
    line = context.line({"female": women_count, "rest": reach.total - women_count})
    people, women = line[TOTAL], line["female"]
    attendance_count = context.count(attendances.total)
    headcount_count = context.count(headcount.total)
    figures = {
        "start": context.period.start.isoformat(),
        "end": context.period.end.isoformat(),
        "people": number(people),
        "women": number(women),
        "sessions": number(sessions.total),
        "attendances": number(attendance_count),
        "headcount": number(headcount_count),
    }
    paragraphs = [
        _(
            "From %(start)s to %(end)s, %(people)s people took part in %(sessions)s activities; "
            "%(women)s of them were women and girls. Together they attended %(attendances)s "
            "times: each person is counted once, however often she came."
        )
        % figures
    ]
    if headcount.total:
        paragraphs.append(
            _(
                "A further %(headcount)s people were counted, not registered, at campaigns and "
                "public events; they are reported beside the people reached, never added to them."
            )
            % figures
        )
    rows: list[list[str | int]] = [
        [_("People reached (registered, each counted once)"), people],
        [_("of whom women and girls"), women],
        [_("Attendances"), attendance_count],
        [_("Activities (sessions)"), sessions.total],
        [_("People counted at events (headcount, not added to reach)"), headcount_count],
    ]
    return Section(
        title=_("Summary"),
        paragraphs=paragraphs,
        tables=[
            Table(title=_("Figures for the period"), columns=[_("Figure"), _("Number")], rows=rows)
        ],
    )


def _target_cell(target: int | float | str | None) -> str | int:
    """A target as the table shows it: 120, 62.5, "80.0%" (a percentage's), or empty."""
    if target is None:
        return ""
    return f"{target:g}" if isinstance(target, float) else target


def indicators_section(context: _Context, figures: list[IndicatorFigure]) -> Section | None:
    if not figures:
        return None
    paragraphs = []
    for figure in figures:
        if figure.target is None:
            continue
        paragraphs.append(
            _("%(name)s: %(value)s against a target of %(target)s (%(percent)s%%), %(band)s.")
            % {
                "name": figure.name,
                "value": number(figure.value),
                "target": number(figure.target),
                "percent": number(figure.percent),
                "band": figure.band_label,
            }
        )
    rows: list[list[str | int]] = [
        [
            f.code,
            f.name,
            f.value,
            _target_cell(f.target),
            number(f.percent),
            f.band_label,
        ]
        for f in figures
    ]
    return Section(
        title=_("Indicators"),
        paragraphs=paragraphs,
        tables=[
            Table(
                title=_("Indicators against targets"),
                columns=[
                    _("Code"),
                    _("Indicator"),
                    _("Value"),
                    _("Target"),
                    # xgettext:no-python-format
                    _("% of target"),
                    _("Status"),
                ],
                rows=rows,
            )
        ],
    )


def _by_sex(value: IndicatorValue) -> dict[str, int]:
    """Female, male, other (and unknown, if any): the parts that add up to the total."""
    by_sex = value.by(Dimension.SEX) if value.cells else {}
    return {sex: by_sex.get(sex, 0) for sex in Sex.values} | by_sex


def activities_section(context: _Context) -> Section:
    kinds = ActivityKind.objects.filter(
        pk__in=_activities_in_scope(context).values("kind")
    ).order_by("name_en")
    rows: list[list[str | int]] = []
    for kind in kinds:
        codes = (kind.code,)
        sessions = context.compute(Measure.SESSIONS, activity_kinds=codes)
        attendances = context.compute(Measure.ATTENDANCES, activity_kinds=codes)
        people = context.compute(Measure.DISTINCT_PEOPLE, (Dimension.SEX,), activity_kinds=codes)
        by_sex = context.line(_by_sex(people))
        rows.append(
            [
                name_in(kind, context.language),
                sessions.total,
                context.count(attendances.total),
                by_sex[TOTAL],
                by_sex["female"],
                by_sex["male"],
                by_sex["other"],
            ]
        )
    return Section(
        title=_("Activities"),
        tables=[
            Table(
                title=_("Activities by kind"),
                columns=[
                    _("Kind"), _("Sessions"), _("Attendances"), _("People"),
                    _("Women and girls"), _("Men and boys"), _("Other"),
                ],
                rows=rows,
                note=_("A person who took part in two kinds of activity appears in both rows."),
            )
        ],
    )  # fmt: skip


def disaggregation_section(context: _Context) -> Section:
    labels_values = []
    by_sex_age = context.compute(Measure.DISTINCT_PEOPLE, (Dimension.AGE_BAND, Dimension.SEX))
    splits = [Dimension.DISABILITY, Dimension.DISTRICT]
    if context.scope.kind == "consortium" or len(context.scope.organisations) > 1:
        splits.append(Dimension.ORGANISATION)
    single = [context.compute(Measure.DISTINCT_PEOPLE, (dimension,)) for dimension in splits]
    labels_values = [by_sex_age, *single]
    labels = CellLabels(context.language, labels_values)
    band_names = [f"{low}+" if high is None else f"{low}-{high}" for low, high in context.bands]
    present = {cell[0] for cell in by_sex_age.cells}
    ages = [band for band in band_names if band in present] + (
        [UNKNOWN] if UNKNOWN in present else []
    )
    sexes = [sex for sex in Sex.values if any(cell[1] == sex for cell in by_sex_age.cells)]
    grid = context.grid(dict(by_sex_age.cells), ages, sexes)
    age_rows: list[list[str | int]] = [
        [labels.cell(Dimension.AGE_BAND, band), *(grid[(band, sex)] for sex in [*sexes, TOTAL])]
        for band in ages
    ]
    age_rows.append([_("Total"), *(grid[(TOTAL, sex)] for sex in [*sexes, TOTAL])])
    tables = [
        Table(
            title=_("People reached by age band and sex"),
            columns=[_("Age band"), *(str(Sex(sex).label) for sex in sexes), _("Total")],
            rows=age_rows,
            note=_("Age at her first activity in the period; each person in one cell."),
        )
    ]
    for dimension, value in zip(splits, single, strict=True):
        order = [cell[0] for cell, _n in sorted(value.cells.items(), key=lambda item: -item[1])]
        column = context.grid({(key, ""): n for (key,), n in value.cells.items()}, order, [""])
        rows: list[list[str | int]] = [
            [labels.cell(dimension, key), column[(key, "")]] for key in order
        ]
        rows.append([_("Total"), column[(TOTAL, "")]])
        tables.append(
            Table(
                title=_("People reached by %(dimension)s")
                % {"dimension": _dimension_label(dimension)},
                columns=[_dimension_label(dimension), _("People")],
                rows=rows,
            )
        )
    chart = Chart(
        title=_("People reached by age band and sex"),
        categories=[labels.cell(Dimension.AGE_BAND, band) for band in ages],
        series={str(Sex(sex).label): [grid[(band, sex)] for band in ages] for sex in sexes},
    )
    return Section(title=_("Who was reached"), tables=tables, charts=[chart] if ages else [])


def outcomes_section(context: _Context) -> Section | None:
    outcomes = Outcome.objects.filter(
        organisation_id__in=context.scope.organisations,
        date__range=(context.period.start, context.period.end),
    )
    if context.scope.project:
        outcomes = outcomes.filter(project=context.scope.project)
    kinds = OutcomeKind.objects.filter(pk__in=outcomes.values("kind")).order_by("name_en")
    rows: list[list[str | int]] = []
    for kind in kinds:
        codes = (kind.code,)
        count = context.compute(Measure.OUTCOMES, outcome_kinds=codes)
        people = context.compute(Measure.DISTINCT_PEOPLE_WITH_OUTCOME, outcome_kinds=codes)
        rows.append(
            [
                name_in(kind, context.language),
                context.count(count.total),
                context.count(people.total),
            ]
        )
    if not rows:
        return None
    return Section(
        title=_("Outcomes"),
        tables=[
            Table(
                title=_("Changes in people's lives"),
                columns=[_("Outcome"), _("Outcomes"), _("People")],
                rows=rows,
            )
        ],
    )


def groups_section(context: _Context) -> Section | None:
    memberships = Membership.objects.filter(
        organisation_id__in=context.scope.organisations, joined_on__lte=context.period.end
    ).filter(Q(left_on__isnull=True) | Q(left_on__gt=context.period.start))
    kinds = GroupKind.objects.filter(pk__in=memberships.values("group__kind")).order_by("name_en")
    rows: list[list[str | int]] = []
    for kind in kinds:
        codes = (kind.code,)
        members = context.compute(
            Measure.GROUP_MEMBERS_ACTIVE_AT_END, (Dimension.SEX,), group_kinds=codes
        )
        new = context.compute(Measure.NEW_GROUP_MEMBERS, group_kinds=codes)
        by_sex = context.line(_by_sex(members))
        rows.append(
            [
                name_in(kind, context.language),
                by_sex[TOTAL],
                by_sex["female"],
                by_sex["male"],
                context.count(new.total),
            ]
        )
    if not rows:
        return None
    return Section(
        title=_("Groups and networks"),
        tables=[
            Table(
                title=_("Members at the end of the period"),
                columns=[
                    _("Kind of group"),
                    _("Members"),
                    _("Women and girls"),
                    _("Men and boys"),
                    _("New members"),
                ],
                rows=rows,
            )
        ],
    )


SECTIONS: list[Callable[[_Context], Section | None]] = [
    summary_section,
    activities_section,
    disaggregation_section,
    outcomes_section,
    groups_section,
    voice_section,
]


def _indicator_figures(context: _Context) -> list[IndicatorFigure]:
    project = context.scope.project
    if project is None:
        return []
    framework = ResultsFramework.objects.filter(project=project).first()
    if framework is None:
        return []
    progress = indicator_progress(framework=framework, period=context.period)
    labels = CellLabels(context.language, [item.value for item in progress])
    figures = []
    for item in progress:
        value = item.value
        cells = {
            _dimension_label(dimension, labels.attributes): {
                labels.cell(dimension, key): n
                for key, n in context.line(value.by(dimension)).items()
                if key != TOTAL
            }
            for dimension in value.definition.dimensions
        }
        # The full cross-tabulation is exact figures for the organisation only: outside it, the
        # suppressed one-way splits above are all there is (no cross-cell to subtract from).
        cross = [
            {str(d): key for d, key in zip(value.definition.dimensions, cell, strict=True)}
            | {"value": n}
            for cell, n in sorted(value.cells.items())
            if not context.external
        ]
        shown = context.count(value.total)
        hidden = isinstance(shown, Suppressed)  # a percentage of the target would give it back
        fraction_parts: dict[str, Any] = {}
        if item.denominator is not None:
            shown, hidden, cells, cross, fraction_parts = _fraction_figure(
                context, item, labels, cross
            )
        figures.append(
            IndicatorFigure(
                code=item.indicator.code,
                name=name_in(item.indicator, context.language),
                unit=item.indicator.unit,
                value=shown,
                target=(
                    item.target
                    if item.denominator is None or item.target is None
                    else fraction_text(item.indicator.kind, item.target)
                ),
                percent=None if item.percent is None or hidden else round(item.percent, 1),
                band=str(item.band),
                band_label=str(BAND_LABELS[item.band]()),
                cells=cells,
                cross_cells=cross,
                **fraction_parts,
            )
        )
    return figures


def fraction_text(kind: str, value: float | None) -> str:
    """A percentage ("62.5%") or a ratio ("1.25"); "—" where the denominator is 0."""
    if value is None:
        return "—"
    return f"{value:.1f}%" if kind == IndicatorKind.PERCENTAGE else f"{value:.2f}"


def _fraction_figure(
    context: _Context, item: IndicatorProgress, labels: CellLabels, cross: list[dict[str, Any]]
) -> tuple[str, bool, dict[str, dict[str, int | str]], list[dict[str, Any]], dict[str, Any]]:
    """A percentage's or a ratio's value, one-way splits (each cell its numerator over its
    denominator) and cross-cells; a part under the threshold outside the organisation hides
    the figure it is part of."""
    kind, numerator, denominator = item.indicator.kind, item.value, item.denominator
    assert denominator is not None  # noqa: S101 - the caller checked
    parts = (context.count(numerator.total), context.count(denominator.total))
    hidden = any(isinstance(part, Suppressed) for part in parts)
    shown = str(Suppressed()) if hidden else fraction_text(kind, item.figure)
    cells: dict[str, dict[str, int | str]] = {}
    for dimension in numerator.definition.dimensions:
        tops, bottoms = numerator.by(dimension), denominator.by(dimension)
        line: dict[str, int | str] = {}
        for key in sorted({*tops, *bottoms}):
            top, bottom = tops.get(key, 0), bottoms.get(key, 0)
            small = context.external and any(0 < n < context.threshold for n in (top, bottom))
            line[labels.cell(dimension, key)] = (
                str(Suppressed()) if small else fraction_text(kind, fraction(kind, top, bottom))
            )
        cells[_dimension_label(dimension, labels.attributes)] = line
    if not context.external:
        cross = [
            {str(d): key for d, key in zip(numerator.definition.dimensions, cell, strict=True)}
            | {
                "value": value,
                "numerator": numerator.cells.get(cell, 0),
                "denominator": denominator.cells.get(cell, 0),
            }
            for cell, value in sorted(item.cells.items())
        ]
    fraction_parts = {"kind": str(kind), "numerator": parts[0], "denominator": parts[1]}
    return shown, hidden, cells, cross, fraction_parts


def _keyed(section: Section, builder: str, narratives: dict[str, str]) -> Section:
    key = builder.removesuffix("_section")
    return dataclasses.replace(section, key=key, narrative=narratives.get(key, ""))


def report_narratives(*, scope: ReportScope, period: Period, language: str) -> dict[str, str]:
    """The M&E officer's narrative of each section (a project's report), in `language`."""
    if scope.project is None:
        return {}
    rows = ReportNarrative.objects.filter(
        project=scope.project, period_start=period.start, period_end=period.end
    )
    return {row.section: row.text(language) for row in rows}


def narrative_list(*, project: Project, period: Period) -> models.QuerySet[ReportNarrative]:
    """A project's narratives for a period (the project already checked against the reader)."""
    return ReportNarrative.objects.filter(
        project=project, period_start=period.start, period_end=period.end
    )


def branding_organisation_id(scope: ReportScope) -> int:
    """Whose logo a report carries: the project's owner, the consortium's lead, the organisation."""
    if scope.project is not None:
        return scope.project.organisation_id
    if scope.consortium is not None:
        return scope.consortium.lead_id
    return scope.organisations[0]


def branding_get(*, organisation: Organisation) -> ReportBranding | None:
    """The organisation's report branding (its logo), for its own pages."""
    return ReportBranding.objects.filter(organisation=organisation).defer("logo").first()


def report_logo(*, scope: ReportScope) -> tuple[bytes, str]:
    branding = ReportBranding.objects.filter(
        organisation_id=branding_organisation_id(scope)
    ).first()
    if branding is None or not branding.logo_type:
        return b"", ""
    return bytes(branding.logo), branding.logo_type


def report_context(
    *, scope: ReportScope, period: Period, language: str, today: datetime.date | None = None
) -> _Context:
    """What every section's figures are computed in: the scope, period and the age bands."""
    bands: tuple[tuple[int, int | None], ...] = ((0, 17), (18, 24), (25, 49), (50, None))
    if scope.project is not None:
        framework = ResultsFramework.objects.filter(project=scope.project).first()
        if framework is not None:
            bands = parse_age_bands(framework.age_bands)
    return _Context(scope=scope, period=period, language=language, bands=bands, today=today)


def report_build(
    *,
    scope: ReportScope,
    period: Period,
    language: str = "en",
    today: datetime.date,
    progress: Callable[[int, int], object] = lambda done, total: None,
) -> ReportData:
    """The report's data; `progress(done, total)` is called after each section."""
    with translation.override(language):
        context = report_context(scope=scope, period=period, language=language, today=today)
        total = len(SECTIONS) + 1
        figures = _indicator_figures(context)
        progress(1, total)
        narratives = report_narratives(scope=scope, period=period, language=language)
        sections: list[Section] = []
        for index, builder in enumerate(SECTIONS, start=2):
            section = builder(context)
            if section is not None:
                sections.append(_keyed(section, builder.__name__, narratives))
            if builder is summary_section:
                indicators = indicators_section(context, figures)
                if indicators is not None:
                    sections.append(_keyed(indicators, "indicators_section", narratives))
            progress(index, total)
        logo, logo_type = report_logo(scope=scope)
        name = name_in(scope, language)
        period_label = f"{period.start.isoformat()} – {period.end.isoformat()}"
        return ReportData(
            language=language,
            title=name,
            subtitle=_("Report for %(period)s") % {"period": period_label},
            scope_kind=scope.kind,
            scope_code=scope.code,
            period_start=period.start,
            period_end=period.end,
            period_label=period_label,
            generated_on=today,
            indicators=figures,
            sections=sections,
            logo=logo,
            logo_type=logo_type,
        )
