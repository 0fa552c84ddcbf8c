"""Voiding a membership entered by mistake: it stops counting in the group measures and stays
visible, struck through, to the M&E officer on the group's page."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from samaki.accounts.access import SYSTEM
from samaki.audit.models import AuditEvent
from samaki.conftest import VILLAGE_IN_ANGKOR_THUM, VILLAGE_IN_BANTEAY_SREI
from samaki.groups.models import Membership
from samaki.groups.services import group_create, membership_add, membership_end, membership_void
from samaki.results.engine import IndicatorDefinition, Measure, Period, indicator_compute

Q3 = Period(datetime.date(2024, 7, 1), datetime.date(2024, 9, 30))


def figures(personas) -> tuple[int, int]:
    """(members active at the end of Q3, new members in Q3) of home's groups."""
    return tuple(
        indicator_compute(
            IndicatorDefinition(measure=measure), organisations=[personas.home.pk], period=Q3
        ).total
        for measure in (Measure.GROUP_MEMBERS_ACTIVE_AT_END, Measure.NEW_GROUP_MEMBERS)
    )


@pytest.fixture
def members(personas):
    group = group_create(
        organisation=personas.home, by=SYSTEM, name_en="Smart Women",
        kind_code="smart_women", area_code=VILLAGE_IN_ANGKOR_THUM,
    )  # fmt: skip
    dara, mealea = personas.person(name="Sok Dara"), personas.person(name="Chan Mealea")
    joined = datetime.date(2024, 8, 1)
    return group, [
        membership_add(group=group, person=person, by=SYSTEM, joined_on=joined)
        for person in (dara, mealea)
    ]


def test_a_voided_membership_stops_counting_and_she_can_join_again(personas, members):
    group, (_dara, mealea) = members
    assert figures(personas) == (2, 2)

    membership_void(by=personas.facilitator, membership=mealea, reason=" Wrong group ")

    assert figures(personas) == (1, 1)
    row = Membership.all_objects.get(pk=mealea.pk)
    assert (row.voided_by, row.void_reason) == (personas.facilitator, "Wrong group")
    event = AuditEvent.objects.get(action="membership.void")
    assert (event.object_id, event.reason) == (str(mealea.pk), "Wrong group")
    # The overlap check ignores the voided membership: she joins again.
    membership_add(
        group=group, person=mealea.person, by=SYSTEM, joined_on=datetime.date(2024, 8, 2)
    )
    assert figures(personas) == (2, 2)


@pytest.mark.parametrize("reason", ["", "  ", "x" * 1001])
def test_a_void_without_a_reason_is_refused_and_changes_nothing(personas, members, reason):
    _group, (dara, _mealea) = members
    with pytest.raises(ValidationError) as refused:
        membership_void(by=personas.admin, membership=dara, reason=reason)
    assert list(refused.value.message_dict) == ["reason"]
    assert figures(personas) == (2, 2)
    assert not AuditEvent.objects.filter(action="membership.void").exists()


def test_voiding_twice_or_ending_a_voided_membership_is_refused(personas, members):
    _group, (dara, _mealea) = members
    membership_void(by=personas.admin, membership=dara, reason="Duplicate")
    with pytest.raises(ValidationError, match="already voided"):
        membership_void(by=personas.admin, membership=dara, reason="Again")
    with pytest.raises(ValidationError, match="voided"):
        membership_end(membership=dara, by=personas.admin, left_on=datetime.date(2024, 9, 1))


def test_only_those_who_may_edit_it_void_a_membership(personas, members):
    group, (dara, _mealea) = members
    far = membership_add(
        group=group,
        person=personas.person(name="Far Away", village=VILLAGE_IN_BANTEAY_SREI),
        by=SYSTEM,
        joined_on=datetime.date(2024, 8, 1),
    )
    for by, membership in [
        (personas.viewer, dara),
        (personas.outsider, dara),
        (personas.facilitator, far),
    ]:
        with pytest.raises(PermissionDenied):
            membership_void(by=by, membership=membership, reason="No")
    assert figures(personas) == (3, 3)


def test_ending_a_membership_keeps_its_reason(personas, members):
    _group, (dara, _mealea) = members
    membership_end(
        membership=dara, by=personas.admin, left_on=datetime.date(2024, 9, 1), reason="Moved"
    )
    assert AuditEvent.objects.get(action="membership.end").reason == "Moved"


def test_the_group_page_strikes_it_through_for_managers_only(client, personas, members):
    group, (dara, mealea) = members
    membership_void(by=personas.admin, membership=mealea, reason="Wrong group")
    url = reverse("groups:detail", args=[group.pk])
    client.force_login(personas.me_officer)
    page = client.get(url)
    assert [(m.pk, m.is_voided) for m in page.context["memberships"]] == [
        (dara.pk, False),
        (mealea.pk, True),
    ]
    assert "Wrong group" in page.content.decode()
    for other in (personas.facilitator, personas.viewer):
        client.force_login(other)
        page = client.get(url)
        assert [m.pk for m in page.context["memberships"]] == [dara.pk]
        assert "Wrong group" not in page.content.decode()
    client.force_login(personas.admin)
    listed = client.get(reverse("groups:list")).context["page"]
    assert [g.members for g in listed] == [1]


def test_the_void_page_asks_why(client, personas, members):
    group, (dara, _mealea) = members
    url = reverse("groups:member_void", args=[group.pk, dara.pk])
    client.force_login(personas.facilitator)
    assert client.get(url).status_code == 200
    assert list(client.post(url, {"reason": ""}).context["form"].errors) == ["reason"]
    assert figures(personas) == (2, 2)
    assert client.post(url, {"reason": "Wrong group"})["Location"] == reverse(
        "groups:detail", args=[group.pk]
    )
    assert figures(personas) == (1, 1)
    client.force_login(personas.viewer)
    assert client.post(url, {"reason": "x"}).status_code in (403, 404)
    client.force_login(personas.outsider)
    assert client.get(url).status_code == 404
