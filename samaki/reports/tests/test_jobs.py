import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied

from samaki.activities.models import Activity, ActivityKind, Attendance
from samaki.areas.models import Area
from samaki.audit.models import AuditEvent
from samaki.conftest import VILLAGE_IN_ANGKOR_THUM
from samaki.projects.services import project_create
from samaki.reports.models import ReportJob, SubmittedReport
from samaki.reports.services import report_job_delete

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path


@pytest.fixture
def project(personas):
    return project_create(
        organisation=personas.home, by=personas.admin, code="p", name_en="Project",
        starts_on=datetime.date(2024, 1, 1), ends_on=datetime.date(2025, 12, 31),
    )  # fmt: skip


def add_people(personas, project, n, *, start=0):
    activity = Activity.objects.create(
        organisation=personas.home, project=project, date=datetime.date(2024, 8, 1),
        kind=ActivityKind.objects.get(code="training", organisation=None),
        area=Area.objects.get(code=VILLAGE_IN_ANGKOR_THUM),
    )  # fmt: skip
    for i in range(start, start + n):
        person = personas.person(name=f"Woman {i}")
        Attendance.objects.create(organisation=personas.home, activity=activity, person=person)


def ask(client, project, fmt="json"):
    return client.post(
        "/reports/jobs/", {"scope": "project", "id": project.pk, "period": "2024Q3", "format": fmt}
    )


def reach(data):
    summary = data["sections"][0]["tables"][0]["rows"]
    return summary[0][1]


def test_the_job_reaches_100_percent_and_its_file_is_the_report(client, personas, project):
    add_people(personas, project, 3)
    client.force_login(personas.me_officer)
    response = ask(client, project, "xlsx")
    job = ReportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/reports/jobs/{job.pk}/"
    assert (job.status, job.percent, job.error) == ("done", 100, "")
    page = client.get(f"/reports/jobs/{job.pk}/").content.decode()
    assert 'value="100"' in page and 'http-equiv="refresh"' not in page
    download = client.get(f"/reports/jobs/{job.pk}/download/")
    assert download.status_code == 200
    content = b"".join(download.streaming_content) if download.streaming else download.content
    assert content[:2] == b"PK"  # an XLSX
    assert reach(job.data) == 3


def test_a_waiting_job_shows_its_bar_and_reloads(client, personas, project):
    client.force_login(personas.me_officer)
    ask(client, project)
    job = ReportJob.objects.get()
    ReportJob.objects.filter(pk=job.pk).update(status="counting", progress=36)
    page = client.get(f"/reports/jobs/{job.pk}/").content.decode()
    assert '<progress max="100" value="36"' in page
    assert 'http-equiv="refresh"' in page


def test_an_outsider_gets_404_on_the_job(client, personas, project):
    client.force_login(personas.me_officer)
    ask(client, project)
    job = ReportJob.objects.get()
    client.force_login(personas.outsider)
    assert client.get(f"/reports/jobs/{job.pk}/").status_code == 404
    assert client.get(f"/reports/jobs/{job.pk}/download/").status_code == 404
    assert client.post(f"/reports/jobs/{job.pk}/submit/").status_code == 404
    assert ask(client, project).status_code == 404  # she cannot ask for home's project either
    assert ReportJob.objects.count() == 1


def test_a_bad_period_makes_no_job(client, personas, project):
    client.force_login(personas.me_officer)
    response = client.post(
        "/reports/jobs/", {"scope": "project", "id": project.pk, "period": "Q5", "format": "pdf"}
    )
    assert response.status_code == 400
    assert "Write the period" in response.content.decode()
    assert not ReportJob.objects.exists()


def test_a_submitted_report_does_not_change_with_the_records(client, personas, project):
    add_people(personas, project, 3)
    client.force_login(personas.me_officer)
    ask(client, project, "json")
    job = ReportJob.objects.get()
    response = client.post(f"/reports/jobs/{job.pk}/submit/")
    submitted = SubmittedReport.objects.get()
    assert response["Location"] == f"/reports/submitted/{submitted.pk}/"
    before = client.get(f"/reports/submitted/{submitted.pk}/").content
    assert reach(json.loads(before)) == 3
    assert AuditEvent.objects.filter(action="report.submitted").count() == 1

    add_people(personas, project, 2, start=3)  # the records change
    ask(client, project, "json")
    assert reach(ReportJob.objects.latest("pk").data) == 5  # a new report sees them

    submitted.refresh_from_db()
    after = client.get(f"/reports/submitted/{submitted.pk}/")
    assert after.content == before
    assert after["X-Content-SHA256"] == submitted.content_sha256
    assert reach(submitted.data) == 3
    assert (
        reach(json.loads(client.get(f"/reports/submitted/{submitted.pk}/?data=json").content)) == 3
    )


def test_a_submitted_report_cannot_be_changed_deleted_or_submitted_twice(client, personas, project):
    client.force_login(personas.me_officer)
    ask(client, project)
    job = ReportJob.objects.get()
    client.post(f"/reports/jobs/{job.pk}/submit/")
    submitted = SubmittedReport.objects.get()
    submitted.title = "changed"
    with pytest.raises(PermissionDenied):
        submitted.save()
    with pytest.raises(PermissionDenied):
        submitted.delete()
    with pytest.raises(PermissionDenied):
        report_job_delete(job=job, by=personas.admin)
    assert client.post(f"/reports/jobs/{job.pk}/submit/").status_code == 400
    assert SubmittedReport.objects.get().title == "Project"


def test_a_viewer_cannot_submit(client, personas, project):
    client.force_login(personas.me_officer)
    ask(client, project)
    job = ReportJob.objects.get()
    client.force_login(personas.viewer)
    assert client.post(f"/reports/jobs/{job.pk}/submit/").status_code == 400
    assert not SubmittedReport.objects.exists()


@pytest.mark.django_db(transaction=True)  # the worker closes and reopens its connection
def test_the_task_runs_on_the_database_worker(settings, personas, project):
    from django.core.management import call_command

    from samaki.reports.queries import project_scope
    from samaki.reports.services import report_job_create
    from samaki.reports.tasks import run_report_job
    from samaki.results.engine import Period

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    job = report_job_create(
        by=personas.me_officer, scope=project_scope(project), period=Period.parse("2024Q3"),
        fmt="json", language="km",
    )  # fmt: skip
    run_report_job.enqueue(job.pk)
    job.refresh_from_db()
    assert job.status == "waiting"
    call_command("db_worker", batch=True, verbosity=0)
    job.refresh_from_db()
    assert (job.status, job.progress) == ("done", 100)


def test_the_bar_moves_section_by_section(personas, project, monkeypatch):
    from samaki.reports import services
    from samaki.reports.queries import project_scope
    from samaki.results.engine import Period

    steps = []
    original = services._set

    def record(job_id, **fields):
        steps.append((fields.get("status"), fields.get("progress")))
        original(job_id, **fields)

    monkeypatch.setattr(services, "_set", record)
    job = services.report_job_create(
        by=personas.me_officer, scope=project_scope(project), period=Period.parse("2024Q3"),
        fmt="json", language="en",
    )  # fmt: skip
    services.report_job_run(job_id=job.pk)
    progress = [p for _s, p in steps]
    assert progress == sorted(progress) and len(set(progress)) >= 5
    assert steps[-2] == ("writing", 90) and steps[-1] == ("done", 100)


def test_the_reports_page_lists_her_organisations_jobs_only(client, personas, project):
    client.force_login(personas.me_officer)
    ask(client, project)
    client.post(f"/reports/jobs/{ReportJob.objects.get().pk}/submit/")
    mine = client.get("/reports/jobs/")
    assert [job.pk for job in mine.context["jobs"]] == [ReportJob.objects.get().pk]
    assert len(mine.context["submitted"]) == 1
    client.force_login(personas.outsider)
    theirs = client.get("/reports/jobs/")
    assert (len(theirs.context["jobs"]), len(theirs.context["submitted"])) == (0, 0)
