from typing import Any, cast

from django import forms
from django.contrib import admin
from django.contrib.auth.models import Group as AuthGroup
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from samaki.accounts import access
from samaki.accounts.models import Role, User
from samaki.accounts.queries import user_list
from samaki.accounts.services import user_create
from samaki.admin_site import ScopedAdmin, ServiceForm, codes

# Samaki's roles live on User.role; Django's groups and permission rows are not used.
admin.site.unregister(AuthGroup)


def _password_change(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    """The admin's "Change password" is the app's own page, whose form saves through the
    audited `password_change` service (Django's admin page would save the form itself)."""
    return redirect("password_change")


admin.site.password_change = _password_change  # type: ignore[method-assign,assignment]


class UserForm(ServiceForm):
    password1 = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(), required=False
    )
    password2 = forms.CharField(
        label=_("Password confirmation"),
        strip=False,
        widget=forms.PasswordInput(),
        required=False,
        help_text=_("Enter the same password as before, for verification."),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for name in ["password1", "password2", "organisation"]:
            if name in self.fields:
                self.fields[name].required = True
        if "role" in self.fields:  # never a case role: case supervisors provision case staff
            role = cast(forms.ChoiceField, self.fields["role"])
            role.choices = [("", "---------")] + [
                (value, label)
                for value, label in Role.choices
                if value in access.ADMIN_GRANTABLE_ROLES
            ]

    def clean_password2(self) -> str:
        password1 = self.cleaned_data.get("password1")
        password2 = self.cleaned_data.get("password2")
        if password1 and password2 and password1 != password2:
            raise forms.ValidationError(_("The two password fields didn’t match."))
        return password2 or ""


@admin.register(User)
class UserAdmin(ScopedAdmin):
    """An organisation's administrator adds the users of her organisation."""

    list_for_user = staticmethod(user_list)
    readers = writers = frozenset({Role.ADMIN})
    organisation_chosen = True
    form = UserForm
    # Password validators name no field; their messages belong under the password.
    unkeyed_errors_field = "password1"
    list_display = ["username", "first_name", "last_name", "role", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "first_name", "last_name", "email"]
    ordering = ["username"]
    autocomplete_fields = ["areas"]
    add_fieldsets = [
        (None, {"fields": ["username", "password1", "password2"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name", "email"]}),
        (_("Role"), {"fields": ["role", "areas", "donor"]}),
    ]
    fieldsets = [
        (None, {"fields": ["username", "is_active"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name", "email"]}),
        (_("Role"), {"fields": ["role", "areas", "donor", "is_staff", "is_superuser"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        # Case staff's accounts are listed (the organisation knows who has one) but read-only
        # here, superusers included: only a case supervisor changes them (samaki.cases.staff).
        if obj is not None and access.holds_case_role(obj):
            return False
        return super().has_change_permission(request, obj)

    def create(self, request, form):
        data = form.cleaned_data
        return user_create(
            by=request.user,
            organisation=self.acting_organisation(request, form),
            username=data["username"],
            password=data["password1"],
            role=data["role"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            area_codes=codes(data["areas"]),
            donor=data["donor"],
        )
