from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from samaki.accounts import access
from samaki.budgets.forms import BudgetLineForm, ExpenditureForm, LineImportForm, PeriodForm
from samaki.budgets.queries import (
    budget_line_list,
    budget_project_list,
    budget_vs_actual,
    cost_per_person,
    expenditure_list,
)
from samaki.budgets.services import (
    LineFields,
    budget_line_add,
    budget_line_update,
    budget_lines_import,
    budget_partner_choices,
    expenditure_record,
    expenditure_update,
)
from samaki.budgets.spreadsheets import COLUMNS, template_xlsx
from samaki.forms import add_service_errors
from samaki.projects.models import Project

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _project_for_manager(request: HttpRequest, pk: int) -> Project:
    """Her organisation's project (404 otherwise), which she sets up (403 otherwise)."""
    project = get_object_or_404(
        budget_project_list(user=request.user).select_related("organisation"), pk=pk
    )
    if not access.can_manage(request.user, project.organisation_id):
        raise PermissionDenied(_("Only an administrator or M&E officer may do this."))
    return project


@login_required
def budget_home(request: HttpRequest) -> HttpResponse:
    return render(
        request, "budgets/home.html", {"projects": budget_project_list(user=request.user)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def budget_project(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(budget_project_list(user=request.user), pk=pk)
    period = PeriodForm(request.GET or {"start": project.starts_on, "end": project.ends_on})
    start, end = project.starts_on, project.ends_on
    if period.is_valid():
        start, end = period.cleaned_data["start"], period.cleaned_data["end"]
    may_manage = access.can_manage(request.user, project.organisation_id)
    lines = budget_line_list(user=request.user).filter(project=project)
    form = ExpenditureForm(request.POST or None, lines=lines)
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied(_("Only an administrator or M&E officer may do this."))
        if form.is_valid():
            try:
                expenditure_record(by=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect(request.get_full_path())
    rows = budget_vs_actual(
        user=request.user, project=project, start=start, end=end
    ).select_related("partner")
    return render(
        request,
        "budgets/project.html",
        {
            "project": project,
            "period": period,
            "start": start,
            "end": end,
            "rows": rows,
            "cost": cost_per_person(user=request.user, project=project, start=start, end=end),
            "spending": expenditure_list(user=request.user)
            .filter(line__project=project, date__gte=start, date__lte=end)
            .order_by("-date", "-id"),
            "form": form,
            "may_manage": may_manage,
        },
    )


def _fields(form: BudgetLineForm) -> LineFields:
    data = form.cleaned_data
    return LineFields(
        code=data["code"],
        name_en=data["name_en"],
        name_km=data["name_km"],
        period_start=data["period_start"],
        period_end=data["period_end"],
        amount=data["amount"],
        currency=data["currency"],
        partner=form.chosen_partner(),
    )


@login_required
def budget_line_create(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project_for_manager(request, pk)
    partners = budget_partner_choices(project)
    current = budget_line_list(user=request.user).filter(project=project).first()
    initial = {"currency": current.currency if current else "", "period_start": project.starts_on}
    form = BudgetLineForm(request.POST or None, partners=partners, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = _fields(form)
        try:
            budget_line_add(project=project, by=request.user, **vars(fields))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Budget line added."))
            return redirect("budgets:project", project.pk)
    return render(request, "budgets/line_form.html", {"form": form, "project": project})


@login_required
def budget_line_edit(request: HttpRequest, pk: int, line_pk: int) -> HttpResponse:
    project = _project_for_manager(request, pk)
    line = get_object_or_404(
        budget_line_list(user=request.user).filter(project=project), pk=line_pk
    )
    form = BudgetLineForm(request.POST or None, partners=budget_partner_choices(project), line=line)
    if request.method == "POST" and form.is_valid():
        try:
            budget_line_update(line=line, by=request.user, fields=_fields(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("budgets:project", project.pk)
    return render(
        request, "budgets/line_form.html", {"form": form, "project": project, "line": line}
    )


@login_required
def expenditure_edit(request: HttpRequest, pk: int, expenditure_pk: int) -> HttpResponse:
    project = _project_for_manager(request, pk)
    expenditure = get_object_or_404(
        expenditure_list(user=request.user).filter(line__project=project), pk=expenditure_pk
    )
    lines = budget_line_list(user=request.user).filter(project=project)
    initial = {
        "line": expenditure.line_id,
        "date": expenditure.date,
        "amount": expenditure.amount,
        "description": expenditure.description,
    }
    form = ExpenditureForm(request.POST or None, lines=lines, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            expenditure_update(expenditure=expenditure, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("budgets:project", project.pk)
    context = {"form": form, "project": project, "expenditure": expenditure}
    return render(request, "budgets/expenditure_form.html", context)


@login_required
def budget_lines_import_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a filled template: every line lands, or none does and each bad row is listed."""
    project = _project_for_manager(request, pk)
    form = LineImportForm(request.POST or None, request.FILES or None)
    errors: list[dict[str, Any]] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = budget_lines_import(
            project=project, by=request.user, file_name=upload.name, content=upload.read()
        )
        if not result.errors:
            message = ngettext(
                "%(count)s budget line imported.",
                "%(count)s budget lines imported.",
                result.created,
            )
            messages.success(request, message % {"count": result.created})
            return redirect("budgets:project", project.pk)
        errors = result.errors
    return render(
        request,
        "budgets/import.html",
        {"form": form, "project": project, "errors": errors, "columns": COLUMNS},
    )


@login_required
def budget_lines_template(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project_for_manager(request, pk)
    partners = [partner.acronym or partner.slug for partner in budget_partner_choices(project)]
    response = HttpResponse(template_xlsx(partners=partners[1:]), content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="samaki-budget-lines-{project.code}.xlsx"'
    )
    return response
