"""Downloads of the exchange formats (docs/exports.md)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from samaki.accounts import access
from samaki.exchange.iati import IatiRefused, build_iati
from samaki.projects.queries import get_project_for_user


@login_required
@require_GET
def iati_download(request: HttpRequest, project_pk: int) -> HttpResponse:
    """The project's IATI activity file, for its managers and its donor's viewer (404 for anyone
    else); without an IATI identifier, back to the project with what to set and where."""
    project = get_project_for_user(user=request.user, pk=project_pk)
    if not access.can_export_iati(request.user, project):
        raise Http404
    try:
        content = build_iati(project, by=request.user)
    except IatiRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("projects:detail", project.pk)
    response = HttpResponse(content, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="iati-{project.code}.xml"'
    return response
