"""The OpenRosa 1.0 API (formList, form download, manifest, submission) and the staff pages.

Phones authenticate with a device token: as the Basic password (any user name), answered by a
`WWW-Authenticate: Basic` challenge, or in the URL (`/openrosa/key/<token>/`) like ODK Central's
app users. Outside DEBUG both need HTTPS (the spec forbids Basic over plain HTTP).
"""

import base64
import binascii
import functools
from collections.abc import Callable
from typing import Any
from xml.sax.saxutils import escape

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import http_date
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from samaki.accounts import access
from samaki.api.models import TokenKind
from samaki.api.queries import token_list
from samaki.api.services import token_authenticate, token_issue, token_revoke
from samaki.openrosa import queries
from samaki.openrosa.forms import DeviceTokenForm, XLSFormUploadForm
from samaki.openrosa.models import FormPurpose
from samaki.openrosa.services import (
    TARGET_FIELDS,
    form_publish,
    shipped_form_publish,
    submission_receive,
    submission_reject,
    submission_retry,
)
from samaki.openrosa.xlsforms import SHIPPED, XLSFormError, xlsx_bytes
from samaki.organisations.models import Organisation

# The largest POST body a phone may send; bigger submissions are split by the phone.
ACCEPT_CONTENT_LENGTH = 10_000_000
REALM = "Samaki"


def _openrosa_headers(response: HttpResponse) -> HttpResponse:
    response["X-OpenRosa-Version"] = "1.0"
    response["X-OpenRosa-Accept-Content-Length"] = str(ACCEPT_CONTENT_LENGTH)
    response["Date"] = http_date()
    response["Content-Language"] = get_language() or "en"
    return response


def _openrosa_message(status: int, message: str) -> HttpResponse:
    body = (
        '<OpenRosaResponse xmlns="http://openrosa.org/http/response">'
        f'<message nature="">{escape(message)}</message></OpenRosaResponse>'
    )
    return HttpResponse(body, status=status, content_type="text/xml; charset=utf-8")


def _challenge(message: str) -> HttpResponse:
    response = _openrosa_message(401, message)
    response["WWW-Authenticate"] = f'Basic realm="{REALM}", charset="UTF-8"'
    return response


def _basic_password(request: HttpRequest) -> str:
    header = request.headers.get("Authorization", "")
    if not header.lower().startswith("basic "):
        return ""
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return ""
    return decoded.partition(":")[2]


def openrosa(view: Callable) -> Callable:
    """Authenticate the device, check the OpenRosa version, add the headers to every answer."""

    @csrf_exempt
    @functools.wraps(view)
    def wrapped(request: HttpRequest, key: str = "", **kwargs) -> HttpResponse:
        if not settings.DEBUG and not request.is_secure():
            response = _openrosa_message(403, _("Phones must reach Samaki over HTTPS."))
        elif request.method == "POST" and request.headers.get("X-OpenRosa-Version") != "1.0":
            response = _openrosa_message(400, _("Send the header X-OpenRosa-Version: 1.0."))
        else:
            device = token_authenticate(key or _basic_password(request), kind=TokenKind.PHONE)
            if device is None:
                response = _challenge(_("Sign in with this phone's device token."))
            else:
                request.device = device  # type: ignore[attr-defined]
                response = view(request, **kwargs)
        return _openrosa_headers(response)

    return wrapped


def _base(request: HttpRequest) -> str:
    """The URL prefix the phone used, so links keep the key when it came in the path."""
    key = request.resolver_match.kwargs.get("key") if request.resolver_match else None
    root = reverse("openrosa:key-root", args=[key]) if key else reverse("openrosa:root")
    return request.build_absolute_uri(root).rstrip("/")


@openrosa
@require_http_methods(["GET", "HEAD"])
def form_list(request: HttpRequest) -> HttpResponse:
    forms = queries.xform_list_for_device(device=request.device)  # type: ignore[attr-defined]
    if request.GET.get("formID"):
        forms = forms.filter(form_id=request.GET["formID"])
    base = _base(request)
    items = "".join(
        "<xform>"
        f"<formID>{escape(form.form_id)}</formID>"
        f"<name>{escape(form.title)}</name>"
        f"<version>{escape(form.version)}</version>"
        f"<hash>md5:{form.md5}</hash>"
        f"<downloadUrl>{escape(base)}/forms/{form.pk}/form.xml</downloadUrl>"
        "</xform>"
        for form in forms
    )
    body = f'<?xml version="1.0" encoding="UTF-8"?><xforms xmlns="http://openrosa.org/xforms/xformsList">{items}</xforms>'
    return HttpResponse(body, content_type="text/xml; charset=utf-8")


@openrosa
@require_http_methods(["GET", "HEAD"])
def form_download(request: HttpRequest, pk: int) -> HttpResponse:
    form = get_object_or_404(queries.xform_list_for_device(device=request.device), pk=pk)  # type: ignore[attr-defined]
    return HttpResponse(form.xml.encode(), content_type="text/xml; charset=utf-8")


@openrosa
@require_http_methods(["GET", "HEAD"])
def form_manifest(request: HttpRequest, pk: int) -> HttpResponse:
    """Samaki's forms carry no media files yet: an empty manifest."""
    get_object_or_404(queries.xform_list_for_device(device=request.device), pk=pk)  # type: ignore[attr-defined]
    body = '<?xml version="1.0" encoding="UTF-8"?><manifest xmlns="http://openrosa.org/xforms/xformsManifest"></manifest>'
    return HttpResponse(body, content_type="text/xml; charset=utf-8")


@openrosa
@require_http_methods(["GET", "HEAD", "POST"])
def submission(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return HttpResponse(status=204)
    length = request.headers.get("Content-Length") or "0"
    if not length.isascii() or not length.isdigit():
        return _openrosa_message(400, _("The Content-Length header is not a length."))
    if int(length) > ACCEPT_CONTENT_LENGTH:
        return _openrosa_message(413, _("Too large: split the submission."))
    xml_part = request.FILES.get("xml_submission_file")
    if xml_part is None:
        return _openrosa_message(400, _("The part xml_submission_file is missing."))
    media = {name: part for name, part in request.FILES.items() if name != "xml_submission_file"}
    received = submission_receive(
        device=request.device,  # type: ignore[attr-defined]
        xml=xml_part.read(),
        files=media,
    )
    response = _openrosa_message(received.status, received.message)
    if received.submission is not None:
        response["Location"] = request.build_absolute_uri(request.path)
    return response


# --- Staff pages ------------------------------------------------------------------------------


def _admin_organisation(user: Any) -> Organisation:
    """Her organisation if she administers it; 404 for everyone else (pages hide, not refuse)."""
    if user.organisation is None or not (
        access.is_platform_operator(user) or access.is_org_admin(user)
    ):
        raise Http404
    return user.organisation


@login_required
def form_admin(request: HttpRequest) -> HttpResponse:
    """Phone forms: the shipped ones, her own uploads, and the errors pyxform found."""
    organisation = _admin_organisation(request.user)
    row_errors = None
    upload = XLSFormUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and "shipped" in request.POST:
        if request.POST["shipped"] in SHIPPED:
            shipped_form_publish(
                organisation=organisation, by=request.user, form_id=request.POST["shipped"]
            )
            messages.success(request, _("The form is now served to your phones."))
        return redirect("openrosa:forms")
    if request.method == "POST" and upload.is_valid():
        file = upload.cleaned_data["xlsform"]
        try:
            form_publish(
                organisation=organisation,
                by=request.user,
                xlsform=file.read(),
                file_name=file.name,
                purpose=upload.cleaned_data["purpose"],
                mapping=upload.mapping_pairs(),
            )
        except XLSFormError as error:
            row_errors = error.errors
        except ValidationError as error:
            upload.add_error(None, error)
        else:
            messages.success(request, _("The form is now served to your phones."))
            return redirect("openrosa:forms")
    context = {
        "forms": queries.xform_list(user=request.user),
        "shipped": SHIPPED.values(),
        "upload": upload,
        "row_errors": row_errors,
        "targets": TARGET_FIELDS,
        "purposes": FormPurpose,
    }
    return render(request, "openrosa/forms.html", context)


@login_required
def shipped_xlsform(request: HttpRequest, form_id: str) -> HttpResponse:
    if form_id not in SHIPPED:
        raise Http404
    response = HttpResponse(
        xlsx_bytes(SHIPPED[form_id]),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{form_id}.xlsx"'
    return response


@login_required
def device_list(request: HttpRequest) -> HttpResponse:
    """Her organisation's devices; an administrator issues and revokes tokens."""
    organisation = _admin_organisation(request.user)
    form = DeviceTokenForm(request.POST or None, organisation=organisation)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, secret = token_issue(
                organisation=organisation,
                by=request.user,
                user=form.cleaned_data["user"],
                kind=TokenKind.PHONE,
                name=form.cleaned_data["name"],
            )
        except ValidationError as error:
            form.add_error(None, error)
    context = {
        "devices": token_list(user=request.user, kind=TokenKind.PHONE),
        "form": form,
        "secret": secret,
        "server_url": request.build_absolute_uri(reverse("openrosa:root")).rstrip("/"),
    }
    return render(request, "openrosa/devices.html", context)


@login_required
@require_POST
def device_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    _admin_organisation(request.user)
    token = get_object_or_404(token_list(user=request.user, kind=TokenKind.PHONE), pk=pk)
    token_revoke(token=token, by=request.user)
    messages.success(request, _("The device can no longer reach Samaki."))
    return redirect("openrosa:devices")


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    submissions = queries.submission_list(user=request.user).filter(status="review")
    page = Paginator(submissions.order_by("-received_at", "-id"), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "openrosa/review.html", {"page": page})


@login_required
@require_POST
def review_action(request: HttpRequest, pk: int) -> HttpResponse:
    submission = get_object_or_404(queries.submission_list(user=request.user), pk=pk)
    try:
        if request.POST.get("action") == "reject":
            submission_reject(
                submission=submission, by=request.user, reason=request.POST.get("reason", "")
            )
        else:
            submission = submission_retry(submission=submission, by=request.user)
            if submission.status == "review":
                messages.error(request, submission.reason)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    return redirect("openrosa:review")
