"""An id no row can have, posted to add a member, is a 400 and adds nobody (not a 500)."""

import datetime

import pytest
from django.urls import reverse

from samaki.accounts.access import SYSTEM
from samaki.conftest import VILLAGE_IN_ANGKOR_THUM
from samaki.groups.models import Membership
from samaki.groups.services import group_create

TOO_BIG = "9" * 20  # past 2**63 - 1: OverflowError on SQLite, DataError on PostgreSQL


@pytest.mark.parametrize("person", [TOO_BIG, str(2**63), "0", "-1", "1e3", "²", "12abc"])
def test_an_id_that_cannot_be_a_person_is_400_and_nothing_changes(client, personas, person):
    group = group_create(
        organisation=personas.home, by=SYSTEM, name_en="SW", kind_code="smart_women",
        area_code=VILLAGE_IN_ANGKOR_THUM,
    )  # fmt: skip
    personas.person()
    client.force_login(personas.admin)
    response = client.post(
        reverse("groups:member_add", args=[group.pk]),
        {"person": person, "role": "member", "joined_on": datetime.date(2024, 1, 1).isoformat()},
    )
    assert response.status_code == 400
    assert Membership.objects.count() == 0
