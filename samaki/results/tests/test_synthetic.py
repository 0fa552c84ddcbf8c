"""The benchmark's data generator: the counts asked for, rows the schema accepts, on both databases."""

import datetime

import pytest
from django.db.models import Count, F

from samaki.activities.models import Activity, Attendance, Headcount
from samaki.areas.models import AreaLevel
from samaki.groups.models import Membership
from samaki.organisations.models import Consortium
from samaki.outcomes.models import Outcome
from samaki.people.models import Person
from samaki.results.engine import IndicatorDefinition, Measure, Period, indicator_compute
from samaki.results.synthetic import SyntheticError, synthetic_generate

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated():
    return synthetic_generate(people=200, organisations=3, years=2)


def test_it_creates_the_people_and_organisations_asked_for(generated):
    consortium = Consortium.objects.get(pk=generated.consortium_id)
    organisations = [consortium.lead_id, *consortium.members.values_list("pk", flat=True)]
    assert len(organisations) == 3
    assert Person.objects.filter(organisation__in=organisations).count() == 200
    assert generated.people == 200
    assert Attendance.objects.filter(organisation__in=organisations).count() == (
        generated.attendances
    )
    assert Activity.objects.filter(organisation__in=organisations).count() == (generated.activities)
    assert Outcome.objects.count() == generated.outcomes
    assert Headcount.objects.count() == generated.headcounts
    assert Membership.objects.count() == generated.memberships


def test_its_distributions_are_plausible(generated):
    people = Person.objects.filter(name_latin__startswith="Synthetic")
    women = people.filter(sex="female").count()
    assert 120 <= women <= 180  # ~75 %
    assert 7 <= generated.attendances / 200 <= 12  # ~10 attendances per person
    assert not people.exclude(village__level=AreaLevel.VILLAGE).exists()
    assert people.filter(birth_date__isnull=False).exists()
    assert people.filter(birth_date__isnull=True, birth_year__isnull=False).exists()
    years = set(Activity.objects.values_list("date__year", flat=True))
    assert years == {2023, 2024}
    assert Activity.objects.values("kind").distinct().count() >= 5
    assert Activity.topics.through.objects.count() >= generated.activities


def test_every_row_points_at_rows_of_its_own_organisation(generated):
    # Inner joins: a dangling id would drop the row from the count.
    assert (
        Attendance.objects.filter(
            person__organisation_id=F("organisation_id"),
            activity__organisation_id=F("organisation_id"),
        ).count()
        == generated.attendances
    )
    assert (
        Membership.objects.filter(
            person__organisation_id=F("organisation_id"),
            group__organisation_id=F("organisation_id"),
        ).count()
        == generated.memberships
    )
    assert (
        Outcome.objects.filter(person__organisation_id=F("organisation_id")).count()
        == generated.outcomes
    )
    assert not Membership.objects.filter(left_on__lte=F("joined_on")).exists()
    assert not (
        Attendance.objects.values("activity", "person").annotate(n=Count("pk")).filter(n__gt=1)
    ).exists()


def test_new_rows_get_fresh_ids_afterwards(generated):
    person = Person.objects.filter(name_latin__startswith="Synthetic").first()
    copy = Person.objects.create(
        organisation=person.organisation,
        name_latin="After the generator",
        sex="female",
        village=person.village,
        registered_on=datetime.date(2024, 1, 1),
    )
    assert copy.pk > Person.objects.exclude(pk=copy.pk).order_by("-pk").first().pk


def test_the_engine_counts_the_generated_people(generated):
    consortium = Consortium.objects.get(pk=generated.consortium_id)
    organisations = [consortium.lead_id, *consortium.members.values_list("pk", flat=True)]
    value = indicator_compute(
        IndicatorDefinition(measure=Measure.DISTINCT_PEOPLE),
        organisations=organisations,
        period=Period.parse("2023-01-01..2024-12-31"),
    )
    assert value.total == Attendance.objects.values("person").distinct().count()
    assert 150 <= value.total <= 200


def test_it_refuses_to_run_twice(generated):
    with pytest.raises(SyntheticError):
        synthetic_generate(people=10, organisations=1, years=1)
    assert Person.objects.filter(name_latin__startswith="Synthetic").count() == 200
