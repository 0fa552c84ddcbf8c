import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from samaki.activities.models import Activity, ActivityKind, Attendance
from samaki.areas.models import Area
from samaki.conftest import VILLAGE_IN_ANGKOR_THUM
from samaki.projects.services import project_create
from samaki.results.models import PeriodKind, ResultLevel
from samaki.results.services import framework_create, indicator_add, result_add, target_set

pytestmark = pytest.mark.django_db
Q3 = (datetime.date(2024, 7, 1), datetime.date(2024, 9, 30))


@pytest.fixture
def project(personas):
    project = project_create(
        organisation=personas.home, by=personas.admin, code="p", name_en="Project",
        starts_on=datetime.date(2024, 1, 1), ends_on=datetime.date(2025, 12, 31),
    )  # fmt: skip
    framework = framework_create(project=project, by=personas.admin, outcome_label_en="Result area")
    goal = result_add(
        framework=framework,
        by=personas.admin,
        level=ResultLevel.GOAL,
        code="G",
        statement_en="Goal",
    )
    outcome = result_add(
        framework=framework, by=personas.admin, level=ResultLevel.OUTCOME, code="1",
        statement_en="Outcome", parent=goal,
    )  # fmt: skip
    indicator = indicator_add(
        result=outcome, by=personas.admin, code="1.1", name_en="Women trained",
        measure="distinct_people", sex="female", dimensions="sex, age_band",
    )  # fmt: skip
    target_set(
        indicator=indicator,
        by=personas.admin,
        period_kind=PeriodKind.QUARTER,
        starts_on=Q3[0],
        ends_on=Q3[1],
        value=4,
    )
    return project


def add_people(personas, project, n):
    activity = Activity.objects.create(
        organisation=personas.home, project=project, date=datetime.date(2024, 8, 1),
        kind=ActivityKind.objects.get(code="training", organisation=None),
        area=Area.objects.get(code=VILLAGE_IN_ANGKOR_THUM),
    )  # fmt: skip
    for i in range(n):
        person = personas.person(name=f"Woman {i}")
        Attendance.objects.create(organisation=personas.home, activity=activity, person=person)


def test_the_results_page_shows_value_target_percent_and_band(client, personas, project):
    add_people(personas, project, 3)
    client.force_login(personas.me_officer)
    response = client.get(f"/results/projects/{project.pk}/?period=2024Q3")
    assert response.status_code == 200
    row = response.context["progress"][0]
    assert (row.value.total, row.target, round(row.percent), row.band) == (3, 4, 75, "at_risk")
    assert "Result area" in response.content.decode()


def test_the_page_counts_in_the_database(client, personas, project):
    client.force_login(personas.me_officer)
    add_people(personas, project, 2)
    with CaptureQueriesContext(connection) as few:
        client.get(f"/results/projects/{project.pk}/?period=2024Q3")
    add_people(personas, project, 20)
    with CaptureQueriesContext(connection) as many:
        response = client.get(f"/results/projects/{project.pk}/?period=2024Q3")
    assert response.context["progress"][0].value.total == 22
    assert len(many) == len(few)


def test_a_bad_period_is_refused_with_a_message(client, personas, project):
    client.force_login(personas.me_officer)
    response = client.get(f"/results/projects/{project.pk}/?period=2024Q9")
    assert response.status_code == 400
    assert "Write the period as" in response.content.decode()


def test_an_outsider_gets_404_for_the_page_and_the_report(client, personas, project):
    client.force_login(personas.outsider)
    assert client.get(f"/results/projects/{project.pk}/").status_code == 404
    assert (
        client.get(f"/reports/projects/{project.pk}/?period=2024Q3&format=json").status_code == 404
    )


def test_the_report_downloads_as_xlsx(client, personas, project):
    add_people(personas, project, 3)
    client.force_login(personas.me_officer)
    response = client.get(f"/reports/projects/{project.pk}/?period=2024Q3&format=xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="p-2024-07-01-2024-09-30.xlsx"'
    assert client.get(f"/reports/projects/{project.pk}/?period=nope&format=xlsx").status_code == 400


def test_an_output_must_sit_under_an_outcome(personas, project):
    from django.core.exceptions import ValidationError

    framework = project.results_framework
    goal = framework.results.get(code="G")
    with pytest.raises(ValidationError):
        result_add(
            framework=framework,
            by=personas.admin,
            level=ResultLevel.OUTPUT,
            code="1.1",
            statement_en="x",
            parent=goal,
        )
    with pytest.raises(ValidationError):
        indicator_add(
            result=goal, by=personas.admin, code="x", name_en="x", measure="sessions", sex="female"
        )
    assert framework.results.count() == 2
