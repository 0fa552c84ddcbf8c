from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from samaki.activities.queries import (
    activity_list,
    attendance_list,
    get_activity_for_user,
    headcount_list,
)

PAGE_SIZE = 50


@login_required
def activity_list_view(request: HttpRequest) -> HttpResponse:
    page = Paginator(activity_list(user=request.user).order_by("-date", "id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
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
        "headcounts": headcount_list(user=request.user).filter(activity=activity),
    }
    return render(request, "activities/detail.html", context)
