"""Reading results: a project's indicators with their values, targets, % met and on-track band.

The caller has already checked that the user may see the project (`get_project_for_user`);
everything here is aggregates, never a person.
"""

import dataclasses
import datetime
import decimal
import enum
from typing import Any

from django.db import models
from django.shortcuts import get_object_or_404

from samaki.activities.models import Activity
from samaki.outcomes.models import Outcome
from samaki.projects.models import Project
from samaki.projects.queries import project_list
from samaki.results import xlsx
from samaki.results.engine import Cell, IndicatorValue, Period, indicator_compute
from samaki.results.models import (
    CountDefinition,
    Direction,
    Indicator,
    IndicatorKind,
    Result,
    ResultsFramework,
    Target,
    parse_age_bands,
)

ON_TRACK = 0.9  # at least 90 % of what was expected by now
AT_RISK = 0.6  # 60–90 %; below is off track


class Band(enum.StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    NO_TARGET = "no_target"


Number = int | float


@dataclasses.dataclass(frozen=True)
class IndicatorProgress:
    indicator: Indicator
    value: IndicatorValue  # the count; for a percentage or a ratio, its numerator
    target: Number | None  # the target the value is compared with, pro-rated if need be
    percent: float | None  # of the target
    band: Band
    denominator: IndicatorValue | None = None  # a percentage's or a ratio's

    @property
    def figure(self) -> Number | None:
        """The indicator's value: the count, or numerator ÷ denominator (× 100 for a
        percentage); None where the denominator is 0."""
        if self.denominator is None:
            return self.value.total
        return fraction(self.indicator.kind, self.value.total, self.denominator.total)

    @property
    def cells(self) -> dict[Cell, Number | None]:
        """The value of each cell: its count, or its numerator ÷ its denominator (None where
        the denominator is 0) — a cell divides by the same cell of the denominator."""
        if self.denominator is None:
            return dict(self.value.cells)
        numerators, denominators = self.value.cells, self.denominator.cells
        keys = sorted({*numerators, *denominators})
        return {
            key: fraction(self.indicator.kind, numerators.get(key, 0), denominators.get(key, 0))
            for key in keys
        }


def fraction(kind: str, numerator: int, denominator: int) -> float | None:
    """A percentage (× 100) or a ratio, to one decimal; None when the denominator is 0."""
    if not denominator:
        return None
    value = numerator / denominator
    return round(100 * value if kind == IndicatorKind.PERCENTAGE else value, 2)


def plain_number(value: decimal.Decimal | int | float | None) -> Number | None:
    """A stored decimal as an int when it is whole (targets of counts), else a float."""
    if value is None:
        return None
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def project_organisations(project: Project) -> list[int]:
    """The organisations whose records count for the project: its owner and its partners."""
    return [project.organisation_id, *project.partners.values_list("pk", flat=True)]


def get_framework_for_user(*, user: Any, project_pk: int) -> ResultsFramework:
    project = get_object_or_404(project_list(user=user), pk=project_pk)
    return get_object_or_404(ResultsFramework.objects.select_related("project"), project=project)


def framework_for_project(project: Project) -> ResultsFramework | None:
    """The project's framework, or None before it has one (the caller checked the project)."""
    return ResultsFramework.objects.filter(project=project).first()


def get_result_for_user(*, user: Any, project_pk: int, result_pk: int) -> Result:
    framework = get_framework_for_user(user=user, project_pk=project_pk)
    return get_object_or_404(
        Result.objects.select_related("framework__project"), framework=framework, pk=result_pk
    )


def get_indicator_for_user(*, user: Any, project_pk: int, indicator_pk: int) -> Indicator:
    framework = get_framework_for_user(user=user, project_pk=project_pk)
    return get_object_or_404(
        indicator_list(framework=framework).select_related("result__framework__project"),
        pk=indicator_pk,
    )


def result_list(*, framework: ResultsFramework) -> list[Result]:
    """The framework's results in tree order (goal, its outcomes, each with its outputs),
    each with `indicators_list` (the result's indicators, with their denominators and targets)
    and `depth`. Two queries, whatever the size of the framework."""
    results = list(Result.objects.filter(framework=framework).order_by("code"))
    by_result: dict[int, list[Indicator]] = {result.pk: [] for result in results}
    for indicator in indicator_list(framework=framework):
        by_result[indicator.result_id].append(indicator)
    children: dict[int | None, list[Result]] = {}
    for result in results:
        children.setdefault(result.parent_id, []).append(result)
    ordered: list[Result] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for result in children.get(parent_id, []):
            result.depth = depth  # type: ignore[attr-defined]
            result.indicators_list = by_result[result.pk]  # type: ignore[attr-defined]
            ordered.append(result)
            walk(result.pk, depth + 1)

    walk(None, 0)
    return ordered


def indicator_list(*, framework: ResultsFramework) -> models.QuerySet[Indicator]:
    return (
        Indicator.objects.filter(result__framework=framework)
        .select_related("result", "denominator")
        .prefetch_related("targets")
        .order_by("result__code", "code")
    )


def _target_for(
    indicator: Indicator, targets: list[Target], project: Project, period: Period
) -> tuple[Number | None, float]:
    """The target for exactly `period`, else the life-of-project target pro-rated by the share of
    the project elapsed at the period's end (for a cumulative indicator) — with that share."""
    for target in targets:
        if target.covers(period.start, period.end):
            return plain_number(target.value), 1.0
    for target in targets:
        if target.covers(project.starts_on, project.ends_on):
            total_days = (project.ends_on - project.starts_on).days + 1
            elapsed = (min(period.end, project.ends_on) - project.starts_on).days + 1
            share = max(0.0, min(1.0, elapsed / total_days)) if indicator.cumulative else 1.0
            return plain_number(target.value), share
    return None, 1.0


def progress_band(
    *, value: Number | None, target: Number | None, share: float, direction: str
) -> tuple[float | None, Band]:
    if target is None or value is None:
        return None, Band.NO_TARGET
    expected = target * share
    if direction == Direction.DECREASE:
        ratio = 1.0 if value <= expected else (expected / value if value else 1.0)
        percent = 100.0 * ratio
    else:
        percent = 100.0 * value / expected if expected else 100.0
        ratio = percent / 100
    if ratio >= ON_TRACK:
        return percent, Band.ON_TRACK
    if ratio >= AT_RISK:
        return percent, Band.AT_RISK
    return percent, Band.OFF_TRACK


def indicator_progress(
    *, framework: ResultsFramework, period: Period, dimensions: bool = True
) -> list[IndicatorProgress]:
    """Every indicator's value for `period` (one aggregate query each, two for a percentage or
    a ratio), against its target."""
    return [
        indicator_value(indicator, framework=framework, period=period, dimensions=dimensions)
        for indicator in indicator_list(framework=framework)
    ]


def indicator_value(
    indicator: Indicator,
    *,
    framework: ResultsFramework,
    period: Period,
    dimensions: bool = True,
    denominator: CountDefinition | None = None,
    targets: list[Target] | None = None,
) -> IndicatorProgress:
    """One indicator's value (and cells) for `period`, against its target. `denominator` and
    `targets` are the saved ones unless given (the preview of an unsaved definition)."""
    project = framework.project
    organisations = project_organisations(project)
    bands = parse_age_bands(framework.age_bands)
    counted = (
        Period(min(project.starts_on, period.start), period.end) if indicator.cumulative else period
    )
    definition = indicator.definition(project_id=project.pk, age_bands=bands, dimensions=dimensions)
    value = indicator_compute(definition, organisations=organisations, period=counted)
    if denominator is None and indicator.pk is not None:
        denominator = getattr(indicator, "denominator", None)
    denominator_value = None
    if indicator.is_fraction and denominator is not None:
        denominator_value = indicator_compute(
            denominator.definition(
                project_id=project.pk,
                age_bands=bands,
                dimensions=dimensions,
                split_by=indicator.dimensions,
            ),
            organisations=organisations,
            period=counted,
        )
    if targets is None:
        targets = list(indicator.targets.all())
    target, share = _target_for(indicator, targets, project, period)
    progress = IndicatorProgress(indicator, value, target, None, Band.NO_TARGET, denominator_value)
    percent, band = progress_band(
        value=progress.figure, target=target, share=share, direction=indicator.direction
    )
    return dataclasses.replace(progress, percent=percent, band=band)


def latest_period_with_data(project: Project, today: datetime.date) -> Period:
    """The latest quarter (inside the project) with an activity or an outcome of the project;
    else the default period. Two queries."""
    dates = [
        model._default_manager.filter(project=project, date__lte=today).aggregate(
            last=models.Max("date")
        )["last"]
        for model in (Activity, Outcome)
    ]
    dates = [day for day in dates if day is not None]
    if not dates:
        return default_period(project, today)
    last = max(dates)
    start = datetime.date(last.year, 3 * ((last.month - 1) // 3) + 1, 1)
    end = Period.parse(f"{last.year}Q{(last.month - 1) // 3 + 1}").end
    return Period(max(start, project.starts_on), min(end, project.ends_on))


def default_period(project: Project, today: datetime.date) -> Period:
    """The last full quarter that ended inside the project, else the project's life."""
    quarter_start = datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    end = quarter_start - datetime.timedelta(days=1)
    end = min(end, project.ends_on)
    if end < project.starts_on:
        return Period(project.starts_on, project.ends_on)
    start = datetime.date(end.year, 3 * ((end.month - 1) // 3) + 1, 1)
    return Period(max(start, project.starts_on), end)


def framework_rows(framework: ResultsFramework) -> dict[str, list[list[Any]]]:
    """The framework as the XLSX sheets' rows (`results.xlsx`). Three queries."""
    labels = [
        [field, getattr(framework, field)]
        for field in (
            "goal_label_en", "goal_label_km", "outcome_label_en", "outcome_label_km",
            "output_label_en", "output_label_km", "age_bands",
        )
    ]  # fmt: skip
    results = result_list(framework=framework)
    codes = {result.pk: result.code for result in results}
    result_rows = [
        [r.code, r.level, codes.get(r.parent_id, "") if r.parent_id else "", r.statement_en,
         r.statement_km]
        for r in results
    ]  # fmt: skip
    indicator_rows, target_rows = [], []
    for result in results:
        for indicator in result.indicators_list:  # type: ignore[attr-defined]
            denominator = getattr(indicator, "denominator", None)
            row = []
            for column in xlsx.INDICATOR_COLUMNS:
                if column == "result":
                    row.append(result.code)
                elif column.startswith("denominator_"):
                    name = column.removeprefix("denominator_")
                    row.append(getattr(denominator, name) if denominator else "")
                else:
                    row.append(getattr(indicator, column))
            indicator_rows.append(row)
            target_rows += [
                [result.code, indicator.code, t.period_kind, t.starts_on, t.ends_on, t.value]
                for t in indicator.targets.all()
            ]
    return {
        xlsx.FRAMEWORK_SHEET: labels,
        xlsx.RESULTS_SHEET: result_rows,
        xlsx.INDICATORS_SHEET: indicator_rows,
        xlsx.TARGETS_SHEET: target_rows,
    }
