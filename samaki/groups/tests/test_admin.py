"""Groups and memberships in the admin: added by the services, a membership ended by one."""

import datetime

from django.urls import reverse

from samaki.areas.models import Area
from samaki.audit.models import AuditEvent
from samaki.conftest import VILLAGE_IN_ANGKOR_THUM
from samaki.groups.models import Group, GroupKind, Membership
from samaki.groups.services import group_create, membership_add

DAY = datetime.date(2024, 3, 8)


def home_group(personas) -> Group:
    return group_create(
        organisation=personas.home,
        by=personas.admin,
        name_en="Smart Women of Trapeang Touk",
        kind_code="smart_women",
        area_code=VILLAGE_IN_ANGKOR_THUM,
    )


def test_a_group_is_added_through_group_create(client, personas):
    client.force_login(personas.admin)

    response = client.post(
        reverse("admin:groups_group_add"),
        {
            "name_en": "Good Men of Trapeang Touk",
            "name_km": "",
            "kind": str(GroupKind.objects.get(code="good_men_network").pk),
            "area": str(Area.objects.get(code=VILLAGE_IN_ANGKOR_THUM).pk),
            "founded_on": "2999-01-01",
            "parent": "",
            "project": "",
            "external_id": "",
        },
    )

    assert response.context["adminform"].form.errors == {
        "founded_on": ["The founding date is in the future."]
    }
    assert not Group.objects.exists()


def test_a_member_joins_and_later_leaves(client, personas):
    group, person = home_group(personas), personas.person()
    client.force_login(personas.me_officer)

    joined = client.post(
        reverse("admin:groups_membership_add"),
        {
            "group": str(group.pk),
            "person": str(person.pk),
            "role": "leader",
            "joined_on": "2024-03-08",
            "left_on": "",
        },
    )
    membership = Membership.objects.get()
    left = client.post(
        reverse("admin:groups_membership_change", args=[membership.pk]), {"left_on": "2024-06-30"}
    )

    assert (joined.status_code, left.status_code) == (302, 302)
    membership.refresh_from_db()
    assert (membership.role, membership.joined_on, membership.left_on) == (
        "leader",
        DAY,
        datetime.date(2024, 6, 30),
    )
    assert list(
        AuditEvent.objects.filter(object_type="groups.membership").values_list("action", flat=True)
    ) == ["membership.end", "membership.add"]
    # Ended, the membership is only shown.
    page = client.get(reverse("admin:groups_membership_change", args=[membership.pk]))
    assert page.context["title"] == "View membership"


def test_leaving_before_joining_is_refused(client, personas):
    membership = membership_add(
        group=home_group(personas), person=personas.person(), by=personas.admin, joined_on=DAY
    )
    client.force_login(personas.admin)

    response = client.post(
        reverse("admin:groups_membership_change", args=[membership.pk]), {"left_on": "2024-01-01"}
    )

    assert response.context["adminform"].form.errors == {
        "left_on": ["She must leave after she joined."]
    }
    membership.refresh_from_db()
    assert membership.left_on is None


def change_data(group, **changes) -> dict:
    data = {
        "name_en": group.name_en,
        "name_km": group.name_km,
        "kind": str(group.kind_id),
        "area": str(group.area_id),
        "founded_on": "",
        "parent": "",
        "project": "",
        "external_id": group.external_id,
    }
    return {**data, **changes}


def test_a_group_is_changed_through_group_update(client, personas):
    group = home_group(personas)
    client.force_login(personas.me_officer)

    response = client.post(
        reverse("admin:groups_group_change", args=[group.pk]),
        change_data(group, name_km="ស្ត្រីឆ្លាតវៃ ត្រពាំងទូក", founded_on="2021-03-08"),
    )

    assert response.status_code == 302
    group.refresh_from_db()
    assert (group.name_km, group.founded_on) == ("ស្ត្រីឆ្លាតវៃ ត្រពាំងទូក", datetime.date(2021, 3, 8))
    event = AuditEvent.objects.get(action="group.update")
    assert (event.actor, event.before["name_km"], event.after["name_km"]) == (
        personas.me_officer,
        "",
        "ស្ត្រីឆ្លាតវៃ ត្រពាំងទូក",
    )


def test_a_bad_change_is_refused_on_its_field_and_nothing_is_written(client, personas):
    group = home_group(personas)
    client.force_login(personas.admin)

    response = client.post(
        reverse("admin:groups_group_change", args=[group.pk]),
        change_data(group, name_en="Renamed", founded_on="2999-01-01"),
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "founded_on": ["The founding date is in the future."]
    }
    group.refresh_from_db()
    assert (group.name_en, group.founded_on) == ("Smart Women of Trapeang Touk", None)
    assert not AuditEvent.objects.filter(action="group.update").exists()


def test_the_outsider_cannot_open_or_change_homes_group(client, personas):
    group = home_group(personas)
    client.force_login(personas.outsider)
    page = reverse("admin:groups_group_change", args=[group.pk])

    assert client.get(page).status_code == 404
    assert client.post(page, change_data(group, name_en="Taken")).status_code == 404
    group.refresh_from_db()
    assert group.name_en == "Smart Women of Trapeang Touk"
