from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from samaki.projects.queries import get_project_for_user, project_list


@login_required
def project_list_view(request: HttpRequest) -> HttpResponse:
    projects = project_list(user=request.user).select_related("organisation", "donor")
    return render(request, "projects/list.html", {"projects": projects})


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for_user(user=request.user, pk=pk)
    return render(
        request,
        "projects/detail.html",
        {
            "project": project,
            "partners": project.partners.all(),
            "areas": project.target_areas.all(),
        },
    )
