"""Group pages: create, add and end members, attendance history, scope and query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samaki.accounts.access import SYSTEM
from samaki.activities.services import ActivityFields, activity_create, attendance_set
from samaki.conftest import VILLAGE_IN_ANGKOR_THUM
from samaki.groups.models import Group, Membership
from samaki.groups.services import group_create, membership_add


def make_group(personas):
    return group_create(
        organisation=personas.home, by=SYSTEM, name_en="SW", kind_code="smart_women",
        area_code=VILLAGE_IN_ANGKOR_THUM,
    )  # fmt: skip


def test_facilitator_creates_a_group_and_adds_and_ends_a_member(client, personas):
    client.force_login(personas.facilitator)
    response = client.post(
        reverse("groups:create"),
        {"name_en": "Smart Women Trapeang", "kind_code": "smart_women", "place_province": "17",
         "place_district": "1702", "place_commune": "170201", "area_code": VILLAGE_IN_ANGKOR_THUM},
    )  # fmt: skip
    group = Group.objects.get()
    assert response["Location"] == reverse("groups:detail", args=[group.pk])
    person = personas.person(name="Sokcha Keo")
    url = reverse("groups:member_add", args=[group.pk])
    assert [p.pk for p in client.get(url, {"q": "sokchea"}).context["form"].people.values()] == [
        person.pk
    ]
    response = client.post(
        url, {"q": "sokchea", "person": person.pk, "role": "leader", "joined_on": "2999-01-01"}
    )
    assert "joined_on" in response.context["form"].errors
    assert Membership.objects.count() == 0
    client.post(
        url, {"q": "sokchea", "person": person.pk, "role": "leader", "joined_on": "2024-01-01"}
    )
    membership = Membership.objects.get()
    client.post(
        reverse("groups:member_end", args=[group.pk, membership.pk]), {"left_on": "2024-06-01"}
    )
    membership.refresh_from_db()
    assert (membership.role, membership.left_on) == ("leader", datetime.date(2024, 6, 1))


def test_viewer_cannot_write_and_outsider_gets_404(client, personas):
    group = make_group(personas)
    client.force_login(personas.viewer)
    assert client.post(reverse("groups:create"), {}).status_code == 403
    assert client.post(reverse("groups:member_add", args=[group.pk]), {}).status_code == 403
    client.force_login(personas.outsider)
    assert client.get(reverse("groups:detail", args=[group.pk])).status_code == 404
    assert client.post(reverse("groups:member_add", args=[group.pk]), {}).status_code == 404


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", ["list", "detail"])
def test_pages_make_the_same_queries_for_1_and_20_rows(client, personas, page):
    client.force_login(personas.admin)
    group = make_group(personas)

    def add(n):
        person = personas.person(name=f"P{n}")
        membership_add(group=group, person=person, by=SYSTEM, joined_on=datetime.date(2024, 1, 1))
        activity = activity_create(
            organisation=personas.home, by=SYSTEM,
            fields=ActivityFields(kind_code="training", date=datetime.date(2024, 2, 1), area_code=VILLAGE_IN_ANGKOR_THUM, group=group),
        )  # fmt: skip
        attendance_set(activity=activity, by=SYSTEM, people=[person])
        if page == "list":
            make_group(personas)

    add(0)
    url = reverse(f"groups:{page}", args=[] if page == "list" else [group.pk])
    one = queries(client, url)
    for n in range(1, 20):
        add(n)
    assert queries(client, url) == one
