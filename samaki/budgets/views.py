from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from samaki.budgets.forms import ExpenditureForm, PeriodForm
from samaki.budgets.queries import (
    budget_line_list,
    budget_project_list,
    budget_vs_actual,
    cost_per_person,
)
from samaki.budgets.services import expenditure_record


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
    lines = budget_line_list(user=request.user).filter(project=project)
    form = ExpenditureForm(request.POST or None, lines=lines)
    if request.method == "POST" and form.is_valid():
        try:
            expenditure_record(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            return redirect(request.get_full_path())
    rows = budget_vs_actual(user=request.user, project=project, start=start, end=end)
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
            "form": form,
        },
    )
