"""A dashboard opens on the latest quarter that has data, not on an empty one."""

import datetime

import pytest
import time_machine

from samaki.activities.models import Activity, ActivityKind, Attendance
from samaki.areas.models import Area
from samaki.conftest import VILLAGE_IN_ANGKOR_THUM
from samaki.projects.services import project_create
from samaki.results.engine import Period

pytestmark = pytest.mark.django_db
NOVEMBER = datetime.datetime(2024, 11, 15, 3, 0, tzinfo=datetime.UTC)


@pytest.fixture
def project(personas):
    return project_create(
        organisation=personas.home, by=personas.admin, code="p", name_en="Project",
        starts_on=datetime.date(2024, 2, 1), ends_on=datetime.date(2025, 12, 31),
    )  # fmt: skip


def attend(personas, project, date, n=2):
    activity = Activity.objects.create(
        organisation=personas.home, project=project, date=date,
        kind=ActivityKind.objects.get(code="training", organisation=None),
        area=Area.objects.get(code=VILLAGE_IN_ANGKOR_THUM),
    )  # fmt: skip
    for i in range(n):
        person = personas.person(name=f"Woman {date} {i}")
        Attendance.objects.create(organisation=personas.home, activity=activity, person=person)


def reach(response):
    return response.context["dashboard"].headlines[0].value


def test_the_project_dashboard_opens_on_the_quarter_of_its_latest_data(client, personas, project):
    attend(personas, project, datetime.date(2024, 3, 10))
    attend(personas, project, datetime.date(2024, 5, 10), n=3)
    attend(personas, project, datetime.date(2024, 12, 1))  # after today: not yet
    client.force_login(personas.me_officer)
    with time_machine.travel(NOVEMBER, tick=False):
        response = client.get(f"/reports/dashboard/projects/{project.pk}/")
    # The last full quarter (2024Q3) is empty; 2024Q2 has the latest figures.
    assert response.context["period"] == Period.parse("2024Q2")
    assert reach(response) == 3
    assert 'value="2024-04-01..2024-06-30"' in response.content.decode()


def test_the_first_quarter_is_cut_to_the_projects_start(client, personas, project):
    attend(personas, project, datetime.date(2024, 3, 10))
    client.force_login(personas.me_officer)
    with time_machine.travel(NOVEMBER, tick=False):
        response = client.get(f"/reports/dashboard/projects/{project.pk}/")
    assert response.context["period"] == Period(
        datetime.date(2024, 2, 1), datetime.date(2024, 3, 31)
    )


def test_the_organisation_dashboard_opens_on_its_latest_quarter_with_data(
    client, personas, project
):
    attend(personas, project, datetime.date(2024, 8, 10), n=4)
    client.force_login(personas.admin)
    with time_machine.travel(NOVEMBER, tick=False):
        response = client.get("/reports/dashboard/")
    assert response.context["period"] == Period.parse("2024Q3")
    assert reach(response) == 4


def test_without_data_the_dashboard_opens_as_before_and_a_named_period_wins(
    client, personas, project
):
    client.force_login(personas.me_officer)
    with time_machine.travel(NOVEMBER, tick=False):
        empty = client.get(f"/reports/dashboard/projects/{project.pk}/")
        attend(personas, project, datetime.date(2024, 5, 10))
        named = client.get(f"/reports/dashboard/projects/{project.pk}/?period=2024Q3")
    assert empty.context["period"] == Period.parse("2024Q3")  # the last full quarter
    assert named.context["period"] == Period.parse("2024Q3") and reach(named) == 0
