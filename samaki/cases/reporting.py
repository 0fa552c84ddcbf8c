"""Aggregates about survivors, the only form in which case data leaves the safe house.

`suppress_table` is for any report that counts sensitive people: a cell below the threshold is
shown as "<5" (primary suppression), and wherever a row or column would then let a reader
subtract her way back to a hidden cell, a second cell is hidden too (secondary suppression).
"""

import dataclasses
from collections.abc import Hashable, Sequence
from typing import Any

from django.db.models import Count, Q, QuerySet

from samaki.cases.models import Case, IncidentType, Referral, ReferralStatus

THRESHOLD = 5
TOTAL = "__total__"


@dataclasses.dataclass(frozen=True)
class SuppressedTable:
    rows: list[Hashable]
    columns: list[Hashable]
    cells: dict[tuple[Hashable, Hashable], str]  # (row, column) → "12" or "<5"; TOTAL for totals
    threshold: int

    def cell(self, row: Hashable, column: Hashable) -> str:
        return self.cells[(row, column)]

    def as_rows(self) -> list[tuple[Hashable, list[str]]]:
        """Each row's cells and its total, then the totals row (keyed TOTAL)."""
        return [
            (row, [self.cells[(row, column)] for column in [*self.columns, TOTAL]])
            for row in [*self.rows, TOTAL]
        ]


def suppress_table(
    counts: dict[tuple[Hashable, Hashable], int],
    *,
    rows: Sequence[Hashable],
    columns: Sequence[Hashable],
    threshold: int = THRESHOLD,
) -> SuppressedTable:
    """Counts by (row, column) → the table to publish, with row, column and grand totals.

    Zero is published (it identifies nobody); 1 to threshold-1 is not. Then every line (a row
    with its total, a column with its total) that hides exactly one value hides another: the
    smallest non-zero value still shown, so no hidden value equals a total minus the rest.
    """
    value: dict[tuple[Hashable, Hashable], int] = {}
    for row in rows:
        for column in columns:
            value[(row, column)] = counts.get((row, column), 0)
        value[(row, TOTAL)] = sum(value[(row, column)] for column in columns)
    for column in [*columns, TOTAL]:
        value[(TOTAL, column)] = sum(value[(row, column)] for row in rows)

    hidden = {key for key, n in value.items() if 0 < n < threshold}
    lines = [[(row, column) for column in [*columns, TOTAL]] for row in [*rows, TOTAL]]
    lines += [[(row, column) for row in [*rows, TOTAL]] for column in [*columns, TOTAL]]
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(key in hidden for key in line) != 1:
                continue
            shown = [key for key in line if key not in hidden]
            candidates = [key for key in shown if value[key] > 0] or shown
            if not candidates:
                continue
            # The smallest inner cell first; a total only when nothing else is left to hide.
            hidden.add(min(candidates, key=lambda key: (TOTAL in key, value[key])))
            changed = True
    cells = {key: (f"<{threshold}" if key in hidden else str(n)) for key, n in value.items()}
    return SuppressedTable(list(rows), list(columns), cells, threshold)


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
