"""Aggregates about survivors, the only form in which case data leaves the safe house.

`suppress_table` is for any report that counts sensitive people: a cell below the threshold is
shown as "<5" (primary suppression), and wherever a row or column would then let a reader
subtract her way back to a hidden cell, a second cell is hidden too (secondary suppression).
The algorithm lives in `samaki.results.suppression`, shared with programme reports.
"""

import dataclasses
import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet

from samaki.cases.models import (
    Case,
    IncidentType,
    Referral,
    ReferralStatus,
    SafeHouseCapacity,
    ShelterStay,
)
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


@dataclasses.dataclass(frozen=True)
class Occupancy:
    """The safe house's use over a period (both days included): the house, not survivors."""

    start: datetime.date
    end: datetime.date
    nights: int  # nights in the period counted so far (to tonight, for a period not yet over)
    bed_nights: int  # nights slept in the house, by every woman sheltered
    beds: int | None  # beds in the house (None: not recorded)
    stays: int  # stays with at least one night in the period

    @property
    def rate(self) -> float | None:
        """Bed-nights over the beds' nights (beds × nights), or None without beds or nights."""
        if not self.beds or not self.nights:
            return None
        return self.bed_nights / (self.beds * self.nights)

    @property
    def percent(self) -> str:
        """The rate as shown: "57.1 %", or "—" when there is none."""
        rate = self.rate
        return "—" if rate is None else f"{100 * rate:.1f} %"


def occupancy_for_period(
    *, organisation_id: int, start: datetime.date, end: datetime.date, today: datetime.date
) -> Occupancy:
    """Bed-nights and occupancy rate of `start`–`end`, every stay counted (consent to reporting
    is about cases; a night in a bed names nobody).

    A night belongs to the day it begins: a stay from the 3rd to the 7th is 4 bed-nights (the
    3rd to the 6th; she leaves on the 7th). A stay still open counts to the period's end, and
    no further than tonight. Two queries, whatever the number of stays.
    """
    last = min(end, today)  # the last night counted
    stays = ShelterStay.objects.filter(organisation_id=organisation_id, admitted_on__lte=last)
    stays = stays.filter(Q(discharged_on__isnull=True) | Q(discharged_on__gt=start))
    after_last = last + datetime.timedelta(days=1)
    bed_nights = counted = 0
    for admitted_on, discharged_on in stays.values_list("admitted_on", "discharged_on"):
        nights = (min(discharged_on or after_last, after_last) - max(admitted_on, start)).days
        if nights > 0:
            bed_nights += nights
            counted += 1
    beds = (
        SafeHouseCapacity.objects.filter(organisation_id=organisation_id)
        .values_list("beds", flat=True)
        .first()
    )
    return Occupancy(
        start=start,
        end=end,
        nights=max((last - start).days + 1, 0),
        bed_nights=bed_nights,
        beds=beds,
        stays=counted,
    )
