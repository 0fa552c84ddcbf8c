"""Changing a session: activity_update's rules, its audit row, and the edit page's scope and
queries. Attendance and headcount are not touched by an edit."""

import dataclasses
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samaki.accounts.access import SYSTEM
from samaki.activities.models import Activity
from samaki.activities.services import (
    ActivityFields,
    activity_create,
    activity_update,
    attendance_set,
)
from samaki.audit.models import AuditEvent
from samaki.conftest import VILLAGE_IN_ANGKOR_THUM, VILLAGE_IN_BANTEAY_SREI
from samaki.groups.services import group_create
from samaki.projects.services import project_create

DAY = datetime.date(2024, 8, 1)
OTHER_VILLAGE_IN_ANGKOR_THUM = "17020102"
FIELDS = ActivityFields(kind_code="training", date=DAY, area_code=VILLAGE_IN_ANGKOR_THUM)


def session(personas, **changes) -> Activity:
    fields = dataclasses.replace(FIELDS, **changes)
    return activity_create(organisation=personas.home, by=SYSTEM, fields=fields)


def stored(activity) -> tuple:
    row = Activity.objects.get(pk=activity.pk)
    return (
        row.kind.code,
        row.date,
        row.area.code,
        row.title,
        sorted(row.topics.values_list("code", flat=True)),
        row.external_id,
    )


def test_a_session_is_changed_with_one_audit_row_and_keeps_its_attendance(personas):
    activity = session(personas, topic_codes=("health",), external_id="ODK-1")
    dara = personas.person(name="Dara")
    attendance_set(activity=activity, by=SYSTEM, people=[dara])
    activity_update(
        activity=activity,
        by=personas.facilitator,
        fields=dataclasses.replace(
            FIELDS, kind_code="workshop", date=datetime.date(2024, 7, 30),
            area_code=OTHER_VILLAGE_IN_ANGKOR_THUM, title="Rights",
            topic_codes=("rights", "gbv"), facilitators=(personas.facilitator,),
            external_id="ODK-1",
        ),
    )  # fmt: skip
    assert stored(activity) == (
        "workshop", datetime.date(2024, 7, 30), OTHER_VILLAGE_IN_ANGKOR_THUM, "Rights",
        ["gbv", "rights"], "ODK-1",
    )  # fmt: skip
    assert list(activity.facilitators.all()) == [personas.facilitator]
    assert list(activity.attendances.values_list("person_id", flat=True)) == [dara.pk]
    event = AuditEvent.objects.get(action="activity.update")
    assert event.actor == personas.facilitator
    assert (event.before["date"], event.after["date"]) == ("2024-08-01", "2024-07-30")
    assert (event.before["topics"], event.after["topics"]) == (["health"], ["gbv", "rights"])
    assert (event.before["facilitators"], event.after["facilitators"]) == (
        [],
        [personas.facilitator.pk],
    )


def test_saving_a_session_unchanged_writes_no_audit_row(personas):
    activity = session(personas, topic_codes=("health",))
    activity_update(
        activity=activity,
        by=personas.admin,
        fields=dataclasses.replace(FIELDS, topic_codes=("health",)),
    )
    assert not AuditEvent.objects.filter(action="activity.update").exists()


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"kind_code": "party"}, {"kind_code": ["Unknown activity kind “party”."]}),
        ({"area_code": "00000000"}, {"area_code": ["Unknown area code “00000000”."]}),
        ({"topic_codes": ("health", "health")}, {"topic_codes": ["A topic is listed twice."]}),
        (
            {"date": datetime.date(2999, 1, 1)},
            {"date": ["The date is in the future: record an activity once it has happened."]},
        ),
        (
            {"external_id": "ODK-2"},
            {"external_id": ["Another activity already has this external ID."]},
        ),
    ],
)
def test_bad_changes_are_refused_with_the_field_named_and_nothing_changes(personas, bad, message):
    activity = session(personas, external_id="ODK-1", topic_codes=("health",))
    session(personas, external_id="ODK-2")
    before = stored(activity)
    with pytest.raises(ValidationError) as refused:
        activity_update(
            activity=activity,
            by=personas.admin,
            fields=dataclasses.replace(
                FIELDS, **{"title": "Changed", "external_id": "ODK-1", **bad}
            ),
        )
    assert refused.value.message_dict == message
    assert stored(activity) == before
    assert not AuditEvent.objects.filter(action="activity.update").exists()


def test_a_change_outside_the_projects_period_is_refused(personas):
    project = project_create(
        organisation=personas.home, by=personas.admin, code="p", name_en="P",
        starts_on=datetime.date(2024, 1, 1), ends_on=datetime.date(2024, 12, 31),
    )  # fmt: skip
    activity = session(personas, project=project)
    with pytest.raises(ValidationError) as refused:
        activity_update(
            activity=activity,
            by=personas.admin,
            fields=dataclasses.replace(FIELDS, project=project, date=datetime.date(2023, 12, 1)),
        )
    assert list(refused.value.message_dict) == ["date"]
    assert Activity.objects.get(pk=activity.pk).date == DAY


def test_a_facilitator_changes_only_sessions_inside_her_areas(personas):
    inside = session(personas)
    outside = session(personas, area_code=VILLAGE_IN_BANTEAY_SREI)
    renamed = dataclasses.replace(FIELDS, title="Taken")
    with pytest.raises(PermissionDenied):
        activity_update(
            activity=outside,
            by=personas.facilitator,
            fields=dataclasses.replace(renamed, area_code=VILLAGE_IN_BANTEAY_SREI),
        )
    with pytest.raises(PermissionDenied):  # nor move hers out of them
        activity_update(
            activity=inside,
            by=personas.facilitator,
            fields=dataclasses.replace(FIELDS, area_code=VILLAGE_IN_BANTEAY_SREI),
        )
    for stranger in [personas.viewer, personas.outsider]:
        with pytest.raises(PermissionDenied):
            activity_update(activity=inside, by=stranger, fields=renamed)
    assert set(Activity.objects.values_list("title", flat=True)) == {""}
    assert stored(inside)[2] == VILLAGE_IN_ANGKOR_THUM
    assert not AuditEvent.objects.filter(action="activity.update").exists()


# --- The edit page --------------------------------------------------------------------------


def form(**changes):
    data = {
        "kind_code": "training", "title": "", "date": "2024-08-01", "place_province": "17",
        "place_district": "1702", "place_commune": "170201", "area_code": VILLAGE_IN_ANGKOR_THUM,
        "notes": "", "reason": "Wrong title",
    }  # fmt: skip
    return {**data, **changes}


def test_the_edit_page_shows_the_session_and_saves_a_change(client, personas):
    activity = session(personas, topic_codes=("health",), external_id="ODK-1")
    client.force_login(personas.facilitator)
    url = reverse("activities:edit", args=[activity.pk])
    shown = client.get(url).context["form"]
    assert (
        shown["kind_code"].value(),
        shown["topic_codes"].value(),
        shown["area_code"].value(),
    ) == (
        "training",
        ["health"],
        VILLAGE_IN_ANGKOR_THUM,
    )
    response = client.post(
        url,
        form(title="Business skills", date="31/07/2024", topic_codes=["business"],
             facilitators=[personas.facilitator.pk]),
    )  # fmt: skip
    assert response["Location"] == reverse("activities:detail", args=[activity.pk])
    assert stored(activity) == (
        "training", datetime.date(2024, 7, 31), VILLAGE_IN_ANGKOR_THUM, "Business skills",
        ["business"], "ODK-1",
    )  # fmt: skip


def test_bad_input_is_shown_next_to_its_field_and_nothing_changes(client, personas):
    activity = session(personas)
    client.force_login(personas.admin)
    url = reverse("activities:edit", args=[activity.pk])
    response = client.post(url, form(title="Changed", date="2999-01-01"))
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "date": ["The date is in the future: record an activity once it has happened."]
    }
    response = client.post(url, form(title="Changed", date="31/02/2024"))
    assert list(response.context["form"].errors) == ["date"]
    assert stored(activity)[:4] == ("training", DAY, VILLAGE_IN_ANGKOR_THUM, "")


def test_a_facilitator_moving_a_session_out_of_her_areas_is_told_next_to_the_place(
    client, personas
):
    activity = session(personas)
    client.force_login(personas.facilitator)
    response = client.post(
        reverse("activities:edit", args=[activity.pk]),
        form(place_district="1703", place_commune="170301", area_code=VILLAGE_IN_BANTEAY_SREI),
    )
    assert response.context["form"].errors == {"area_code": ["This is outside your working areas."]}
    assert stored(activity)[2] == VILLAGE_IN_ANGKOR_THUM


def test_the_edit_link_and_page_are_for_writers_in_scope_only(client, personas):
    activity = session(personas)
    outside = session(personas, area_code=VILLAGE_IN_BANTEAY_SREI)
    edit = reverse("activities:edit", args=[activity.pk])
    detail = reverse("activities:detail", args=[activity.pk])
    client.force_login(personas.facilitator)
    assert edit in client.get(detail).content.decode()
    assert client.get(reverse("activities:edit", args=[outside.pk])).status_code == 404
    client.force_login(personas.viewer)
    assert edit not in client.get(detail).content.decode()
    assert client.get(edit).status_code == 403
    assert client.post(edit, form(title="Taken")).status_code == 403
    client.force_login(personas.outsider)
    assert client.get(edit).status_code == 404
    assert client.post(edit, form(title="Taken")).status_code == 404
    assert set(Activity.objects.values_list("title", flat=True)) == {""}


def test_the_edit_page_makes_the_same_queries_for_1_and_20_groups_projects_and_staff(
    client, personas
):
    from samaki.accounts.services import user_create

    activity = session(personas, topic_codes=("health",), facilitators=(personas.facilitator,))
    client.force_login(personas.admin)
    url = reverse("activities:edit", args=[activity.pk])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    one = queries()
    for n in range(19):
        group_create(
            organisation=personas.home, by=SYSTEM, name_en=f"G{n}", kind_code="smart_women",
            area_code=VILLAGE_IN_ANGKOR_THUM,
        )  # fmt: skip
        project_create(
            organisation=personas.home, by=SYSTEM, code=f"p{n}", name_en=f"P{n}",
            starts_on=datetime.date(2024, 1, 1), ends_on=datetime.date(2024, 12, 31),
        )  # fmt: skip
        user_create(
            by=SYSTEM, organisation=personas.home, username=f"f{n}", password="x", role="facilitator",
            area_codes=[VILLAGE_IN_ANGKOR_THUM], check_password=False,
        )  # fmt: skip
    activity_update(
        activity=activity,
        by=SYSTEM,
        fields=dataclasses.replace(FIELDS, topic_codes=("health", "gbv", "rights")),
    )
    assert queries() == one


def test_the_edit_pages_weigh_under_150_kb_with_50_groups(client, personas):
    import re
    from pathlib import Path

    from django.contrib.staticfiles import finders

    activity = session(personas)
    for n in range(50):
        group_create(
            organisation=personas.home, by=SYSTEM, name_en=f"Smart Women of village {n}",
            kind_code="smart_women", area_code=VILLAGE_IN_ANGKOR_THUM,
        )  # fmt: skip
    client.force_login(personas.admin)
    for url in [
        reverse("activities:edit", args=[activity.pk]),
        reverse("groups:edit", args=[activity.organisation.groups.first().pk]),
    ]:
        html = client.get(url).content
        assets = re.findall(rb'(?:href|src)="/static/([^"]+\.(?:css|js))"', html)
        weight = len(html) + sum(Path(finders.find(a.decode())).stat().st_size for a in assets)
        assert b"base.css" in b" ".join(assets)
        assert weight < 150 * 1024, (url, weight)
