"""Budget against actual and cost per distinct person, counted in the database."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samaki.accounts.access import SYSTEM
from samaki.activities.services import ActivityFields, activity_create, attendance_set
from samaki.budgets.queries import budget_vs_actual, cost_per_person
from samaki.budgets.services import budget_line_add, expenditure_record
from samaki.conftest import VILLAGE_IN_ANGKOR_THUM
from samaki.projects.services import project_create

pytestmark = pytest.mark.django_db
Q3 = (datetime.date(2024, 7, 1), datetime.date(2024, 9, 30))


@pytest.fixture
def project(personas):
    project = project_create(
        organisation=personas.home,
        by=SYSTEM,
        code="p",
        name_en="Project",
        starts_on=datetime.date(2024, 1, 1),
        ends_on=datetime.date(2024, 12, 31),
    )
    women = [personas.person(name=f"Woman {n}") for n in range(3)]
    man = personas.person(name="A man", sex="male")
    for day, people in [
        (datetime.date(2024, 7, 5), [*women, man]),
        (datetime.date(2024, 8, 5), women[:2]),
        (datetime.date(2024, 10, 5), [personas.person(name="Late")]),
    ]:
        activity = activity_create(
            organisation=personas.home,
            by=SYSTEM,
            fields=ActivityFields(
                kind_code="training", date=day, area_code=VILLAGE_IN_ANGKOR_THUM, project=project
            ),
        )
        attendance_set(activity=activity, by=SYSTEM, people=people)
    training = budget_line_add(
        project=project,
        by=personas.admin,
        code="training",
        name_en="Trainings",
        period_start=Q3[0],
        period_end=Q3[1],
        amount=Decimal("150.00"),
        currency="gbp",
    )
    staff = budget_line_add(
        project=project,
        by=SYSTEM,
        code="staff",
        name_en="Staff",
        period_start=Q3[0],
        period_end=Q3[1],
        amount=Decimal("100.00"),
        currency="GBP",
    )
    expenditure_record(
        line=training,
        by=personas.me_officer,
        date=datetime.date(2024, 7, 5),
        amount=Decimal("60.00"),
    )
    expenditure_record(
        line=training, by=SYSTEM, date=datetime.date(2024, 8, 5), amount=Decimal("42.00")
    )
    expenditure_record(
        line=staff, by=SYSTEM, date=datetime.date(2024, 9, 30), amount=Decimal("100.00")
    )
    return project


def test_cost_per_distinct_person_not_per_attendance(personas, project):
    with CaptureQueriesContext(connection) as queries:
        cost = cost_per_person(user=personas.admin, project=project, start=Q3[0], end=Q3[1])
    assert len(queries) <= 4
    assert (cost.budget, cost.spent, cost.people, cost.women) == (
        Decimal("250.00"),
        Decimal("202.00"),
        4,
        3,
    )
    assert cost.per_person == Decimal("50.50")  # 202 / 4 people (6 attendances)
    assert cost.per_woman == Decimal("67.33")
    assert cost.currency == "GBP"


def test_budget_against_actual_per_line(personas, project):
    rows = {
        line.code: (line.amount, line.spent, line.left)
        for line in budget_vs_actual(
            user=personas.admin, project=project, start=Q3[0], end=datetime.date(2024, 7, 31)
        )
    }
    assert rows == {
        "staff": (Decimal("100.00"), Decimal("0.00"), Decimal("100.00")),
        "training": (Decimal("150.00"), Decimal("60.00"), Decimal("90.00")),
    }


def test_a_project_budgets_in_one_currency(personas, project):
    with pytest.raises(ValidationError):
        budget_line_add(
            project=project,
            by=SYSTEM,
            code="x",
            name_en="x",
            period_start=Q3[0],
            period_end=Q3[1],
            amount=Decimal(1),
            currency="USD",
        )


def test_spending_outside_the_line_or_by_a_facilitator_is_refused(personas, project):
    line = project.budget_lines.get(code="staff")
    with pytest.raises(ValidationError):
        expenditure_record(line=line, by=SYSTEM, date=datetime.date(2024, 10, 1), amount=Decimal(1))
    with pytest.raises(ValidationError):
        expenditure_record(line=line, by=SYSTEM, date=datetime.date(2024, 8, 1), amount=Decimal(0))
    with pytest.raises(PermissionDenied):
        expenditure_record(
            line=line, by=personas.facilitator, date=datetime.date(2024, 8, 1), amount=Decimal(1)
        )


def test_the_budget_page_and_its_scope(client, personas, project):
    url = reverse("budgets:project", args=[project.pk]) + "?start=2024-07-01&end=2024-09-30"
    client.force_login(personas.viewer)
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["cost"].per_person == Decimal("50.50")
    client.force_login(personas.outsider)
    assert client.get(url).status_code == 404
    client.force_login(personas.donor_viewer)
    assert client.get(url).status_code == 404
