import json
from collections.abc import Callable
from typing import Any

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samaki.accounts import access
from samaki.forms import add_service_errors
from samaki.language import page_language
from samaki.organisations.queries import consortium_list
from samaki.projects.queries import get_project_for_user, project_list
from samaki.reports.dashboards import dashboard_build, latest_period_with_data
from samaki.reports.forms import LogoForm, NarrativeForm
from samaki.reports.models import ReportFormat
from samaki.reports.queries import (
    ReportScope,
    branding_get,
    get_report_job_for_user,
    get_submitted_report_for_user,
    narrative_list,
    report_build,
    report_job_list,
    scope_for_consortium,
    scope_for_organisation,
    scope_for_project,
    submitted_report_list,
)
from samaki.reports.render import CONTENT_TYPES, RENDERERS
from samaki.reports.services import (
    narrative_set,
    report_job_content,
    report_job_create,
    report_logo_remove,
    report_logo_set,
    report_submit,
)
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
    language = page_language()
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
                language=page_language(),
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


def _dashboard(
    request: HttpRequest, scope: ReportScope, default: Period, extra: dict | None = None
) -> HttpResponse:
    error = ""
    try:
        period = Period.parse(request.GET["period"]) if request.GET.get("period") else default
    except (IndicatorError, ValueError):
        period, error = default, _("Write the period as 2024Q3, 2024, 2024-07 or a..b.")
    level = "district" if request.GET.get("level") == "district" else "province"
    dashboard = dashboard_build(scope=scope, period=period, language=page_language(), level=level)
    context = {"dashboard": dashboard, "period": period, "level": level, "error": error}
    context |= extra or {}
    if scope.kind == "organisation":
        context["projects"] = project_list(user=request.user).order_by("code")
        context["consortia"] = consortium_list(user=request.user).order_by("slug")
    return render(request, "reports/dashboard.html", context, status=400 if error else 200)


def _this_year() -> Period:
    return Period.parse(str(timezone.localdate().year))


def _opening_period(scope: ReportScope, fallback: Period) -> Period:
    """The latest quarter with data (asked only when the page names no period)."""
    return latest_period_with_data(scope=scope, today=timezone.localdate(), fallback=fallback)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Her organisation's dashboard, with links to its projects' and consortia's."""
    scope = scope_for_organisation(user=request.user)
    default = _this_year() if request.GET.get("period") else _opening_period(scope, _this_year())
    return _dashboard(request, scope, default, {"may_set_logo": access.is_org_admin(request.user)})


@login_required
def project_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_for_project(user=request.user, pk=pk)
    assert scope.project is not None  # noqa: S101 - a project's scope has its project
    default = default_period(scope.project, timezone.localdate())
    if not request.GET.get("period"):
        default = _opening_period(scope, default)
    context = {
        "may_write_narrative": access.can_manage(request.user, scope.project.organisation_id)
    }
    return _dashboard(request, scope, default, context)


@login_required
def consortium_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_for_consortium(user=request.user, pk=pk)
    default = _this_year() if request.GET.get("period") else _opening_period(scope, _this_year())
    return _dashboard(request, scope, default)


# --- what a report says beside its figures ----------------------------------------------------


def _period_or_400(request: HttpRequest, project: Any) -> Period | None:
    text = request.GET.get("period", "")
    if not text:
        return default_period(project, timezone.localdate())
    try:
        return Period.parse(text)
    except (IndicatorError, ValueError):
        return None


@login_required
def narratives(request: HttpRequest, pk: int) -> HttpResponse:
    """The narrative of each section of a project's report for a period, in English and Khmer:
    its organisation's administrators and M&E officers write them; anyone else gets 404."""
    project = get_project_for_user(user=request.user, pk=pk)
    if not access.can_manage(request.user, project.organisation_id):
        raise Http404
    period = _period_or_400(request, project)
    if period is None:
        return HttpResponseBadRequest(_("Write the period as 2024Q3, 2024, 2024-07 or a..b."))
    existing = {row.section: row for row in narrative_list(project=project, period=period)}
    form = NarrativeForm(request.POST if request.method == "POST" else None, existing=existing)
    if request.method == "POST" and form.is_valid():
        try:
            narrative_set(by=request.user, project=project, period=period, texts=form.texts())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The narrative is saved."))
            return redirect(f"{request.path}?period={period}")
    context = {"project": project, "period": period, "form": form}
    status = 400 if form.errors else 200
    return render(request, "reports/narratives.html", context, status=status)


@login_required
def branding(request: HttpRequest) -> HttpResponse:
    """The organisation's logo on its reports' covers: its administrator uploads it here."""
    user: Any = request.user
    if not access.is_org_admin(user):
        raise Http404
    organisation = user.organisation
    form = LogoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and request.POST.get("remove"):
        report_logo_remove(by=user, organisation=organisation)
        messages.success(request, _("The logo is removed."))
        return redirect("reports:branding")
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["logo"]
        try:
            report_logo_set(
                by=user, organisation=organisation, content=upload.read(), file_name=upload.name
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The logo is saved: it appears on the next reports."))
            return redirect("reports:branding")
    context = {"form": form, "branding": branding_get(organisation=organisation)}
    return render(request, "reports/branding.html", context, status=400 if form.errors else 200)
