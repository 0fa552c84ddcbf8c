"""The engine equals a plain-Python reference on random data, for every measure and dimension.

The reference reads every row into Python and applies the counting rules of docs/indicators.md
literally (a person counted once is classified by her first record in the period). Hypothesis
builds random people, groups, memberships, activities, attendance, headcounts and outcomes over
two organisations and checks that the engine's cells, its total and its drill-down agree.
"""

import datetime
from collections import defaultdict

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samaki.activities.models import Activity, ActivityKind, Attendance, Headcount, Topic
from samaki.areas.models import Area
from samaki.groups.models import Group, GroupKind, Membership
from samaki.organisations.models import Organisation
from samaki.outcomes.models import Outcome, OutcomeKind
from samaki.people.models import (
    WG_FIELDS,
    Consent,
    ConsentPurpose,
    IdPoor,
    Person,
    PersonAttribute,
    PersonAttributeValue,
    SelfIdentification,
)
from samaki.projects.models import Project
from samaki.results.engine import (
    _SPECS,
    NO,
    NOT_RECORDED,
    UNKNOWN,
    YES,
    AttributeDimension,
    Dimension,
    Filters,
    IndicatorDefinition,
    Measure,
    Period,
    age_band_label,
    indicator_compute,
    indicator_records,
)

pytestmark = pytest.mark.django_db

KINDS = ["training", "workshop", "home_visit"]
TOPICS = ["health", "business", "rights"]
GROUP_KINDS = ["smart_women", "producer_group"]
OUTCOME_KINDS = ["business_started", "id_card"]
VILLAGES = ["17020101", "17020102", "17030101", "02010101"]
YEAR = 2024
BANDS = ((0, 17), (18, 24), (25, 49), (50, None))
# One band per year of age: an age one year off, or read at the wrong event, changes the cell.
YEARLY_BANDS = (*((age, age) for age in range(75)), (75, None))
ATTRIBUTES = ["migrant", "single_mother"]

dates = st.dates(datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31))


# --- the reference --------------------------------------------------------------------------


def _band(age: int | None, bands) -> str:
    if age is not None:
        for low, high in bands:
            if age >= low and (high is None or age <= high):
                return age_band_label((low, high))
    return UNKNOWN


def _area_code(area: Area, dimension: Dimension) -> str:
    ancestor = getattr(area, f"{dimension}")
    return ancestor.code if ancestor else UNKNOWN


def _activity_matches(activity: Activity, filters: Filters) -> bool:
    topics = {topic.code for topic in activity.topics.all()}
    return (
        (not filters.activity_kinds or activity.kind.code in filters.activity_kinds)
        and (not filters.topics or bool(topics & set(filters.topics)))
        and (not filters.projects or activity.project_id in filters.projects)
        and (
            not filters.groups
            or activity.group_id in filters.groups
            or (activity.group is not None and activity.group.parent_id in filters.groups)
        )
        and (
            not filters.group_kinds
            or (activity.group is not None and activity.group.kind.code in filters.group_kinds)
        )
        and activity.area.path.startswith(filters.area_path)
    )


def _group_matches(group: Group, filters: Filters) -> bool:
    return (
        (not filters.projects or group.project_id in filters.projects)
        and (not filters.groups or group.pk in filters.groups or group.parent_id in filters.groups)
        and (not filters.group_kinds or group.kind.code in filters.group_kinds)
        and group.area.path.startswith(filters.area_path)
    )


def _person_matches(person: Person, filters: Filters) -> bool:
    return (
        (not filters.sex or person.sex == filters.sex)
        and (not filters.id_poor or person.id_poor in filters.id_poor)
        and (not filters.attributes or bool(_attributes(person) & set(filters.attributes)))
    )


def _attributes(person: Person) -> set[str]:
    return set(
        PersonAttributeValue.objects.filter(person=person, value=True).values_list(
            "attribute__code", flat=True
        )
    )


def _self_identification(person: Person, dimension: Dimension, period: Period) -> str:
    """docs/indicators.md: read only under a sensitive consent given by the period's end and
    never withdrawn; otherwise "not_recorded"."""
    consented = any(
        consent.purpose == ConsentPurpose.SENSITIVE
        and consent.given_on <= period.end
        and consent.withdrawn_on is None
        for consent in Consent.objects.filter(person=person)
    )
    answers = SelfIdentification.objects.filter(person=person).first()
    if not consented or answers is None:
        return NOT_RECORDED
    if dimension == Dimension.INDIGENOUS:
        return YES if answers.indigenous_group else NO
    answer = answers.lgbtqi if dimension == Dimension.LGBTQI else answers.living_with_hiv
    return NOT_RECORDED if answer is None else (YES if answer else NO)


def reference(definition: IndicatorDefinition, organisations, period: Period):
    """(cells, the counted person ids or record ids) by reading every row."""
    measure, filters = definition.measure, definition.filters
    inside = lambda day: period.start <= day <= period.end  # noqa: E731
    # Each record: (date, pk, person or None, area, organisation slug, sex, age band, weight)
    records = []
    if measure in (Measure.DISTINCT_PEOPLE, Measure.ATTENDANCES):
        for row in Attendance.objects.all():
            activity, person = row.activity, row.person
            if (
                row.organisation_id in organisations
                and inside(activity.date)
                and _activity_matches(activity, filters)
                and _person_matches(person, filters)
            ):
                records.append((activity.date, row.pk, person, None, None, None, None, 1))
    elif measure == Measure.SESSIONS:
        for activity in Activity.objects.all():
            if (
                activity.organisation_id in organisations
                and inside(activity.date)
                and _activity_matches(activity, filters)
            ):
                org = activity.organisation.slug
                records.append((activity.date, activity.pk, None, activity.area, org, "", "", 1))
    elif measure == Measure.HEADCOUNT:
        for row in Headcount.objects.all():
            activity = row.activity
            if (
                row.organisation_id in organisations
                and inside(activity.date)
                and _activity_matches(activity, filters)
                and (not filters.sex or row.sex == filters.sex)
            ):
                band = age_band_label((row.age_min, row.age_max))
                org = row.organisation.slug
                records.append(
                    (activity.date, row.pk, None, activity.area, org, row.sex, band, row.count)
                )
    elif measure in (Measure.GROUP_MEMBERS_ACTIVE_AT_END, Measure.NEW_GROUP_MEMBERS):
        for row in Membership.objects.all():
            if measure == Measure.GROUP_MEMBERS_ACTIVE_AT_END:
                counted = row.active_on(period.end)
            else:
                counted = inside(row.joined_on)
            if (
                row.organisation_id in organisations
                and counted
                and _group_matches(row.group, filters)
                and _person_matches(row.person, filters)
            ):
                records.append((row.joined_on, row.pk, row.person, None, None, None, None, 1))
    else:
        for row in Outcome.objects.all():
            if (
                row.organisation_id in organisations
                and inside(row.date)
                and (not filters.outcome_kinds or row.kind.code in filters.outcome_kinds)
                and (not filters.projects or row.project_id in filters.projects)
                and row.person.village.path.startswith(filters.area_path)
                and _person_matches(row.person, filters)
            ):
                records.append((row.date, row.pk, row.person, None, None, None, None, 1))

    distinct = measure in (
        Measure.DISTINCT_PEOPLE,
        Measure.GROUP_MEMBERS_ACTIVE_AT_END,
        Measure.NEW_GROUP_MEMBERS,
        Measure.DISTINCT_PEOPLE_WITH_OUTCOME,
    )
    if distinct:
        first: dict[int, tuple] = {}
        for record in sorted(records, key=lambda r: (r[0], r[1])):
            first.setdefault(record[2].pk, record)
        records = list(first.values())

    cells: dict[tuple, int] = defaultdict(int)
    for day, _pk, person, area, org, sex, band, weight in records:
        if person is not None:
            area = person.village
            org = person.organisation.slug
            sex = person.sex
            age_day = period.end if measure == Measure.GROUP_MEMBERS_ACTIVE_AT_END else day
            band = _band(person.age_on(age_day), definition.age_bands)
        cell = []
        for dimension in definition.dimensions:
            if isinstance(dimension, AttributeDimension):
                cell.append(YES if dimension.code in _attributes(person) else NO)
            elif dimension == Dimension.ID_POOR:
                cell.append(person.id_poor)
            elif dimension in (Dimension.INDIGENOUS, Dimension.LGBTQI, Dimension.LIVING_WITH_HIV):
                cell.append(_self_identification(person, dimension, period))
            elif dimension == Dimension.SEX:
                cell.append(sex)
            elif dimension == Dimension.AGE_BAND:
                cell.append(band)
            elif dimension == Dimension.DISABILITY:
                cell.append(person.disability.value)
            elif dimension == Dimension.ORGANISATION:
                cell.append(org)
            else:
                cell.append(_area_code(area, dimension))
        cells[tuple(cell)] += weight
    keys = {r[2].pk if distinct else r[1] for r in records}
    return {cell: n for cell, n in cells.items() if n}, keys


# --- random worlds ----------------------------------------------------------------------------


@st.composite
def births(draw):
    kind = draw(st.sampled_from(["date", "year", "none"]))
    if kind == "none":
        return {}
    day = draw(st.dates(datetime.date(1950, 1, 1), datetime.date(2020, 12, 31)))
    if draw(st.booleans()):  # born close to the events' days of the year: birthdays matter
        day = draw(st.dates(datetime.date(YEAR - 60, 1, 1), datetime.date(YEAR - 60, 12, 31)))
    if kind == "year":
        return {"birth_year": day.year}
    return {"birth_date": day, "birth_year": day.year}


wg_answers = st.one_of(
    st.just({}),
    st.fixed_dictionaries({name: st.sampled_from([1, 2]) for name in WG_FIELDS}),
    st.fixed_dictionaries({name: st.sampled_from([None, 1, 2, 3, 4]) for name in WG_FIELDS}),
)


def build_world(data, orgs, villages, projects):
    kinds = {k.code: k for k in ActivityKind.objects.filter(organisation=None, code__in=KINDS)}
    topics = {t.code: t for t in Topic.objects.filter(organisation=None, code__in=TOPICS)}
    group_kinds = {
        k.code: k for k in GroupKind.objects.filter(organisation=None, code__in=GROUP_KINDS)
    }
    outcome_kinds = {
        k.code: k for k in OutcomeKind.objects.filter(organisation=None, code__in=OUTCOME_KINDS)
    }
    people = []
    for i in range(data.draw(st.integers(2, 12), label="people")):
        people.append(
            Person.objects.create(
                organisation=data.draw(st.sampled_from(orgs)),
                name_latin=f"Person {i}",
                sex=data.draw(st.sampled_from(["female", "male", "other"])),
                village=data.draw(st.sampled_from(villages)),
                registered_on=datetime.date(2023, 1, 1),
                id_poor=data.draw(st.sampled_from(IdPoor.values)),
                **data.draw(births()),
                **data.draw(wg_answers),
            )
        )
    attributes = {(a.organisation_id, a.code): a for a in PersonAttribute.objects.all()}
    for person in people:
        for code in data.draw(st.sets(st.sampled_from(ATTRIBUTES)), label="attributes"):
            PersonAttributeValue.objects.create(
                organisation_id=person.organisation_id,
                person=person,
                attribute=attributes[(person.organisation_id, code)],
                value=data.draw(st.booleans()),
            )
        if data.draw(st.booleans(), label="self-identified"):
            SelfIdentification.objects.create(
                organisation_id=person.organisation_id,
                person=person,
                indigenous_group=data.draw(st.sampled_from(["", "Bunong"])),
                lgbtqi=data.draw(st.sampled_from([None, True, False])),
                living_with_hiv=data.draw(st.sampled_from([None, True, False])),
                consented_on=datetime.date(YEAR, 1, 1),
            )
        for _ in range(data.draw(st.integers(0, 2), label="consents")):
            given = data.draw(dates)
            Consent.objects.create(
                organisation_id=person.organisation_id,
                person=person,
                purpose=data.draw(
                    st.sampled_from([ConsentPurpose.SENSITIVE, ConsentPurpose.PHOTOS])
                ),
                given_on=given,
                withdrawn_on=data.draw(st.sampled_from([None, given])),
            )
    groups: list[Group] = []
    for i in range(data.draw(st.integers(0, 3), label="groups")):
        parent = data.draw(st.sampled_from([None, *groups]))
        groups.append(
            Group.objects.create(
                organisation=parent.organisation if parent else data.draw(st.sampled_from(orgs)),
                name_en=f"Group {i}",
                kind=group_kinds[data.draw(st.sampled_from(GROUP_KINDS))],
                area=data.draw(st.sampled_from(villages)),
                parent=parent,
                project=data.draw(st.sampled_from([None, *projects])),
            )
        )
    for group in groups:
        candidates = [p for p in people if p.organisation_id == group.organisation_id]
        for person in (
            data.draw(st.lists(st.sampled_from(candidates), unique=True)) if candidates else []
        ):
            joined = data.draw(st.dates(datetime.date(YEAR - 1, 6, 1), datetime.date(YEAR, 12, 31)))
            left = data.draw(
                st.sampled_from(
                    [None, joined + datetime.timedelta(days=data.draw(st.integers(1, 300)))]
                )
            )
            Membership.objects.create(
                organisation=group.organisation,
                group=group,
                person=person,
                joined_on=joined,
                left_on=left,
            )
    for _ in range(data.draw(st.integers(1, 10), label="activities")):
        org = data.draw(st.sampled_from(orgs))
        own_groups = [g for g in groups if g.organisation_id == org.pk]
        activity = Activity.objects.create(
            organisation=org,
            kind=kinds[data.draw(st.sampled_from(KINDS))],
            date=data.draw(dates),
            area=data.draw(st.sampled_from(villages)),
            group=data.draw(st.sampled_from([None, *own_groups])),
            project=data.draw(st.sampled_from([None, *projects])),
        )
        activity.topics.set([topics[c] for c in data.draw(st.sets(st.sampled_from(TOPICS)))])
        candidates = [p for p in people if p.organisation_id == org.pk]
        for person in (
            data.draw(st.lists(st.sampled_from(candidates), unique=True)) if candidates else []
        ):
            Attendance.objects.create(organisation=org, activity=activity, person=person)
        cells = data.draw(
            st.sets(
                st.tuples(
                    st.sampled_from(["female", "male"]), st.sampled_from([(0, 17), (18, None)])
                ),
                max_size=3,
            )
        )
        for sex, (low, high) in cells:
            Headcount.objects.create(
                organisation=org,
                activity=activity,
                sex=sex,
                age_min=low,
                age_max=high,
                count=data.draw(st.integers(0, 50)),
            )
    for person in data.draw(st.lists(st.sampled_from(people), max_size=6)) if people else []:
        Outcome.objects.create(
            organisation=person.organisation,
            person=person,
            kind=outcome_kinds[data.draw(st.sampled_from(OUTCOME_KINDS))],
            date=data.draw(dates),
            project=data.draw(st.sampled_from([None, *projects])),
        )
    return groups


def draw_filters(data, measure, groups, projects) -> Filters:
    allowed = _SPECS[measure].filters
    values = {}
    options = {
        "activity_kinds": st.lists(st.sampled_from(KINDS), min_size=1, max_size=2, unique=True).map(
            tuple
        ),
        "topics": st.lists(st.sampled_from(TOPICS), min_size=1, max_size=2, unique=True).map(tuple),
        "projects": st.just((projects[0].pk,)),
        "groups": st.sampled_from(groups).map(lambda g: (g.pk,)) if groups else st.nothing(),
        "group_kinds": st.lists(st.sampled_from(GROUP_KINDS), min_size=1, unique=True).map(tuple),
        "outcome_kinds": st.lists(st.sampled_from(OUTCOME_KINDS), min_size=1, unique=True).map(
            tuple
        ),
        "area_path": st.sampled_from(["17/", "17/1702/", "17/1702/170201/", "02/"]),
        "sex": st.sampled_from(["female", "male"]),
        "id_poor": st.lists(
            st.sampled_from(IdPoor.values), min_size=1, max_size=2, unique=True
        ).map(tuple),
        "attributes": st.lists(st.sampled_from(ATTRIBUTES), min_size=1, unique=True).map(tuple),
    }
    for name in sorted(allowed):
        if name == "groups" and not groups:
            continue
        if data.draw(st.integers(0, 3), label=f"filter {name}") == 0:
            values[name] = data.draw(options[name], label=name)
    return Filters(**values)


@pytest.fixture
def world_parts(db):
    orgs = [
        Organisation.objects.create(slug="alpha", name_en="Alpha"),
        Organisation.objects.create(slug="beta", name_en="Beta"),
    ]
    villages = list(
        Area.objects.filter(code__in=VILLAGES).select_related("province", "district", "commune")
    )
    assert len(villages) == len(VILLAGES)
    projects = [
        Project.objects.create(
            organisation=orgs[0],
            code=f"p{i}",
            name_en=f"P{i}",
            starts_on=datetime.date(YEAR - 1, 1, 1),
            ends_on=datetime.date(YEAR + 1, 1, 1),
        )
        for i in range(2)
    ]
    for org in orgs:
        for code in ATTRIBUTES:
            PersonAttribute.objects.create(organisation=org, code=code, name_en=code)
    return orgs, villages, projects


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_the_engine_counts_as_the_reference_does(world_parts, data):
    orgs, villages, projects = world_parts
    with transaction.atomic():
        groups = build_world(data, orgs, villages, projects)
        for measure in Measure:
            allowed: list = sorted(_SPECS[measure].dimensions)
            if _SPECS[measure].person is not None:
                allowed += [AttributeDimension(code) for code in ATTRIBUTES]
            dimensions = tuple(
                data.draw(
                    st.lists(st.sampled_from(allowed), max_size=3, unique=True),
                    label=f"{measure} dims",
                )
            )
            definition = IndicatorDefinition(
                measure=measure,
                filters=draw_filters(data, measure, groups, projects),
                dimensions=dimensions,
                age_bands=data.draw(st.sampled_from([BANDS, ((15, 49),), YEARLY_BANDS])),
            )
            start = data.draw(dates, label="start")
            period = Period(
                start, data.draw(st.dates(start, datetime.date(YEAR, 12, 31)), label="end")
            )
            scope = data.draw(st.sampled_from([[orgs[0].pk], [o.pk for o in orgs]]), label="scope")

            value = indicator_compute(definition, organisations=scope, period=period)
            cells, keys = reference(definition, set(scope), period)

            assert value.cells == cells, definition
            assert value.total == sum(cells.values())
            records = indicator_records(definition, organisations=scope, period=period)
            if measure == Measure.HEADCOUNT:
                assert {r.pk for r in records} >= set(keys)
            else:
                found = {r.person_id if measure in _distinct() else r.pk for r in records}
                assert found == keys
            if cells:
                some_cell = data.draw(st.sampled_from(sorted(cells)), label="cell")
                inside = indicator_records(
                    definition, organisations=scope, period=period, cell=some_cell
                )
                if measure != Measure.HEADCOUNT:
                    assert len(inside) == cells[some_cell]
        transaction.set_rollback(True)


def _distinct():
    return {
        Measure.DISTINCT_PEOPLE,
        Measure.GROUP_MEMBERS_ACTIVE_AT_END,
        Measure.NEW_GROUP_MEMBERS,
        Measure.DISTINCT_PEOPLE_WITH_OUTCOME,
    }
