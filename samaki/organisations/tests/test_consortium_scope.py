"""A consortium lead sees which organisations are members, never their people."""

import pytest
from django.urls import reverse

from samaki.accounts.access import SYSTEM
from samaki.conftest import VILLAGE_IN_ANGKOR_THUM
from samaki.organisations.queries import consortium_list, organisation_list
from samaki.organisations.services import consortium_create
from samaki.people.queries import person_list
from samaki.people.services import PersonFields, person_register


@pytest.fixture
def member_person(personas):
    consortium_create(
        by=SYSTEM,
        slug="c",
        name_en="Consortium",
        lead=personas.home,
        members=[personas.home, personas.other],
    )
    return person_register(
        organisation=personas.other,
        by=personas.outsider,
        fields=PersonFields(
            name_latin="Member Person", sex="female", village_code=VILLAGE_IN_ANGKOR_THUM
        ),
    )


def test_lead_knows_its_members_but_not_their_people(client, personas, member_person):
    assert set(organisation_list(user=personas.admin)) == {personas.home, personas.other}
    assert [c.slug for c in consortium_list(user=personas.admin)] == ["c"]
    assert not person_list(user=personas.admin).filter(pk=member_person.pk).exists()
    client.force_login(personas.admin)
    assert client.get(reverse("people:detail", args=[member_person.pk])).status_code == 404
    assert b"Member Person" not in client.get(reverse("people:list")).content


def test_member_does_not_see_the_other_members(personas, member_person):
    assert set(organisation_list(user=personas.outsider)) == {personas.other}
    assert [c.slug for c in consortium_list(user=personas.outsider)] == ["c"]


def test_an_organisation_listed_twice_is_refused(personas):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        consortium_create(
            by=SYSTEM,
            slug="d",
            name_en="D",
            lead=personas.home,
            members=[personas.other, personas.other],
        )
