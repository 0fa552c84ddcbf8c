from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language

from samaki.results.engine import IndicatorError, Period
from samaki.results.queries import default_period, get_framework_for_user, indicator_progress


@login_required
def project_results(request: HttpRequest, project_pk: int) -> HttpResponse:
    """A project's indicators for a period: value, target, % of target and on-track band."""
    framework = get_framework_for_user(user=request.user, project_pk=project_pk)
    project = framework.project
    error = ""
    try:
        period = Period.parse(request.GET["period"]) if request.GET.get("period") else None
    except (IndicatorError, ValueError):
        period, error = None, "bad-period"
    if period is None:
        period = default_period(project, timezone.localdate())
    progress = indicator_progress(framework=framework, period=period, dimensions=False)
    language = "km" if (get_language() or "").startswith("km") else "en"
    return render(
        request,
        "results/project.html",
        {
            "project": project,
            "framework": framework,
            "period": period,
            "progress": progress,
            "error": error,
            "outcome_label": framework.tier_label("outcome", language),
        },
        status=400 if error else 200,
    )
