"""Every object page answers 404 to those who may not see the object, and never leaks it in lists."""

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samaki.accounts.access import SYSTEM
from samaki.activities.services import ActivityFields, activity_create, attendance_set
from samaki.conftest import PASSWORD, VILLAGE_IN_ANGKOR_THUM, VILLAGE_IN_BANTEAY_SREI
from samaki.groups.services import group_create, membership_add
from samaki.projects.services import project_create

DAY = datetime.date(2024, 8, 1)


@pytest.fixture
def world(personas):
    """One object of every kind with a page, in home's Banteay Srei district (outside the facilitator's)."""
    person = personas.person(village=VILLAGE_IN_BANTEAY_SREI, name="Chan Sreymom")
    project = project_create(
        organisation=personas.home,
        by=SYSTEM,
        code="p1",
        name_en="Home project",
        starts_on=datetime.date(2024, 1, 1),
        ends_on=datetime.date(2024, 12, 31),
    )
    group = group_create(
        organisation=personas.home,
        by=SYSTEM,
        name_en="Smart Women Sangkae",
        kind_code="smart_women",
        area_code=VILLAGE_IN_BANTEAY_SREI,
    )
    membership_add(group=group, person=person, by=SYSTEM, joined_on=DAY)
    activity = activity_create(
        organisation=personas.home,
        by=SYSTEM,
        fields=ActivityFields(
            kind_code="training",
            date=DAY,
            area_code=VILLAGE_IN_BANTEAY_SREI,
            project=project,
            title="Health talk",
        ),
    )
    attendance_set(activity=activity, by=SYSTEM, people=[person])
    return {
        "people:detail": person.pk,
        "groups:detail": group.pk,
        "activities:detail": activity.pk,
        "projects:detail": project.pk,
    }


def status(client, user, url):
    client.force_login(user)
    return client.get(url).status_code


@pytest.mark.parametrize(
    "name", ["people:detail", "groups:detail", "activities:detail", "projects:detail"]
)
def test_outsider_gets_404_on_every_object_page(client, personas, world, name):
    url = reverse(name, args=[world[name]])
    assert status(client, personas.outsider, url) == 404
    assert status(client, personas.admin, url) == 200


@pytest.mark.parametrize("name", ["people:detail", "groups:detail", "activities:detail"])
def test_facilitator_and_donor_viewer_get_404_outside_their_scope(client, personas, world, name):
    url = reverse(name, args=[world[name]])
    assert status(client, personas.facilitator, url) == 404  # Banteay Srei is not her district
    assert status(client, personas.donor_viewer, url) == 404  # aggregates only
    assert status(client, personas.viewer, url) == 200


def test_lists_do_not_leak_another_organisations_names(client, personas, world):
    client.force_login(personas.outsider)
    for name in ["people:list", "groups:list", "activities:list", "projects:list"]:
        body = client.get(reverse(name)).content.decode()
        assert (
            "Chan Sreymom" not in body
            and "Smart Women Sangkae" not in body
            and "Health talk" not in body
        )
        assert "Home project" not in body


def test_anonymous_visitors_are_sent_to_the_login_page(client, world):
    response = client.get(reverse("people:detail", args=[world["people:detail"]]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_login_page_signs_in(client, personas):
    assert client.get(reverse("login")).status_code == 200
    response = client.post(reverse("login"), {"username": "admin", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("home")).context["user"] == personas.admin


def test_people_list_makes_the_same_number_of_queries_for_more_rows(client, personas):
    client.force_login(personas.admin)
    personas.person(village=VILLAGE_IN_ANGKOR_THUM, name="One")
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("people:list"))
    for n in range(10):
        personas.person(village=VILLAGE_IN_ANGKOR_THUM, name=f"More {n}")
    with CaptureQueriesContext(connection) as many:
        assert b"More 9" in client.get(reverse("people:list")).content
    assert len(many) == len(few)


def test_project_pages_make_the_same_number_of_queries_for_more_rows(client, personas):
    from samaki.conftest import VILLAGE_IN_BANTEAY_SREI
    from samaki.organisations.services import organisation_create

    numbers = iter(range(100))

    def make(n: int) -> None:
        for i in itertools.islice(numbers, n):
            project_create(
                organisation=personas.home,
                by=SYSTEM,
                code=f"p{i}",
                name_en=f"Project {i}",
                starts_on=datetime.date(2024, 1, 1),
                ends_on=datetime.date(2024, 12, 31),
                partners=[
                    organisation_create(by=SYSTEM, slug=f"partner{i}", name_en=f"Partner {i}")
                ],
                target_area_codes=[VILLAGE_IN_ANGKOR_THUM, VILLAGE_IN_BANTEAY_SREI],
            )

    client.force_login(personas.admin)
    make(1)
    first = personas.home.projects.get()
    with CaptureQueriesContext(connection) as few_list:
        client.get(reverse("projects:list"))
    with CaptureQueriesContext(connection) as few_detail:
        client.get(reverse("projects:detail", args=[first.pk]))
    make(10)
    with CaptureQueriesContext(connection) as many_list:
        assert b"Project 10" in client.get(reverse("projects:list")).content
    with CaptureQueriesContext(connection) as many_detail:
        client.get(reverse("projects:detail", args=[first.pk]))
    assert (len(many_list), len(many_detail)) == (len(few_list), len(few_detail))
