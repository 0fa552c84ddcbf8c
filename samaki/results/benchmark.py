# ruff: noqa: S608 - the SQL is written here; table names are constants, values are parameters
"""Timing the consortium quarterly report's figures three ways (see docs/benchmarks.md).

1. **engine**: `indicator_compute()` for each definition the consortium report asks for (read off
   `report_build()` itself, so the benchmark follows the report when it changes);
2. **hand-written SQL**: one query per definition, written by hand for exactly the shapes the
   report uses — the floor the engine is measured against;
3. **naive Python**: one query per definition that fetches the scope's rows for the period, and a
   Python loop that filters, keeps each person's first record and counts — what a report written
   without the engine would do.

Every figure of (1) is checked against (2); the naive loop is checked against (1) too.
"""

import dataclasses
import datetime
import functools
import time
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any
from unittest import mock

from django.db import connection
from django.utils import timezone

from samaki.activities.models import Attendance, Headcount
from samaki.groups.models import Membership
from samaki.organisations.models import Consortium
from samaki.outcomes.models import Outcome
from samaki.people.models import WG_CUTOFF, Person
from samaki.reports import queries as report_queries
from samaki.results.engine import (
    UNKNOWN,
    Cell,
    Dimension,
    DimensionKey,
    IndicatorDefinition,
    Measure,
    Period,
    age_band_label,
    indicator_compute,
)

WG = ("wg_seeing", "wg_hearing", "wg_walking", "wg_cognition", "wg_selfcare", "wg_communication")


@dataclasses.dataclass(frozen=True)
class Timing:
    definition: IndicatorDefinition
    engine: float
    hand: float
    naive: float | None  # None when not sampled
    total: int
    agrees: bool


def report_definitions(consortium: Consortium, period: Period) -> list[IndicatorDefinition]:
    """The definitions, in order, that the consortium report computes for the period."""
    scope = report_queries.ReportScope(
        kind="consortium",
        code=consortium.slug,
        name_en=consortium.name_en,
        name_km=consortium.name_km,
        organisations=(consortium.lead_id, *consortium.members.values_list("pk", flat=True)),
        consortium=consortium,
    )
    seen: list[IndicatorDefinition] = []

    def recording(definition: IndicatorDefinition, **kwargs: Any) -> Any:
        seen.append(definition)
        return indicator_compute(definition, **kwargs)

    with mock.patch.object(report_queries, "indicator_compute", recording):
        report_queries.report_build(scope=scope, period=period, today=timezone.localdate())
    return seen


# --- (2) hand-written SQL ------------------------------------------------------------------


def _age_sql(event: str) -> str:
    return f"""CASE
        WHEN p.birth_date IS NOT NULL THEN
            EXTRACT(YEAR FROM {event})::int - EXTRACT(YEAR FROM p.birth_date)::int
            - CASE WHEN EXTRACT(MONTH FROM {event}) * 100 + EXTRACT(DAY FROM {event})
                      < EXTRACT(MONTH FROM p.birth_date) * 100 + EXTRACT(DAY FROM p.birth_date)
                   THEN 1 ELSE 0 END
        WHEN p.birth_year IS NOT NULL THEN EXTRACT(YEAR FROM {event})::int - p.birth_year
    END"""


def _band_sql(age: str, bands: Sequence[tuple[int, int | None]]) -> str:
    whens = " ".join(
        f"WHEN {age} >= {low}"
        + ("" if high is None else f" AND {age} <= {high}")
        + f" THEN '{age_band_label((low, high))}'"
        for low, high in bands
    )
    return f"CASE {whens} ELSE '{UNKNOWN}' END"


_DISABILITY_SQL = (
    "CASE WHEN "
    + " OR ".join(f"p.{name} >= {int(WG_CUTOFF)}" for name in WG)
    + " THEN 'yes' WHEN "
    + " AND ".join(f"p.{name} IS NOT NULL" for name in WG)
    + " THEN 'no' ELSE 'undetermined' END"
)

_PERSON_DIMENSION_SQL = {
    Dimension.SEX: ("p.sex", ""),
    Dimension.DISABILITY: (_DISABILITY_SQL, ""),
    Dimension.DISTRICT: ("d.code", "JOIN areas_area v ON v.id = p.village_id "
                                  "LEFT JOIN areas_area d ON d.id = v.district_id"),
    Dimension.ORGANISATION: ("o.slug", "JOIN organisations_organisation o ON o.id = p.organisation_id"),
}  # fmt: skip


def hand_sql(
    definition: IndicatorDefinition, organisations: Sequence[int], period: Period
) -> tuple[str, list[Any]]:
    """One query, by hand, for each shape of definition the consortium report uses.

    Person-counting measures count the person table against a semi-join (`id IN (…)`) rather
    than `COUNT(DISTINCT …)` over the joined rows; an age split reads each person's first
    record with `DISTINCT ON`.
    """
    measure, filters, dims = definition.measure, definition.filters, definition.dimensions
    orgs, start, end = list(organisations), period.start, period.end
    used = {f.name for f in dataclasses.fields(filters) if getattr(filters, f.name)}
    if used - {"activity_kinds", "outcome_kinds", "group_kinds"}:
        raise NotImplementedError(f"no hand-written query for filters {sorted(used)}")
    params: list[Any]
    if measure in (Measure.DISTINCT_PEOPLE, Measure.ATTENDANCES, Measure.SESSIONS,
                   Measure.HEADCOUNT):  # fmt: skip
        kind_join = kind_where = ""
        if filters.activity_kinds:
            kind_join = "JOIN activities_activitykind k ON k.id = act.kind_id"
            kind_where = "AND k.code = ANY(%s)"
        params = [orgs, start, end] + ([list(filters.activity_kinds)] if kind_where else [])
        if measure == Measure.SESSIONS and not dims:
            return (
                f"SELECT COUNT(*) FROM activities_activity act {kind_join} "
                f"WHERE act.organisation_id = ANY(%s) AND act.date BETWEEN %s AND %s {kind_where} "
                "AND act.voided_at IS NULL",
                params,
            )
        if measure == Measure.ATTENDANCES and not dims:
            return (
                "SELECT COUNT(*) FROM activities_attendance a "
                f"JOIN activities_activity act ON act.id = a.activity_id {kind_join} "
                f"WHERE a.organisation_id = ANY(%s) AND act.date BETWEEN %s AND %s {kind_where} "
                "AND a.voided_at IS NULL AND act.voided_at IS NULL",
                params,
            )
        if measure == Measure.HEADCOUNT and dims in ((), (Dimension.SEX,)):
            select = "h.sex, " if dims else ""
            return (
                f"SELECT {select}SUM(h.count) FROM activities_headcount h "
                f"JOIN activities_activity act ON act.id = h.activity_id {kind_join} "
                f"WHERE h.organisation_id = ANY(%s) AND act.date BETWEEN %s AND %s {kind_where} "
                "AND h.voided_at IS NULL AND act.voided_at IS NULL "
                + ("GROUP BY h.sex" if dims else ""),
                params,
            )
        attended = (
            "SELECT a.person_id FROM activities_attendance a "
            f"JOIN activities_activity act ON act.id = a.activity_id {kind_join} "
            f"WHERE a.organisation_id = ANY(%s) AND act.date BETWEEN %s AND %s {kind_where} "
            "AND a.voided_at IS NULL AND act.voided_at IS NULL"
        )
        if measure == Measure.DISTINCT_PEOPLE and dims == (Dimension.AGE_BAND, Dimension.SEX):
            band = _band_sql(_age_sql("f.date"), definition.age_bands)
            return (
                f"SELECT {band}, p.sex, COUNT(*) FROM ("
                "SELECT DISTINCT ON (a.person_id) a.person_id, act.date "
                "FROM activities_attendance a "
                f"JOIN activities_activity act ON act.id = a.activity_id {kind_join} "
                f"WHERE a.organisation_id = ANY(%s) AND act.date BETWEEN %s AND %s {kind_where} "
                "AND a.voided_at IS NULL AND act.voided_at IS NULL "
                "ORDER BY a.person_id, act.date, a.id) f "
                "JOIN people_person p ON p.id = f.person_id GROUP BY 1, 2",
                params,
            )
        if measure == Measure.DISTINCT_PEOPLE and len(dims) <= 1:
            return _people_in(dims, attended, params)
    if measure in (Measure.OUTCOMES, Measure.DISTINCT_PEOPLE_WITH_OUTCOME) and not dims:
        count = "COUNT(*)" if measure == Measure.OUTCOMES else "COUNT(DISTINCT o.person_id)"
        kind_join = kind_where = ""
        if filters.outcome_kinds:
            kind_join = "JOIN outcomes_outcomekind k ON k.id = o.kind_id"
            kind_where = "AND k.code = ANY(%s)"
        return (
            f"SELECT {count} FROM outcomes_outcome o {kind_join} "
            f"WHERE o.organisation_id = ANY(%s) AND o.date BETWEEN %s AND %s {kind_where} "
            "AND o.voided_at IS NULL",
            [orgs, start, end] + ([list(filters.outcome_kinds)] if kind_where else []),
        )
    if (
        measure in (Measure.GROUP_MEMBERS_ACTIVE_AT_END, Measure.NEW_GROUP_MEMBERS)
        and len(dims) <= 1
    ):
        kind_join = kind_where = ""
        if filters.group_kinds:
            kind_join = (
                "JOIN groups_group g ON g.id = m.group_id "
                "JOIN groups_groupkind k ON k.id = g.kind_id"
            )
            kind_where = "AND k.code = ANY(%s)"
        if measure == Measure.GROUP_MEMBERS_ACTIVE_AT_END:
            when = "m.joined_on <= %s AND (m.left_on IS NULL OR m.left_on > %s)"
            params = [orgs, end, end]
        else:
            when = "m.joined_on BETWEEN %s AND %s"
            params = [orgs, start, end]
        params += [list(filters.group_kinds)] if kind_where else []
        members = (
            f"SELECT m.person_id FROM groups_membership m {kind_join} "
            f"WHERE m.organisation_id = ANY(%s) AND {when} {kind_where} AND m.voided_at IS NULL"
        )
        return _people_in(dims, members, params)
    raise NotImplementedError(f"no hand-written query for {definition}")


def _people_in(
    dims: Sequence[DimensionKey], person_ids: str, params: list[Any]
) -> tuple[str, list[Any]]:
    if not dims:
        return f"SELECT COUNT(DISTINCT x.person_id) FROM ({person_ids}) x", params
    first = dims[0]
    if not isinstance(first, Dimension):
        raise NotImplementedError(f"no hand-written query for {first}")
    expression, join = _PERSON_DIMENSION_SQL[first]
    return (
        f"SELECT {expression}, COUNT(*) FROM people_person p {join} "
        f"WHERE p.id IN ({person_ids}) GROUP BY 1",
        params,
    )


def hand_cells(
    definition: IndicatorDefinition, organisations: Sequence[int], period: Period
) -> dict[Cell, int]:
    sql, params = hand_sql(definition, organisations, period)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    cells: dict[Cell, int] = {}
    for row in rows:
        cell = tuple(UNKNOWN if value is None else str(value) for value in row[:-1])
        if row[-1]:
            cells[cell] = cells.get(cell, 0) + int(row[-1])
    return cells


# --- (3) the naive Python loop -------------------------------------------------------------


def _age(birth_date: datetime.date | None, birth_year: int | None, day: datetime.date):
    if birth_date is not None:
        return (
            day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))
        )
    return None if birth_year is None else day.year - birth_year


def _band(age: int | None, bands: Sequence[tuple[int, int | None]]) -> str:
    if age is not None:
        for low, high in bands:
            if age >= low and (high is None or age <= high):
                return age_band_label((low, high))
    return UNKNOWN


_PERSON_FIELDS = ("sex", "birth_date", "birth_year", *WG, "village__district__code",
                  "organisation__slug")  # fmt: skip


def _person_cell(values: Sequence[Any], dims: Sequence[DimensionKey], band: str) -> Cell:
    sex, _birth_date, _birth_year, *rest = values
    wg, district, organisation = rest[:6], rest[6], rest[7]
    out = []
    for dimension in dims:
        if dimension == Dimension.SEX:
            out.append(sex)
        elif dimension == Dimension.AGE_BAND:
            out.append(band)
        elif dimension == Dimension.DISABILITY:
            if any(answer is not None and answer >= WG_CUTOFF for answer in wg):
                out.append("yes")
            elif all(answer is not None for answer in wg):
                out.append("no")
            else:
                out.append("undetermined")
        elif dimension == Dimension.DISTRICT:
            out.append(district or UNKNOWN)
        elif dimension == Dimension.ORGANISATION:
            out.append(organisation)
        else:
            raise NotImplementedError(dimension)
    return tuple(out)


def naive_cells(
    definition: IndicatorDefinition, organisations: Sequence[int], period: Period
) -> dict[Cell, int]:
    """Fetch the scope's rows of the period and count them in Python."""
    measure, filters, dims = definition.measure, definition.filters, definition.dimensions
    orgs = list(organisations)
    cells: Counter[Cell] = Counter()
    person_fields = [f"person__{name}" for name in _PERSON_FIELDS]
    if measure in (Measure.DISTINCT_PEOPLE, Measure.ATTENDANCES):
        rows = Attendance.objects.filter(
            organisation_id__in=orgs, activity__date__range=(period.start, period.end)
        ).values_list("pk", "activity__date", "activity__kind__code", "person_id", *person_fields)
        first: dict[int, tuple[Any, ...]] = {}
        for row in rows.iterator(chunk_size=10_000):
            if filters.activity_kinds and row[2] not in filters.activity_kinds:
                continue
            if measure == Measure.ATTENDANCES:
                cells[_person_cell(row[4:], dims, "")] += 1
                continue
            seen = first.get(row[3])
            if seen is None or (row[1], row[0]) < (seen[1], seen[0]):
                first[row[3]] = row
        for row in first.values():
            band = _band(_age(row[5], row[6], row[1]), definition.age_bands)
            cells[_person_cell(row[4:], dims, band)] += 1
    elif measure == Measure.SESSIONS:
        from samaki.activities.models import Activity

        for (code,) in (
            Activity.objects.filter(
                organisation_id__in=orgs, date__range=(period.start, period.end)
            )
            .values_list("kind__code")
            .iterator(chunk_size=10_000)
        ):
            if not filters.activity_kinds or code in filters.activity_kinds:
                cells[()] += 1
    elif measure == Measure.HEADCOUNT:
        for code, sex, count in Headcount.objects.filter(
            organisation_id__in=orgs, activity__date__range=(period.start, period.end)
        ).values_list("activity__kind__code", "sex", "count"):
            if not filters.activity_kinds or code in filters.activity_kinds:
                cells[(sex,) if dims else ()] += count
    elif measure in (Measure.OUTCOMES, Measure.DISTINCT_PEOPLE_WITH_OUTCOME):
        people: set[int] = set()
        for code, person in Outcome.objects.filter(
            organisation_id__in=orgs, date__range=(period.start, period.end)
        ).values_list("kind__code", "person_id"):
            if not filters.outcome_kinds or code in filters.outcome_kinds:
                cells[()] += 1
                people.add(person)
        if measure == Measure.DISTINCT_PEOPLE_WITH_OUTCOME:
            cells = Counter({(): len(people)} if people else {})
    else:
        members: dict[int, tuple[Any, ...]] = {}
        for row in (
            Membership.objects.filter(organisation_id__in=orgs)
            .values_list("joined_on", "left_on", "group__kind__code", "person_id", *person_fields)
            .iterator(chunk_size=10_000)
        ):
            joined, left, code = row[0], row[1], row[2]
            if filters.group_kinds and code not in filters.group_kinds:
                continue
            if measure == Measure.GROUP_MEMBERS_ACTIVE_AT_END:
                if joined <= period.end and (left is None or left > period.end):
                    members[row[3]] = row
            elif period.start <= joined <= period.end:
                members[row[3]] = row
        for row in members.values():
            cells[_person_cell(row[4:], dims, "")] += 1
    return {cell: n for cell, n in cells.items() if n}


# --- the run -------------------------------------------------------------------------------


def _timed(function: Callable[..., Any], *args: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - started, result


def benchmark_run(
    *,
    consortium: Consortium,
    period: Period,
    naive_every: int = 1,
    progress: Callable[[str], object] = lambda message: None,
) -> list[Timing]:
    """Time each of the report's definitions three ways; the naive loop on every
    `naive_every`-th definition only (1: all)."""
    organisations = (consortium.lead_id, *consortium.members.values_list("pk", flat=True))
    definitions = report_definitions(consortium, period)  # also warms the caches
    timings = []
    for index, definition in enumerate(definitions):
        engine_time, value = _timed(
            functools.partial(indicator_compute, organisations=organisations, period=period),
            definition,
        )
        hand_time, hand = _timed(hand_cells, definition, organisations, period)
        agrees = hand == value.cells
        naive_time = None
        if index % naive_every == 0:
            naive_time, naive = _timed(naive_cells, definition, organisations, period)
            agrees = agrees and naive == value.cells
        timings.append(Timing(definition, engine_time, hand_time, naive_time, value.total, agrees))
        progress(
            f"{index + 1}/{len(definitions)} {describe(definition)}: {value.total:,} "
            f"engine {engine_time:.3f} s, SQL {hand_time:.3f} s"
            + ("" if naive_time is None else f", Python {naive_time:.3f} s")
            + ("" if agrees else "  DIFFERENT")
        )
    return timings


def describe(definition: IndicatorDefinition) -> str:
    filters = {
        f.name: getattr(definition.filters, f.name)
        for f in dataclasses.fields(definition.filters)
        if getattr(definition.filters, f.name)
    }
    text = str(definition.measure)
    if filters:
        text += " " + " ".join(f"{k}={','.join(map(str, v))}" for k, v in filters.items())
    if definition.dimensions:
        text += " by " + "×".join(map(str, definition.dimensions))
    return text


def people_count(consortium: Consortium) -> int:
    organisations = (consortium.lead_id, *consortium.members.values_list("pk", flat=True))
    return Person.objects.filter(organisation_id__in=organisations).count()
