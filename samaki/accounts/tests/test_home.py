"""The home page says what needs doing, by what her role reads; nothing of a case for programme
roles, nothing of another organisation; one query per section, the same for one row or many."""

import datetime

import pytest
from django.utils import timezone

from samaki.accounts.home import reporting_quarter
from samaki.activities.models import Activity, ActivityKind
from samaki.areas.models import Area
from samaki.cases.models import FollowUp
from samaki.cases.tests.conftest import safe_house, verified_login  # noqa: F401 - fixture
from samaki.conftest import VILLAGE_IN_ANGKOR_THUM, VILLAGE_IN_BANTEAY_SREI
from samaki.feedback.services import FeedbackFields, feedback_file
from samaki.imports.models import ImportJob
from samaki.openrosa.models import Submission, XForm
from samaki.projects.services import project_create
from samaki.reports.models import ReportJob, SubmittedReport

pytestmark = pytest.mark.django_db


def sections(response) -> dict[str, list[str]]:
    return {s.key: [item.text for item in s.items] for s in response.context["sections"]}


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def project(personas, today):
    return project_create(
        organisation=personas.home, by=personas.admin, code="p", name_en="Savings",
        name_km="ការសន្សំ", donor=personas.donor,
        starts_on=today - datetime.timedelta(days=400), ends_on=today + datetime.timedelta(days=400),
    )  # fmt: skip


def overdue_feedback(personas, today, village=VILLAGE_IN_ANGKOR_THUM, organisation=None):
    return feedback_file(
        organisation=organisation or personas.home,
        by=personas.admin if organisation is None else personas.outsider,
        fields=FeedbackFields(
            kind="complaint", message="The well is broken", channel="box", area_code=village,
            received_on=today - datetime.timedelta(days=60),
        ),
    ).feedback  # fmt: skip


def activity(personas, project, date, village=VILLAGE_IN_ANGKOR_THUM, title="Savings club"):
    return Activity.objects.create(
        organisation=personas.home, project=project, date=date, title=title,
        kind=ActivityKind.objects.get(code="training", organisation=None),
        area=Area.objects.get(code=village),
    )  # fmt: skip


def submitted(personas, project, period):
    job = ReportJob.objects.create(
        organisation=personas.home, by=personas.me_officer, scope_kind="project", project=project,
        period_start=period.start, period_end=period.end, format="pdf", status="done",
    )  # fmt: skip
    return SubmittedReport.objects.create(
        organisation=personas.home, job=job, submitted_by=personas.me_officer,
        submitted_at=timezone.now(), title="Savings Q", scope_kind="project",
        period_start=period.start, period_end=period.end, language="en", data={},
        data_sha256="0" * 64, format="pdf", file_name="q.pdf", content=b"%PDF", content_sha256="0",
    )  # fmt: skip


def waiting_submission(personas, n=1):
    xform = XForm.objects.get_or_create(
        organisation=personas.home, form_id="reg", defaults={
            "title": "Registration", "purpose": "person", "xml": "<x/>", "md5": "0",
        },
    )[0]  # fmt: skip
    for i in range(n):
        Submission.objects.create(
            organisation=personas.home, xform=xform, instance_id=f"uuid:{Submission.objects.count()}-{i}",
            xml="<x/>", xml_sha256="0", status="review",
        )  # fmt: skip


def test_the_me_officer_sees_overdue_feedback_submissions_imports_and_the_quarters_report(
    client, personas, project, today
):
    feedback = overdue_feedback(personas, today)
    overdue_feedback(personas, today, organisation=personas.other)  # another's: never shown
    waiting_submission(personas)
    ImportJob.objects.create(
        organisation=personas.home, by=personas.me_officer, kind="people", file_name="people.xlsx",
        content=b"", status="failed",
    )  # fmt: skip
    client.force_login(personas.me_officer)
    response = client.get("/")
    assert response.status_code == 200
    found = sections(response)
    assert found["feedback"] == [f"Complaint about the organisation #{feedback.pk}"]
    assert found["submissions"] == ["Registration"]
    assert found["imports"] == ["people.xlsx"]
    assert found["reports"] == ["Savings"]
    assert "follow_ups" not in found and "next_activities" not in found
    quarter = reporting_quarter(today)
    html = response.content.decode()
    label = f"{quarter.start.year}Q{(quarter.start.month - 1) // 3 + 1}"
    assert f"/reports/dashboard/projects/{project.pk}/?period={label}" in html
    assert "not submitted yet" in html
    assert f'href="/feedback/{feedback.pk}/"' in html


def test_a_submitted_report_links_to_its_snapshot(client, personas, project, today):
    report = submitted(personas, project, reporting_quarter(today))
    client.force_login(personas.admin)
    html = client.get("/").content.decode()
    assert f'href="/reports/submitted/{report.pk}/"' in html and "submitted" in html
    assert "not submitted yet" not in html


def test_a_facilitator_sees_her_next_and_recent_activities_in_her_areas_only(
    client, personas, project, today
):
    activity(personas, project, today + datetime.timedelta(days=3), title="Next club")
    activity(personas, project, today - datetime.timedelta(days=3), title="Last club")
    activity(personas, project, today + datetime.timedelta(days=1), VILLAGE_IN_BANTEAY_SREI, "Far")
    overdue_feedback(personas, today, village=VILLAGE_IN_BANTEAY_SREI)  # outside her areas
    client.force_login(personas.facilitator)
    found = sections(client.get("/"))
    assert found["next_activities"] == ["Next club"]
    assert found["recent_activities"] == ["Last club"]
    assert found["feedback"] == []


def test_a_donor_viewer_sees_her_donors_projects_and_their_latest_reports_only(
    client, personas, project, today
):
    quarter = reporting_quarter(today)
    older = submitted(personas, project, quarter_before(quarter))
    latest = submitted(personas, project, quarter)
    other = project_create(
        organisation=personas.home, by=personas.admin, code="q", name_en="Not her donor's",
        starts_on=project.starts_on, ends_on=project.ends_on,
    )  # fmt: skip
    submitted(personas, other, quarter)
    overdue_feedback(personas, today)
    client.force_login(personas.donor_viewer)
    response = client.get("/")
    found = sections(response)
    assert found == {"projects": ["Savings"], "donor_reports": ["Savings Q"]}
    html = response.content.decode()
    assert f"/reports/submitted/{latest.pk}/" in html
    assert f"/reports/submitted/{older.pk}/" not in html
    assert "The well is broken" not in html and "Complaint" not in html


def quarter_before(quarter):
    return reporting_quarter(quarter.start)


def test_programme_roles_see_nothing_of_a_case(client, personas, safe_house, today):  # noqa: F811
    FollowUp.objects.create(
        organisation=personas.home, case=safe_house.case, due_on=today - datetime.timedelta(days=1)
    )
    for user in (personas.admin, personas.me_officer, personas.viewer, personas.superuser):
        client.force_login(user)
        response = client.get("/")
        assert "follow_ups" not in sections(response)
        assert safe_house.case.code not in response.content.decode()


def test_a_case_worker_sees_her_cases_follow_ups_after_her_second_factor(
    client,
    personas,
    safe_house,  # noqa: F811
    today,
):
    FollowUp.objects.create(
        organisation=personas.home, case=safe_house.case, due_on=today - datetime.timedelta(days=1)
    )
    other = safe_house.open_case(worker=safe_house.other_worker)
    FollowUp.objects.create(organisation=personas.home, case=other, due_on=today)
    client.force_login(safe_house.worker)
    response = client.get("/")
    assert sections(response) == {"follow_ups": ["Confirm your sign-in code to see them"]}
    assert safe_house.case.code not in response.content.decode()
    verified_login(client, safe_house.worker)
    response = client.get("/")
    assert sections(response) == {"follow_ups": [safe_house.case.code]}
    assert other.code not in response.content.decode()
    verified_login(client, safe_house.supervisor)
    assert sorted(sections(client.get("/"))["follow_ups"]) == sorted(
        [safe_house.case.code, other.code]
    )


# Pinned per role: session and user, then the counts (people, groups, activities) where she
# reads people, then one query per section (a facilitator's working areas are read once per
# scoped query), then her organisation for the page's header.
QUERIES = {
    "admin": 2 + 3 + 4 + 1,
    "me_officer": 2 + 3 + 4 + 1,
    "viewer": 2 + 3 + 2 + 1,
    # counts and feedback read her areas first; submissions, imports, reports do not
    "facilitator": 2 + 2 * 3 + 2 + 3 + 2 * 2 + 1,
    "donor_viewer": 2 + 2 + 1,
}


@pytest.mark.parametrize("who", sorted(QUERIES))
def test_the_home_page_counts_the_same_queries_for_one_row_or_many(
    client, personas, project, today, who, django_assert_num_queries
):
    def rows(n):
        for i in range(n):
            overdue_feedback(personas, today)
            activity(personas, project, today + datetime.timedelta(days=i + 1))
            activity(personas, project, today - datetime.timedelta(days=i + 1))
        waiting_submission(personas, n)

    client.force_login(getattr(personas, who))
    rows(1)
    submitted(personas, project, reporting_quarter(today))
    with django_assert_num_queries(QUERIES[who]):
        assert client.get("/").status_code == 200
    rows(4)
    with django_assert_num_queries(QUERIES[who]):
        response = client.get("/")
    if who != "donor_viewer":
        assert len(sections(response)["feedback"]) == 5
