from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from samaki.accounts import access
from samaki.accounts.forms import InviteForm, PasswordChangeForm, UserEditForm, WelcomeForm
from samaki.accounts.home import home_sections
from samaki.accounts.models import SignInLinkPurpose, User
from samaki.accounts.queries import get_managed_user_for_user, managed_user_list
from samaki.accounts.services import (
    IssuedLink,
    password_set_from_link,
    sign_in_link_get,
    sign_in_link_issue,
    user_deactivate,
    user_invite,
    user_reactivate,
    user_update,
)
from samaki.activities.queries import activity_list
from samaki.forms import add_service_errors
from samaki.groups.queries import group_list
from samaki.language import page_language
from samaki.people.queries import person_list

# The backend a one-time link signs her in with (the password one: axes only refuses sign-ins).
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """What needs doing, by what her role reads (`samaki.accounts.home`)."""
    user: User = request.user  # type: ignore[assignment]  # login_required
    counts = None
    if user.can_read_people:
        counts = {
            "people": person_list(user=request.user).count(),
            "groups": group_list(user=request.user).count(),
            "activities": activity_list(user=request.user).count(),
        }
    sections = home_sections(
        user=user,
        today=timezone.localdate(),
        language=page_language(),
        verified=bool(getattr(user, "is_verified", lambda: False)()),
    )
    return render(request, "home.html", {"counts": counts, "sections": sections})


class PasswordChange(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm
    template_name = "accounts/password_change.html"


class PasswordChangeDone(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


# --- the organisation's users (its administrator) ---------------------------------------------

USERS_PAGE_SIZE = 50


def _users_admin(request: HttpRequest) -> User:
    """Her organisation's administrator, or 404: checked before the method, so a GET of a
    POST-only page answers as every other page does to whoever may not enter."""
    if not access.can_manage_users(request.user):
        raise Http404
    return request.user  # type: ignore[return-value]  # can_manage_users: a signed-in member


def _link_page(request: HttpRequest, member: User, issued: IssuedLink) -> HttpResponse:
    return render(request, "accounts/user_link.html", {"member": member, "issued": issued})


@login_required
def user_list_view(request: HttpRequest) -> HttpResponse:
    admin = _users_admin(request)
    page = Paginator(managed_user_list(user=admin), USERS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "accounts/user_list.html", {"page": page})


@login_required
def user_invite_view(request: HttpRequest) -> HttpResponse:
    admin = _users_admin(request)
    form = InviteForm(request.POST or None, user=admin)
    if request.method == "POST" and "_pick" not in request.POST and form.is_valid():
        data = form.cleaned_data
        try:
            member, issued = user_invite(
                by=admin,
                organisation=admin.organisation,  # type: ignore[arg-type]  # a member's
                username=data["username"],
                role=data["role"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                area_codes=form.area_codes(),
                donor=data["donor"],
            )
        except ValidationError as error:
            add_service_errors(form, error, aliases={"areas": "area_code"})
        except PermissionDenied as error:
            form.add_error("role", str(error))
        else:
            return _link_page(request, member, issued)
    return render(request, "accounts/user_invite.html", {"form": form})


@login_required
def user_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Her account: change her names, role and areas; deactivate, reactivate, new link."""
    admin = _users_admin(request)
    member = get_managed_user_for_user(user=admin, pk=pk)
    editable = access.can_edit_user(admin, member)
    form = UserEditForm(request.POST or None, user=admin, member=member) if editable else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("Only a case supervisor changes a case role's account."))
        if "_pick" not in request.POST and form.is_valid():
            data = form.cleaned_data
            try:
                user_update(
                    by=admin,
                    user=member,
                    role=data["role"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    email=data["email"],
                    area_codes=form.area_codes(),
                    donor=data["donor"],
                )
            except ValidationError as error:
                add_service_errors(form, error, aliases={"areas": "area_code"})
            except PermissionDenied as error:
                form.add_error("role", str(error))
            else:
                messages.success(request, _("Saved."))
                return redirect("user_detail", member.pk)
    context = {
        "member": member,
        "form": form,
        "editable": editable,
        "is_self": member.pk == admin.pk,
    }
    return render(request, "accounts/user_detail.html", context)


def _account_action(request: HttpRequest, pk: int) -> tuple[User, User]:
    admin = _users_admin(request)
    member = get_managed_user_for_user(user=admin, pk=pk)
    return admin, member


@login_required
def user_deactivate_view(request: HttpRequest, pk: int) -> HttpResponse:
    admin, member = _account_action(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    user_deactivate(by=admin, user=member)  # PermissionDenied: 403
    messages.success(request, _("%(name)s can no longer sign in.") % {"name": member.username})
    return redirect("user_detail", member.pk)


@login_required
def user_reactivate_view(request: HttpRequest, pk: int) -> HttpResponse:
    admin, member = _account_action(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    user_reactivate(by=admin, user=member)
    messages.success(request, _("%(name)s can sign in again.") % {"name": member.username})
    return redirect("user_detail", member.pk)


@login_required
def user_reset_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A new one-time link for a forgotten password, shown once on the page."""
    admin, member = _account_action(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        issued = sign_in_link_issue(by=admin, user=member, purpose=SignInLinkPurpose.RESET)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("user_detail", member.pk)
    return _link_page(request, member, issued)


# --- the one-time link (public) -----------------------------------------------------------------


@never_cache  # the address holds her token
def welcome(request: HttpRequest, token: str) -> HttpResponse:
    """Where she sets her own password through her one-time link, then is signed in.

    An unknown, used, voided or expired link answers a friendly 404 that changes nothing."""
    link = sign_in_link_get(token)
    if link is None:
        return render(request, "accounts/welcome_invalid.html", status=404)
    form = WelcomeForm(link.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = password_set_from_link(
                token=token, new_password=form.cleaned_data["new_password1"]
            )
        except ValidationError as error:
            add_service_errors(form, error, aliases={"new_password": "new_password2"})
        except PermissionDenied:
            return render(request, "accounts/welcome_invalid.html", status=404)
        else:
            login(request, user, backend=MODEL_BACKEND)
            messages.success(request, _("Your password is set. Welcome to Samaki."))
            return redirect("home")
    return render(request, "accounts/welcome.html", {"form": form, "link": link})
