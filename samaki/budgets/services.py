"""Budget lines and actual spend. Amounts are Decimals in the project's one currency."""

import dataclasses
import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samaki.accounts.access import acting_user, require_manager
from samaki.audit.services import audit_record, snapshot
from samaki.budgets.models import BudgetLine, Expenditure
from samaki.budgets.spreadsheets import column_header, read_line_rows
from samaki.imports.formats import Context
from samaki.organisations.models import Organisation
from samaki.projects.models import Project

CENT = Decimal("0.01")


def _require_budget_writer(*, by: Any, project: Project) -> None:
    require_manager(by=by, organisation_id=project.organisation_id)


@dataclasses.dataclass(frozen=True)
class LineFields:
    """What a person types for a budget line (the form, a row of the import)."""

    code: str
    name_en: str
    period_start: datetime.date
    period_end: datetime.date
    amount: Decimal
    currency: str
    name_km: str = ""
    partner: Organisation | None = None


def budget_partner_choices(project: Project) -> list[Organisation]:
    """Whose line a budget line may be: the project's organisation and its partners."""
    return [project.organisation, *project.partners.order_by("name_en")]


def _line_errors(
    *, project: Project, fields: LineFields, line: BudgetLine | None = None
) -> dict[str, list[str]]:
    """Every rule of a line's fields, keyed by field (nothing is written)."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if fields.amount < 0:
        add("amount", _("A budget is zero or more."))
    if fields.period_end < fields.period_start:
        add("period_end", _("The period ends before it starts."))
    elif not (project.starts_on <= fields.period_start and fields.period_end <= project.ends_on):
        add(
            "period_start",
            _("A line's period is inside the project's (%(start)s – %(end)s).")
            % {"start": project.starts_on, "end": project.ends_on},
        )
    others = BudgetLine.objects.filter(project=project)
    if line is not None:
        others = others.exclude(pk=line.pk)
    other_currency = (
        others.exclude(currency=fields.currency).values_list("currency", flat=True).first()
    )
    if other_currency:
        add("currency", _("This project budgets in %(currency)s.") % {"currency": other_currency})
    if others.filter(code=fields.code, period_start=fields.period_start).exists():
        add("code", _("This project has a line with this code starting on the same day."))
    if (
        fields.partner is not None
        and fields.partner.pk != project.organisation_id
        and not project.partners.filter(pk=fields.partner.pk).exists()
    ):
        add("partner", _("This organisation is not a partner of the project."))
    if line is not None:
        outside = line.expenditures.exclude(
            date__gte=fields.period_start, date__lte=fields.period_end
        ).count()
        if outside:
            message = ngettext(
                "%(count)s expenditure of this line is dated outside the new period.",
                "%(count)s expenditures of this line are dated outside the new period.",
                outside,
            )
            add("period_start", message % {"count": outside})
    return errors


def _normalised(fields: LineFields) -> LineFields:
    """The currency as its code (GBP), the amount to the cent (5000 → 5000.00)."""
    return dataclasses.replace(
        fields, currency=fields.currency.strip().upper(), amount=fields.amount.quantize(CENT)
    )


def _line_build(*, project: Project, fields: LineFields) -> BudgetLine:
    """The unsaved line, checked (a ValidationError keyed by field)."""
    fields = _normalised(fields)
    errors = _line_errors(project=project, fields=fields)
    if errors:
        raise ValidationError(errors)
    line = BudgetLine(
        organisation_id=project.organisation_id,
        project=project,
        partner=fields.partner,
        code=fields.code,
        name_en=fields.name_en,
        name_km=fields.name_km,
        period_start=fields.period_start,
        period_end=fields.period_end,
        amount=fields.amount,
        currency=fields.currency,
    )
    line.full_clean()
    return line


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
    partner: Organisation | None = None,
) -> BudgetLine:
    _require_budget_writer(by=by, project=project)
    line = _line_build(
        project=project,
        fields=LineFields(
            code=code,
            name_en=name_en,
            name_km=name_km,
            period_start=period_start,
            period_end=period_end,
            amount=amount,
            currency=currency,
            partner=partner,
        ),
    )
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
def budget_line_update(*, line: BudgetLine, by: Any, fields: LineFields) -> bool:
    """Change a line; False (and no audit row) when nothing changed. Its spending stays inside."""
    _require_budget_writer(by=by, project=line.project)
    line = BudgetLine.objects.select_for_update().select_related("project").get(pk=line.pk)
    fields = _normalised(fields)
    errors = _line_errors(project=line.project, fields=fields, line=line)
    if errors:
        raise ValidationError(errors)
    before = snapshot(line)
    line.code, line.name_en, line.name_km = fields.code, fields.name_en, fields.name_km
    line.period_start, line.period_end = fields.period_start, fields.period_end
    line.amount, line.currency, line.partner = fields.amount, fields.currency, fields.partner
    line.full_clean()
    after = snapshot(line)
    if after == before:
        return False
    line.save()
    audit_record(
        by=by,
        action="budget_line.update",
        obj=line,
        organisation_id=line.organisation_id,
        before=before,
        after=after,
    )
    return True


@dataclasses.dataclass
class LineImport:
    """What an import of budget lines did: lines created, or the rows refused (nothing landed)."""

    created: int = 0
    errors: list[dict[str, Any]] = dataclasses.field(default_factory=list)


@transaction.atomic
def budget_lines_import(*, project: Project, by: Any, file_name: str, content: bytes) -> LineImport:
    """Every row of the file becomes a line of `project`, or none does: each bad row is
    reported with its number, column and reason. One audit row for the whole file."""
    _require_budget_writer(by=by, project=project)
    result = LineImport()

    def fail(number: int, field: str, message: str) -> None:
        result.errors.append({"row": number, "column": column_header(field), "message": message})

    ctx = Context(organisation=project.organisation, by=by)
    rows = read_line_rows(content=content, file_name=file_name, fail=fail, ctx=ctx)
    partners = {
        key: organisation
        for organisation in budget_partner_choices(project)
        for key in (organisation.slug.lower(), organisation.acronym.lower())
        if key
    }
    currency = BudgetLine.objects.filter(project=project).values_list("currency", flat=True).first()
    lines: list[BudgetLine] = []
    first_row: dict[tuple[str, datetime.date], int] = {}
    for row in rows:
        number, cells = row.number, row.values
        fields = LineFields(
            code=cells["code"],
            name_en=cells["name_en"],
            name_km=cells.get("name_km", ""),
            period_start=cells["period_start"],
            period_end=cells["period_end"],
            amount=cells["amount"],
            currency=cells["currency"],
        )
        partner_name = cells.get("partner", "")
        key = (fields.code, fields.period_start)
        if key in first_row:
            fail(
                number,
                "code",
                _("Row %(row)s has this code starting on the same day.") % {"row": first_row[key]},
            )
            continue
        first_row[key] = number
        if partner_name:
            partner = partners.get(partner_name.lower())
            if partner is None:
                fail(
                    number,
                    "partner",
                    _("“%(value)s” is not the project's organisation nor one of its partners.")
                    % {"value": partner_name},
                )
                continue
            fields = dataclasses.replace(fields, partner=partner)
        if currency and fields.currency.upper() != currency:
            fail(
                number,
                "currency",
                _("This project budgets in %(currency)s.") % {"currency": currency},
            )
            continue
        try:
            line = _line_build(project=project, fields=fields)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                fail(number, field, " ".join(messages))
            continue
        currency = currency or line.currency
        lines.append(line)
    if not lines and not result.errors:
        fail(1, "", _("The file has no budget line under its header."))
    if result.errors:
        return result
    BudgetLine.objects.bulk_create(lines)
    result.created = len(lines)
    audit_record(
        by=by,
        action="budget_line.import",
        obj=project,
        organisation_id=project.organisation_id,
        after={
            "file_name": file_name,
            "lines": [[line.code, str(line.period_start)] for line in lines],
        },
    )
    return result


def _spend_check(*, line: BudgetLine, date: datetime.date, amount: Decimal) -> None:
    if amount <= 0:
        raise ValidationError({"amount": _("An expenditure is more than zero.")})
    if not line.period_start <= date <= line.period_end:
        raise ValidationError(
            {
                "date": _("This line runs from %(start)s to %(end)s.")
                % {"start": line.period_start, "end": line.period_end}
            }
        )


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
    _spend_check(line=line, date=date, amount=amount)
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


@transaction.atomic
def expenditure_update(
    *,
    expenditure: Expenditure,
    by: Any,
    line: BudgetLine,
    date: datetime.date,
    amount: Decimal,
    description: str = "",
) -> bool:
    """Correct an expenditure (its line, date, amount, description); False when nothing changed.
    It moves only between lines of the same project."""
    _require_budget_writer(by=by, project=expenditure.line.project)
    expenditure = Expenditure.objects.select_for_update().get(pk=expenditure.pk)
    if line.project_id != expenditure.line.project_id:
        raise ValidationError({"line": _("This line belongs to another project.")})
    _spend_check(line=line, date=date, amount=amount)
    before = snapshot(expenditure)
    expenditure.line, expenditure.date = line, date
    expenditure.amount, expenditure.description = amount.quantize(CENT), description
    expenditure.full_clean()
    after = snapshot(expenditure)
    if after == before:
        return False
    expenditure.save()
    audit_record(
        by=by,
        action="expenditure.update",
        obj=expenditure,
        organisation_id=expenditure.organisation_id,
        before=before,
        after=after,
    )
    return True
