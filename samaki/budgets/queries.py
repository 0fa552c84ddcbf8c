"""Budget against actual, and cost per distinct person reached, counted in the database."""

import dataclasses
import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import models
from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, Sum, Value
from django.db.models.functions import Coalesce

from samaki.activities.models import Attendance
from samaki.budgets.models import BudgetLine, Expenditure
from samaki.organisations.queries import scope_to_user
from samaki.projects.models import Project

MONEY: DecimalField = DecimalField(max_digits=14, decimal_places=2)
ZERO = Value(Decimal("0.00"), output_field=MONEY)
CENT = Decimal("0.01")


def budget_line_list(*, user: Any) -> models.QuerySet[BudgetLine]:
    return scope_to_user(BudgetLine.objects.select_related("project"), user=user)


def expenditure_list(*, user: Any) -> models.QuerySet[Expenditure]:
    return scope_to_user(Expenditure.objects.select_related("line"), user=user)


def budget_project_list(*, user: Any) -> models.QuerySet[Project]:
    """Her organisation's projects, whose budgets she reads (a partner's budget is its own)."""
    return scope_to_user(Project.objects.all(), user=user).order_by("name_en", "id")


def budget_vs_actual(
    *, user: Any, project: Project, start: datetime.date, end: datetime.date
) -> models.QuerySet[BudgetLine]:
    """Lines overlapping the period, each with `spent` (expenditure dated inside it). One query."""
    return (
        budget_line_list(user=user)
        .filter(project=project, period_start__lte=end, period_end__gte=start)
        .annotate(
            spent=Coalesce(
                Sum(
                    "expenditures__amount",
                    filter=Q(expenditures__date__gte=start, expenditures__date__lte=end),
                ),
                ZERO,
            )
        )
        .annotate(left=ExpressionWrapper(F("amount") - F("spent"), output_field=MONEY))
        .order_by("period_start", "code")
    )


@dataclasses.dataclass(frozen=True)
class CostPerPerson:
    currency: str
    budget: Decimal
    spent: Decimal
    people: int  # distinct registered persons who attended the project's activities in the period
    women: int  # of whom female

    @property
    def per_person(self) -> Decimal | None:
        return (self.spent / self.people).quantize(CENT, ROUND_HALF_UP) if self.people else None

    @property
    def per_woman(self) -> Decimal | None:
        return (self.spent / self.women).quantize(CENT, ROUND_HALF_UP) if self.women else None


def cost_per_person(
    *, user: Any, project: Project, start: datetime.date, end: datetime.date
) -> CostPerPerson:
    """Actual spend in the period over the distinct people the project reached in it.

    People are counted with COUNT(DISTINCT person) over attendance at the project's activities
    dated in the period (headcounts are not people reached: they stay out). Two queries.
    """
    lines = budget_vs_actual(user=user, project=project, start=start, end=end)
    money = (
        budget_line_list(user=user)
        .filter(project=project, period_start__lte=end, period_end__gte=start)
        .aggregate(budget=Coalesce(Sum("amount"), ZERO))
    )
    spent = (
        expenditure_list(user=user)
        .filter(line__project=project, date__gte=start, date__lte=end)
        .aggregate(spent=Coalesce(Sum("amount"), ZERO))
    )
    reached = (
        scope_to_user(Attendance.objects.all(), user=user, area_path="activity__area")
        .filter(activity__project=project, activity__date__gte=start, activity__date__lte=end)
        .aggregate(
            people=Count("person", distinct=True),
            women=Count("person", distinct=True, filter=Q(person__sex="female")),
        )
    )
    currency = lines.values_list("currency", flat=True).first() or ""
    return CostPerPerson(
        currency=currency,
        budget=money["budget"],
        spent=spent["spent"],
        people=reached["people"],
        women=reached["women"],
    )
