"""Voiding a session, an attendance, a headcount: the record stays, marked with who, when and
why, stops counting in every figure, and stays visible to the M&E officer only."""

import dataclasses
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samaki.accounts.access import SYSTEM
from samaki.activities.models import Activity, Attendance, Headcount
from samaki.activities.services import (
    ActivityFields,
    HeadcountCell,
    activity_create,
    activity_update,
    activity_void,
    attendance_set,
    attendance_void,
    headcount_set,
    headcount_void,
)
from samaki.audit.models import AuditEvent
from samaki.conftest import VILLAGE_IN_ANGKOR_THUM, VILLAGE_IN_BANTEAY_SREI
from samaki.results.engine import IndicatorDefinition, Measure, Period, indicator_compute

DAY = datetime.date(2024, 8, 1)
Q3 = Period(datetime.date(2024, 7, 1), datetime.date(2024, 9, 30))
FIELDS = ActivityFields(kind_code="training", date=DAY, area_code=VILLAGE_IN_ANGKOR_THUM)


def session(personas, **changes) -> Activity:
    return activity_create(
        organisation=personas.home, by=SYSTEM, fields=dataclasses.replace(FIELDS, **changes)
    )


def figures(personas) -> dict[str, int]:
    """Q3's engine figures for home, by measure."""
    return {
        measure.value: indicator_compute(
            IndicatorDefinition(measure=measure), organisations=[personas.home.pk], period=Q3
        ).total
        for measure in (
            Measure.DISTINCT_PEOPLE,
            Measure.ATTENDANCES,
            Measure.SESSIONS,
            Measure.HEADCOUNT,
        )
    }


@pytest.fixture
def two_sessions(personas):
    """Dara attends both sessions, Mealea the first only; the first also counted 5 + 2."""
    dara, mealea = personas.person(name="Sok Dara"), personas.person(name="Chan Mealea")
    first, second = session(personas, title="First"), session(personas, title="Second")
    attendance_set(activity=first, by=SYSTEM, people=[dara, mealea])
    attendance_set(activity=second, by=SYSTEM, people=[dara])
    headcount_set(
        activity=first,
        by=SYSTEM,
        cells=[HeadcountCell(sex="female", count=5), HeadcountCell(sex="male", count=2)],
    )
    return first, second, dara, mealea


# --- the services ---------------------------------------------------------------------------


def test_a_voided_session_stops_counting_with_its_attendance_and_headcount(personas, two_sessions):
    first, _second, _dara, _mealea = two_sessions
    before = figures(personas)
    assert before == {"distinct_people": 2, "attendances": 3, "sessions": 2, "headcount": 7}

    activity_void(by=personas.me_officer, activity=first, reason="  Entered twice  ")

    assert figures(personas) == {
        "distinct_people": 1,
        "attendances": 1,
        "sessions": 1,
        "headcount": 0,
    }
    row = Activity.all_objects.get(pk=first.pk)
    assert (row.voided_by, row.void_reason) == (personas.me_officer, "Entered twice")
    children = [
        *Attendance.all_objects.filter(activity=first),
        *Headcount.all_objects.filter(activity=first),
    ]
    assert len(children) == 4
    assert {(c.voided_at, c.voided_by, c.void_reason) for c in children} == {
        (row.voided_at, personas.me_officer, "Entered twice")
    }
    (event,) = AuditEvent.objects.filter(action="activity.void")
    assert (event.object_id, event.reason) == (str(first.pk), "Entered twice")
    assert event.after == {
        "attendances": sorted(
            Attendance.all_objects.filter(activity=first).values_list("pk", flat=True)
        ),
        "headcounts": sorted(
            Headcount.all_objects.filter(activity=first).values_list("pk", flat=True)
        ),
    }
    assert not Activity.objects.filter(pk=first.pk).exists()
    assert Attendance.all_objects.filter(activity=first).first().activity == row


def test_a_voided_attendance_stops_counting_and_she_can_be_ticked_again(personas, two_sessions):
    first, _second, dara, mealea = two_sessions
    attendance = Attendance.objects.get(activity=first, person=mealea)

    attendance_void(by=personas.facilitator, attendance=attendance, reason="She was not there")

    assert figures(personas) == {
        "distinct_people": 1,
        "attendances": 2,
        "sessions": 2,
        "headcount": 7,
    }
    event = AuditEvent.objects.get(action="attendance.void")
    assert (event.reason, event.after) == (
        "She was not there",
        {"attendance": attendance.pk, "person": mealea.pk},
    )
    # Ticked again (she came after all): a new row counts, the voided one stays.
    attendance_set(activity=first, by=personas.admin, people=[dara, mealea])
    assert figures(personas)["attendances"] == 3
    assert Attendance.all_objects.filter(activity=first, person=mealea).count() == 2


def test_taking_someone_off_the_list_voids_her_attendance_with_the_reason(personas, two_sessions):
    first, _second, dara, mealea = two_sessions

    attendance_set(activity=first, by=personas.admin, people=[dara], reason="Wrong Mealea")

    removed = Attendance.all_objects.get(activity=first, person=mealea)
    assert (removed.is_voided, removed.voided_by, removed.void_reason) == (
        True,
        personas.admin,
        "Wrong Mealea",
    )
    assert figures(personas)["distinct_people"] == 1
    event = AuditEvent.objects.filter(action="attendance.set").latest("pk")
    assert (event.reason, event.after) == ("Wrong Mealea", {"people": [dara.pk]})


def test_a_voided_headcount_stops_counting_and_can_be_taken_again(personas, two_sessions):
    first, *_ = two_sessions

    voided = headcount_void(by=personas.admin, activity=first, reason="Counted another group")

    assert len(voided) == 2
    assert figures(personas)["headcount"] == 0
    assert AuditEvent.objects.get(action="headcount.void").after == {
        "headcounts": sorted(cell.pk for cell in voided)
    }
    headcount_set(activity=first, by=personas.admin, cells=[HeadcountCell(sex="female", count=4)])
    assert figures(personas)["headcount"] == 4
    with pytest.raises(ValidationError):
        headcount_void(by=personas.admin, activity=session(personas), reason="Nothing there")


@pytest.mark.parametrize("reason", ["", "   ", "x" * 1001])
def test_a_void_without_a_reason_is_refused_and_changes_nothing(personas, two_sessions, reason):
    first, _second, _dara, mealea = two_sessions
    attendance = Attendance.objects.get(activity=first, person=mealea)
    calls = [
        lambda: activity_void(by=personas.admin, activity=first, reason=reason),
        lambda: attendance_void(by=personas.admin, attendance=attendance, reason=reason),
        lambda: headcount_void(by=personas.admin, activity=first, reason=reason),
    ]
    for call in calls:
        with pytest.raises(ValidationError) as refused:
            call()
        assert list(refused.value.message_dict) == ["reason"]
    assert figures(personas) == {
        "distinct_people": 2,
        "attendances": 3,
        "sessions": 2,
        "headcount": 7,
    }
    assert not AuditEvent.objects.filter(action__endswith=".void").exists()


def test_voiding_twice_is_refused(personas, two_sessions):
    first, second, dara, _mealea = two_sessions
    attendance = Attendance.objects.get(activity=second, person=dara)
    activity_void(by=personas.admin, activity=first, reason="Duplicate")
    attendance_void(by=personas.admin, attendance=attendance, reason="Wrong person")

    with pytest.raises(ValidationError, match="already voided"):
        activity_void(by=personas.admin, activity=first, reason="Again")
    with pytest.raises(ValidationError, match="already voided"):
        attendance_void(by=personas.admin, attendance=attendance, reason="Again")
    assert AuditEvent.objects.filter(action__endswith=".void").count() == 2


def test_a_voided_session_can_no_longer_be_changed(personas, two_sessions):
    first, _second, dara, _mealea = two_sessions
    activity_void(by=personas.admin, activity=first, reason="Duplicate")
    row = Activity.all_objects.get(pk=first.pk)
    for call in [
        lambda: activity_update(activity=row, by=personas.admin, fields=FIELDS),
        lambda: attendance_set(activity=row, by=personas.admin, people=[dara]),
        lambda: headcount_set(activity=row, by=personas.admin, cells=[]),
    ]:
        with pytest.raises(ValidationError, match="voided"):
            call()


def test_only_those_who_may_edit_it_void_a_session(personas, two_sessions):
    first, *_ = two_sessions
    far = session(personas, area_code=VILLAGE_IN_BANTEAY_SREI)
    with pytest.raises(PermissionDenied):
        activity_void(by=personas.viewer, activity=first, reason="No")
    with pytest.raises(PermissionDenied):
        activity_void(by=personas.outsider, activity=first, reason="No")
    with pytest.raises(PermissionDenied):
        activity_void(by=personas.facilitator, activity=far, reason="Outside her areas")
    activity_void(by=personas.facilitator, activity=first, reason="Inside her areas")
    assert set(Activity.objects.values_list("pk", flat=True)) == {far.pk, two_sessions[1].pk}


def test_the_external_id_of_a_voided_session_is_free_again(personas):
    first = session(personas, external_id="ODK-7")
    activity_void(by=personas.admin, activity=first, reason="Wrong date")
    again = session(personas, external_id="ODK-7", date=datetime.date(2024, 8, 2))
    assert Activity.objects.get(external_id="ODK-7") == again


def test_a_correction_keeps_its_reason_on_the_audit_row(personas, two_sessions):
    first, *_ = two_sessions
    activity_update(
        activity=first,
        by=personas.admin,
        fields=dataclasses.replace(FIELDS, title="Renamed"),
        reason=" Typo in the title ",
    )
    headcount_set(
        activity=first,
        by=personas.admin,
        cells=[HeadcountCell(sex="female", count=6)],
        reason="Miscounted",
    )
    assert dict(
        AuditEvent.objects.filter(action__in=["activity.update", "headcount.set"])
        .exclude(reason="")
        .values_list("action", "reason")
    ) == {"activity.update": "Typo in the title", "headcount.set": "Miscounted"}


# --- the pages ------------------------------------------------------------------------------


def test_a_voided_session_is_shown_to_managers_and_404_to_everyone_else(
    client, personas, two_sessions
):
    first, *_ = two_sessions
    activity_void(by=personas.me_officer, activity=first, reason="Entered twice")
    url = reverse("activities:detail", args=[first.pk])
    for manager in (personas.me_officer, personas.admin):
        client.force_login(manager)
        page = client.get(url)
        assert page.status_code == 200
        html = page.content.decode()
        assert "Voided on" in html and "Entered twice" in html
        assert page.context["attended"] == 0
        assert reverse("activities:edit", args=[first.pk]) not in html
    for other in (personas.facilitator, personas.viewer, personas.donor_viewer, personas.outsider):
        client.force_login(other)
        assert client.get(url).status_code == 404
        assert client.get(reverse("activities:edit", args=[first.pk])).status_code in (403, 404)


def test_the_list_hides_voided_sessions_except_for_the_m_and_e_officers_filter(
    client, personas, two_sessions
):
    first, second, *_ = two_sessions
    activity_void(by=personas.admin, activity=first, reason="Entered twice")
    client.force_login(personas.me_officer)
    listed = lambda query="": [a.pk for a in client.get(  # noqa: E731
        reverse("activities:list") + query).context["page"]]  # fmt: skip
    assert listed() == [second.pk]
    assert sorted(listed("?voided=1")) == sorted([first.pk, second.pk])
    client.force_login(personas.facilitator)
    assert listed("?voided=1") == [second.pk]


def test_the_detail_page_strikes_a_voided_attendance_through_for_managers_only(
    client, personas, two_sessions
):
    first, _second, dara, mealea = two_sessions
    attendance_void(
        by=personas.admin,
        attendance=Attendance.objects.get(activity=first, person=mealea),
        reason="Not there",
    )
    url = reverse("activities:detail", args=[first.pk])
    client.force_login(personas.me_officer)
    page = client.get(url)
    assert [(a.person_id, a.is_voided) for a in page.context["attendances"]] == [
        (mealea.pk, True),
        (dara.pk, False),
    ]
    assert page.context["attended"] == 1
    assert "Not there" in page.content.decode()
    client.force_login(personas.facilitator)
    page = client.get(url)
    assert [a.person_id for a in page.context["attendances"]] == [dara.pk]
    assert "Not there" not in page.content.decode()


def test_the_void_page_asks_why_and_refuses_a_blank_reason(client, personas, two_sessions):
    first, *_ = two_sessions
    url = reverse("activities:void", args=[first.pk])
    client.force_login(personas.facilitator)
    assert client.get(url).status_code == 200
    refused = client.post(url, {"reason": "  "})
    assert refused.status_code == 200
    assert list(refused.context["form"].errors) == ["reason"]
    assert Activity.objects.filter(pk=first.pk).exists()

    done = client.post(url, {"reason": "Duplicate of the second"})
    # She may not see voided records: back to the list.
    assert done["Location"] == reverse("activities:list")
    assert Activity.all_objects.get(pk=first.pk).void_reason == "Duplicate of the second"


def test_void_pages_answer_403_to_a_viewer_and_404_to_another_organisation(
    client, personas, two_sessions
):
    first, second, dara, _mealea = two_sessions
    attendance = Attendance.objects.get(activity=first, person=dara)
    urls = [
        reverse("activities:void", args=[first.pk]),
        reverse("activities:attendance_void", args=[first.pk, attendance.pk]),
        reverse("activities:headcount_void", args=[first.pk]),
    ]
    for url in urls:
        client.force_login(personas.viewer)
        assert client.post(url, {"reason": "No"}).status_code == 403
        client.force_login(personas.outsider)
        assert client.post(url, {"reason": "No"}).status_code == 404
    # An attendance of another session, named under this one: not found.
    other = Attendance.objects.get(activity=second, person=dara)
    client.force_login(personas.admin)
    url = reverse("activities:attendance_void", args=[first.pk, other.pk])
    assert client.post(url, {"reason": "No"}).status_code == 404
    assert figures(personas)["attendances"] == 3


def test_attendance_and_headcount_are_voided_from_their_pages(client, personas, two_sessions):
    first, _second, _dara, mealea = two_sessions
    attendance = Attendance.objects.get(activity=first, person=mealea)
    client.force_login(personas.admin)
    client.post(
        reverse("activities:attendance_void", args=[first.pk, attendance.pk]),
        {"reason": "Not there"},
    )
    client.post(reverse("activities:headcount_void", args=[first.pk]), {"reason": "Other group"})
    assert figures(personas) == {
        "distinct_people": 1,
        "attendances": 2,
        "sessions": 2,
        "headcount": 0,
    }


def test_the_edit_page_asks_for_a_reason_and_the_audit_row_keeps_it(client, personas):
    first = session(personas)
    client.force_login(personas.admin)
    url = reverse("activities:edit", args=[first.pk])
    data = {
        "kind_code": "training", "title": "Renamed", "date": "2024-08-01",
        "place_province": "17", "place_district": "1702", "place_commune": "170201",
        "area_code": VILLAGE_IN_ANGKOR_THUM, "notes": "",
    }  # fmt: skip
    refused = client.post(url, data)
    assert list(refused.context["form"].errors) == ["reason"]
    assert Activity.objects.get(pk=first.pk).title == ""
    assert client.post(url, {**data, "reason": "Typo"}).status_code == 302
    assert AuditEvent.objects.get(action="activity.update").reason == "Typo"
    # Not asked on creation.
    assert "reason" not in client.get(reverse("activities:create")).context["form"].fields


def test_the_detail_page_makes_the_same_queries_for_1_and_20_voided_attendances(client, personas):
    def page_queries(n: int) -> int:
        activity = session(personas, title=f"{n}")
        people = [personas.person(name=f"Person {n} {i}") for i in range(n)]
        attendance_set(activity=activity, by=SYSTEM, people=people)
        headcount_set(activity=activity, by=SYSTEM, cells=[HeadcountCell(sex="male", count=1)])
        attendance_set(activity=activity, by=personas.admin, people=[], reason="Wrong list")
        headcount_void(by=personas.me_officer, activity=activity, reason="Wrong")
        client.force_login(personas.me_officer)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("activities:detail", args=[activity.pk])).status_code == 200
        return len(captured)

    assert page_queries(1) == page_queries(20)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the floor's SQL is PostgreSQL's")
def test_the_benchmarks_hand_written_floor_leaves_voided_records_out(personas, two_sessions):
    from samaki.results.benchmark import hand_sql

    first, *_ = two_sessions
    activity_void(by=personas.admin, activity=first, reason="Entered twice")
    floor = {}
    for measure in (
        Measure.DISTINCT_PEOPLE,
        Measure.ATTENDANCES,
        Measure.SESSIONS,
        Measure.HEADCOUNT,
    ):
        sql, params = hand_sql(IndicatorDefinition(measure=measure), [personas.home.pk], Q3)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            floor[measure.value] = cursor.fetchone()[0] or 0
    assert (
        floor
        == figures(personas)
        == {
            "distinct_people": 1,
            "attendances": 1,
            "sessions": 1,
            "headcount": 0,
        }
    )
