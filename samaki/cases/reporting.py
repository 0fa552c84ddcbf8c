"""Aggregates about survivors, the only form in which case data leaves the safe house.

`suppress_table` is for any report that counts sensitive people: a cell below the threshold is
shown as "<5" (primary suppression), and wherever a row or column would then let a reader
subtract her way back to a hidden cell, a second cell is hidden too (secondary suppression).
The algorithm lives in `samaki.results.suppression`, shared with programme reports.
"""

import dataclasses
from typing import Any

from django.db.models import Count, Q, QuerySet

from samaki.cases.models import Case, IncidentType, Referral, ReferralStatus
from samaki.results.suppression import (  # noqa: F401 - the one home of suppression
    THRESHOLD,
    TOTAL,
    SuppressedTable,
    suppress_table,
)


def reportable_cases(*, organisation_id: int) -> QuerySet[Case]:
    """Cases whose survivor agreed to non-identifiable reporting, and not counted elsewhere."""
    return Case.objects.filter(
        organisation_id=organisation_id, consent_reporting=True, reported_elsewhere=False
    )


def incidents_by_type_and_year(*, organisation_id: int) -> SuppressedTable:
    """Reportable cases by GBVIMS incident type and intake year, counted in the database."""
    counts: dict[tuple[Any, Any], int] = {}
    rows = (
        reportable_cases(organisation_id=organisation_id)
        .values("incident_type", "intake_date__year")
        .annotate(n=Count("id"))
    )
    for row in rows:
        counts[(row["incident_type"], row["intake_date__year"])] = row["n"]
    years = sorted({year for _type, year in counts})
    return suppress_table(counts, rows=IncidentType.values, columns=years)


@dataclasses.dataclass(frozen=True)
class CompletionRate:
    completed: str  # suppressed like any cell
    referrals: str
    rate: str  # a percentage, or "—" when it would reveal a hidden count


def referral_completion_rate(*, organisation_id: int) -> CompletionRate:
    """Completed referrals over referrals made, for reportable cases."""
    referrals = Referral.objects.filter(
        case__in=reportable_cases(organisation_id=organisation_id)
    ).aggregate(
        made=Count("id"),
        completed=Count("id", filter=Q(status=ReferralStatus.COMPLETED)),
    )
    made, completed = referrals["made"], referrals["completed"]
    table = suppress_table(
        {("referrals", "completed"): completed, ("referrals", "other"): made - completed},
        rows=["referrals"],
        columns=["completed", "other"],
    )
    # A rate would give a hidden count back (rate × total): only when both parts are shown.
    parts = [table.cell("referrals", "completed"), table.cell("referrals", "other")]
    shown = made > 0 and not any(part.startswith("<") for part in parts)
    rate = f"{100 * completed / made:.0f} %" if shown else "—"
    return CompletionRate(
        completed=table.cell("referrals", "completed"),
        referrals=table.cell("referrals", TOTAL),
        rate=rate,
    )
