"""A submitted period holds: every channel's write dated in it is refused with a message naming
it, until a manager reopens it with a reason; each submission is kept as a revision."""

import base64
import datetime
import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import escape

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
)
from samaki.api.services import token_issue
from samaki.audit.models import AuditEvent
from samaki.conftest import VILLAGE_IN_ANGKOR_THUM
from samaki.groups.models import Membership
from samaki.groups.services import group_create, membership_add, membership_end, membership_void
from samaki.imports.models import JobStatus
from samaki.imports.services import import_job_create, import_run
from samaki.openrosa.models import Submission
from samaki.openrosa.services import shipped_form_publish
from samaki.outcomes.models import Outcome
from samaki.outcomes.services import outcome_record, outcome_update, outcome_void
from samaki.periods.models import PeriodRevision, PeriodStatus, ReportingPeriod
from samaki.periods.rules import PeriodLocked
from samaki.periods.services import period_reopen
from samaki.projects.services import project_create
from samaki.reports.models import SubmittedReport
from samaki.reports.queries import project_scope
from samaki.reports.services import report_job_create, report_job_run, report_submit
from samaki.results.engine import Filters, IndicatorDefinition, Measure, Period, indicator_compute

pytestmark = pytest.mark.django_db

Q3 = Period.parse("2024Q3")
IN_Q3 = datetime.date(2024, 8, 1)
IN_Q4 = datetime.date(2024, 10, 1)
LOCKED = (
    "2024Q3 (1 Jul – 30 Sep 2024) of project P-001 is submitted: ask your M&E officer to "
    "reopen it before changing records dated in it."
)


@pytest.fixture(autouse=True)
def _var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def project(personas):
    return project_create(
        organisation=personas.home, by=personas.admin, code="P-001", name_en="Savings",
        starts_on=datetime.date(2024, 1, 1), ends_on=datetime.date(2025, 12, 31),
    )  # fmt: skip


def session(personas, project, date=IN_Q3, **extra):
    fields = ActivityFields(
        kind_code="training", date=date, area_code=VILLAGE_IN_ANGKOR_THUM, title="Savings",
        project=project, **extra,
    )  # fmt: skip
    return activity_create(organisation=personas.home, by=personas.admin, fields=fields)


@pytest.fixture
def women(personas):
    return [personas.person(name=name) for name in ("Sok Dara", "Chan Mony", "Keo Srey")]


@pytest.fixture
def q3_session(personas, project, women):
    activity = session(personas, project)
    attendance_set(activity=activity, by=personas.admin, people=women)
    return activity


def submit(by, project, period: Period = Q3) -> SubmittedReport:
    job = report_job_create(
        by=by, scope=project_scope(project), period=period, fmt="json", language="en"
    )
    report_job_run(job_id=job.pk)
    job.refresh_from_db()
    return report_submit(job=job, by=by)


def women_reached(personas, project, period: Period = Q3) -> int:
    """The engine's figure: distinct women attending the project's sessions in the period."""
    definition = IndicatorDefinition(
        measure=Measure.DISTINCT_PEOPLE, filters=Filters(projects=(project.pk,))
    )
    return indicator_compute(definition, organisations=[personas.home.pk], period=period).total


def counted_attendances() -> int:
    return Attendance.objects.filter(voided_at__isnull=True).count()


# --- submitting ----------------------------------------------------------------------------------


def test_submitting_a_project_report_submits_its_period_as_revision_1(personas, project):
    report = submit(personas.me_officer, project)
    period = ReportingPeriod.objects.get()
    assert (period.project, period.start, period.end) == (project, Q3.start, Q3.end)
    assert (period.status, period.submitted_by) == (PeriodStatus.SUBMITTED, personas.me_officer)
    revision = PeriodRevision.objects.get()
    assert (revision.period, revision.number, revision.report) == (period, 1, report)
    event = AuditEvent.objects.get(action="period.submit")
    assert (event.actor, event.after["revision"], event.after["period"]) == (
        personas.me_officer,
        1,
        "2024Q3",
    )


def test_a_submitted_period_is_not_submitted_again_until_reopened(personas, project):
    submit(personas.me_officer, project)
    with pytest.raises(ValidationError) as refused:
        submit(personas.me_officer, project)
    assert refused.value.messages == ["2024Q3 of P-001 is already submitted; reopen it first."]
    assert (SubmittedReport.objects.count(), PeriodRevision.objects.count()) == (1, 1)


def test_a_facilitator_cannot_submit_a_project_period(personas, project):
    with pytest.raises(PermissionDenied):
        submit(personas.facilitator, project)
    assert (SubmittedReport.objects.count(), ReportingPeriod.objects.count()) == (0, 0)


# --- the lock, service by service ----------------------------------------------------------------


@pytest.fixture
def locked_world(personas, project, q3_session, women):
    """A Q3 session with attendance and a headcount, a project group's membership and an outcome,
    all dated in Q3; then Q3 is submitted."""
    headcount_set(
        activity=q3_session, by=personas.admin, cells=[HeadcountCell(sex="female", count=4)]
    )
    group = group_create(
        organisation=personas.home, by=personas.admin, name_en="Savers", kind_code="smart_women",
        area_code=VILLAGE_IN_ANGKOR_THUM, project=project,
    )  # fmt: skip
    membership = membership_add(group=group, person=women[0], by=personas.admin, joined_on=IN_Q3)
    outcome = outcome_record(
        person=women[0], by=personas.admin, kind_code="business_started", date=IN_Q3,
        project=project,
    )  # fmt: skip
    submit(personas.me_officer, project)
    return {
        "activity": q3_session, "group": group, "membership": membership, "outcome": outcome,
        "women": women, "project": project,
    }  # fmt: skip


def _fields(activity, **changes):
    values = {
        "kind_code": "training", "date": activity.date, "area_code": VILLAGE_IN_ANGKOR_THUM,
        "title": activity.title, "project": activity.project,
    }  # fmt: skip
    return ActivityFields(**{**values, **changes})


WRITES = {
    "activity_create": lambda w, by: session_in(w, by),
    "activity_update": lambda w, by: activity_update(
        activity=w["activity"], by=by, fields=_fields(w["activity"], title="Renamed")
    ),
    "attendance_set": lambda w, by: attendance_set(
        activity=w["activity"], by=by, people=w["women"][:2], reason="Recorded twice"
    ),
    "headcount_set": lambda w, by: headcount_set(
        activity=w["activity"], by=by, cells=[HeadcountCell(sex="female", count=5)]
    ),
    "activity_void": lambda w, by: activity_void(by=by, activity=w["activity"], reason="Typo"),
    "attendance_void": lambda w, by: attendance_void(
        by=by, attendance=w["activity"].attendances.first(), reason="Typo"
    ),
    "membership_add": lambda w, by: membership_add(
        group=w["group"], person=w["women"][1], by=by, joined_on=IN_Q3
    ),
    "membership_end": lambda w, by: membership_end(
        membership=w["membership"], by=by, left_on=datetime.date(2024, 9, 1)
    ),
    "outcome_record": lambda w, by: outcome_record(
        person=w["women"][1],
        by=by,
        kind_code="business_started",
        date=IN_Q3,
        project=w["project"],
    ),
    "outcome_update": lambda w, by: outcome_update(
        by=by,
        outcome=w["outcome"],
        kind_code="business_started",
        date=IN_Q3,
        detail="A stall",
        project=w["project"],
    ),
    "outcome_void": lambda w, by: outcome_void(by=by, outcome=w["outcome"], reason="Typo"),
}


def session_in(world, by):
    fields = _fields(world["activity"], title="Another")
    return activity_create(organisation=world["project"].organisation, by=by, fields=fields)


def _state() -> tuple:
    return (
        Activity.all_objects.filter(voided_at__isnull=True).count(),
        counted_attendances(),
        sorted(Headcount.objects.filter(voided_at__isnull=True).values_list("count", flat=True)),
        list(Membership.objects.filter(voided_at__isnull=True).values_list("left_on", flat=True)),
        list(Outcome.objects.filter(voided_at__isnull=True).values_list("detail", flat=True)),
        sorted(Activity.all_objects.values_list("title", flat=True)),
    )


@pytest.mark.parametrize("write", sorted(WRITES))
def test_every_write_service_refuses_a_record_dated_in_the_submitted_period(
    personas, locked_world, write
):
    before = _state()
    with pytest.raises(PeriodLocked) as refused:
        WRITES[write](locked_world, personas.admin)
    assert refused.value.messages == [LOCKED]
    assert _state() == before


@pytest.mark.parametrize("write", sorted(WRITES))
def test_every_write_works_again_once_the_period_is_reopened(personas, locked_world, write):
    period_reopen(by=personas.me_officer, period=ReportingPeriod.objects.get(), reason="Typo")
    before = _state()
    WRITES[write](locked_world, personas.admin)
    assert _state() != before


def test_a_membership_is_locked_in_every_submitted_period_it_spans(personas, project, women):
    """She joined in Q2 and is still a member: Q3's "members at the end" counts her, so
    adding such a membership, ending it before Q3 ends or voiding it waits for a reopening;
    ending it after Q3 does not touch Q3."""
    group = group_create(
        organisation=personas.home, by=personas.admin, name_en="Savers", kind_code="smart_women",
        area_code=VILLAGE_IN_ANGKOR_THUM, project=project,
    )  # fmt: skip
    in_q2 = datetime.date(2024, 4, 1)
    spanning = membership_add(group=group, person=women[0], by=personas.admin, joined_on=in_q2)
    submit(personas.me_officer, project)
    refusals = {
        "add": lambda: membership_add(
            group=group, person=women[1], by=personas.admin, joined_on=in_q2
        ),
        "end": lambda: membership_end(
            membership=spanning, by=personas.admin, left_on=datetime.date(2024, 5, 1)
        ),
        "void": lambda: membership_void(by=personas.admin, membership=spanning, reason="Typo"),
    }
    for name, write in refusals.items():
        with pytest.raises(PeriodLocked) as refused:
            write()
        assert refused.value.messages == [LOCKED], name
    assert list(Membership.objects.values_list("person_id", "left_on")) == [(women[0].pk, None)]
    membership_end(membership=spanning, by=personas.admin, left_on=IN_Q4)
    assert Membership.objects.get().left_on == IN_Q4


def test_records_outside_the_period_or_without_a_project_are_not_locked(
    personas, project, locked_world
):
    q4 = session(personas, project, date=IN_Q4)
    no_project = session(personas, None)
    attendance_set(activity=q4, by=personas.admin, people=locked_world["women"])
    attendance_set(activity=no_project, by=personas.admin, people=locked_world["women"])
    assert (q4.attendances.count(), no_project.attendances.count()) == (3, 3)


def test_moving_a_session_into_the_period_or_out_of_it_is_refused(personas, project, locked_world):
    q4 = session(personas, project, date=IN_Q4)
    with pytest.raises(PeriodLocked):
        activity_update(activity=q4, by=personas.admin, fields=_fields(q4, date=IN_Q3))
    with pytest.raises(PeriodLocked):
        activity_update(
            activity=locked_world["activity"],
            by=personas.admin,
            fields=_fields(locked_world["activity"], date=IN_Q4),
        )
    # Taking it out of the project moves it out of the period just the same.
    with pytest.raises(PeriodLocked):
        activity_update(
            activity=locked_world["activity"],
            by=personas.admin,
            fields=_fields(locked_world["activity"], project=None),
        )
    dates = dict(Activity.objects.values_list("pk", "date"))
    assert (dates[q4.pk], dates[locked_world["activity"].pk]) == (IN_Q4, IN_Q3)
    assert Activity.objects.get(pk=locked_world["activity"].pk).project == project


def test_the_lock_costs_one_query_whatever_the_number_of_attendees(
    personas, project, q3_session, women, django_assert_num_queries
):
    from samaki.periods.rules import require_period_open, require_periods_open

    submit(personas.me_officer, project)
    with django_assert_num_queries(1), pytest.raises(PeriodLocked):
        require_periods_open(dated=[(project.pk, IN_Q4), (project.pk, IN_Q3)])
    with django_assert_num_queries(0):
        require_period_open(project_id=None, on=IN_Q3)


# --- the issue's figure: a removal after submission does not change it ---------------------------


def test_an_attendance_removed_after_submission_does_not_change_the_figure(
    client, personas, project, q3_session, women
):
    assert women_reached(personas, project) == 3
    submit(personas.me_officer, project)
    client.force_login(personas.admin)
    response = client.post(
        f"/activities/{q3_session.pk}/attendance/",
        {"person": [women[0].pk, women[1].pk], "action": "save", "reason": "Recorded twice"},
    )
    assert response.status_code == 200
    assert escape(LOCKED) in response.content.decode()
    assert (women_reached(personas, project), counted_attendances()) == (3, 3)
    # Reopened with a reason, the same removal goes through, and the figure follows.
    period_reopen(
        by=personas.me_officer, period=ReportingPeriod.objects.get(), reason="Recorded twice"
    )
    response = client.post(
        f"/activities/{q3_session.pk}/attendance/",
        {"person": [women[0].pk, women[1].pk], "action": "save", "reason": "Recorded twice"},
    )
    assert response.status_code == 302
    assert (women_reached(personas, project), counted_attendances()) == (2, 2)


# --- every channel -------------------------------------------------------------------------------


def test_the_web_form_shows_the_message_and_saves_nothing(client, personas, locked_world):
    outcome = locked_world["outcome"]
    client.force_login(personas.admin)
    response = client.post(
        f"/outcomes/{outcome.pk}/edit/",
        {"kind_code": "business_started", "date": "2024-08-01", "detail": "A stall",
         "project": locked_world["project"].pk, "reason": "More detail"},
    )  # fmt: skip
    assert response.status_code == 200
    assert escape(LOCKED) in response.content.decode()
    outcome.refresh_from_db()
    assert outcome.detail == ""


def run_import(personas, content: bytes):
    job = import_job_create(
        organisation=personas.home, by=personas.admin, kind="activities",
        file_name="sessions.csv", content=content,
    )  # fmt: skip
    return import_run(job_id=job.pk)


def test_an_import_row_dated_in_the_period_is_refused_and_the_job_lands_nothing(
    personas, project, locked_world
):
    personas.person(name="Sok Dara", external_id="P-1")
    header = "Activity's external ID,Kind code,Date,Area code,Title,Project code,Attendee's external ID\n"
    rows = (
        f"T1,training,01/10/2024,{VILLAGE_IN_ANGKOR_THUM},Savings,P-001,P-1\n"
        f"T2,training,01/08/2024,{VILLAGE_IN_ANGKOR_THUM},Savings,P-001,P-1\n"
    )
    before = Activity.all_objects.count()
    job = run_import(personas, (header + rows).encode())
    assert job.status == JobStatus.FAILED
    assert [(e["row"], e["column"], e["message"]) for e in job.result["errors"]] == [
        (3, "date", LOCKED)
    ]
    assert Activity.all_objects.count() == before


@pytest.fixture
def bearer(personas):
    _token, secret = token_issue(
        kind="api", organisation=personas.home, by=personas.admin, user=personas.admin, name="s"
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_the_api_answers_422_with_the_message_and_changes_nothing(
    client, personas, locked_world, bearer
):
    activity, women = locked_world["activity"], locked_world["women"]
    response = client.put(
        f"/api/v1/activities/{activity.pk}/attendance",
        {"person_ids": [women[0].pk]},
        content_type="application/json",
        **bearer,
    )
    assert response.status_code == 422
    assert response.json() == {"detail": {"date": [LOCKED]}}
    response = client.post(
        f"/api/v1/groups/{locked_world['group'].pk}/memberships",
        {"person_id": women[2].pk, "joined_on": "2024-08-01"},
        content_type="application/json",
        **bearer,
    )
    assert response.status_code == 422
    assert response.json() == {"detail": {"joined_on": [LOCKED]}}
    assert (counted_attendances(), Membership.objects.count()) == (3, 1)


def attendance_xml(instance: str, attendees: str, deprecated: str = "") -> bytes:
    meta = f"<instanceID>{instance}</instanceID>"
    if deprecated:
        meta += f"<deprecatedID>{deprecated}</deprecatedID>"
    return (
        '<data id="samaki_session_attendance" version="2026112101"><kind_code>training</kind_code>'
        f"<date>2024-08-01</date><area_code>{VILLAGE_IN_ANGKOR_THUM}</area_code><title>Savings</title>"
        f"<attendees>{attendees}</attendees><meta>{meta}</meta></data>"
    ).encode()


def test_openrosa_refuses_an_edit_into_the_period_with_409_and_keeps_nothing(
    client, personas, project, women
):
    shipped_form_publish(
        organisation=personas.home, by=personas.admin, form_id="samaki_session_attendance"
    )
    _token, secret = token_issue(
        kind="phone", organisation=personas.home, by=personas.admin, user=personas.facilitator,
        name="Sokha",
    )  # fmt: skip
    auth = "Basic " + base64.b64encode(f"Sokha:{secret}".encode()).decode()
    client.defaults.update(HTTP_X_OPENROSA_VERSION="1.0", HTTP_AUTHORIZATION=auth)

    def send(xml: bytes):
        upload = SimpleUploadedFile("instance.xml", xml, content_type="text/xml")
        return client.post("/openrosa/submission", {"xml_submission_file": upload}, secure=True)

    first, second = women[0].pk, women[1].pk
    assert send(attendance_xml("uuid:s1", f"{first}")).status_code == 201
    activity = Activity.objects.get()
    # The M&E officer files the session under the project, then submits Q3.
    activity_update(activity=activity, by=personas.admin, fields=_fields(activity, project=project))
    submit(personas.me_officer, project)
    edit = attendance_xml("uuid:s2", f"{first} {second}", deprecated="uuid:s1")
    response = send(edit)
    assert response.status_code == 409
    assert escape(LOCKED) in response.content.decode()  # in XML, & is &amp;
    assert response["X-OpenRosa-Version"] == "1.0"
    assert Submission.objects.count() == 1
    assert list(activity.attendances.values_list("person_id", flat=True)) == [first]
    # Reopened, the phone's resend is recorded.
    period_reopen(by=personas.me_officer, period=ReportingPeriod.objects.get(), reason="Late edit")
    assert send(edit).status_code == 201
    assert sorted(activity.attendances.values_list("person_id", flat=True)) == [first, second]


# --- reopening and revisions ---------------------------------------------------------------------


def test_reopening_without_a_reason_is_refused_and_changes_nothing(personas, project):
    submit(personas.me_officer, project)
    period = ReportingPeriod.objects.get()
    with pytest.raises(ValidationError) as refused:
        period_reopen(by=personas.me_officer, period=period, reason="  \u200b ")
    assert refused.value.message_dict == {"reason": ["Say why the period is reopened."]}
    period.refresh_from_db()
    assert (period.status, period.reopened_at) == (PeriodStatus.SUBMITTED, None)
    assert not AuditEvent.objects.filter(action="period.reopen").exists()


def test_only_a_manager_reopens(personas, project):
    submit(personas.me_officer, project)
    period = ReportingPeriod.objects.get()
    with pytest.raises(PermissionDenied):
        period_reopen(by=personas.facilitator, period=period, reason="Typo")
    assert ReportingPeriod.objects.get().status == PeriodStatus.SUBMITTED


def test_reopening_is_audited_with_its_reason(personas, project):
    submit(personas.me_officer, project)
    period_reopen(
        by=personas.admin, period=ReportingPeriod.objects.get(), reason="Attendance twice"
    )
    period = ReportingPeriod.objects.get()
    assert (period.status, period.reopened_by, period.reopen_reason) == (
        PeriodStatus.REOPENED,
        personas.admin,
        "Attendance twice",
    )
    event = AuditEvent.objects.get(action="period.reopen")
    assert (event.actor, event.reason, event.object_id) == (
        personas.admin,
        "Attendance twice",
        str(period.pk),
    )
    with pytest.raises(ValidationError):
        period_reopen(by=personas.admin, period=period, reason="Again")


def test_resubmitting_makes_revision_2_and_both_reports_remain_with_their_hashes(
    client, personas, project, q3_session, women
):
    first = submit(personas.me_officer, project)
    period_reopen(by=personas.me_officer, period=ReportingPeriod.objects.get(), reason="Twice")
    attendance_set(activity=q3_session, by=personas.admin, people=women[:2], reason="Twice")
    second = submit(personas.me_officer, project)
    period = ReportingPeriod.objects.get()
    assert period.status == PeriodStatus.SUBMITTED
    assert list(period.revisions.values_list("number", "report")) == [
        (1, first.pk),
        (2, second.pk),
    ]
    kept = {report.pk: report for report in SubmittedReport.objects.all()}
    assert set(kept) == {first.pk, second.pk}
    for report in kept.values():
        assert hashlib.sha256(bytes(report.content)).hexdigest() == report.content_sha256
    assert kept[first.pk].data_sha256 != kept[second.pk].data_sha256
    client.force_login(personas.viewer)
    page = client.get(f"/periods/{period.pk}/").content.decode()
    assert "Revision 1" in page and "Revision 2" in page
    assert f"/reports/submitted/{first.pk}/" in page and f"/reports/submitted/{second.pk}/" in page


# --- pages ---------------------------------------------------------------------------------------


def test_the_reopen_form_refuses_a_blank_reason_and_accepts_one(client, personas, project):
    submit(personas.me_officer, project)
    period = ReportingPeriod.objects.get()
    client.force_login(personas.me_officer)
    assert client.get(f"/periods/{period.pk}/reopen/").status_code == 405
    response = client.post(f"/periods/{period.pk}/reopen/", {"reason": ""})
    assert response.status_code == 200
    assert "Say why the period is reopened." in response.content.decode()
    assert ReportingPeriod.objects.get().status == PeriodStatus.SUBMITTED
    response = client.post(f"/periods/{period.pk}/reopen/", {"reason": "Typo in August"})
    assert response["Location"] == f"/periods/{period.pk}/"
    assert ReportingPeriod.objects.get().status == PeriodStatus.REOPENED


def test_a_viewer_reads_the_period_but_cannot_reopen_it(client, personas, project):
    submit(personas.me_officer, project)
    period = ReportingPeriod.objects.get()
    client.force_login(personas.viewer)
    page = client.get(f"/periods/{period.pk}/")
    assert page.status_code == 200
    assert "/reopen/" not in page.content.decode()
    assert client.post(f"/periods/{period.pk}/reopen/", {"reason": "x"}).status_code == 403
    assert client.get(f"/periods/{period.pk}/reopen/").status_code == 403
    assert ReportingPeriod.objects.get().status == PeriodStatus.SUBMITTED


def test_another_organisation_gets_404(client, personas, project):
    submit(personas.me_officer, project)
    period = ReportingPeriod.objects.get()
    for user in (personas.outsider, personas.donor_viewer):
        client.force_login(user)
        assert client.get(f"/periods/{period.pk}/").status_code == 404
        assert client.post(f"/periods/{period.pk}/reopen/", {"reason": "x"}).status_code == 404
    assert ReportingPeriod.objects.get().status == PeriodStatus.SUBMITTED


def test_the_project_page_lists_its_periods(client, personas, project):
    submit(personas.me_officer, project)
    period = ReportingPeriod.objects.get()
    client.force_login(personas.me_officer)
    page = client.get(f"/projects/{project.pk}/").content.decode()
    assert (
        f'href="/periods/{period.pk}/">2024Q3 (1 Jul – 30 Sep 2024)</a> · Submitted · 1 revision'
        in page
    )


@pytest.mark.parametrize("revisions", [1, 3])
def test_the_period_page_makes_the_same_number_of_queries_for_more_revisions(
    client, personas, project, revisions, django_assert_num_queries
):
    for number in range(revisions):
        submit(personas.me_officer, project)
        if number < revisions - 1:
            period_reopen(
                by=personas.me_officer, period=ReportingPeriod.objects.get(), reason="Again"
            )
    period = ReportingPeriod.objects.get()
    client.force_login(personas.me_officer)
    # session, user, her organisation (the header), the period (with its project and who
    # reopened it), revisions (with who submitted each and the report)
    with django_assert_num_queries(5):
        response = client.get(f"/periods/{period.pk}/")
    assert len(response.context["revisions"]) == revisions
