from typing import cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from samaki.accounts.models import User
from samaki.advocacy.forms import FollowUpForm, RequestForm
from samaki.advocacy.models import RequestStatus
from samaki.advocacy.queries import (
    follow_up_list,
    get_request_for_user,
    request_counts_by_status,
    request_counts_by_topic,
    request_list,
    request_topic_list,
)
from samaki.advocacy.services import RequestFields, request_follow_up, request_record


def _form_errors(form, error: ValidationError) -> None:
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


@login_required
def request_list_view(request: HttpRequest) -> HttpResponse:
    rows = request_list(user=request.user)
    status = request.GET.get("status", "")
    if status in RequestStatus.values:
        rows = rows.filter(status=status)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    everything = request_list(user=request.user)
    return render(
        request,
        "advocacy/list.html",
        {
            "page": page,
            "counts": [
                (value, label, n)
                for (value, label), n in zip(
                    RequestStatus.choices,
                    request_counts_by_status(everything).values(),
                    strict=True,
                )
            ],
            "topics": request_counts_by_topic(everything),
            "status": status,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    if user.organisation is None or not user.can_write:
        raise PermissionDenied
    form = RequestForm(request.POST or None, topics=request_topic_list(user=user))
    if request.method == "POST" and form.is_valid():
        try:
            created = request_record(
                organisation=user.organisation, by=user, fields=RequestFields(**form.cleaned_data)
            )
        except ValidationError as error:
            _form_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            return redirect("advocacy:detail", pk=created.pk)
    return render(request, "advocacy/new.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    community_request = get_request_for_user(user=request.user, pk=pk)
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            request_follow_up(request=community_request, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            return redirect("advocacy:detail", pk=pk)
    return render(
        request,
        "advocacy/detail.html",
        {
            "item": community_request,
            "follow_ups": follow_up_list(user=request.user, request=community_request),
            "form": form,
            "may_write": cast(User, request.user).can_write,
        },
    )
