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
from django.views.decorators.http import require_POST

from samaki.activities.queries import activity_list
from samaki.forms import DateField, VoidForm, add_service_errors
from samaki.groups.forms import GroupForm, MembershipForm
from samaki.groups.queries import get_group_for_user, group_list, membership_list
from samaki.groups.services import (
    group_create,
    group_update,
    membership_add,
    membership_end,
    membership_void,
)
from samaki.http import posted_id
from samaki.people.queries import person_list, person_search
from samaki.people.views import require_can_write

PAGE_SIZE = 50


@login_required
def group_list_view(request: HttpRequest) -> HttpResponse:
    groups = (
        group_list(user=request.user)
        # A join ignores the default manager: count the memberships that count.
        .annotate(
            members=Count(
                "memberships", filter=Q(memberships__voided_at__isnull=True), distinct=True
            )
        )
        .order_by("name_en", "id")
    )
    page = Paginator(groups, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "groups/list.html", {"page": page})


@login_required
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Members over time, and the group's attendance history (counted in the database)."""
    group = get_group_for_user(user=request.user, pk=pk)
    memberships = (
        membership_list(user=request.user, voided=True)
        .filter(group=group)
        .select_related("person__village", "voided_by")
    )
    sessions = (
        activity_list(user=request.user)
        .filter(group=group)
        .annotate(
            attended=Count(
                "attendances", filter=Q(attendances__voided_at__isnull=True), distinct=True
            )
        )
        .order_by("-date", "id")
    )
    page = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"group": group, "memberships": memberships, "page": page}
    return render(request, "groups/detail.html", context)


@login_required
def group_create_view(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    require_can_write(user)
    form = GroupForm(request.POST or None, user=user)
    if request.method == "POST" and "_pick" not in request.POST and form.is_valid():
        data = form.cleaned_data
        try:
            group = group_create(
                organisation=user.organisation,
                by=user,
                name_en=data["name_en"],
                name_km=data["name_km"],
                kind_code=data["kind_code"],
                area_code=form.picker.code(),
                founded_on=data["founded_on"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error("area_code", str(error))
        else:
            return redirect("groups:detail", group.pk)
    return render(request, "groups/form.html", {"form": form, "group": None})


@login_required
def group_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The create form, filled in; what the page does not show (network, project, external ID)
    stays as it is."""
    user: Any = request.user
    group = get_group_for_user(user=user, pk=pk)
    require_can_write(user)
    form = GroupForm(request.POST or None, user=user, group=group)
    if request.method == "POST" and "_pick" not in request.POST and form.is_valid():
        data = form.cleaned_data
        try:
            group_update(
                group=group,
                by=user,
                name_en=data["name_en"],
                name_km=data["name_km"],
                kind_code=data["kind_code"],
                area_code=form.picker.code(),
                founded_on=data["founded_on"],
                parent=group.parent,
                project=group.project,
                external_id=group.external_id,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error("area_code", str(error))
        else:
            messages.success(request, _("Saved."))
            return redirect("groups:detail", group.pk)
    return render(request, "groups/form.html", {"form": form, "group": group})


@login_required
def membership_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Find a person (any spelling), then add her with a role and a joining date."""
    user: Any = request.user
    group = get_group_for_user(user=user, pk=pk)
    require_can_write(user)
    query = request.GET.get("q", "") or request.POST.get("q", "")
    chosen = request.POST.get("person", "")
    ids = person_search(user=user, query=query)[:20] if query else []
    if chosen:
        ids = [posted_id(chosen), *ids]
    rows = person_list(user=user).in_bulk(ids)
    people = [rows[i] for i in dict.fromkeys(ids) if i in rows]
    form = MembershipForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            membership_add(
                group=group,
                person=form.people[data["person"]],
                by=user,
                role=data["role"],
                joined_on=data["joined_on"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error("person", str(error))
        else:
            messages.success(request, _("Member added."))
            return redirect("groups:detail", group.pk)
    return render(request, "groups/member_add.html", {"group": group, "form": form, "q": query})


@login_required
@require_POST
def membership_end_view(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    user: Any = request.user
    group = get_group_for_user(user=user, pk=pk)
    require_can_write(user)
    membership = get_object_or_404(membership_list(user=user).filter(group=group), pk=membership_pk)
    field = DateField()
    try:
        membership_end(
            membership=membership, by=user, left_on=field.clean(request.POST.get("left_on"))
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Membership ended."))
    return redirect("groups:detail", group.pk)


@login_required
def membership_void_view(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    """Void a membership entered by mistake (a member who left is ended instead)."""
    user: Any = request.user
    group = get_group_for_user(user=user, pk=pk)
    membership = get_object_or_404(membership_list(user=user).filter(group=group), pk=membership_pk)
    require_can_write(user)
    form = VoidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership_void(by=user, membership=membership, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Membership voided: it no longer counts."))
            return redirect("groups:detail", group.pk)
    return render(
        request,
        "void.html",
        {
            "form": form,
            "title": _("Void this membership"),
            "record": f"{membership.person.display_name} · {group.name_km or group.name_en}",
            "explain": _("To record that she left the group, end the membership instead."),
            "back": reverse("groups:detail", args=[group.pk]),
        },
    )
