import datetime

import pytest
from django.core.exceptions import ValidationError

from samaki.conftest import VILLAGE_IN_ANGKOR_THUM
from samaki.groups.services import group_create, membership_add, membership_end
from samaki.outcomes.models import Outcome
from samaki.outcomes.services import outcome_record


@pytest.fixture
def group(personas):
    return group_create(
        organisation=personas.home,
        by=personas.admin,
        name_en="Smart Women",
        kind_code="smart_women",
        area_code=VILLAGE_IN_ANGKOR_THUM,
    )


def test_membership_over_time_and_no_overlap(personas, group):
    person = personas.person()
    first = membership_add(
        group=group, person=person, by=personas.admin, joined_on=datetime.date(2022, 1, 1)
    )
    with pytest.raises(ValidationError):
        membership_add(
            group=group, person=person, by=personas.admin, joined_on=datetime.date(2023, 1, 1)
        )
    membership_end(membership=first, by=personas.admin, left_on=datetime.date(2023, 6, 1))
    again = membership_add(
        group=group,
        person=person,
        by=personas.admin,
        joined_on=datetime.date(2024, 1, 1),
        role="leader",
    )
    assert [m.active_on(datetime.date(2023, 3, 1)) for m in (first, again)] == [True, False]
    assert [m.active_on(datetime.date(2024, 3, 1)) for m in (first, again)] == [False, True]


def test_leaving_before_joining_is_refused(personas, group):
    membership = membership_add(
        group=group,
        person=personas.person(),
        by=personas.admin,
        joined_on=datetime.date(2022, 5, 1),
    )
    with pytest.raises(ValidationError):
        membership_end(membership=membership, by=personas.admin, left_on=datetime.date(2022, 4, 1))
    membership.refresh_from_db()
    assert membership.left_on is None


def test_unknown_group_kind_is_refused(personas):
    with pytest.raises(ValidationError, match="book_club"):
        group_create(
            organisation=personas.home,
            by=personas.admin,
            name_en="X",
            kind_code="book_club",
            area_code=VILLAGE_IN_ANGKOR_THUM,
        )


def test_outcome_in_the_future_is_refused(personas):
    with pytest.raises(ValidationError):
        outcome_record(
            person=personas.person(),
            by=personas.admin,
            kind_code="business_started",
            date=datetime.date(2999, 1, 1),
        )
    assert not Outcome.objects.exists()
