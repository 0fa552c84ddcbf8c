import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from samaki.activities.models import Activity, ActivityKind, Attendance
from samaki.areas.models import Area
from samaki.conftest import VILLAGE_IN_ANGKOR_THUM
from samaki.organisations.services import consortium_create
from samaki.projects.services import project_create
from samaki.results.models import PeriodKind, ResultLevel
from samaki.results.services import framework_create, indicator_add, result_add, target_set

pytestmark = pytest.mark.django_db
PHONE = "012345678"


@pytest.fixture
def project(personas):
    project = project_create(
        organisation=personas.home, by=personas.admin, code="p", name_en="Project",
        starts_on=datetime.date(2024, 1, 1), ends_on=datetime.date(2025, 12, 31),
    )  # fmt: skip
    framework = framework_create(project=project, by=personas.admin)
    goal = result_add(
        framework=framework, by=personas.admin, level=ResultLevel.GOAL, code="G",
        statement_en="Goal",
    )  # fmt: skip
    indicator = indicator_add(
        result=goal, by=personas.admin, code="1.1", name_en="Women trained",
        measure="distinct_people", sex="female",
    )  # fmt: skip
    target_set(
        indicator=indicator, by=personas.admin, period_kind=PeriodKind.QUARTER,
        starts_on=datetime.date(2024, 7, 1), ends_on=datetime.date(2024, 9, 30), value=4,
    )  # fmt: skip
    return project


def add_people(personas, project, n, *, start=0, date=datetime.date(2024, 8, 1)):
    activity = Activity.objects.create(
        organisation=personas.home, project=project, date=date,
        kind=ActivityKind.objects.get(code="training", organisation=None),
        area=Area.objects.get(code=VILLAGE_IN_ANGKOR_THUM),
    )  # fmt: skip
    for i in range(start, start + n):
        person = personas.person(name=f"Chanthy Woman{i}", phone=PHONE)
        Attendance.objects.create(organisation=personas.home, activity=activity, person=person)


def headlines(response):
    return {str(h.label): h.value for h in response.context["dashboard"].headlines}


def test_a_project_dashboard_shows_figures_targets_charts_and_the_map(client, personas, project):
    add_people(personas, project, 3)
    add_people(personas, project, 2, start=3, date=datetime.date(2024, 7, 15))
    client.force_login(personas.me_officer)
    response = client.get(f"/reports/dashboard/projects/{project.pk}/?period=2024Q3")
    assert response.status_code == 200
    assert headlines(response) == {
        "People reached": 5,
        "Women and girls reached": 5,
        "Activities (sessions)": 2,
        "Attendances": 5,
        "People counted at events": 0,
    }
    dashboard = response.context["dashboard"]
    figure = dashboard.indicators[0]
    assert (figure.value, figure.target, figure.percent, figure.band) == (5, 4, 125.0, "on_track")
    assert [title for title, _uri in dashboard.charts] == [
        "People reached each month",
        "People reached by kind of activity",
        "People reached by age band and sex",
    ]
    html = response.content.decode()
    assert html.count('<svg role="img" aria-label="People reached') == 3  # charts, inline
    assert 'id="chart0-' in html and 'id="chart2-' in html  # their ids do not clash
    assert "<text " in html and "Noto Sans Khmer" in html  # letters as text, in the page's fonts
    assert '<path d="M' in html and 'data-code="17"' in html
    assert "<title>Siem Reap: 5</title>" in html
    assert "<title>Battambang: 0</title>" in html
    assert "cdn" not in html.lower() and "<script" not in html
    assert len(response.content) < 150_000, len(response.content)


def test_the_dashboard_counts_by_month_and_by_district(client, personas, project):
    add_people(personas, project, 3)
    add_people(personas, project, 2, start=3, date=datetime.date(2024, 7, 15))
    client.force_login(personas.me_officer)
    response = client.get(f"/reports/dashboard/projects/{project.pk}/?period=2024Q3&level=district")
    html = response.content.decode()
    assert 'data-code="1702"' in html
    assert "<title>Angkor Thum: 5</title>" in html or "<title>Angkor Thom: 5</title>" in html
    assert len(response.content) < 250_000


def test_the_map_is_in_khmer_when_the_page_is(client, personas, project):
    add_people(personas, project, 1)
    client.force_login(personas.me_officer)
    client.cookies["django_language"] = "km"
    html = client.get(f"/reports/dashboard/projects/{project.pk}/?period=2024Q3").content.decode()
    assert "<title>សៀមរាប: 1</title>" in html


def test_the_dashboard_counts_in_the_database(client, personas, project):
    client.force_login(personas.me_officer)
    add_people(personas, project, 2)
    url = f"/reports/dashboard/projects/{project.pk}/?period=2024Q3"
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add_people(personas, project, 20, start=2)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert headlines(response)["People reached"] == 22
    assert len(many) == len(few)


def test_a_consortium_lead_sees_each_members_figures_and_the_total_never_a_person(
    client, personas, project
):
    add_people(personas, project, 6)  # 5 or more: shown (below 5, "<5": test_suppression)
    consortium = consortium_create(
        by=personas.superuser, slug="c", name_en="Consortium", lead=personas.other,
        members=[personas.home],
    )  # fmt: skip
    client.force_login(personas.outsider)  # the lead's administrator
    response = client.get(f"/reports/dashboard/consortia/{consortium.pk}/?period=2024")
    assert response.status_code == 200
    assert response.context["dashboard"].members.rows == [
        ["HOME", 6, 1, 6],
        ["OTH", 0, 0, 0],  # the lead, with no records of its own
        ["Consortium total", 6, 1, 6],
    ]
    html = response.content.decode()
    assert "Chanthy" not in html and "Woman0" not in html and PHONE not in html
    assert "<title>Siem Reap: 6</title>" in html
    # The lead does not see the member's project, nor its dashboard.
    assert client.get(f"/reports/dashboard/projects/{project.pk}/").status_code == 404


def test_an_outsider_gets_404_on_anothers_dashboards(client, personas, project):
    consortium = consortium_create(
        by=personas.superuser, slug="c", name_en="Consortium", lead=personas.home, members=[]
    )
    client.force_login(personas.outsider)
    assert client.get(f"/reports/dashboard/projects/{project.pk}/").status_code == 404
    assert client.get(f"/reports/dashboard/consortia/{consortium.pk}/").status_code == 404


def test_the_organisation_dashboard_links_its_projects(client, personas, project):
    add_people(personas, project, 2)
    client.force_login(personas.viewer)
    response = client.get("/reports/dashboard/?period=2024")
    assert response.status_code == 200
    assert headlines(response)["People reached"] == 2
    assert f"/reports/dashboard/projects/{project.pk}/" in response.content.decode()
    assert client.get("/reports/dashboard/?period=Q9").status_code == 400


def test_the_consortium_dashboard_asks_for_the_consortium_report(
    client, personas, settings, tmp_path
):
    from samaki.reports.models import ReportJob

    settings.VAR_DIR = tmp_path
    consortium = consortium_create(
        by=personas.superuser, slug="c", name_en="Consortium", lead=personas.other,
        members=[personas.home],
    )  # fmt: skip
    client.force_login(personas.outsider)
    html = client.get(f"/reports/dashboard/consortia/{consortium.pk}/?period=2024").content.decode()
    assert '<input type="hidden" name="scope" value="consortium">' in html
    client.cookies["django_language"] = "km"
    response = client.post(
        "/reports/jobs/",
        {"scope": "consortium", "id": consortium.pk, "period": "2024", "format": "json"},
    )
    job = ReportJob.objects.get()
    assert response["Location"] == f"/reports/jobs/{job.pk}/"
    assert (job.status, job.scope_kind, job.language, job.organisation) == (
        "done", "consortium", "km", personas.other,
    )  # fmt: skip
    assert job.data["scope_code"] == "c" and job.data["language"] == "km"


def test_the_map_classes_put_the_largest_figure_darkest():
    from samaki.reports.maps import COLOURS, _classes

    assert _classes(0) == []
    assert _classes(3) == [(COLOURS[2], 1, 1), (COLOURS[3], 2, 2), (COLOURS[4], 3, 3)]
    assert [(low, high) for _c, low, high in _classes(12)] == [
        (1, 3), (4, 5), (6, 8), (9, 10), (11, 12),
    ]  # fmt: skip
