from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from samaki.forms import VoidForm, add_service_errors
from samaki.outcomes.forms import OutcomeForm
from samaki.outcomes.queries import get_outcome_for_user
from samaki.outcomes.services import outcome_record, outcome_update, outcome_void
from samaki.people.queries import get_person_for_user
from samaki.people.views import require_can_write


@login_required
def outcome_create(request: HttpRequest, person_pk: int) -> HttpResponse:
    """Record a change in her life; `?next=` brings her back to the session she came from."""
    user: Any = request.user
    person = get_person_for_user(user=user, pk=person_pk)
    require_can_write(user)
    back = request.POST.get("next") or request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    form = OutcomeForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            outcome_record(
                person=person,
                by=user,
                kind_code=data["kind_code"],
                date=data["date"],
                detail=data["detail"],
                project=form.projects.get(data["project"]) if data["project"] else None,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Outcome recorded for %(name)s.") % {"name": person.display_name}
            )
            return redirect(back or "people:detail", *([] if back else [person.pk]))
    return render(request, "outcomes/form.html", {"form": form, "person": person, "next": back})


@login_required
def outcome_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct an outcome: its kind, date, detail or project."""
    user: Any = request.user
    outcome = get_outcome_for_user(user=user, pk=pk)
    require_can_write(user)
    person = outcome.person
    initial = {
        "kind_code": outcome.kind.code,
        "date": outcome.date,
        "detail": outcome.detail,
        "project": outcome.project_id,
    }
    form = OutcomeForm(request.POST or None, user=user, kind=outcome.kind, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changed = outcome_update(
                by=user,
                outcome=outcome,
                kind_code=data["kind_code"],
                date=data["date"],
                detail=data["detail"],
                project=form.projects.get(data["project"]) if data["project"] else None,
                reason=data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if changed:
                messages.success(
                    request, _("Outcome corrected for %(name)s.") % {"name": person.display_name}
                )
            return redirect("people:detail", person.pk)
    return render(
        request, "outcomes/form.html", {"form": form, "person": person, "outcome": outcome}
    )


@login_required
def outcome_void_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Void an outcome recorded by mistake."""
    user: Any = request.user
    outcome = get_outcome_for_user(user=user, pk=pk)
    require_can_write(user)
    person = outcome.person
    form = VoidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            outcome_void(by=user, outcome=outcome, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Outcome voided: it no longer counts."))
            return redirect("people:detail", person.pk)
    return render(
        request,
        "void.html",
        {
            "form": form,
            "title": _("Void this outcome"),
            "record": f"{person.display_name} · {outcome.kind} · {outcome.date:%d/%m/%Y}",
            "explain": "",
            "back": reverse("people:detail", args=[person.pk]),
        },
    )
