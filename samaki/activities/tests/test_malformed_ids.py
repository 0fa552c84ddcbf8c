"""An id no row can have, ticked on an attendance list, is a 400 and saves nothing (not a 500)."""

import datetime

import pytest
from django.urls import reverse

from samaki.accounts.access import SYSTEM
from samaki.activities.models import Attendance
from samaki.activities.services import ActivityFields, activity_create, attendance_set
from samaki.conftest import VILLAGE_IN_ANGKOR_THUM

TOO_BIG = "9" * 20  # past 2**63 - 1: OverflowError on SQLite, DataError on PostgreSQL


@pytest.mark.parametrize("bad", [TOO_BIG, str(2**63), "0", "abc", "²"])
def test_an_id_that_cannot_be_a_person_is_400_and_attendance_stays(client, personas, bad):
    person = personas.person()
    activity = activity_create(
        organisation=personas.home,
        by=SYSTEM,
        fields=ActivityFields(
            kind_code="training", date=datetime.date(2024, 8, 1), area_code=VILLAGE_IN_ANGKOR_THUM
        ),
    )
    attendance_set(activity=activity, by=SYSTEM, people=[person])
    client.force_login(personas.admin)
    for action in ("save", "search"):
        response = client.post(
            reverse("activities:attendance", args=[activity.pk]),
            {"person": [bad], "action": action, "q": "sok"},
        )
        assert response.status_code == 400
    assert list(Attendance.objects.values_list("activity_id", "person_id")) == [
        (activity.pk, person.pk)
    ]
