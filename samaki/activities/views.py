from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

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
    attendance_set,
    headcount_set,
)
from samaki.areas.queries import area_children
from samaki.forms import add_service_errors
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
    activities = (
        activity_list(user=request.user)
        .annotate(attended=Count("attendances", distinct=True))
        .order_by("-date", "id")
    )
    page = Paginator(activities, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "activities/list.html", {"page": page})


@login_required
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_activity_for_user(user=request.user, pk=pk)
    context = {
        "activity": activity,
        "topics": activity.topics.all(),
        "attendances": attendance_list(user=request.user)
        .filter(activity=activity)
        .select_related("person__village")
        .order_by("person__name_latin"),
        "headcounts": headcount_list(user=request.user)
        .filter(activity=activity)
        .order_by("age_min", "sex"),
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
            activity_update(activity=activity, by=user, fields=form.activity_fields())
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
        person_list(user=user).filter(attendances__activity=activity).order_by("name_latin")
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
                attendance_set(activity=activity, by=user, people=ticked)
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
            headcount_set(activity=activity, by=user, cells=form.cells())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Headcount saved."))
            return redirect("activities:detail", activity.pk)
    return render(request, "activities/headcount.html", {"activity": activity, "form": form})
