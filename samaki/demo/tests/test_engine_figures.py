"""The seed reports' published figures, computed by the indicator engine from the demo's records.

test_figures.py recounts them with hand-written ORM queries; here the same numbers come from
declarative indicator definitions, with their disaggregations adding up and their drill-downs
listing exactly the people counted.
"""

import datetime

import pytest

from samaki.groups.models import Group
from samaki.organisations.models import Organisation
from samaki.results.engine import (
    Dimension,
    Filters,
    IndicatorDefinition,
    Measure,
    Period,
    indicator_compute,
    indicator_records,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]

Q3_2024 = Period.parse("2024Q3")
PHASE_1 = Period.parse("2022-01-01..2023-12-31")
END_OF_2024 = Period.parse("2024")
SPLITS = (Dimension.SEX, Dimension.AGE_BAND, Dimension.DISABILITY, Dimension.DISTRICT)


def count(slug: str, period: Period, measure: Measure, **filters) -> int:
    organisation = Organisation.objects.get(slug=slug)
    value = indicator_compute(
        IndicatorDefinition(measure=measure, filters=Filters(**filters)),
        organisations=[organisation.pk],
        period=period,
    )
    # Every split adds up to the same total.
    for dimension in SPLITS if measure != Measure.SESSIONS else (Dimension.DISTRICT,):
        if measure == Measure.HEADCOUNT and dimension in (Dimension.DISABILITY,):
            continue
        split = indicator_compute(
            IndicatorDefinition(
                measure=measure, filters=Filters(**filters), dimensions=(dimension,)
            ),
            organisations=[organisation.pk],
            period=period,
        )
        assert split.total == sum(split.cells.values()) == value.total, dimension
    return value.total


def ccdo(measure: Measure, period: Period = Q3_2024, **filters) -> int:
    return count("ccdo", period, measure, **filters)


def test_ccdo_q3_2024_report_figures():
    people = Measure.DISTINCT_PEOPLE
    assert ccdo(people, activity_kinds=("training",), topics=("health",), sex="female") == 246
    assert ccdo(Measure.SESSIONS, activity_kinds=("training",), topics=("health",)) == 13
    assert ccdo(people, topics=("business",), sex="female") == 635
    assert ccdo(people, activity_kinds=("training", "workshop"), sex="female") == 1072
    assert ccdo(Measure.SESSIONS, activity_kinds=("workshop",)) == 38
    assert ccdo(Measure.ATTENDANCES, activity_kinds=("workshop",)) == 1216
    assert ccdo(Measure.OUTCOMES, outcome_kinds=("business_started",)) == 56
    assert ccdo(Measure.DISTINCT_PEOPLE_WITH_OUTCOME, outcome_kinds=("business_started",)) == 56
    assert ccdo(people, activity_kinds=("meeting_authorities",)) == 18
    assert ccdo(Measure.SESSIONS, activity_kinds=("home_visit",)) == 187
    assert ccdo(people, activity_kinds=("home_visit",), sex="female") == 187
    assert ccdo(people, activity_kinds=("seminar",), sex="female") == 114
    assert (
        ccdo(people, activity_kinds=("public_forum",), topics=("public_services",), sex="female")
        == 83
    )


def test_ccdo_q3_headcount_is_reported_beside_registered_reach():
    assert ccdo(Measure.HEADCOUNT) == 2450
    assert ccdo(Measure.HEADCOUNT, sex="female") == 1900
    # Registered reach: every Q3 activity, distinct people. The campaign registered nobody.
    assert ccdo(Measure.DISTINCT_PEOPLE) == 1072
    assert ccdo(Measure.ATTENDANCES) > 1072


def test_ccdo_2022_2023_closing_report_figures():
    assert ccdo(Measure.DISTINCT_PEOPLE, PHASE_1, sex="female") == 2814
    assert ccdo(Measure.DISTINCT_PEOPLE, PHASE_1) == 2874
    assert (
        ccdo(Measure.DISTINCT_PEOPLE, PHASE_1, activity_kinds=("coaching",), sex="female") == 2531
    )
    smart_women = IndicatorDefinition(
        measure=Measure.GROUP_MEMBERS_ACTIVE_AT_END, filters=Filters(group_kinds=("smart_women",))
    )
    organisation = Organisation.objects.get(slug="ccdo")
    assert (
        indicator_compute(
            smart_women, organisations=[organisation.pk], period=Period.parse("2023")
        ).total
        == 46
    )


def banteay_srei(**filters) -> int:
    return count("banteay-srei", END_OF_2024, Measure.GROUP_MEMBERS_ACTIVE_AT_END, **filters)


def network(kind: str) -> tuple[int, ...]:
    return (Group.objects.get(organisation__slug="banteay-srei", kind__code=kind, parent=None).pk,)


def producer_groups(level: str) -> tuple[int, ...]:
    return tuple(
        Group.objects.filter(
            organisation__slug="banteay-srei", kind__code="producer_group", area__level=level
        ).values_list("pk", flat=True)
    )


def test_banteay_srei_network_memberships():
    assert banteay_srei(groups=network("good_men_network")) == 457
    assert banteay_srei(groups=network("children_youth_network")) == 313
    assert banteay_srei(groups=network("children_youth_network"), sex="female") == 198
    assert banteay_srei(group_kinds=("happy_women_network",)) == 140
    assert banteay_srei(groups=producer_groups("village")) == 243
    assert banteay_srei(groups=producer_groups("village"), sex="female") == 199
    assert banteay_srei(groups=producer_groups("commune")) == 137
    assert banteay_srei(groups=producer_groups("commune"), sex="female") == 124


def test_the_246_drill_down_to_246_pseudonymous_people():
    definition = IndicatorDefinition(
        measure=Measure.DISTINCT_PEOPLE,
        filters=Filters(activity_kinds=("training",), topics=("health",), sex="female"),
        dimensions=(Dimension.AGE_BAND,),
    )
    ccdo_pk = Organisation.objects.get(slug="ccdo").pk
    value = indicator_compute(definition, organisations=[ccdo_pk], period=Q3_2024)
    records = indicator_records(definition, organisations=[ccdo_pk], period=Q3_2024)
    assert len(records) == len({r.person_id for r in records}) == 246
    assert all(Q3_2024.start <= r.date <= Q3_2024.end for r in records)
    by_band: dict[tuple[str, ...], int] = {}
    for record in records:
        by_band[record.cell] = by_band.get(record.cell, 0) + 1
    assert by_band == value.cells
    assert not hasattr(records[0], "name")
    assert records[0].person_code == f"P{records[0].person_id:06d}"


def test_one_query_per_indicator_value(django_assert_num_queries):
    ccdo_pk = Organisation.objects.get(slug="ccdo").pk
    definition = IndicatorDefinition(
        measure=Measure.DISTINCT_PEOPLE,
        dimensions=(Dimension.SEX, Dimension.AGE_BAND, Dimension.DISABILITY, Dimension.DISTRICT),
    )
    with django_assert_num_queries(1):
        value = indicator_compute(definition, organisations=[ccdo_pk], period=Q3_2024)
    assert value.total == 1072
    assert datetime.date(2024, 7, 1) == value.period.start
