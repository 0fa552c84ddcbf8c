"""Changing a group: group_update's rules, its audit row, and the edit page's scope and queries."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samaki.accounts.access import SYSTEM
from samaki.audit.models import AuditEvent
from samaki.conftest import VILLAGE_IN_ANGKOR_THUM, VILLAGE_IN_BANTEAY_SREI
from samaki.groups.models import Group
from samaki.groups.services import group_create, group_update

OTHER_VILLAGE_IN_ANGKOR_THUM = "17020102"


def make_group(personas, village=VILLAGE_IN_ANGKOR_THUM, name="Smart Women", **extra):
    return group_create(
        organisation=personas.home, by=SYSTEM, name_en=name, kind_code="smart_women",
        area_code=village, **extra,
    )  # fmt: skip


def update(group, by, **changes):
    values = {
        "name_en": group.name_en, "name_km": group.name_km, "kind_code": group.kind.code,
        "area_code": group.area.code, "founded_on": group.founded_on, "parent": group.parent,
        "project": group.project, "external_id": group.external_id,
    }  # fmt: skip
    return group_update(group=group, by=by, **{**values, **changes})


def as_stored(group) -> tuple:
    row = Group.objects.get(pk=group.pk)
    return (row.name_en, row.name_km, row.kind.code, row.area.code, row.founded_on, row.parent_id)


def test_a_group_is_changed_with_one_audit_row_holding_before_and_after(personas):
    group = make_group(personas)
    update(
        group, personas.facilitator, name_en="Smart Women Trapeang", name_km="ស្ត្រីឆ្លាត",
        kind_code="happy_women_network", area_code=OTHER_VILLAGE_IN_ANGKOR_THUM,
        founded_on=datetime.date(2021, 3, 8),
    )  # fmt: skip
    assert as_stored(group) == (
        "Smart Women Trapeang", "ស្ត្រីឆ្លាត", "happy_women_network", OTHER_VILLAGE_IN_ANGKOR_THUM,
        datetime.date(2021, 3, 8), None,
    )  # fmt: skip
    event = AuditEvent.objects.get(action="group.update")
    assert (event.actor, event.object_id) == (personas.facilitator, str(group.pk))
    assert (event.before["name_en"], event.after["name_en"]) == (
        "Smart Women",
        "Smart Women Trapeang",
    )
    assert (event.before["founded_on"], event.after["founded_on"]) == (None, "2021-03-08")


def test_saving_a_group_unchanged_writes_no_audit_row(personas):
    group = make_group(personas)
    update(group, personas.admin)
    assert not AuditEvent.objects.filter(action="group.update").exists()


def test_every_bad_field_is_named_and_nothing_changes(personas):
    group = make_group(personas, external_id="G-1")
    make_group(personas, name="Other", external_id="G-2")
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        update(
            group, personas.admin, kind_code="book_club", area_code="99999999",
            founded_on=datetime.date(2999, 1, 1), external_id="G-2",
        )  # fmt: skip
    assert refused.value.message_dict == {
        "kind_code": ["Unknown group kind “book_club”."],
        "area_code": ["Unknown area code “99999999”."],
        "founded_on": ["The founding date is in the future."],
        "external_id": ["Another group already has this external ID."],
    }
    assert as_stored(group) == (
        "Smart Women",
        "",
        "smart_women",
        VILLAGE_IN_ANGKOR_THUM,
        None,
        None,
    )
    assert AuditEvent.objects.count() == events


def test_a_network_cannot_hold_itself_or_its_own_groups(personas):
    network = make_group(personas, name="Network")
    member = make_group(personas, name="Member", parent=network)
    for parent in [network, member]:
        with pytest.raises(ValidationError) as refused:
            update(network, personas.admin, parent=parent)
        assert refused.value.message_dict == {
            "parent": ["A group cannot belong to itself or to one of its own groups."]
        }
    assert Group.objects.get(pk=network.pk).parent_id is None


def test_a_group_keeps_its_external_id(personas):
    group = make_group(personas, external_id="G-1")
    update(group, personas.admin, name_en="Renamed")
    assert Group.objects.get(pk=group.pk).external_id == "G-1"


def test_a_facilitator_changes_only_groups_inside_her_areas(personas):
    inside, outside = make_group(personas), make_group(personas, village=VILLAGE_IN_BANTEAY_SREI)
    with pytest.raises(PermissionDenied):
        update(outside, personas.facilitator, name_en="Taken")
    with pytest.raises(PermissionDenied):  # nor move hers out of them
        update(inside, personas.facilitator, area_code=VILLAGE_IN_BANTEAY_SREI)
    with pytest.raises(PermissionDenied):
        update(inside, personas.viewer, name_en="Taken")
    with pytest.raises(PermissionDenied):
        update(inside, personas.outsider, name_en="Taken")
    assert as_stored(inside)[3] == VILLAGE_IN_ANGKOR_THUM
    assert set(Group.objects.values_list("name_en", flat=True)) == {"Smart Women"}
    assert not AuditEvent.objects.filter(action="group.update").exists()


# --- The edit page --------------------------------------------------------------------------


def form(**changes):
    data = {
        "name_en": "Smart Women", "name_km": "", "kind_code": "smart_women", "founded_on": "",
        "place_province": "17", "place_district": "1702", "place_commune": "170201",
        "area_code": VILLAGE_IN_ANGKOR_THUM,
    }  # fmt: skip
    return {**data, **changes}


def test_the_edit_page_shows_the_group_and_saves_a_change(client, personas):
    group = make_group(personas, external_id="G-1")
    client.force_login(personas.facilitator)
    url = reverse("groups:edit", args=[group.pk])
    shown = client.get(url).context["form"]
    assert (shown["name_en"].value(), shown["kind_code"].value(), shown["area_code"].value()) == (
        "Smart Women",
        "smart_women",
        VILLAGE_IN_ANGKOR_THUM,
    )
    response = client.post(url, form(name_en="Smart Women Trapeang", founded_on="08/03/2021"))
    assert response["Location"] == reverse("groups:detail", args=[group.pk])
    group.refresh_from_db()
    assert (group.name_en, group.founded_on, group.external_id) == (
        "Smart Women Trapeang",
        datetime.date(2021, 3, 8),
        "G-1",
    )


def test_bad_input_is_shown_next_to_its_field_and_nothing_changes(client, personas):
    group = make_group(personas)
    client.force_login(personas.admin)
    response = client.post(
        reverse("groups:edit", args=[group.pk]),
        form(name_en="", founded_on="2999-01-01"),
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"name_en": ["This field is required."]}
    response = client.post(
        reverse("groups:edit", args=[group.pk]), form(name_en="New", founded_on="2999-01-01")
    )
    assert response.context["form"].errors == {
        "founded_on": ["The founding date is in the future."]
    }
    assert as_stored(group)[0] == "Smart Women"
    assert not AuditEvent.objects.filter(action="group.update").exists()


def test_a_facilitator_moving_a_group_out_of_her_areas_is_told_next_to_the_area(client, personas):
    group = make_group(personas)
    client.force_login(personas.facilitator)
    response = client.post(
        reverse("groups:edit", args=[group.pk]),
        form(place_district="1703", place_commune="170301", area_code=VILLAGE_IN_BANTEAY_SREI),
    )
    assert response.context["form"].errors == {"area_code": ["This is outside your working areas."]}
    assert as_stored(group)[3] == VILLAGE_IN_ANGKOR_THUM


def test_the_edit_link_and_page_are_for_writers_in_scope_only(client, personas):
    group = make_group(personas)
    outside = make_group(personas, village=VILLAGE_IN_BANTEAY_SREI)
    edit = reverse("groups:edit", args=[group.pk])
    client.force_login(personas.admin)
    assert edit in client.get(reverse("groups:detail", args=[group.pk])).content.decode()
    client.force_login(personas.viewer)
    assert edit not in client.get(reverse("groups:detail", args=[group.pk])).content.decode()
    assert client.get(edit).status_code == 403
    assert client.post(edit, form(name_en="Taken")).status_code == 403
    client.force_login(personas.facilitator)
    assert client.get(reverse("groups:edit", args=[outside.pk])).status_code == 404
    client.force_login(personas.outsider)
    assert client.get(edit).status_code == 404
    assert client.post(edit, form(name_en="Taken")).status_code == 404
    assert set(Group.objects.values_list("name_en", flat=True)) == {"Smart Women"}


def test_the_edit_page_makes_the_same_queries_for_1_and_20_groups_and_kinds(client, personas):
    group = make_group(personas)
    client.force_login(personas.facilitator)
    url = reverse("groups:edit", args=[group.pk])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    one = queries()
    for n in range(19):
        make_group(personas, name=f"G{n}")
    assert queries() == one
