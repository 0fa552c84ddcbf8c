from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from samaki.groups.queries import get_group_for_user, group_list, membership_list

PAGE_SIZE = 50


@login_required
def group_list_view(request: HttpRequest) -> HttpResponse:
    page = Paginator(group_list(user=request.user).order_by("name_en", "id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "groups/list.html", {"page": page})


@login_required
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_group_for_user(user=request.user, pk=pk)
    memberships = (
        membership_list(user=request.user).filter(group=group).select_related("person__village")
    )
    return render(request, "groups/detail.html", {"group": group, "memberships": memberships})
