"""Session pages: create, attendance (roster, search-and-tick, newcomer), headcount, scope, queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samaki.accounts.access import SYSTEM
from samaki.activities.models import Activity, Attendance, Headcount
from samaki.activities.services import ActivityFields, activity_create, attendance_set
from samaki.conftest import VILLAGE_IN_ANGKOR_THUM, VILLAGE_IN_BANTEAY_SREI
from samaki.groups.services import group_create, membership_add
from samaki.people.models import Person

DAY = datetime.date(2024, 8, 1)


def session(personas, village=VILLAGE_IN_ANGKOR_THUM, group=None):
    return activity_create(
        organisation=personas.home,
        by=SYSTEM,
        fields=ActivityFields(kind_code="training", date=DAY, area_code=village, group=group),
    )


def test_facilitator_creates_a_session_and_lands_on_attendance(client, personas):
    client.force_login(personas.facilitator)
    data = {
        "kind_code": "training",
        "title": "Business skills",
        "date": "2024-08-01",
        "place_province": "17",
        "place_district": "1702",
        "place_commune": "170201",
        "area_code": VILLAGE_IN_ANGKOR_THUM,
        "facilitators": [personas.facilitator.pk],
    }
    response = client.post(reverse("activities:create"), data)
    activity = Activity.objects.get()
    assert response["Location"] == reverse("activities:attendance", args=[activity.pk])
    assert list(activity.facilitators.all()) == [personas.facilitator]


def test_a_future_session_is_refused_next_to_the_date(client, personas):
    client.force_login(personas.admin)
    response = client.post(
        reverse("activities:create"),
        {"kind_code": "training", "date": "2999-01-01", "place_province": "17"},
    )
    assert "date" in response.context["form"].errors
    assert Activity.objects.count() == 0


def test_the_roster_is_ticked_and_a_newcomer_is_registered_inline(client, personas):
    group = group_create(
        organisation=personas.home, by=SYSTEM, name_en="SW", kind_code="smart_women",
        area_code=VILLAGE_IN_ANGKOR_THUM,
    )  # fmt: skip
    members = [personas.person(name=f"Member {n}") for n in range(3)]
    for member in members:
        membership_add(group=group, person=member, by=SYSTEM, joined_on=datetime.date(2024, 1, 1))
    activity = session(personas, group=group)
    client.force_login(personas.facilitator)
    url = reverse("activities:attendance", args=[activity.pk])
    page = client.get(url)
    assert page.context["ticked"] == {m.pk for m in members}
    response = client.post(
        url,
        {
            "person": [members[0].pk, members[1].pk],
            "action": "newcomer",
            "new-name_latin": "Srey Neang",
            "new-sex": "female",
            "new-consent": "on",
            "new-village": VILLAGE_IN_ANGKOR_THUM,
        },
    )
    newcomer = Person.objects.get(name_latin="Srey Neang")
    assert response.context["ticked"] == {members[0].pk, members[1].pk, newcomer.pk}
    assert Attendance.objects.count() == 0  # not saved until she presses save
    response = client.post(url, {"person": [members[0].pk, newcomer.pk], "action": "save"})
    assert response.status_code == 302
    assert set(activity.attendances.values_list("person_id", flat=True)) == {
        members[0].pk,
        newcomer.pk,
    }


def test_search_and_tick_finds_a_spelling_variant(client, personas):
    sokcha = personas.person(name="Sokcha Keo")
    activity = session(personas)
    client.force_login(personas.admin)
    response = client.post(
        reverse("activities:attendance", args=[activity.pk]), {"q": "sokchea", "action": "search"}
    )
    assert response.context["found"] == {sokcha.pk}


def test_headcount_saves_cells_and_refuses_negatives(client, personas):
    activity = session(personas)
    client.force_login(personas.admin)
    url = reverse("activities:headcount", args=[activity.pk])
    response = client.post(url, {"female_15_24": "-3"})
    assert "female_15_24" in response.context["form"].errors
    assert Headcount.objects.count() == 0
    response = client.post(url, {"female_15_24": "1200", "male_60_": "45"})
    assert response.status_code == 302
    assert sorted(activity.headcounts.values_list("sex", "age_min", "age_max", "count")) == [
        ("female", 15, 24, 1200),
        ("male", 60, None, 45),
    ]


def test_viewer_cannot_write_and_outsider_gets_404(client, personas):
    activity = session(personas)
    client.force_login(personas.viewer)
    assert (
        "attendance/"
        not in client.get(reverse("activities:detail", args=[activity.pk])).content.decode()
    )
    for name in ["activities:attendance", "activities:headcount"]:
        assert client.post(reverse(name, args=[activity.pk]), {"action": "save"}).status_code == 403
    assert client.post(reverse("activities:create"), {}).status_code == 403
    client.force_login(personas.outsider)
    for name in ["activities:detail", "activities:attendance", "activities:headcount"]:
        assert client.get(reverse(name, args=[activity.pk])).status_code == 404
    other = session(personas, village=VILLAGE_IN_BANTEAY_SREI)
    client.force_login(personas.facilitator)
    assert client.get(reverse("activities:attendance", args=[other.pk])).status_code == 404


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", ["list", "detail", "attendance"])
def test_pages_make_the_same_queries_for_1_and_20_rows(client, personas, page):
    client.force_login(personas.admin)
    activity = session(personas)
    people = [personas.person(name="P0")]
    attendance_set(activity=activity, by=SYSTEM, people=people)
    url = reverse(f"activities:{page}", args=[] if page == "list" else [activity.pk])
    one = queries(client, url)
    for n in range(19):
        people.append(personas.person(name=f"P{n + 1}"))
        session(personas)
    attendance_set(activity=activity, by=SYSTEM, people=people)
    assert queries(client, url) == one
