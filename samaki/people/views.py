from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from samaki.activities.queries import attendance_list
from samaki.groups.queries import membership_list
from samaki.outcomes.queries import outcome_list
from samaki.people.queries import get_person_for_user, person_list

PAGE_SIZE = 50


@login_required
def person_list_view(request: HttpRequest) -> HttpResponse:
    people = person_list(user=request.user).order_by("name_latin", "id")
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "people/list.html", {"page": page})


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(user=request.user, pk=pk)
    context = {
        "person": person,
        "attendances": attendance_list(user=request.user)
        .filter(person=person)
        .select_related("activity__kind")
        .order_by("-activity__date"),
        "memberships": membership_list(user=request.user).filter(person=person),
        "outcomes": outcome_list(user=request.user).filter(person=person),
    }
    return render(request, "people/detail.html", context)
