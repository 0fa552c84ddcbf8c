from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from samaki.accounts.access import can_see_voided
from samaki.activities.forms import ActivityForm, HeadcountForm
from samaki.activities.queries import (
    activity_list,
    attendance_list,
    get_activity_for_user,
    headcount_list,
)
from samaki.activities.services import (
    activity_create,
    activity_update,
    activity_void,
    attendance_set,
    attendance_void,
    headcount_set,
    headcount_void,
)
from samaki.areas.queries import area_children
from samaki.forms import VoidForm, add_service_errors
from samaki.groups.queries import membership_list
from samaki.http import posted_id
from samaki.people.forms import NewcomerForm
from samaki.people.models import RegistrationChannel
from samaki.people.queries import person_list, person_search
from samaki.people.services import person_register_reviewed
from samaki.people.views import require_can_write

PAGE_SIZE = 50
SEARCH_SHOWN = 20


@login_required
def activity_list_view(request: HttpRequest) -> HttpResponse:
    """Her sessions; "Show voided" (`?voided=1`) adds the voided ones for the M&E officer."""
    user: Any = request.user
    sees_voided = can_see_voided(user, user.organisation_id)
    show_voided = sees_voided and request.GET.get("voided") == "1"
    activities = (
        activity_list(user=user, voided=show_voided)
        .select_related("voided_by")
        # A join ignores the default manager: count the attendances that count.
        .annotate(
            attended=Count(
                "attendances", filter=Q(attendances__voided_at__isnull=True), distinct=True
            )
        )
        .order_by("-date", "id")
    )
    page = Paginator(activities, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "sees_voided": sees_voided, "show_voided": show_voided}
    return render(request, "activities/list.html", context)


@login_required
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The session; for the M&E officer and the admin, voided records too, struck through
    with who voided them, when and why (a voided session is 404 to everyone else)."""
    user: Any = request.user
    activity = get_activity_for_user(user=user, pk=pk, voided=True)
    attendances = list(
        attendance_list(user=user, voided=True)
        .filter(activity=activity)
        .select_related("person__village", "voided_by")
        .order_by("person__name_latin", "id")
    )
    headcounts = list(
        headcount_list(user=user, voided=True)
        .filter(activity=activity)
        .select_related("voided_by")
        .order_by("age_min", "sex", "id")
    )
    context = {
        "activity": activity,
        "topics": activity.topics.all(),
        "attendances": attendances,
        "attended": sum(1 for a in attendances if not a.is_voided),
        "headcounts": headcounts,
        "counted_headcount": any(not h.is_voided for h in headcounts),
        "changes": user.can_write and not activity.is_voided,
    }
    return render(request, "activities/detail.html", context)


@login_required
def activity_create_view(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    require_can_write(user)
    form = ActivityForm(request.POST or None, user=user)
    if request.method == "POST" and "_pick" not in request.POST and form.is_valid():
        try:
            activity = activity_create(
                organisation=user.organisation, by=user, fields=form.activity_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error("area_code", str(error))
        else:
            messages.success(request, _("Session saved. Now take attendance."))
            return redirect("activities:attendance", activity.pk)
    return render(request, "activities/form.html", {"form": form, "activity": None})


@login_required
def activity_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The create form, filled in; attendance and headcount stay as they are."""
    user: Any = request.user
    activity = get_activity_for_user(user=user, pk=pk)
    require_can_write(user)
    form = ActivityForm(request.POST or None, user=user, activity=activity)
    if request.method == "POST" and "_pick" not in request.POST and form.is_valid():
        try:
            activity_update(
                activity=activity,
                by=user,
                fields=form.activity_fields(),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error("area_code", str(error))
        else:
            messages.success(request, _("Saved."))
            return redirect("activities:detail", activity.pk)
    return render(request, "activities/form.html", {"form": form, "activity": activity})


def _roster(user: Any, activity: Any) -> list:
    """The group's members on the session's date."""
    if activity.group_id is None:
        return []
    members = (
        membership_list(user=user)
        .filter(group_id=activity.group_id, joined_on__lte=activity.date)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=activity.date))
        .select_related("person__village")
        .order_by("person__name_latin")
    )
    return [membership.person for membership in members]


def _newcomer_villages(activity: Any) -> list:
    """Villages a newcomer may live in: the session's own, or those of its commune."""
    area = activity.area
    if area.level == "village":
        return [area]
    return list(area_children(parent_code=area.code)) if area.level == "commune" else []


@login_required
def attendance_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Take attendance: the roster pre-ticked, search-and-tick, a newcomer registered inline.

    Every button posts the same form, so ticks survive a search or a registration.
    """
    user: Any = request.user
    activity = get_activity_for_user(user=user, pk=pk)
    require_can_write(user)
    roster = _roster(user, activity)
    attending = list(
        person_list(user=user)
        .filter(attendances__activity=activity, attendances__voided_at__isnull=True)
        .order_by("name_latin")
    )
    newcomer = NewcomerForm()
    villages = _newcomer_villages(activity)
    found: list = []
    error = ""
    if request.method == "POST":
        ticked_ids = {posted_id(v) for v in request.POST.getlist("person")}
        action = request.POST.get("action", "save")
        if action == "newcomer":
            newcomer = NewcomerForm(request.POST)
            village_code = request.POST.get("new-village", "")
            if newcomer.is_valid():
                try:
                    # Not asked "is she one of these?" here: a likely pair goes on the review list.
                    person, _reviews = person_register_reviewed(
                        organisation=activity.organisation,
                        by=user,
                        channel=RegistrationChannel.WEB,
                        fields=newcomer.person_fields(village_code=village_code),
                    )
                except ValidationError as problem:
                    add_service_errors(newcomer, problem, {"village_code": "name_latin"})
                except PermissionDenied as problem:
                    newcomer.add_error(None, str(problem))
                else:
                    ticked_ids.add(person.pk)
                    messages.success(
                        request,
                        _("%(name)s is registered and ticked.") % {"name": person.display_name},
                    )
                    newcomer = NewcomerForm()
        ticked = list(person_list(user=user).filter(pk__in=ticked_ids))
        if action == "save":
            try:
                attendance_set(
                    activity=activity,
                    by=user,
                    people=ticked,
                    reason=request.POST.get("reason", ""),
                )
            except ValidationError as problem:
                error = " ".join(problem.messages)
            else:
                messages.success(
                    request, _("Attendance saved: %(count)s people.") % {"count": len(ticked)}
                )
                return redirect("activities:detail", activity.pk)
        query = request.POST.get("q", "").strip()
        if action == "search" and query:
            ids = person_search(user=user, query=query)[:SEARCH_SHOWN]
            rows = person_list(user=user).in_bulk(ids)
            found = [rows[i] for i in ids if i in rows]
    else:
        ticked = attending or roster
    ticked_ids = {p.pk for p in ticked}
    seen: set[int] = set()
    rows_shown = []
    for person in [*found, *roster, *attending, *ticked]:
        if person.pk not in seen:
            seen.add(person.pk)
            rows_shown.append(person)
    context = {
        "activity": activity,
        "people": rows_shown,
        "ticked": ticked_ids,
        "found": {p.pk for p in found},
        "newcomer": newcomer,
        "villages": villages,
        "error": error,
        "q": request.POST.get("q", ""),
        "reason": request.POST.get("reason", ""),
    }
    return render(request, "activities/attendance.html", context)


@login_required
def headcount_view(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    activity = get_activity_for_user(user=user, pk=pk)
    require_can_write(user)
    existing = list(headcount_list(user=user).filter(activity=activity))
    form = HeadcountForm(request.POST or None, existing=existing)
    if request.method == "POST" and form.is_valid():
        try:
            headcount_set(
                activity=activity,
                by=user,
                cells=form.cells(),
                reason=form.cleaned_data.get("reason", ""),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Headcount saved."))
            return redirect("activities:detail", activity.pk)
    return render(request, "activities/headcount.html", {"activity": activity, "form": form})


# --- voids (samaki/records.py): a confirmation page asking why ---------------------------------


def _void_page(request: HttpRequest, form: VoidForm, **context: Any) -> HttpResponse:
    return render(request, "void.html", {"form": form, **context})


@login_required
def activity_void_view(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    activity = get_activity_for_user(user=user, pk=pk)
    require_can_write(user)
    form = VoidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            activity_void(by=user, activity=activity, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Session voided: it no longer counts."))
            if can_see_voided(user, activity.organisation_id):
                return redirect("activities:detail", activity.pk)
            return redirect("activities:list")
    return _void_page(
        request,
        form,
        title=_("Void this session"),
        record=f"{activity.date:%d/%m/%Y} · {activity.title or activity.kind}",
        explain=_("Its attendance and headcount are voided with it, for the same reason."),
        back=reverse("activities:detail", args=[activity.pk]),
    )


@login_required
def attendance_void_view(request: HttpRequest, pk: int, attendance_pk: int) -> HttpResponse:
    """Void one person's attendance at this session (she may be ticked again afterwards)."""
    user: Any = request.user
    activity = get_activity_for_user(user=user, pk=pk)
    attendance = get_object_or_404(
        attendance_list(user=user).filter(activity=activity), pk=attendance_pk
    )
    require_can_write(user)
    form = VoidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            attendance_void(by=user, attendance=attendance, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Attendance voided: it no longer counts."))
            return redirect("activities:detail", activity.pk)
    return _void_page(
        request,
        form,
        title=_("Void this attendance"),
        record=f"{attendance.person.display_name} · {activity.date:%d/%m/%Y}",
        explain="",
        back=reverse("activities:detail", args=[activity.pk]),
    )


@login_required
def headcount_void_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Void the session's headcount (every cell of it)."""
    user: Any = request.user
    activity = get_activity_for_user(user=user, pk=pk)
    require_can_write(user)
    form = VoidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            headcount_void(by=user, activity=activity, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Headcount voided: it no longer counts."))
            return redirect("activities:detail", activity.pk)
    return _void_page(
        request,
        form,
        title=_("Void this headcount"),
        record=f"{activity.date:%d/%m/%Y} · {activity.title or activity.kind}",
        explain="",
        back=reverse("activities:detail", args=[activity.pk]),
    )
