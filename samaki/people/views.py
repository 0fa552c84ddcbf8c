import itertools
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from samaki.activities.queries import attendance_list
from samaki.areas.queries import area_by_code, area_children
from samaki.forms import add_service_errors
from samaki.groups.queries import membership_list
from samaki.outcomes.queries import outcome_list
from samaki.people.forms import PersonForm, SearchForm
from samaki.people.queries import (
    get_person_for_user,
    likely_duplicates,
    person_list,
    person_search,
)
from samaki.people.services import person_register, person_update

PAGE_SIZE = 50
TIMELINE_LIMIT = 100  # of each kind; the profile shows the most recent


def require_can_write(user: Any) -> None:
    """Viewers and donor viewers change nothing: their forms answer 403."""
    if not user.can_write:
        raise PermissionDenied(_("You may read but not change this organisation's data."))


@login_required
def person_list_view(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    searching = form.is_bound and form.is_valid() and (form.cleaned_data["q"] or form.picker.code())
    page: Any
    if searching:
        area = area_by_code(code=form.picker.code())
        ids = person_search(user=request.user, query=form.cleaned_data["q"], area=area)
        page = Paginator(ids, PAGE_SIZE).get_page(request.GET.get("page"))
        rows = person_list(user=request.user).in_bulk(list(page.object_list))
        page.object_list = [rows[pk] for pk in page.object_list if pk in rows]
    else:
        people = person_list(user=request.user).order_by("name_latin", "id")
        page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "people/list.html",
        {"page": page, "form": form, "searching": searching, "query": query.urlencode()},
    )


@login_required
@require_GET
def area_children_json(request: HttpRequest) -> JsonResponse:
    """The gazetteer one level below `?parent=<code>`, for the area picker (shared data)."""
    areas = area_children(parent_code=request.GET.get("parent", ""))
    return JsonResponse(
        {"areas": [{"code": a.code, "name": f"{a.name_km} · {a.name_en}"} for a in areas]}
    )


def _save(request: HttpRequest, form: PersonForm, save: Any) -> Any:
    """Call the service; its refusals become messages next to the fields, and nothing is saved."""
    try:
        return save()
    except ValidationError as error:
        add_service_errors(form, error)
    except PermissionDenied as error:
        form.add_error("village_code", str(error))
    return None


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    require_can_write(user)
    duplicates: list = []
    if request.method != "POST":
        form = PersonForm(registering=True)
    else:
        form = PersonForm(request.POST, registering=True)
        if "_pick" not in request.POST and form.is_valid():
            data = form.cleaned_data
            fields = form.person_fields()
            if not data["confirm_duplicate"]:
                birth_year = data["birth_date"].year if data["birth_date"] else data["birth_year"]
                duplicates = list(
                    likely_duplicates(
                        user=user,
                        name_latin=data["name_latin"],
                        name_km=data["name_km"],
                        village=area_by_code(code=fields.village_code),
                        birth_year=birth_year,
                    )
                )
            if not duplicates:
                person = _save(
                    request,
                    form,
                    lambda: person_register(
                        organisation=user.organisation,
                        by=user,
                        fields=fields,
                        consent_given_by=data["consent_given_by"],
                    ),
                )
                if person is not None:
                    messages.success(
                        request, _("%(name)s is registered.") % {"name": person.display_name}
                    )
                    return redirect("people:detail", person.pk)
    return render(
        request, "people/form.html", {"form": form, "duplicates": duplicates, "person": None}
    )


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    person = get_person_for_user(user=user, pk=pk)
    require_can_write(user)
    if request.method != "POST":
        form = PersonForm(person=person, registering=False)
    else:
        form = PersonForm(request.POST, person=person, registering=False)
        if "_pick" not in request.POST and form.is_valid():
            fields = form.person_fields()
            if _save(request, form, lambda: person_update(person=person, by=user, fields=fields)):
                messages.success(request, _("Saved."))
                return redirect("people:detail", person.pk)
    return render(request, "people/form.html", {"form": form, "duplicates": [], "person": person})


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Her record and her timeline: sessions attended, groups joined and left, outcomes."""
    person = get_person_for_user(user=request.user, pk=pk)
    attendances = (
        attendance_list(user=request.user)
        .filter(person=person)
        .select_related("activity__kind", "activity__area")
        .order_by("-activity__date")[:TIMELINE_LIMIT]
    )
    memberships = membership_list(user=request.user).filter(person=person)[:TIMELINE_LIMIT]
    outcomes = outcome_list(user=request.user).filter(person=person)[:TIMELINE_LIMIT]
    events: list[dict] = []
    for attendance in attendances:
        events.append(
            {"date": attendance.activity.date, "kind": "attended", "obj": attendance.activity}
        )
    for membership in memberships:
        events.append({"date": membership.joined_on, "kind": "joined", "obj": membership})
        if membership.left_on:
            events.append({"date": membership.left_on, "kind": "left", "obj": membership})
    for outcome in outcomes:
        events.append({"date": outcome.date, "kind": "outcome", "obj": outcome})
    events.sort(key=lambda event: event["date"], reverse=True)
    years = [
        (year, list(group))
        for year, group in itertools.groupby(events, key=lambda event: event["date"].year)
    ]
    context = {
        "person": person,
        "timeline": years,
        "memberships": memberships,
        "consents": person.consents.all(),
    }
    return render(request, "people/detail.html", context)
