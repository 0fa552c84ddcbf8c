"""The indicator engine: declarative definitions in, one aggregate SQL query out.

An `IndicatorDefinition` says what to count (`Measure`), which records count (`Filters`) and how
to split the count (`Dimension`s). `indicator_compute()` turns it, for a set of organisations and a
period, into a single `GROUP BY` query with `COUNT(DISTINCT …)` or `SUM(…)` that the database runs;
no row ever reaches Python. The same query runs on SQLite and PostgreSQL.

The rules that make cells add up to the total (see docs/indicators.md):

- a person counted once (distinct people, members, new members, people with an outcome) is
  classified by her **first qualifying record in the period** (earliest date, then lowest id):
  her age band is her age on that date. Sex, disability, area and organisation belong to the person
  and do not vary between her records;
- the area of a person-counting measure is the person's village; the area of sessions and
  headcounts is the activity's place;
- a person whose age is unknown, or outside every band, falls in the cell "unknown" — never dropped;
- a sensitive self-identification (indigenous, LGBTQI+, living with HIV) is read only for a person
  whose consent to record it (`ConsentPurpose.SENSITIVE`) was given by the period's end and is
  not withdrawn (a withdrawal applies to every period, past ones too: the answers may no longer
  be used); everyone else falls in the cell "not_recorded" — so she is still counted, only not
  in a sensitive cell. The engine gives exact counts: small cells are suppressed where
  figures leave the organisation (`samaki.results.suppression`, applied by the reports).

`indicator_records()` gives the pseudonymous records behind a value or a cell: person ids and
dates, never a name.
"""

import dataclasses
import datetime
import enum
from collections.abc import Sequence
from typing import Any

from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q, Sum, Value, Window
from django.db.models.functions import (
    Cast,
    Concat,
    ExtractDay,
    ExtractMonth,
    ExtractYear,
    RowNumber,
)
from django.db.models.lookups import LessThan
from django.utils.translation import gettext_lazy as _

from samaki.activities.models import Activity, Attendance, Headcount
from samaki.groups.models import Membership
from samaki.outcomes.models import Outcome
from samaki.people.models import (
    ATTRIBUTE_CODE_RE,
    Consent,
    ConsentPurpose,
    Person,
    PersonAttribute,
    PersonAttributeValue,
    SelfIdentification,
)

UNKNOWN = "unknown"


class IndicatorError(ValueError):
    """A definition that asks for something its measure cannot give."""


NOT_RECORDED = "not_recorded"  # a self-identification not recorded, or not under consent
YES, NO = "yes", "no"


class Measure(enum.StrEnum):
    DISTINCT_PEOPLE = "distinct_people"
    ATTENDANCES = "attendances"
    SESSIONS = "sessions"
    HEADCOUNT = "headcount"
    GROUP_MEMBERS_ACTIVE_AT_END = "group_members_active_at_end"
    NEW_GROUP_MEMBERS = "new_group_members"
    OUTCOMES = "outcomes"
    DISTINCT_PEOPLE_WITH_OUTCOME = "distinct_people_with_outcome"


class Dimension(enum.StrEnum):
    SEX = "sex"
    AGE_BAND = "age_band"
    DISABILITY = "disability"
    PROVINCE = "province"
    DISTRICT = "district"
    COMMUNE = "commune"
    ORGANISATION = "organisation"
    ID_POOR = "id_poor"  # cells: the IdPoor codes
    # Sensitive self-identifications, one dimension each (a person may be in several): cells
    # yes / no / not_recorded, read only under consent.
    INDIGENOUS = "self_identification:indigenous"
    LGBTQI = "self_identification:lgbtqi"
    LIVING_WITH_HIV = "self_identification:living_with_hiv"


SELF_IDENTIFICATION_DIMENSIONS = (Dimension.INDIGENOUS, Dimension.LGBTQI, Dimension.LIVING_WITH_HIV)
ATTRIBUTE_PREFIX = "attribute:"


@dataclasses.dataclass(frozen=True)
class AttributeDimension:
    """A split by a custom person attribute (`PersonAttribute.code`): cells yes / no."""

    code: str

    def __post_init__(self) -> None:
        if not ATTRIBUTE_CODE_RE.match(self.code) or len(self.code) > 40:
            raise IndicatorError(f"“{self.code}” is not an attribute code.")

    def __str__(self) -> str:
        return f"{ATTRIBUTE_PREFIX}{self.code}"


DimensionKey = Dimension | AttributeDimension

AREA_DIMENSIONS = (Dimension.PROVINCE, Dimension.DISTRICT, Dimension.COMMUNE)
PERSON_DIMENSIONS = frozenset(Dimension)
ACTIVITY_DIMENSIONS = frozenset({*AREA_DIMENSIONS, Dimension.ORGANISATION})
HEADCOUNT_DIMENSIONS = frozenset({*ACTIVITY_DIMENSIONS, Dimension.SEX, Dimension.AGE_BAND})

AgeBand = tuple[int, int | None]  # inclusive; None is "and older"
DEFAULT_AGE_BANDS: tuple[AgeBand, ...] = ((0, 14), (15, 17), (18, 24), (25, 49), (50, None))


def age_band_label(band: AgeBand) -> str:
    low, high = band
    return f"{low}+" if high is None else f"{low}-{high}"


@dataclasses.dataclass(frozen=True)
class Period:
    """Local dates, both inclusive."""

    start: datetime.date
    end: datetime.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise IndicatorError("A period ends on or after its start.")

    @classmethod
    def parse(cls, text: str) -> "Period":
        """`2024Q3`, `2024`, `2024-07` or `2022-01-01..2023-12-31`."""
        text = text.strip()
        if ".." in text:
            first, last = text.split("..", 1)
            return cls(datetime.date.fromisoformat(first), datetime.date.fromisoformat(last))
        if len(text) == 6 and text[4] in "Qq" and text[:4].isdigit() and text[5] in "1234":
            year, quarter = int(text[:4]), int(text[5])
            start = datetime.date(year, 3 * quarter - 2, 1)
            return cls(start, _month_end(year, 3 * quarter))
        if len(text) == 4 and text.isdigit():
            return cls(datetime.date(int(text), 1, 1), datetime.date(int(text), 12, 31))
        if len(text) == 7 and text[4] == "-" and text[:4].isdigit() and text[5:].isdigit():
            year, month = int(text[:4]), int(text[5:])
            return cls(datetime.date(year, month, 1), _month_end(year, month))
        raise IndicatorError(f"Unknown period “{text}”: write 2024Q3, 2024, 2024-07 or a..b.")

    def __str__(self) -> str:
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


def _month_end(year: int, month: int) -> datetime.date:
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


@dataclasses.dataclass(frozen=True)
class Filters:
    """Which records count. Empty means "any". Codes are vocabulary codes; ids are primary keys."""

    activity_kinds: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()  # an activity with any of these topics
    projects: tuple[int, ...] = ()
    groups: tuple[int, ...] = ()  # a group, or a network and all its groups
    group_kinds: tuple[str, ...] = ()
    outcome_kinds: tuple[str, ...] = ()
    area_path: str = ""  # the activity's place, the group's area, or the person's village
    sex: str = ""
    id_poor: tuple[str, ...] = ()  # IdPoor codes
    attributes: tuple[str, ...] = ()  # PersonAttribute codes: people with any of them set


@dataclasses.dataclass(frozen=True)
class IndicatorDefinition:
    measure: Measure
    filters: Filters = Filters()
    dimensions: tuple[DimensionKey, ...] = ()
    age_bands: tuple[AgeBand, ...] = DEFAULT_AGE_BANDS

    def __post_init__(self) -> None:
        spec = _SPECS[self.measure]
        refused = [
            dimension
            for dimension in self.dimensions
            if not (
                dimension in spec.dimensions
                if isinstance(dimension, Dimension)
                else spec.person is not None
            )
        ]
        if refused:
            raise IndicatorError(
                f"{self.measure} cannot be split by {', '.join(map(str, refused))}."
            )
        if len(set(self.dimensions)) != len(self.dimensions):
            raise IndicatorError("A dimension is named twice.")
        used = {
            field.name
            for field in dataclasses.fields(Filters)
            if getattr(self.filters, field.name) not in ((), "")
        }
        unknown = used - _SPECS[self.measure].filters
        if unknown:
            raise IndicatorError(
                f"{self.measure} cannot be filtered by {', '.join(sorted(unknown))}."
            )
        for low, high in self.age_bands:
            if high is not None and high < low:
                raise IndicatorError("An age band ends at or after its start.")


Cell = tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class IndicatorValue:
    definition: IndicatorDefinition
    period: Period
    total: int
    cells: dict[Cell, int]  # keyed by the values of definition.dimensions, in order
    organisations: tuple[int, ...] = ()  # whose records were counted

    def by(self, dimension: DimensionKey) -> dict[str, int]:
        """Cells summed over every other dimension."""
        index = self.definition.dimensions.index(dimension)
        out: dict[str, int] = {}
        for cell, value in self.cells.items():
            out[cell[index]] = out.get(cell[index], 0) + value
        return out


@dataclasses.dataclass(frozen=True)
class _Spec:
    model: type[models.Model]
    date: str  # the event date's path, for the period and ages
    person: str | None  # the person's path, for person-counting measures
    area: str  # the area's path, for area dimensions
    dimensions: frozenset[Dimension]
    filters: frozenset[str]


_ACTIVITY_FILTERS = frozenset(
    {"activity_kinds", "topics", "projects", "groups", "group_kinds", "area_path"}
)
_PERSON_FILTERS = frozenset({"sex", "id_poor", "attributes"})
_PERSON_ACTIVITY_FILTERS = _ACTIVITY_FILTERS | _PERSON_FILTERS
_MEMBERSHIP_FILTERS = (
    frozenset({"projects", "groups", "group_kinds", "area_path"}) | _PERSON_FILTERS
)
_OUTCOME_FILTERS = frozenset({"outcome_kinds", "projects", "area_path"}) | _PERSON_FILTERS

_SPECS: dict[Measure, _Spec] = {
    Measure.DISTINCT_PEOPLE: _Spec(
        Attendance,
        "activity__date",
        "person",
        "person__village",
        PERSON_DIMENSIONS,
        _PERSON_ACTIVITY_FILTERS,
    ),
    Measure.ATTENDANCES: _Spec(
        Attendance,
        "activity__date",
        "person",
        "person__village",
        PERSON_DIMENSIONS,
        _PERSON_ACTIVITY_FILTERS,
    ),
    Measure.SESSIONS: _Spec(Activity, "date", None, "area", ACTIVITY_DIMENSIONS, _ACTIVITY_FILTERS),
    Measure.HEADCOUNT: _Spec(
        Headcount,
        "activity__date",
        None,
        "activity__area",
        HEADCOUNT_DIMENSIONS,
        _ACTIVITY_FILTERS | {"sex"},
    ),
    Measure.GROUP_MEMBERS_ACTIVE_AT_END: _Spec(
        Membership, "joined_on", "person", "person__village", PERSON_DIMENSIONS, _MEMBERSHIP_FILTERS
    ),
    Measure.NEW_GROUP_MEMBERS: _Spec(
        Membership, "joined_on", "person", "person__village", PERSON_DIMENSIONS, _MEMBERSHIP_FILTERS
    ),
    Measure.OUTCOMES: _Spec(
        Outcome, "date", "person", "person__village", PERSON_DIMENSIONS, _OUTCOME_FILTERS
    ),
    Measure.DISTINCT_PEOPLE_WITH_OUTCOME: _Spec(
        Outcome, "date", "person", "person__village", PERSON_DIMENSIONS, _OUTCOME_FILTERS
    ),
}

# Measures that count each person once: a person's cells are those of her first record.
_DISTINCT_MEASURES = frozenset(
    {
        Measure.DISTINCT_PEOPLE,
        Measure.GROUP_MEMBERS_ACTIVE_AT_END,
        Measure.NEW_GROUP_MEMBERS,
        Measure.DISTINCT_PEOPLE_WITH_OUTCOME,
    }
)


# --- the records a definition counts ------------------------------------------------------------


def _activity_q(filters: Filters, prefix: str) -> Q:
    """Conditions on an activity reached through `prefix` ("" for Activity itself)."""
    q = Q()
    if filters.activity_kinds:
        q &= Q(**{f"{prefix}kind__code__in": filters.activity_kinds})
    if filters.projects:
        q &= Q(**{f"{prefix}project_id__in": filters.projects})
    if filters.groups:
        q &= Q(**{f"{prefix}group_id__in": filters.groups}) | Q(
            **{f"{prefix}group__parent_id__in": filters.groups}
        )
    if filters.group_kinds:
        q &= Q(**{f"{prefix}group__kind__code__in": filters.group_kinds})
    if filters.area_path:
        q &= Q(**{f"{prefix}area__path__startswith": filters.area_path})
    if filters.topics:
        # EXISTS rather than a join: an activity with two matching topics still counts once.
        tagged = Activity.topics.through.objects.filter(
            activity_id=OuterRef(f"{prefix}pk" if prefix else "pk"),
            topic__code__in=filters.topics,
        )
        q &= Q(Exists(tagged))
    return q


def _records(
    definition: IndicatorDefinition, *, organisations: Sequence[int], period: Period
) -> models.QuerySet[Any]:
    measure, filters = definition.measure, definition.filters
    spec = _SPECS[measure]
    # The default manager leaves voided records out (samaki/records.py); a record of a voided
    # session is voided with it, and the session's own condition says so once more.
    queryset = spec.model._default_manager.filter(organisation_id__in=list(organisations))
    if measure in (Measure.DISTINCT_PEOPLE, Measure.ATTENDANCES, Measure.HEADCOUNT):
        queryset = queryset.filter(
            _activity_q(filters, "activity__"),
            activity__date__range=(period.start, period.end),
            activity__voided_at__isnull=True,
        )
    elif measure == Measure.SESSIONS:
        queryset = queryset.filter(_activity_q(filters, ""), date__range=(period.start, period.end))
    elif measure == Measure.GROUP_MEMBERS_ACTIVE_AT_END:
        queryset = queryset.filter(
            Q(left_on__isnull=True) | Q(left_on__gt=period.end), joined_on__lte=period.end
        )
    elif measure == Measure.NEW_GROUP_MEMBERS:
        queryset = queryset.filter(joined_on__range=(period.start, period.end))
    else:
        queryset = queryset.filter(date__range=(period.start, period.end))
    if spec.model is Membership:
        if filters.projects:
            queryset = queryset.filter(group__project_id__in=filters.projects)
        if filters.groups:
            queryset = queryset.filter(
                Q(group_id__in=filters.groups) | Q(group__parent_id__in=filters.groups)
            )
        if filters.group_kinds:
            queryset = queryset.filter(group__kind__code__in=filters.group_kinds)
        if filters.area_path:
            queryset = queryset.filter(group__area__path__startswith=filters.area_path)
    if spec.model is Outcome:
        if filters.outcome_kinds:
            queryset = queryset.filter(kind__code__in=filters.outcome_kinds)
        if filters.projects:
            queryset = queryset.filter(project_id__in=filters.projects)
        if filters.area_path:
            queryset = queryset.filter(person__village__path__startswith=filters.area_path)
    if filters.sex:
        queryset = queryset.filter(**{"sex" if spec.person is None else "person__sex": filters.sex})
    if filters.id_poor:
        queryset = queryset.filter(person__id_poor__in=filters.id_poor)
    if filters.attributes:
        queryset = queryset.filter(_has_attribute(OuterRef("person_id"), filters.attributes))
    return queryset


def _has_attribute(person: OuterRef, codes: Sequence[str]) -> Exists:
    """The person has one of these attributes set (an EXISTS, so no row is repeated)."""
    return Exists(
        PersonAttributeValue.objects.filter(
            person_id=person, attribute__code__in=list(codes), value=True
        )
    )


# --- ages, disability, areas as SQL -------------------------------------------------------------


def age_expression(event_date: str | datetime.date, person: str = "") -> models.Expression:
    """Whole years of age on the event's date: from the date of birth where it is known, else
    the event's year less the year of birth; NULL when neither is known.

    `event_date` is a field path or a fixed date (a group's membership at the period's end).
    """
    prefix = f"{person}__" if person else ""
    birth_date = F(f"{prefix}birth_date")
    if isinstance(event_date, datetime.date):
        year: Any = Value(event_date.year)
        month_day: Any = Value(event_date.month * 100 + event_date.day)
    else:
        year = ExtractYear(event_date)
        month_day = ExtractMonth(event_date) * 100 + ExtractDay(event_date)
    birthday_to_come = models.Case(
        models.When(
            LessThan(month_day, ExtractMonth(birth_date) * 100 + ExtractDay(birth_date)),
            then=Value(1),
        ),
        default=Value(0),
    )
    return models.Case(
        models.When(
            Q(**{f"{prefix}birth_date__isnull": False}),
            then=year - ExtractYear(birth_date) - birthday_to_come,
        ),
        models.When(
            Q(**{f"{prefix}birth_year__isnull": False}), then=year - F(f"{prefix}birth_year")
        ),
        default=Value(None),
        output_field=models.IntegerField(),
    )


def _age_band_expression(age: str, bands: Sequence[AgeBand]) -> models.Expression:
    whens = []
    for low, high in bands:
        condition = Q(**{f"{age}__gte": low})
        if high is not None:
            condition &= Q(**{f"{age}__lte": high})
        whens.append(models.When(condition, then=Value(age_band_label((low, high)))))
    return models.Case(*whens, default=Value(UNKNOWN), output_field=models.CharField())


def _prefixed(q: Q, prefix: str) -> Q:
    """`q` with every lookup moved under `prefix` (Person's Q, applied from an attendance)."""
    out = Q()
    out.connector, out.negated = q.connector, q.negated
    out.children = [
        _prefixed(child, prefix) if isinstance(child, Q) else (f"{prefix}{child[0]}", child[1])  # type: ignore[index]
        for child in q.children
    ]
    return out


def disability_expression(person: str) -> models.Expression:
    """`Person.disability_expression()` for the person reached through `person`."""
    case = Person.disability_expression()
    for when in case.cases:
        when.condition = _prefixed(when.condition, f"{person}__")
    return case


def _headcount_band_expression() -> models.Expression:
    upper = models.Case(
        models.When(age_max__isnull=True, then=Value("+")),
        default=Concat(Value("-"), Cast("age_max", models.CharField())),
        output_field=models.CharField(),
    )
    return Concat(Cast("age_min", models.CharField()), upper, output_field=models.CharField())


def _key(dimension: DimensionKey) -> str:
    """The annotation a dimension's cell is read from."""
    return "d_" + str(dimension).replace(":", "_")


_PERSON_ONLY = frozenset({Dimension.ID_POOR, *SELF_IDENTIFICATION_DIMENSIONS})


def _self_identification_expression(
    dimension: Dimension, person: OuterRef, period: Period
) -> models.Expression:
    """yes / no where she consented to sensitive data being recorded (given by the period's
    end, never withdrawn) and answered; `not_recorded` for everyone else."""
    consented = Exists(
        Consent.objects.filter(
            person_id=person,
            purpose=ConsentPurpose.SENSITIVE,
            given_on__lte=period.end,
            withdrawn_on__isnull=True,
        )
    )
    answers = SelfIdentification.objects.filter(person_id=person)
    if dimension == Dimension.INDIGENOUS:
        yes, no = answers.exclude(indigenous_group=""), answers.filter(indigenous_group="")
    elif dimension == Dimension.LGBTQI:
        yes, no = answers.filter(lgbtqi=True), answers.filter(lgbtqi=False)
    else:
        yes, no = answers.filter(living_with_hiv=True), answers.filter(living_with_hiv=False)
    return models.Case(
        models.When(Q(consented) & Q(Exists(yes)), then=Value(YES)),
        models.When(Q(consented) & Q(Exists(no)), then=Value(NO)),
        default=Value(NOT_RECORDED),
        output_field=models.CharField(),
    )


def _person_only_expression(dimension: DimensionKey, *, person: str, period: Period) -> Any:
    """A dimension only a person has (ID Poor, self-identification, a custom attribute), for
    the person reached through `person` ("" for Person itself)."""
    ref = OuterRef(f"{person}_id" if person else "pk")
    if isinstance(dimension, AttributeDimension):
        return models.Case(
            models.When(_has_attribute(ref, [dimension.code]), then=Value(YES)),
            default=Value(NO),
            output_field=models.CharField(),
        )
    if dimension == Dimension.ID_POOR:
        return F(f"{person}__id_poor" if person else "id_poor")
    return _self_identification_expression(dimension, ref, period)


def _dimension_expressions(definition: IndicatorDefinition, period: Period) -> dict[str, Any]:
    spec = _SPECS[definition.measure]
    expressions: dict[str, Any] = {}
    for dimension in definition.dimensions:
        key = _key(dimension)
        if isinstance(dimension, AttributeDimension) or dimension in _PERSON_ONLY:
            assert spec.person is not None  # noqa: S101 - refused in IndicatorDefinition
            expressions[key] = _person_only_expression(dimension, person=spec.person, period=period)
        elif dimension == Dimension.SEX:
            expressions[key] = F("sex" if spec.person is None else f"{spec.person}__sex")
        elif dimension == Dimension.AGE_BAND:
            if definition.measure == Measure.HEADCOUNT:
                expressions[key] = _headcount_band_expression()
            else:
                expressions[key] = _age_band_expression("_age", definition.age_bands)
        elif dimension == Dimension.DISABILITY:
            assert spec.person is not None  # noqa: S101 - refused in IndicatorDefinition
            expressions[key] = disability_expression(spec.person)
        elif dimension in AREA_DIMENSIONS:
            expressions[key] = F(f"{spec.area}__{dimension}__code")
        elif dimension == Dimension.ORGANISATION:
            expressions[key] = F(
                "organisation__slug"
                if spec.person is None
                else f"{spec.person}__organisation__slug"
            )
    return expressions


def _first_records(
    definition: IndicatorDefinition, *, organisations: Sequence[int], period: Period
) -> models.QuerySet[Any]:
    """The ids of each person's first qualifying record (earliest date, then lowest id).

    A window (`ROW_NUMBER() OVER (PARTITION BY person ORDER BY date, id)`) rather than a
    correlated subquery per record: the database numbers the period's records in one sort,
    where the subquery looked each person's records up again for every one of her records
    (docs/benchmarks.md: 2.9 s against 0.7 s at 100,000 people).

    `_rank <= 1` rather than `_rank = 1`, the same rows: PostgreSQL guesses that an equality
    on a computed column keeps 0.5 % of the rows and then looks each kept record up by
    nested loop; for an inequality it guesses a third, and hashes (35 s against 10 s at
    1,000,000 people).
    """
    spec = _SPECS[definition.measure]
    ranked = _records(definition, organisations=organisations, period=period).annotate(
        _rank=Window(
            RowNumber(),
            partition_by=[F("person_id")],
            order_by=[F(spec.date).asc(), F("pk").asc()],
        )
    )
    return ranked.filter(_rank__lte=1).values("pk")


def _annotated(
    definition: IndicatorDefinition, *, organisations: Sequence[int], period: Period
) -> models.QuerySet[Any]:
    """The counted records, each annotated with its cell (`d_<dimension>`)."""
    measure = definition.measure
    spec = _SPECS[measure]
    records = _records(definition, organisations=organisations, period=period)
    if measure in _DISTINCT_MEASURES and Dimension.AGE_BAND in definition.dimensions:
        # Keep only each person's first qualifying record: her age band is read from it.
        records = records.filter(
            pk__in=_first_records(definition, organisations=organisations, period=period)
        )
    if Dimension.AGE_BAND in definition.dimensions and measure != Measure.HEADCOUNT:
        assert spec.person is not None  # noqa: S101
        event_date: str | datetime.date = (
            period.end if measure == Measure.GROUP_MEMBERS_ACTIVE_AT_END else spec.date
        )
        records = records.annotate(_age=age_expression(event_date, spec.person))
    return records.annotate(**_dimension_expressions(definition, period))


def _people_counted(
    definition: IndicatorDefinition, *, organisations: Sequence[int], period: Period
) -> models.QuerySet[Any]:
    """For a distinct measure split only by the person's own attributes: the people with a
    qualifying record (`id IN (…)`), each annotated with her cell and counted once.

    The same count as `COUNT(DISTINCT person_id)` over the records, without sorting every
    record by person: the database builds the set of ids once (docs/benchmarks.md).
    """
    people = Person.objects.filter(
        pk__in=_records(definition, organisations=organisations, period=period).values("person_id")
    )
    expressions: dict[str, Any] = {}
    for dimension in definition.dimensions:
        key = _key(dimension)
        if isinstance(dimension, AttributeDimension) or dimension in _PERSON_ONLY:
            expressions[key] = _person_only_expression(dimension, person="", period=period)
        elif dimension == Dimension.SEX:
            expressions[key] = F("sex")
        elif dimension == Dimension.DISABILITY:
            expressions[key] = Person.disability_expression()
        elif dimension in AREA_DIMENSIONS:
            expressions[key] = F(f"village__{dimension}__code")
        elif dimension == Dimension.ORGANISATION:
            expressions[key] = F("organisation__slug")
    return people.annotate(**expressions)


def _aggregate(measure: Measure) -> models.Aggregate:
    if measure in _DISTINCT_MEASURES:
        return Count("person_id", distinct=True)
    if measure == Measure.HEADCOUNT:
        return Sum("count")
    return Count("pk")


def indicator_compute(
    definition: IndicatorDefinition, *, organisations: Sequence[int], period: Period
) -> IndicatorValue:
    """The value and its cells, from one aggregate query.

    For distinct measures split by age band, each person is kept at her first record so every
    person lies in exactly one cell; for every other split the dimensions are the person's own
    (or the record's), so each counted unit lies in one cell. Either way the total is the sum of
    the cells.
    """
    keys = [_key(dimension) for dimension in definition.dimensions]
    if definition.measure in _DISTINCT_MEASURES and Dimension.AGE_BAND not in definition.dimensions:
        records = _people_counted(definition, organisations=organisations, period=period)
        aggregate: models.Aggregate = Count("pk")  # each person is one row already
    elif definition.measure in _DISTINCT_MEASURES:
        # Split by age band: one record per person is left, her first.
        records = _annotated(definition, organisations=organisations, period=period)
        aggregate = Count("pk")
    else:
        records = _annotated(definition, organisations=organisations, period=period)
        aggregate = _aggregate(definition.measure)
    if keys:
        rows = list(records.values(*keys).annotate(n=aggregate).order_by())
    else:
        rows = [records.aggregate(n=aggregate)]
    cells: dict[Cell, int] = {}
    for row in rows:
        cell = tuple(UNKNOWN if row[key] is None else str(row[key]) for key in keys)
        if row["n"]:
            cells[cell] = cells.get(cell, 0) + int(row["n"])
    return IndicatorValue(
        definition=definition,
        period=period,
        total=sum(cells.values()),
        cells=cells,
        organisations=tuple(organisations),
    )


@dataclasses.dataclass(frozen=True)
class RecordRef:
    """One pseudonymous record behind a value: what it is, its id, its date, its person's id."""

    kind: str
    pk: int
    date: datetime.date | None
    person_id: int | None
    cell: Cell

    @property
    def person_code(self) -> str:
        return f"P{self.person_id:06d}" if self.person_id is not None else ""


def indicator_records(
    definition: IndicatorDefinition,
    *,
    organisations: Sequence[int],
    period: Period,
    cell: Cell | None = None,
    limit: int = 1000,
) -> list[RecordRef]:
    """The records a value counts (for distinct measures, each person's first record), in date
    order; only those of `cell` when it is given. Ids and dates only, never a name."""
    measure = definition.measure
    spec = _SPECS[measure]
    records = _annotated(definition, organisations=organisations, period=period)
    if measure in _DISTINCT_MEASURES and Dimension.AGE_BAND not in definition.dimensions:
        records = records.filter(
            pk__in=_first_records(definition, organisations=organisations, period=period)
        )
    if cell is not None:
        for dimension, value in zip(definition.dimensions, cell, strict=True):
            key = _key(dimension)
            records = records.filter(
                Q(**{f"{key}__isnull": True}) | Q(**{key: UNKNOWN})
                if value == UNKNOWN
                else Q(**{key: value})
            )
    person_field = "person_id" if spec.person else None
    fields = ["pk", spec.date, *(_key(d) for d in definition.dimensions)]
    if person_field:
        fields.append(person_field)
    out = []
    for row in records.order_by(spec.date, "pk").values(*fields)[:limit]:
        out.append(
            RecordRef(
                kind=spec.model._meta.model_name or "",
                pk=row["pk"],
                date=row[spec.date],
                person_id=row.get("person_id"),
                cell=tuple(
                    UNKNOWN if row[_key(d)] is None else str(row[_key(d)])
                    for d in definition.dimensions
                ),
            )
        )
    return out


# --- stored dimensions, and the indicator form's choices ---------------------------------------


def parse_dimensions(text: str) -> tuple[DimensionKey, ...]:
    """Comma-separated stored codes (`sex,age_band,id_poor,self_identification:lgbtqi,
    attribute:migrant`) → `IndicatorDefinition.dimensions`. An unknown code raises
    `IndicatorError`; whether the measure accepts each one is `IndicatorDefinition`'s check."""
    out: list[DimensionKey] = []
    for code in (part.strip() for part in text.split(",")):
        if not code:
            continue
        if code.startswith(ATTRIBUTE_PREFIX):
            out.append(AttributeDimension(code.removeprefix(ATTRIBUTE_PREFIX)))
            continue
        try:
            out.append(Dimension(code))
        except ValueError:
            known = ", ".join([*map(str, Dimension), f"{ATTRIBUTE_PREFIX}<code>"])
            raise IndicatorError(f"Unknown disaggregation “{code}”: use one of {known}.") from None
    return tuple(out)


def format_dimensions(dimensions: Sequence[DimensionKey]) -> str:
    """The inverse of `parse_dimensions`: the codes as stored."""
    return ",".join(map(str, dimensions))


_DIMENSION_LABELS: dict[Dimension, Any] = {
    Dimension.SEX: _("Sex"),
    Dimension.AGE_BAND: _("Age band"),
    Dimension.DISABILITY: _("Disability (Washington Group)"),
    Dimension.PROVINCE: _("Province"),
    Dimension.DISTRICT: _("District"),
    Dimension.COMMUNE: _("Commune"),
    Dimension.ORGANISATION: _("Organisation"),
    Dimension.ID_POOR: _("ID Poor status"),
    Dimension.INDIGENOUS: _("Indigenous group (with consent)"),
    Dimension.LGBTQI: _("LGBTQI+ (with consent)"),
    Dimension.LIVING_WITH_HIV: _("Living with HIV (with consent)"),
}


def dimension_label(
    dimension: DimensionKey, *, attribute_names: dict[str, str] | None = None
) -> str:
    """The dimension's name in the active language; an attribute's from `attribute_names`
    (code → name), else its code."""
    if isinstance(dimension, AttributeDimension):
        return (attribute_names or {}).get(dimension.code, dimension.code)
    return str(_DIMENSION_LABELS[dimension])


def dimension_choices(
    *, organisation_id: int, project_id: int | None, keep: Sequence[str] = ()
) -> list[tuple[str, str]]:
    """(code, label) for an indicator form's disaggregation checkboxes: the built-in dimensions,
    ID Poor, the self-identifications, and the attributes declared for the organisation or for
    `project_id` that are not retired (a retired one stays offered when its code is in `keep`,
    the indicator's stored codes, so an edit does not lose it). One query."""
    choices = [(str(dimension), str(_DIMENSION_LABELS[dimension])) for dimension in Dimension]
    scope = Q(project__isnull=True)
    if project_id is not None:
        scope |= Q(project_id=project_id)
    kept = [
        code.removeprefix(ATTRIBUTE_PREFIX) for code in keep if code.startswith(ATTRIBUTE_PREFIX)
    ]
    attributes = PersonAttribute.objects.filter(scope, organisation_id=organisation_id).filter(
        Q(retired=False) | Q(code__in=kept)
    )
    choices += [(f"{ATTRIBUTE_PREFIX}{a.code}", a.name) for a in attributes.order_by("code")]
    return choices


def attribute_names(*, organisation_ids: Sequence[int]) -> dict[str, str]:
    """code → name in the active language, for labelling attribute dimensions. One query."""
    names: dict[str, str] = {}
    for attribute in PersonAttribute.objects.filter(organisation_id__in=list(organisation_ids)):
        names.setdefault(attribute.code, attribute.name)
    return names
