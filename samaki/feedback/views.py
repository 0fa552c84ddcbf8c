from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from samaki.accounts import access
from samaki.accounts.access import PUBLIC
from samaki.accounts.models import User
from samaki.feedback import limits
from samaki.feedback.forms import (
    FocalPointForm,
    FollowUpForm,
    PublicFeedbackForm,
    RespondForm,
    StaffFeedbackForm,
)
from samaki.feedback.models import OPEN_STATUSES, FeedbackKind, Status
from samaki.feedback.queries import (
    feedback_by_code,
    feedback_category_list,
    feedback_counts,
    feedback_list,
    focal_point_candidates,
    focal_point_list,
    get_feedback_for_user,
    public_area_choices,
    public_organisation_get,
)
from samaki.feedback.services import (
    FeedbackFields,
    feedback_file,
    feedback_follow_up_record,
    feedback_respond,
    feedback_view_record,
    focal_point_designate,
    focal_point_remove,
    follow_up_code_display,
    is_focal_point,
)

PAGE_SIZE = 50


def _khmer_first(request: HttpRequest) -> None:
    """The public pages speak Khmer unless the visitor has chosen English herself."""
    from django.conf import settings

    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        translation.activate("km")
        request.LANGUAGE_CODE = "km"


def _refused(request: HttpRequest, message: str, status: int) -> HttpResponse:
    response = render(request, "feedback/public_refused.html", {"reason": message}, status=status)
    response["Cache-Control"] = "no-store"
    return response


def _fields_from(data: dict, *, channel: str, received_on=None) -> FeedbackFields:
    area = data.get("area")
    return FeedbackFields(
        kind=data["kind"],
        message=data["message"],
        channel=channel,
        category_code=data["category"].code if data.get("category") else "",
        service_name=data.get("service_name", ""),
        area_code=(data.get("village_code") or "").strip() or (area.code if area else ""),
        rating=data.get("rating"),
        anonymous=bool(data.get("anonymous")),
        reporter_name=data.get("reporter_name", ""),
        reporter_contact=data.get("reporter_contact", ""),
        received_on=received_on,
    )


def _add_errors(form, error: ValidationError) -> None:
    mapping = {"category": "category", "area": "village_code"}
    for field, messages_ in error.message_dict.items():
        name = mapping.get(field, field)
        form.add_error(name if name in form.fields else None, messages_)


# --- Public pages: no login ----------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def public_file(request: HttpRequest, slug: str) -> HttpResponse:
    _khmer_first(request)
    organisation = public_organisation_get(slug=slug)
    categories = feedback_category_list(organisation=organisation)
    area_queryset = public_area_choices(organisation=organisation)
    if request.method == "POST":
        if limits.body_too_large(request):
            return _refused(request, _("Your message is too long to be accepted."), 413)
        if not limits.allow(request, bucket="feedback-file", limit=limits.FILINGS_PER_HOUR):
            return _refused(
                request,
                _("Too many messages have come from this connection. Please try again in an hour."),
                429,
            )
        form = PublicFeedbackForm(request.POST, categories=categories, areas=area_queryset)
        if form.is_valid():
            try:
                filed = feedback_file(
                    organisation=organisation,
                    by=PUBLIC,
                    fields=_fields_from(form.cleaned_data, channel="public_page"),
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                return render(
                    request,
                    "feedback/public_filed.html",
                    {
                        "organisation": organisation,
                        "code": follow_up_code_display(filed.code),
                        "feedback": filed.feedback,
                    },
                )
        status = 400
    else:
        form = PublicFeedbackForm(categories=categories, areas=area_queryset)
        status = 200
    return render(
        request,
        "feedback/public_form.html",
        {"organisation": organisation, "form": form},
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def public_follow_up(request: HttpRequest) -> HttpResponse:
    """The reporter reads the answer with her code. POST, so the code stays out of addresses and logs."""
    _khmer_first(request)
    feedback = None
    if request.method == "POST":
        if limits.body_too_large(request):
            return _refused(request, _("This request is too large."), 413)
        if not limits.allow(request, bucket="feedback-code", limit=limits.LOOKUPS_PER_HOUR):
            return _refused(
                request,
                _(
                    "Too many codes have been tried from this connection. Please try again in an hour."
                ),
                429,
            )
        form = FollowUpForm(request.POST)
        if form.is_valid():
            feedback = feedback_by_code(code=form.cleaned_data["code"])
            if feedback is None:
                form.add_error("code", _("No message has this code. Check it and try again."))
            else:
                feedback_follow_up_record(feedback=feedback)
    else:
        form = FollowUpForm()
    return render(
        request,
        "feedback/public_follow_up.html",
        {"form": form, "feedback": feedback, "answered": Status.ANSWERED, "closed": Status.CLOSED},
    )


# --- Staff pages ---------------------------------------------------------------------------


@login_required
def feedback_list_view(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = feedback_list(user=request.user, today=today).select_related("organisation")
    status = request.GET.get("status", "")
    kind = request.GET.get("kind", "")
    if status in Status.values:
        rows = rows.filter(status=status)
    if kind in FeedbackKind.values:
        rows = rows.filter(kind=kind)
    if request.GET.get("overdue"):
        rows = rows.filter(status__in=OPEN_STATUSES, respond_by__lt=today)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "feedback/list.html",
        {
            "page": page,
            "counts": feedback_counts(user=request.user, today=today),
            "statuses": Status.choices,
            "kinds": FeedbackKind.choices,
            "status": status,
            "kind": kind,
            "organisation": cast(User, request.user).organisation,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def feedback_detail(request: HttpRequest, pk: int) -> HttpResponse:
    feedback = get_feedback_for_user(user=request.user, pk=pk)
    if feedback.restricted:
        feedback_view_record(feedback=feedback, by=request.user)
    may_respond = (
        is_focal_point(user=request.user, organisation_id=feedback.organisation_id)
        if feedback.restricted
        else cast(User, request.user).can_write
    )
    form = RespondForm(
        request.POST or None,
        initial={
            "status": feedback.status if feedback.status != Status.RECEIVED else "",
            "response": feedback.response,
        },
    )
    if request.method == "POST" and may_respond and form.is_valid():
        try:
            feedback_respond(
                feedback=feedback,
                by=request.user,
                status=form.cleaned_data["status"],
                response=form.cleaned_data["response"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Saved."))
            return redirect("feedback:detail", pk=feedback.pk)
    return render(
        request,
        "feedback/detail.html",
        {"feedback": feedback, "form": form, "may_respond": may_respond},
    )


@login_required
@require_http_methods(["GET", "POST"])
def feedback_new(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    organisation = user.organisation
    if organisation is None or not user.can_write:
        raise PermissionDenied
    categories = feedback_category_list(organisation=organisation)
    areas = public_area_choices(organisation=organisation)
    form = StaffFeedbackForm(
        request.POST or None,
        categories=categories,
        areas=areas,
        staff=focal_point_candidates(user=user),
        initial={"received_on": timezone.localdate(), "channel": "staff", "anonymous": False},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            filed = feedback_file(
                organisation=organisation,
                by=request.user,
                fields=_fields_from(data, channel=data["channel"], received_on=data["received_on"]),
                about_user=data.get("about_user"),
            )
        except ValidationError as error:
            _add_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            return render(
                request,
                "feedback/staff_filed.html",
                {"feedback": filed.feedback, "code": follow_up_code_display(filed.code)},
            )
    return render(request, "feedback/new.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def focal_points(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    organisation = user.organisation
    if organisation is None:
        raise PermissionDenied
    is_admin = access.is_org_admin(user, organisation.pk)
    users = focal_point_candidates(user=request.user).exclude(pk=user.pk)  # nobody names herself
    form = FocalPointForm(request.POST or None, users=users)
    if request.method == "POST" and is_admin:
        remove = request.POST.get("remove")
        try:
            if remove:
                focal_point = get_object_or_404(focal_point_list(user=request.user), pk=remove)
                focal_point_remove(focal_point=focal_point, by=request.user)
                return redirect("feedback:focal_points")
            if form.is_valid():
                focal_point_designate(
                    organisation=organisation, by=request.user, user=form.cleaned_data["user"]
                )
                return redirect("feedback:focal_points")
        except ValidationError as error:
            form.add_error(None, error.messages)
    return render(
        request,
        "feedback/focal_points.html",
        {
            "focal_points": focal_point_list(user=request.user).filter(organisation=organisation),
            "form": form,
            "is_admin": is_admin,
        },
    )
