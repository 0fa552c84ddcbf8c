from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from samaki.reports.queries import report_build, scope_for_consortium, scope_for_project
from samaki.reports.render import CONTENT_TYPES, RENDERERS
from samaki.results.engine import IndicatorError, Period


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
def project_report(request: HttpRequest, pk: int) -> HttpResponse:
    return _report_response(request, scope_for_project(user=request.user, pk=pk))


@login_required
def consortium_report(request: HttpRequest, pk: int) -> HttpResponse:
    return _report_response(request, scope_for_consortium(user=request.user, pk=pk))
