from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from samaki.accounts import access
from samaki.forms import add_service_errors
from samaki.periods.forms import ReopenForm
from samaki.periods.queries import get_period_for_user, revision_list
from samaki.periods.services import period_reopen


def _page(request: HttpRequest, period: Any, form: ReopenForm) -> HttpResponse:
    context = {
        "period": period,
        "revisions": list(revision_list(period=period)),
        "form": form,
        "may_reopen": period.locked and access.can_manage(request.user, period.organisation_id),
    }
    return render(request, "periods/detail.html", context)


@login_required
def period_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A submitted period: its revisions (each report as it was submitted) and Reopen."""
    period = get_period_for_user(user=request.user, pk=pk)
    return _page(request, period, ReopenForm())


@login_required
def period_reopen_view(request: HttpRequest, pk: int) -> HttpResponse:
    period = get_period_for_user(user=request.user, pk=pk)
    access.require_manager(by=request.user, organisation_id=period.organisation_id)
    if request.method != "POST":  # after who she is: a viewer is refused, not told the method
        return HttpResponseNotAllowed(["POST"])
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            period_reopen(by=request.user, period=period, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(period)s is reopened: records dated in it can be changed again.")
                % {"period": period.code},
            )
            return redirect("periods:detail", period.pk)
    return _page(request, period, form)
