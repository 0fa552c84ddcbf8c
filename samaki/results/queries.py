"""Reading results: a project's indicators with their values, targets, % met and on-track band.

The caller has already checked that the user may see the project (`get_project_for_user`);
everything here is aggregates, never a person.
"""

import dataclasses
import datetime
import enum
from typing import Any

from django.db import models
from django.shortcuts import get_object_or_404

from samaki.projects.models import Project
from samaki.projects.queries import project_list
from samaki.results.engine import IndicatorValue, Period, indicator_compute
from samaki.results.models import Direction, Indicator, ResultsFramework, Target, parse_age_bands

ON_TRACK = 0.9  # at least 90 % of what was expected by now
AT_RISK = 0.6  # 60–90 %; below is off track


class Band(enum.StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    NO_TARGET = "no_target"


@dataclasses.dataclass(frozen=True)
class IndicatorProgress:
    indicator: Indicator
    value: IndicatorValue
    target: int | None  # the target the value is compared with, pro-rated if need be
    percent: float | None
    band: Band


def project_organisations(project: Project) -> list[int]:
    """The organisations whose records count for the project: its owner and its partners."""
    return [project.organisation_id, *project.partners.values_list("pk", flat=True)]


def get_framework_for_user(*, user: Any, project_pk: int) -> ResultsFramework:
    project = get_object_or_404(project_list(user=user), pk=project_pk)
    return get_object_or_404(ResultsFramework, project=project)


def indicator_list(*, framework: ResultsFramework) -> models.QuerySet[Indicator]:
    return (
        Indicator.objects.filter(result__framework=framework)
        .select_related("result")
        .prefetch_related("targets")
        .order_by("result__code", "code")
    )


def _target_for(indicator: Indicator, project: Project, period: Period) -> tuple[int | None, float]:
    """The target for exactly `period`, else the life-of-project target pro-rated by the share of
    the project elapsed at the period's end (for a cumulative indicator) — with that share."""
    targets: list[Target] = list(indicator.targets.all())
    for target in targets:
        if target.covers(period.start, period.end):
            return target.value, 1.0
    for target in targets:
        if target.covers(project.starts_on, project.ends_on):
            total_days = (project.ends_on - project.starts_on).days + 1
            elapsed = (min(period.end, project.ends_on) - project.starts_on).days + 1
            share = max(0.0, min(1.0, elapsed / total_days)) if indicator.cumulative else 1.0
            return target.value, share
    return None, 1.0


def progress_band(
    *, value: int, target: int | None, share: float, direction: str
) -> tuple[float | None, Band]:
    if target is None:
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
    """Every indicator's value for `period` (one aggregate query each), against its target."""
    project = framework.project
    organisations = project_organisations(project)
    bands = parse_age_bands(framework.age_bands)
    out = []
    for indicator in indicator_list(framework=framework):
        definition = indicator.definition(
            project_id=project.pk, age_bands=bands, dimensions=dimensions
        )
        counted = (
            Period(min(project.starts_on, period.start), period.end)
            if indicator.cumulative
            else period
        )
        value = indicator_compute(definition, organisations=organisations, period=counted)
        target, share = _target_for(indicator, project, period)
        percent, band = progress_band(
            value=value.total, target=target, share=share, direction=indicator.direction
        )
        out.append(IndicatorProgress(indicator, value, target, percent, band))
    return out


def default_period(project: Project, today: datetime.date) -> Period:
    """The last full quarter that ended inside the project, else the project's life."""
    quarter_start = datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    end = quarter_start - datetime.timedelta(days=1)
    end = min(end, project.ends_on)
    if end < project.starts_on:
        return Period(project.starts_on, project.ends_on)
    start = datetime.date(end.year, 3 * ((end.month - 1) // 3) + 1, 1)
    return Period(max(start, project.starts_on), end)
