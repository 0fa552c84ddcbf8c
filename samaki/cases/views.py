"""The safe house's pages. Every one goes through `case_page` (the door) and every look at a
case writes a `CaseAudit` row before anything of it is shown."""

import datetime
from typing import Any

import segno
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from samaki.cases import forms, services, staff
from samaki.cases.access import (
    CASE_IDLE_SECONDS,
    LAST_SEEN,
    case_page,
    client_ip,
    is_case_role,
    no_store,
)
from samaki.cases.models import Case, CaseAction, IncidentType
from samaki.cases.queries import (
    case_access_log,
    case_follow_ups,
    case_grants,
    case_list,
    case_referrals,
    case_services,
    case_stays,
    get_case_for_user,
    get_follow_up_for_user,
    get_referral_for_user,
    get_stay_for_user,
    is_case_supervisor,
    occupancy,
    provider_list,
)
from samaki.cases.reporting import (
    incidents_by_type_and_year,
    occupancy_for_period,
    referral_completion_rate,
)

MAX_LIST = 200


def _open(request: HttpRequest, pk: int, what: str, action: str = CaseAction.VIEW) -> Case:
    """The case (or 404), after writing who opened it, when, from where and to see what."""
    case = get_case_for_user(user=request.user, pk=pk)
    services.case_audit(case=case, by=request.user, action=action, what=what, ip=client_ip(request))
    return case


def _today() -> Any:
    return timezone.localdate()


# --- Sign-in's second step --------------------------------------------------------------------


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """TOTP at every sign-in. This page never creates a device nor shows a key: a supervisor
    enrols a phone with the worker beside her (`samaki.cases.staff`); the first correct code,
    here or on her screen, confirms it."""
    user: Any = request.user
    if not is_case_role(user):
        raise Http404
    next_url = request.POST.get("next") or request.GET.get("next") or reverse("cases:list")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = reverse("cases:list")
    confirmed = list(TOTPDevice.objects.filter(user=user, confirmed=True))
    pending = None if confirmed else staff.pending_enrolment(user)
    if not confirmed and pending is None:
        return no_store(render(request, "cases/verify.html", {"no_device": True}, status=403))
    form = forms.TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"].strip()
        passed = next((device for device in confirmed if device.verify_token(token)), None)
        if pending is not None and staff.enrolment_confirm(device=pending, by=user, token=token):
            passed = pending
        if passed is not None:
            otp_login(request, passed)
            request.session[LAST_SEEN] = timezone.now().timestamp()
            request.session.set_expiry(CASE_IDLE_SECONDS)
            return no_store(redirect(next_url))
        form.add_error("token", _("This code is not right, or has expired. Try the newest one."))
    context = {"form": form, "next": next_url, "pending": pending is not None}
    return no_store(render(request, "cases/verify.html", context))


# --- Lists ------------------------------------------------------------------------------------


@case_page
def case_list_view(request: HttpRequest) -> HttpResponse:
    cases = case_list(user=request.user).order_by("status", "-intake_date", "-id")
    query = request.GET.get("q", "").strip()
    if query:
        cases = cases.filter(code__icontains=query)
    shown = list(cases[:MAX_LIST])
    if query:  # every case a search shows is a look at that case
        for case in shown:
            services.case_audit(
                case=case,
                by=request.user,
                action=CaseAction.SEARCH_HIT,
                what=f"search {query}"[:80],
                ip=client_ip(request),
            )
    user: Any = request.user
    present, beds = occupancy(organisation_id=user.organisation_id, day=_today())
    context = {"cases": shown, "query": query, "present": present, "beds": beds}
    return render(request, "cases/list.html", context)


@case_page
def provider_list_view(request: HttpRequest) -> HttpResponse:
    form = forms.ProviderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user: Any = request.user
            services.provider_add(
                organisation=user.organisation,
                by=request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            forms.apply_errors(form, error)
        else:
            return redirect("cases:providers")
    providers = provider_list(user=request.user)
    service_type = request.GET.get("type", "")
    if service_type:
        providers = providers.filter(service_type=service_type)
    return render(request, "cases/providers.html", {"providers": providers, "form": form})


@case_page
def report(request: HttpRequest) -> HttpResponse:
    """Aggregates of the cases that consented to reporting, suppressed below 5."""
    if not is_case_supervisor(request.user):
        raise Http404
    user: Any = request.user
    organisation_id = user.organisation_id
    table = incidents_by_type_and_year(organisation_id=organisation_id)
    labels: dict[Any, Any] = dict(IncidentType.choices)
    rows = [(labels.get(row, _("Total")), cells) for row, cells in table.as_rows()]
    context = {
        "table": table,
        "rows": rows,
        "completion": referral_completion_rate(organisation_id=organisation_id),
        **_occupancy(request, organisation_id=organisation_id),
    }
    return render(request, "cases/report.html", context)


def _occupancy(request: HttpRequest, *, organisation_id: int) -> dict[str, Any]:
    """The occupancy figures of the period asked for (by default, last month)."""
    today = _today()
    last_month_end = today.replace(day=1) - datetime.timedelta(days=1)
    default = {"start": last_month_end.replace(day=1), "end": last_month_end}
    asked = "start" in request.GET or "end" in request.GET
    period = forms.OccupancyPeriodForm(request.GET if asked else None, initial=default)
    if asked and not period.is_valid():
        return {"period": period, "occupancy": None}
    chosen = period.cleaned_data if asked else default
    occupancy = occupancy_for_period(
        organisation_id=organisation_id, start=chosen["start"], end=chosen["end"], today=today
    )
    return {"period": period, "occupancy": occupancy}


@case_page
def beds(request: HttpRequest) -> HttpResponse:
    """How many beds the safe house has: set by a case supervisor (occupancy's denominator)."""
    user = _supervisor_only(request)
    present, current = occupancy(organisation_id=user.organisation_id, day=_today())
    form = forms.BedsForm(request.POST or None, initial={"beds": current})
    if request.method == "POST" and form.is_valid():
        try:
            services.capacity_set(
                organisation=user.organisation, by=user, beds=form.cleaned_data["beds"]
            )
        except ValidationError as error:
            forms.apply_errors(form, error)
        else:
            return redirect("cases:beds")
    context = {"form": form, "beds": current, "present": present}
    return render(request, "cases/beds.html", context)


# --- Intake and the case page -----------------------------------------------------------------


@case_page
def intake(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = forms.IntakeForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.case_open(
                organisation=user.organisation,
                by=user,
                ip=client_ip(request),
                survivor=services.SurvivorFields(
                    name_km=data["name_km"],
                    name_latin=data["name_latin"],
                    sex=data["sex"],
                    birth_year=data["birth_year"],
                    village_code=data["village_code"],
                ),
                fields=services.CaseFields(
                    intake_date=data["intake_date"],
                    incident_date=data["incident_date"],
                    referred_by=data["referred_by"],
                    incident_type=services.classify_incident(
                        penetration=data["penetration"],
                        sexual_contact=data["sexual_contact"],
                        physical_assault=data["physical_assault"],
                        forced_marriage=data["forced_marriage"],
                        denial=data["denial"],
                        psychological=data["psychological"],
                    ),
                    contexts=frozenset(data["contexts"]),
                    incident_description=data["incident_description"],
                    risk_level=data["risk_level"],
                    safety_plan=data["safety_plan"],
                    case_worker=data["case_worker"],
                    supervisor=data["supervisor"],
                    reported_elsewhere=data["reported_elsewhere"],
                    consent=_consent(data),
                ),
            )
        except ValidationError as error:
            forms.apply_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            return redirect("cases:detail", case.pk)
    return render(request, "cases/intake.html", {"form": form})


def _consent(data: dict[str, Any]) -> services.Consent:
    return services.Consent(
        services=data["consent_services"],
        reporting=data["consent_reporting"],
        share_with=tuple(data["consent_share_with"]),
        withhold=data["consent_withhold"],
    )


def _detail(request: HttpRequest, case: Case, *, reveal: bool = False) -> HttpResponse:
    user = request.user
    today = _today()
    stays = list(case_stays(user=user, case=case))
    context = {
        "case": case,
        "reveal": reveal,
        "services": case_services(user=user, case=case),
        "stays": [(stay, stay.nights_until(today)) for stay in stays],
        "referrals": case_referrals(user=user, case=case),
        "follow_ups": case_follow_ups(user=user, case=case),
        "shared_with": case.consent_share_with.all(),
        "is_supervisor": is_case_supervisor(user),
    }
    return render(request, "cases/detail.html", context)


@case_page
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _open(request, pk, "case page"))


@case_page
@require_POST
def reveal_name(request: HttpRequest, pk: int) -> HttpResponse:
    """Her name, shown once, on purpose, and audited."""
    case = _open(request, pk, "name", action=CaseAction.REVEAL_NAME)
    return _detail(request, case, reveal=True)


@case_page
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = _open(request, pk, "edit form")
    initial = {
        "risk_level": case.risk_level,
        "safety_plan": case.safety_plan,
        "notes": case.notes,
        "consent_services": case.consent_services,
        "consent_reporting": case.consent_reporting,
        "consent_share_with": list(case.consent_share_with.all()),
        "consent_withhold": case.consent_withhold,
    }
    form = forms.CaseEditForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        contexts = {name for name in services.CONTEXTS if getattr(case, f"context_{name}")}
        try:
            services.case_update(
                case=case,
                by=request.user,
                ip=client_ip(request),
                fields=services.CaseFields(
                    intake_date=case.intake_date,
                    incident_date=case.incident_date,
                    referred_by=case.referred_by,
                    incident_type=case.incident_type,
                    contexts=frozenset(contexts),
                    incident_description=case.incident_description,
                    reported_elsewhere=case.reported_elsewhere,
                    case_worker=case.case_worker,
                    supervisor=case.supervisor,
                    risk_level=data["risk_level"],
                    safety_plan=data["safety_plan"],
                    notes=data["notes"],
                    consent=_consent(data),
                ),
            )
        except ValidationError as error:
            forms.apply_errors(form, error)
        else:
            return redirect("cases:detail", case.pk)
    return render(
        request, "cases/form.html", _form_context(case, form, _("Risk, safety plan and consent"))
    )


def _form_context(case: Case, form: Any, title: str) -> dict[str, Any]:
    return {"case": case, "form": form, "title": title}


def _action(
    request: HttpRequest,
    case: Case,
    form: Any,
    title: str,
    save: Any,
) -> HttpResponse:
    """A small form about a case: on valid input call `save(data)`, else show the errors."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            forms.apply_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            return redirect("cases:detail", case.pk)
    return render(request, "cases/form.html", _form_context(case, form, title))


@case_page
def service_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = _open(request, pk, "service form")
    form = forms.ServiceForm(request.POST or None, initial={"date": _today()})
    return _action(
        request,
        case,
        form,
        _("Record a service"),
        lambda data: services.service_record(
            case=case, by=request.user, ip=client_ip(request), **data
        ),
    )


@case_page
def stay_admit(request: HttpRequest, pk: int) -> HttpResponse:
    case = _open(request, pk, "admission form")
    form = forms.StayForm(request.POST or None, initial={"admitted_on": _today()})
    return _action(
        request,
        case,
        form,
        _("Admit her to the safe house"),
        lambda data: services.stay_admit(case=case, by=request.user, ip=client_ip(request), **data),
    )


@case_page
def stay_discharge(request: HttpRequest, pk: int, stay_pk: int) -> HttpResponse:
    case = _open(request, pk, f"discharge form {stay_pk}")
    stay = get_stay_for_user(user=request.user, case=case, pk=stay_pk)
    form = forms.DischargeForm(request.POST or None, initial={"discharged_on": _today()})
    return _action(
        request,
        case,
        form,
        _("Discharge"),
        lambda data: services.stay_discharge(
            stay=stay, by=request.user, ip=client_ip(request), **data
        ),
    )


@case_page
def referral_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = _open(request, pk, "referral form")
    form = forms.ReferralForm(
        request.POST or None, initial={"made_on": _today()}, user=request.user
    )
    return _action(
        request,
        case,
        form,
        _("Refer her"),
        lambda data: services.referral_make(
            case=case, by=request.user, ip=client_ip(request), **data
        ),
    )


@case_page
def referral_update(request: HttpRequest, pk: int, referral_pk: int) -> HttpResponse:
    case = _open(request, pk, f"referral {referral_pk}")
    referral = get_referral_for_user(user=request.user, case=case, pk=referral_pk)
    form = forms.ReferralUpdateForm(request.POST or None, initial={"on": _today()})
    title = _("Referral to %(provider)s: %(status)s") % {
        "provider": referral.provider.name,
        "status": referral.get_status_display(),
    }
    return _action(
        request,
        case,
        form,
        title,
        lambda data: services.referral_update(
            referral=referral, by=request.user, ip=client_ip(request), **data
        ),
    )


@case_page
def referral_slip(request: HttpRequest, pk: int, referral_pk: int) -> HttpResponse:
    """The printable slip she carries to the provider: her case code, never her name."""
    case = _open(request, pk, f"referral slip {referral_pk}", action=CaseAction.PRINT)
    referral = get_referral_for_user(user=request.user, case=case, pk=referral_pk)
    return render(request, "cases/slip.html", {"case": case, "referral": referral})


@case_page
def follow_up_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = _open(request, pk, "follow-up form")
    form = forms.FollowUpForm(request.POST or None)
    return _action(
        request,
        case,
        form,
        _("Plan a follow-up"),
        lambda data: services.follow_up_plan(
            case=case, by=request.user, ip=client_ip(request), **data
        ),
    )


@case_page
def follow_up_done(request: HttpRequest, pk: int, follow_up_pk: int) -> HttpResponse:
    case = _open(request, pk, f"follow-up {follow_up_pk}")
    follow_up = get_follow_up_for_user(user=request.user, case=case, pk=follow_up_pk)
    form = forms.FollowUpDoneForm(request.POST or None, initial={"done_on": _today()})
    return _action(
        request,
        case,
        form,
        _("Follow-up done"),
        lambda data: services.follow_up_done(
            follow_up=follow_up, by=request.user, ip=client_ip(request), **data
        ),
    )


@case_page
def case_close(request: HttpRequest, pk: int) -> HttpResponse:
    case = _open(request, pk, "closure form")
    form = forms.CloseForm(request.POST or None, initial={"closed_on": _today()})
    return _action(
        request,
        case,
        form,
        _("Close the case"),
        lambda data: services.case_close(case=case, by=request.user, ip=client_ip(request), **data),
    )


@case_page
def access_log(request: HttpRequest, pk: int) -> HttpResponse:
    """Who opened this case, when, from where: for supervisors."""
    if not is_case_supervisor(request.user):
        raise Http404
    case = _open(request, pk, "access log")
    context = {
        "case": case,
        "rows": case_access_log(user=request.user, case=case)[:500],
        "grants": case_grants(user=request.user, case=case),
    }
    return render(request, "cases/access_log.html", context)


@case_page
def grant_add(request: HttpRequest, pk: int) -> HttpResponse:
    if not is_case_supervisor(request.user):
        raise Http404
    case = _open(request, pk, "emergency access form")
    form = forms.GrantForm(request.POST or None, user=request.user)
    return _action(
        request,
        case,
        form,
        _("Emergency access for a colleague"),
        lambda data: services.access_grant(
            case=case, by=request.user, ip=client_ip(request), **data
        ),
    )


@case_page
def case_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The case as JSON for a transfer: codes and dates, no name, no narrative."""
    case = _open(request, pk, "export json", action=CaseAction.EXPORT)
    user = request.user
    data = {
        "code": case.code,
        "intake_date": case.intake_date.isoformat(),
        "incident_type": case.incident_type,
        "referred_by": case.referred_by,
        "risk_level": case.risk_level,
        "status": case.status,
        "closure_reason": case.closure_reason,
        "consent": {"services": case.consent_services, "reporting": case.consent_reporting},
        "services": [
            {"kind": s.kind, "date": s.date.isoformat(), "quantity": s.quantity}
            for s in case_services(user=user, case=case)
        ],
        "shelter_stays": [
            {
                "admitted_on": s.admitted_on.isoformat(),
                "discharged_on": s.discharged_on.isoformat() if s.discharged_on else None,
                "nights": s.nights,
            }
            for s in case_stays(user=user, case=case)
        ],
        "referrals": [
            {
                "provider": r.provider.name,
                "service_type": r.provider.service_type,
                "status": r.status,
                "made_on": r.made_on.isoformat(),
            }
            for r in case_referrals(user=user, case=case)
        ],
    }
    return JsonResponse(data)


# --- Case staff: supervisors provision accounts and enrol phones -------------------------------


def _supervisor_only(request: HttpRequest) -> Any:
    if not is_case_supervisor(request.user):
        raise Http404
    return request.user


def _staff_member(request: HttpRequest, pk: int) -> Any:
    return get_object_or_404(staff.case_staff_list(user=request.user), pk=pk)


@case_page
def staff_list_view(request: HttpRequest) -> HttpResponse:
    user = _supervisor_only(request)
    form = forms.CaseStaffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            staff.case_staff_create(organisation=user.organisation, by=user, **form.cleaned_data)
        except ValidationError as error:
            forms.apply_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            return redirect("cases:staff")
    members = [
        (
            member,
            staff.has_confirmed_device(member),
            forms.CaseStaffRoleForm(initial={"role": member.role}),
        )
        for member in staff.case_staff_list(user=user)
    ]
    return render(request, "cases/staff.html", {"members": members, "form": form})


@case_page
@require_POST
def staff_role(request: HttpRequest, pk: int) -> HttpResponse:
    user = _supervisor_only(request)
    member = _staff_member(request, pk)
    form = forms.CaseStaffRoleForm(request.POST)
    if not form.is_valid():
        return redirect("cases:staff")
    try:
        staff.case_staff_set_role(user=member, by=user, role=form.cleaned_data["role"])
    except PermissionDenied:
        return HttpResponse(status=403)
    return redirect("cases:staff")


@case_page
@require_POST
def staff_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    user = _supervisor_only(request)
    member = _staff_member(request, pk)
    try:
        staff.case_staff_deactivate(user=member, by=user)
    except PermissionDenied:
        return HttpResponse(status=403)
    return redirect("cases:staff")


@case_page
def staff_enrol(request: HttpRequest, pk: int) -> HttpResponse:
    """Enrol her phone, with her beside you: start (a QR code on this screen), then her code."""
    user = _supervisor_only(request)
    member = _staff_member(request, pk)
    form = forms.TokenForm(request.POST if "token" in request.POST else None)
    if request.method == "POST" and "start" in request.POST:
        try:
            staff.enrolment_start(user=member, by=user)
        except PermissionDenied:
            return HttpResponse(status=403)
        except ValidationError:
            raise Http404 from None
        return redirect("cases:staff_enrol", member.pk)
    pending = staff.pending_enrolment(member)
    if form.is_bound and pending is not None and form.is_valid():
        if staff.enrolment_confirm(device=pending, by=user, token=form.cleaned_data["token"]):
            return redirect("cases:staff")
        form.add_error("token", _("This code is not right, or has expired. Try the newest one."))
    context: dict[str, Any] = {"member": member, "form": form, "pending": pending}
    if pending is not None:  # shown to the supervisor while the enrolment waits for a code
        uri = pending.config_url
        context["uri"] = uri
        context["qr_svg"] = mark_safe(segno.make(uri, error="m").svg_inline(scale=4))  # noqa: S308
    return render(request, "cases/staff_enrol.html", context)
