"""Activities, their attendance and headcounts, in the admin: written by the services."""

import datetime

from django.urls import reverse

from samaki.activities.models import Activity, ActivityKind, Attendance, Headcount, Topic
from samaki.activities.services import ActivityFields, activity_create
from samaki.areas.models import Area
from samaki.audit.models import AuditEvent
from samaki.conftest import VILLAGE_IN_ANGKOR_THUM

ADD = reverse("admin:activities_activity_add")
DAY = datetime.date(2024, 3, 8)


def headcounts(*cells: dict[str, str], initial: int = 0) -> dict[str, str]:
    data = {
        "headcounts-TOTAL_FORMS": str(len(cells)),
        "headcounts-INITIAL_FORMS": str(initial),
        "headcounts-MIN_NUM_FORMS": "0",
        "headcounts-MAX_NUM_FORMS": "1000",
    }
    for number, cell in enumerate(cells):
        data.update({f"headcounts-{number}-{key}": value for key, value in cell.items()})
    return data


def form_data(people, *cells, **changes) -> dict:
    data = {
        "date": DAY.isoformat(),
        "kind": str(ActivityKind.objects.get(code="training", organisation=None).pk),
        "title": "Health training",
        "topics": [str(Topic.objects.get(code="health", organisation=None).pk)],
        "area": str(Area.objects.get(code=VILLAGE_IN_ANGKOR_THUM).pk),
        "project": "",
        "group": "",
        "notes": "",
        "external_id": "",
        "attendees": [str(person.pk) for person in people],
        **headcounts(*cells),
    }
    data.update(changes)
    return data


def test_an_activity_is_added_with_its_attendance_and_headcount(client, personas):
    dara, bopha = personas.person(name="Dara"), personas.person(name="Bopha")
    client.force_login(personas.me_officer)

    response = client.post(
        ADD,
        form_data(
            [dara, bopha], {"sex": "female", "age_min": "15", "age_max": "24", "count": "40"}
        ),
    )

    assert response.status_code == 302
    activity = Activity.objects.get()
    assert (activity.organisation, activity.title, activity.kind.code) == (
        personas.home,
        "Health training",
        "training",
    )
    assert [topic.code for topic in activity.topics.all()] == ["health"]
    assert {a.person for a in activity.attendances.all()} == {dara, bopha}
    assert list(activity.headcounts.values_list("sex", "age_min", "age_max", "count")) == [
        ("female", 15, 24, 40)
    ]
    actions = AuditEvent.objects.filter(object_type="activities.activity").values_list(
        "action", flat=True
    )
    assert sorted(actions) == ["activity.create", "attendance.set", "headcount.set"]


def test_a_future_date_is_refused_on_its_field_and_nothing_is_written(client, personas):
    dara = personas.person()
    client.force_login(personas.admin)
    events = AuditEvent.objects.count()

    response = client.post(
        ADD,
        form_data(
            [dara], {"sex": "male", "age_min": "0", "age_max": "", "count": "3"}, date="2999-01-01"
        ),
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "date": ["The date is in the future: record an activity once it has happened."]
    }
    assert (Activity.objects.count(), Attendance.objects.count(), Headcount.objects.count()) == (
        0,
        0,
        0,
    )
    assert AuditEvent.objects.count() == events


def test_attendance_is_taken_on_the_activitys_page(client, personas):
    dara, bopha = personas.person(name="Dara"), personas.person(name="Bopha")
    activity = activity_create(
        organisation=personas.home,
        by=personas.admin,
        fields=ActivityFields(kind_code="training", date=DAY, area_code=VILLAGE_IN_ANGKOR_THUM),
    )
    client.force_login(personas.admin)
    page = reverse("admin:activities_activity_change", args=[activity.pk])

    response = client.post(page, form_data([dara, bopha], title="", topics=[]))

    assert response.status_code == 302
    assert {a.person for a in activity.attendances.all()} == {dara, bopha}
    # The session itself is as it was: activity_update found nothing to change.
    assert not AuditEvent.objects.filter(action="activity.update").exists()
    event = AuditEvent.objects.get(action="attendance.set")
    assert (event.before, event.after) == ({"people": []}, {"people": sorted([dara.pk, bopha.pk])})


def test_a_bad_headcount_is_refused_and_nothing_is_written(client, personas):
    activity = activity_create(
        organisation=personas.home,
        by=personas.admin,
        fields=ActivityFields(kind_code="training", date=DAY, area_code=VILLAGE_IN_ANGKOR_THUM),
    )
    client.force_login(personas.admin)
    page = reverse("admin:activities_activity_change", args=[activity.pk])

    response = client.post(
        page,
        form_data(
            [],
            {"sex": "female", "age_min": "30", "age_max": "20", "count": "5"},
            title="",
            topics=[],
        ),
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [
        "An age band must run from a lower to a higher age."
    ]
    assert not Headcount.objects.exists()


def test_the_outsider_cannot_take_attendance_of_homes_people(client, personas):
    dara = personas.person()
    client.force_login(personas.outsider)

    response = client.post(ADD, form_data([dara]))

    assert response.context["adminform"].form.errors["attendees"] == [
        f"Select a valid choice. {dara.pk} is not one of the available choices."
    ]
    assert not Activity.objects.exists()


def test_an_activity_is_changed_through_activity_update(client, personas):
    dara = personas.person(name="Dara")
    activity = activity_create(
        organisation=personas.home,
        by=personas.admin,
        fields=ActivityFields(kind_code="training", date=DAY, area_code=VILLAGE_IN_ANGKOR_THUM),
    )
    client.force_login(personas.me_officer)
    page = reverse("admin:activities_activity_change", args=[activity.pk])

    response = client.post(page, form_data([dara], date="2024-03-07", external_id="ODK-7"))

    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.date, activity.title, activity.external_id) == (
        datetime.date(2024, 3, 7),
        "Health training",
        "ODK-7",
    )
    assert [topic.code for topic in activity.topics.all()] == ["health"]
    assert [a.person for a in activity.attendances.all()] == [dara]
    event = AuditEvent.objects.get(action="activity.update")
    assert (event.actor, event.before["date"], event.after["date"]) == (
        personas.me_officer,
        "2024-03-08",
        "2024-03-07",
    )
    assert (event.before["topics"], event.after["topics"]) == ([], ["health"])


def test_a_bad_change_is_refused_on_its_field_and_nothing_is_written(client, personas):
    dara = personas.person(name="Dara")
    activity = activity_create(
        organisation=personas.home,
        by=personas.admin,
        fields=ActivityFields(kind_code="training", date=DAY, area_code=VILLAGE_IN_ANGKOR_THUM),
    )
    client.force_login(personas.admin)
    events = AuditEvent.objects.count()

    response = client.post(
        reverse("admin:activities_activity_change", args=[activity.pk]),
        form_data([dara], date="2999-01-01"),
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "date": ["The date is in the future: record an activity once it has happened."]
    }
    activity.refresh_from_db()
    assert (activity.date, activity.title) == (DAY, "")
    assert not activity.attendances.exists()
    assert AuditEvent.objects.count() == events


def test_the_outsider_cannot_open_or_change_homes_activity(client, personas):
    activity = activity_create(
        organisation=personas.home,
        by=personas.admin,
        fields=ActivityFields(kind_code="training", date=DAY, area_code=VILLAGE_IN_ANGKOR_THUM),
    )
    client.force_login(personas.outsider)
    page = reverse("admin:activities_activity_change", args=[activity.pk])

    assert client.get(page).status_code == 404
    assert client.post(page, form_data([], title="Taken")).status_code == 404
    activity.refresh_from_db()
    assert activity.title == ""
