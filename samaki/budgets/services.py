"""Budget lines and actual spend. Amounts are Decimals in the project's one currency."""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samaki.accounts.access import acting_user, require_manager
from samaki.audit.services import audit_record, snapshot
from samaki.budgets.models import BudgetLine, Expenditure
from samaki.projects.models import Project


def _require_budget_writer(*, by: Any, project: Project) -> None:
    require_manager(by=by, organisation_id=project.organisation_id)


@transaction.atomic
def budget_line_add(
    *,
    project: Project,
    by: Any,
    code: str,
    name_en: str,
    period_start: datetime.date,
    period_end: datetime.date,
    amount: Decimal,
    currency: str,
    name_km: str = "",
) -> BudgetLine:
    _require_budget_writer(by=by, project=project)
    currency = currency.upper()
    other = (
        BudgetLine.objects.filter(project=project)
        .exclude(currency=currency)
        .values_list("currency", flat=True)
        .first()
    )
    if other:
        raise ValidationError(
            {"currency": _("This project budgets in %(currency)s.") % {"currency": other}}
        )
    line = BudgetLine(
        organisation_id=project.organisation_id,
        project=project,
        code=code,
        name_en=name_en,
        name_km=name_km,
        period_start=period_start,
        period_end=period_end,
        amount=amount,
        currency=currency,
    )
    line.full_clean()
    line.save()
    audit_record(
        by=by,
        action="budget_line.add",
        obj=line,
        organisation_id=project.organisation_id,
        after=snapshot(line),
    )
    return line


@transaction.atomic
def expenditure_record(
    *,
    line: BudgetLine,
    by: Any,
    date: datetime.date,
    amount: Decimal,
    description: str = "",
    external_id: str = "",
) -> Expenditure:
    _require_budget_writer(by=by, project=line.project)
    if amount <= 0:
        raise ValidationError({"amount": _("An expenditure is more than zero.")})
    if not line.period_start <= date <= line.period_end:
        raise ValidationError(
            {
                "date": _("This line runs from %(start)s to %(end)s.")
                % {"start": line.period_start, "end": line.period_end}
            }
        )
    expenditure = Expenditure(
        organisation_id=line.organisation_id,
        line=line,
        date=date,
        amount=amount,
        description=description,
        external_id=external_id,
        by=acting_user(by),
    )
    expenditure.full_clean()
    expenditure.save()
    audit_record(
        by=by,
        action="expenditure.record",
        obj=expenditure,
        organisation_id=line.organisation_id,
        after=snapshot(expenditure),
    )
    return expenditure
