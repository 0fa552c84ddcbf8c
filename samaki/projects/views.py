from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from samaki.accounts import access
from samaki.budgets.queries import budget_project_list
from samaki.forms import add_service_errors
from samaki.periods.queries import period_list
from samaki.projects.forms import ProjectCloseForm, ProjectForm
from samaki.projects.models import Project
from samaki.projects.queries import get_project_for_user, project_list
from samaki.projects.services import project_close, project_create, project_update


@login_required
def project_list_view(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    projects = project_list(user=user).select_related("organisation", "donor")
    may_create = user.organisation_id is not None and access.can_manage(user, user.organisation_id)
    return render(request, "projects/list.html", {"projects": projects, "may_create": may_create})


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(
        project_list(user=request.user).select_related("organisation", "donor", "consortium"),
        pk=pk,
    )
    return render(
        request,
        "projects/detail.html",
        {
            "project": project,
            "partners": project.partners.all(),
            "areas": project.target_areas.all(),
            "may_manage": access.can_manage(request.user, project.organisation_id),
            # A partner's staff read the project, not its owner's budget.
            "reads_budget": budget_project_list(user=request.user).filter(pk=project.pk).exists(),
            # The IATI file (docs/exports.md): aggregates only, for managers and the donor's viewer.
            "may_export_iati": access.can_export_iati(request.user, project),
            "periods": period_list(user=request.user)
            .filter(project=project)
            .annotate(revision_count=Count("revisions")),
        },
    )


def _with_picked_area(form: ProjectForm) -> QueryDict:
    """The posted data with the picker's area moved into the target areas, the picker emptied."""
    posted: Any = form.data
    data = posted.copy()
    chosen = next((data.get(name) for name in reversed(form.picker.names) if data.get(name)), "")
    codes = data.getlist("target_areas")
    if chosen and chosen not in codes:
        data.setlist("target_areas", [*codes, chosen])
    for name in form.picker.names:
        data[name] = ""
    return data


def _project_form_page(
    request: HttpRequest, *, organisation_id: int, project: Project | None
) -> HttpResponse:
    """The create and edit page: "Show places below" and "Add this area" post back unsaved."""
    user: Any = request.user
    form = ProjectForm(
        request.POST or None, user=user, organisation_id=organisation_id, project=project
    )
    if request.method == "POST" and "_add" in request.POST:
        form = ProjectForm(
            _with_picked_area(form), user=user, organisation_id=organisation_id, project=project
        )
    elif request.method == "POST" and "_pick" not in request.POST and form.is_valid():
        data = form.cleaned_data
        fields = {
            "code": data["code"],
            "name_en": data["name_en"],
            "name_km": data["name_km"],
            "starts_on": data["starts_on"],
            "ends_on": data["ends_on"],
            "donor": data["donor"],
            "consortium": data["consortium"],
            "partners": list(data["partners"]),
            "target_area_codes": form.target_area_codes(),
        }
        try:
            if project is None:
                project = project_create(organisation=user.organisation, by=user, **fields)
            else:
                project_update(project=project, by=user, **fields)
        except ValidationError as error:
            add_service_errors(form, error, {"target_area_codes": "target_areas"})
        else:
            messages.success(request, _("Saved."))
            return redirect("projects:detail", project.pk)
    return render(request, "projects/form.html", {"form": form, "project": project})


@login_required
def project_create_view(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if user.organisation_id is None:  # the platform operator adds projects in the admin
        raise Http404
    access.require_manager(by=user, organisation_id=user.organisation_id)
    return _project_form_page(request, organisation_id=user.organisation_id, project=None)


@login_required
def project_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for_user(user=request.user, pk=pk)
    access.require_manager(by=request.user, organisation_id=project.organisation_id)
    return _project_form_page(request, organisation_id=project.organisation_id, project=project)


@login_required
def project_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for_user(user=request.user, pk=pk)
    access.require_manager(by=request.user, organisation_id=project.organisation_id)
    form = ProjectCloseForm(request.POST or None, initial={"closed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            project_close(
                project=project, by=request.user, closed_on=form.cleaned_data["closed_on"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The project is closed."))
            return redirect("projects:detail", project.pk)
    return render(request, "projects/close.html", {"form": form, "project": project})
