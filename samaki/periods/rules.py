"""The one lock rule: a record dated in a project's submitted period is not changed.

A record is in a project's period when
- an activity's project and date are (its attendances and headcounts follow their activity);
- a membership's group's project and any day from her joining to her leaving (or today) are:
  a membership counts in every period it spans ("members at the end of the period"), so adding,
  ending or voiding one changes each of them;
- an outcome's project and date are.
A record with no project belongs to no reporting period and is never locked. The period is the
project's, whoever wrote the record: a partner organisation's sessions under the project count in
its report, so they are locked with it (the lookup is by project, not by organisation). A change of date or
project is checked on both sides: what the record was and what it becomes.

Every write service calls `require_periods_open` (or `require_period_open`) before it writes, so
the web, imports, the API and OpenRosa are refused alike. It costs one query per write, none
when no project is involved: the submitted periods of the projects concerned that overlap the
dates concerned are read at once, whatever the number of rows the write touches.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from samaki.periods.models import LOCKED_STATUSES, PeriodStatus, ReportingPeriod

Dated = tuple[int | None, datetime.date | None]  # (project id, date) of a record


class PeriodLocked(ValidationError):
    """A write into a submitted period. OpenRosa answers it 409 (not "waiting for review"):
    nothing a reviewer does fixes it until the period is reopened."""


def locked_message(period: ReportingPeriod) -> str:
    values = {"period": period.label, "project": period.project.code}
    if period.status == PeriodStatus.APPROVED:
        return (
            _(
                "%(period)s of project %(project)s is approved: ask the consortium lead to "
                "reopen it before changing records dated in it."
            )
            % values
        )
    return (
        _(
            "%(period)s of project %(project)s is submitted: ask your M&E officer to reopen it "
            "before changing records dated in it."
        )
        % values
    )


def locked_periods(*, dated: Iterable[Dated]) -> list[tuple[Dated, ReportingPeriod]]:
    """The records of `dated` that fall in a locked period, each with its period."""
    pairs = [(project, on) for project, on in dated if project is not None and on is not None]
    if not pairs:
        return []
    dates = [on for _project, on in pairs]
    periods = list(
        ReportingPeriod.objects.filter(
            project_id__in={project for project, _on in pairs},
            status__in=LOCKED_STATUSES,
            start__lte=max(dates),
            end__gte=min(dates),
        )
        .select_related("project")
        .order_by("start")
    )
    return [
        ((project, on), period)
        for project, on in pairs
        for period in periods
        if period.project_id == project and period.holds(on)
    ]


def require_periods_open(*, dated: Iterable[Dated], field: str = "date") -> None:
    """Refuse (PeriodLocked, under `field`) when any of `dated` is in a locked period."""
    found = locked_periods(dated=dated)
    if found:
        (_record, period) = found[0]
        raise PeriodLocked({field: locked_message(period)})


def require_period_open(
    *,
    project_id: int | None,
    on: datetime.date | None,
    field: str = "date",
) -> None:
    """Refuse a write to a record of `project_id` dated `on` while its period is locked."""
    require_periods_open(dated=[(project_id, on)], field=field)


def require_span_open(
    *,
    project_id: int | None,
    start: datetime.date,
    end: datetime.date | None,
    field: str = "date",
) -> None:
    """Refuse a write to a record of `project_id` that counts in every period from `start` to
    `end` (open: to this day and on) while any of them is locked: a membership."""
    if project_id is None:
        return
    periods = ReportingPeriod.objects.filter(
        project_id=project_id, status__in=LOCKED_STATUSES, end__gte=start
    )
    if end is not None:
        periods = periods.filter(start__lte=end)
    period = periods.select_related("project").order_by("start").first()
    if period is not None:
        raise PeriodLocked({field: locked_message(period)})
