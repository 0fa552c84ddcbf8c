import json
from collections.abc import Callable

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samaki.organisations.queries import consortium_list
from samaki.projects.queries import project_list
from samaki.reports.dashboards import dashboard_build
from samaki.reports.models import ReportFormat
from samaki.reports.queries import (
    ReportScope,
    get_report_job_for_user,
    get_submitted_report_for_user,
    report_build,
    report_job_list,
    scope_for_consortium,
    scope_for_organisation,
    scope_for_project,
    submitted_report_list,
)
from samaki.reports.render import CONTENT_TYPES, RENDERERS
from samaki.reports.services import report_job_content, report_job_create, report_submit
from samaki.reports.tasks import run_report_job
from samaki.results.engine import IndicatorError, Period
from samaki.results.queries import default_period

# The HTML report is a standalone document with its own <style> (the PDF is made from it, with
# no stylesheet URL to fetch): inline styles, and only styles, are allowed on these two views.
DOCUMENT_STYLE: Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponseBase]] = (
    csp_update({"style-src": [UNSAFE_INLINE]})
)


def _report_response(request: HttpRequest, scope) -> HttpResponse:
    fmt = request.GET.get("format", "html")
    if fmt not in RENDERERS:
        return HttpResponseBadRequest(_("Unknown format."))
    try:
        period = Period.parse(request.GET.get("period", ""))
    except (IndicatorError, ValueError):
        return HttpResponseBadRequest(_("Write the period as 2024Q3, 2024, 2024-07 or a..b."))
    language = "km" if (get_language() or "").startswith("km") else "en"
    report = report_build(scope=scope, period=period, language=language, today=timezone.localdate())
    response = HttpResponse(RENDERERS[fmt](report), content_type=CONTENT_TYPES[fmt])
    if fmt not in ("html", "json"):
        name = f"{scope.code}-{period.start.isoformat()}-{period.end.isoformat()}.{fmt}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@DOCUMENT_STYLE
def project_report(request: HttpRequest, pk: int) -> HttpResponse:
    return _report_response(request, scope_for_project(user=request.user, pk=pk))


@login_required
@DOCUMENT_STYLE
def consortium_report(request: HttpRequest, pk: int) -> HttpResponse:
    return _report_response(request, scope_for_consortium(user=request.user, pk=pk))


# --- reports made in the background ----------------------------------------------------------


def _language(request: HttpRequest) -> str:
    return "km" if (get_language() or "").startswith("km") else "en"


def _requested_scope(request: HttpRequest) -> ReportScope:
    kind = request.POST.get("scope", "")
    if kind == "organisation":
        return scope_for_organisation(user=request.user)
    try:
        pk = int(request.POST.get("id", ""))
    except ValueError:
        raise Http404 from None
    if kind == "project":
        return scope_for_project(user=request.user, pk=pk)
    if kind == "consortium":
        return scope_for_consortium(user=request.user, pk=pk)
    raise Http404


@login_required
def report_jobs(request: HttpRequest) -> HttpResponse:
    """Ask for a report (POST: scope, id, period, format), or list the reports asked for."""
    error = ""
    if request.method == "POST":
        scope = _requested_scope(request)
        try:
            period = Period.parse(request.POST.get("period", ""))
            job = report_job_create(
                by=request.user,
                scope=scope,
                period=period,
                fmt=request.POST.get("format", ""),
                language=_language(request),
            )
        except (IndicatorError, ValueError):
            error = _("Write the period as 2024Q3, 2024, 2024-07 or a..b.")
        except (ValidationError, PermissionDenied) as problem:
            error = " ".join(getattr(problem, "messages", [str(problem)]))
        else:
            run_report_job.enqueue(job.pk)
            return redirect("reports:job", pk=job.pk)
    context = {
        "jobs": report_job_list(user=request.user).select_related("project", "consortium")[:30],
        "submitted": submitted_report_list(user=request.user).defer("content", "data")[:30],
        "error": error,
    }
    return render(request, "reports/jobs.html", context, status=400 if error else 200)


@login_required
def report_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_report_job_for_user(user=request.user, pk=pk)
    submitted = getattr(job, "submission", None) if job.status == "done" else None
    return render(request, "reports/job.html", {"job": job, "submitted": submitted})


@login_required
def report_job_download(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_report_job_for_user(user=request.user, pk=pk)
    if job.status != "done":
        raise Http404
    response = HttpResponse(report_job_content(job), content_type=CONTENT_TYPES[job.format])
    response["Content-Disposition"] = f'attachment; filename="{job.file_name}"'
    return response


@login_required
@require_POST
def report_job_submit(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_report_job_for_user(user=request.user, pk=pk)
    try:
        report = report_submit(job=job, by=request.user)
    except (ValidationError, PermissionDenied) as problem:
        return HttpResponseBadRequest(" ".join(getattr(problem, "messages", [str(problem)])))
    return redirect("reports:submitted", pk=report.pk)


@login_required
def submitted_report(request: HttpRequest, pk: int) -> HttpResponse:
    """A submitted report's file as it was submitted (`?data=json`: its data)."""
    report = get_submitted_report_for_user(user=request.user, pk=pk)
    if request.GET.get("data") == "json":
        response = HttpResponse(
            json.dumps(report.data, ensure_ascii=False, indent=2),
            content_type=CONTENT_TYPES[ReportFormat.JSON],
        )
    else:
        response = HttpResponse(bytes(report.content), content_type=CONTENT_TYPES[report.format])
        response["Content-Disposition"] = f'attachment; filename="{report.file_name}"'
    response["X-Content-SHA256"] = report.content_sha256
    return response


# --- dashboards ------------------------------------------------------------------------------


def _dashboard(request: HttpRequest, scope: ReportScope, default: Period) -> HttpResponse:
    error = ""
    try:
        period = Period.parse(request.GET["period"]) if request.GET.get("period") else default
    except (IndicatorError, ValueError):
        period, error = default, _("Write the period as 2024Q3, 2024, 2024-07 or a..b.")
    level = "district" if request.GET.get("level") == "district" else "province"
    dashboard = dashboard_build(
        scope=scope, period=period, language=_language(request), level=level
    )
    context = {"dashboard": dashboard, "period": period, "level": level, "error": error}
    if scope.kind == "organisation":
        context["projects"] = project_list(user=request.user).order_by("code")
        context["consortia"] = consortium_list(user=request.user).order_by("slug")
    return render(request, "reports/dashboard.html", context, status=400 if error else 200)


def _this_year() -> Period:
    return Period.parse(str(timezone.localdate().year))


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Her organisation's dashboard, with links to its projects' and consortia's."""
    return _dashboard(request, scope_for_organisation(user=request.user), _this_year())


@login_required
def project_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_for_project(user=request.user, pk=pk)
    assert scope.project is not None  # noqa: S101 - a project's scope has its project
    return _dashboard(request, scope, default_period(scope.project, timezone.localdate()))


@login_required
def consortium_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    return _dashboard(request, scope_for_consortium(user=request.user, pk=pk), _this_year())
