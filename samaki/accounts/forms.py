from typing import Any, cast

from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from samaki.accounts import access
from samaki.accounts.models import Role, User
from samaki.accounts.services import password_change
from samaki.forms import AreaPicker, area_label
from samaki.organisations.models import Donor
from samaki.organisations.queries import donor_list


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's form (old password, new one twice, the validators); saved by the service, so
    the change is audited. The admin's own password-change page uses it too."""

    def save(self, commit: bool = True) -> Any:
        return password_change(
            user=self.user, by=self.user, new_password=self.cleaned_data["new_password1"]
        )


class WelcomeForm(auth_forms.SetPasswordForm):
    """Her new password, twice, checked by Django's validators; saved by
    `password_set_from_link` (the view), never by the form."""

    def save(self, commit: bool = True) -> Any:
        raise NotImplementedError("saved by samaki.accounts.services.password_set_from_link")


def _role_choices() -> list[tuple[str, str]]:
    """Never a case role: case supervisors give those (docs/cases.md)."""
    return [("", "—")] + [
        (value, str(label))
        for value, label in Role.choices
        if value in access.ADMIN_GRANTABLE_ROLES
    ]


class _UserFields(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("Email"),
        required=False,
        help_text=_("Optional. When email is set up, her sign-in link is also sent here."),
    )
    role = forms.ChoiceField(label=_("Role"))
    donor: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Donor"),
        queryset=Donor.objects.none(),
        required=False,
        help_text=_("For donor viewers: the donor whose funded projects she follows."),
    )

    def __init__(self, *args: Any, user: Any, area_code: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["role"]).choices = _role_choices()
        donor = cast(forms.ModelChoiceField, self.fields["donor"])
        donor.queryset = donor_list(user=user).order_by("name_en")
        self.picker = AreaPicker(
            self, prefix="area", final="area_code", required=False, code=area_code
        )

    def area_codes(self) -> list[str]:
        code = self.picker.code()
        return [code] if code else []


class InviteForm(_UserFields):
    """A new member of staff: she sets her own password through the link shown afterwards."""

    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("She signs in with it. Letters, digits and @ . + - _ only."),
    )
    field_order = ["username", "first_name", "last_name", "email", "role", "donor"]


class UserEditForm(_UserFields):
    """Her names, email, role and working areas: the areas she keeps, and one to add."""

    keep_areas = forms.MultipleChoiceField(
        label=_("Working areas"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Untick an area to take it away. A facilitator keeps at least one."),
    )

    def __init__(self, *args: Any, user: Any, member: User, **kwargs: Any) -> None:
        self.current_areas = list(member.areas.order_by("path"))
        kwargs.setdefault(
            "initial",
            {
                "first_name": member.first_name,
                "last_name": member.last_name,
                "email": member.email,
                "role": member.role,
                "donor": member.donor_id,
                "keep_areas": [area.code for area in self.current_areas],
            },
        )
        super().__init__(*args, user=user, **kwargs)
        cast(forms.MultipleChoiceField, self.fields["keep_areas"]).choices = [
            (area.code, area_label(area)) for area in self.current_areas
        ]
        if not self.current_areas:
            del self.fields["keep_areas"]

    def area_codes(self) -> list[str]:
        codes = list(self.cleaned_data.get("keep_areas") or [])
        return codes + [code for code in super().area_codes() if code not in codes]
