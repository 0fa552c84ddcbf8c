from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from samaki.accounts.access import is_case_worker
from samaki.accounts.models import Role, User
from samaki.cases.models import (
    ClosureReason,
    ReferralStatus,
    ReferredBy,
    RiskLevel,
    ServiceKind,
    ServiceProvider,
    ServiceType,
)
from samaki.cases.queries import provider_list
from samaki.cases.services import MAX_GRANT_HOURS
from samaki.forms import DateField as SharedDateField
from samaki.people.models import Sex

DATE = forms.DateInput(attrs={"type": "date"})
TEXT = forms.Textarea(attrs={"rows": 4})


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's errors, each on its field when the form has it, else on the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


def staff(user: Any, role: str) -> Any:
    return User.objects.filter(organisation_id=user.organisation_id, role=role, is_active=True)


CONTEXT_CHOICES = [
    ("intimate_partner", _("Intimate partner violence")),
    ("child_sexual_abuse", _("Child sexual abuse")),
    ("early_marriage", _("Early marriage")),
    ("sexual_exploitation", _("Possible sexual exploitation or slavery")),
    ("harmful_practice", _("Harmful traditional practice")),
]


class ConsentForm(forms.Form):
    consent_services = forms.BooleanField(label=_("She agrees to receive services"), required=False)
    consent_reporting = forms.BooleanField(
        label=_("She agrees to be counted in non-identifiable reports"), required=False
    )
    consent_share_with = forms.ModelMultipleChoiceField(
        label=_("She agrees that we share her information with"),
        queryset=ServiceProvider.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    consent_withhold = forms.CharField(
        label=_("What must never be shared"), required=False, widget=TEXT
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consent_share_with"].queryset = provider_list(user=user)  # type: ignore[attr-defined]


class IntakeForm(ConsentForm):
    name_km = forms.CharField(label=_("Her name in Khmer script"), required=False, max_length=120)
    name_latin = forms.CharField(
        label=_("Her name in Latin script"), required=False, max_length=120
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.FEMALE)
    birth_year = forms.IntegerField(label=_("Year of birth"), required=False)
    village_code = forms.CharField(
        label=_("Village code (gazetteer)"),
        max_length=10,
        help_text=_("Her home village, e.g. 17100101."),
    )
    intake_date = forms.DateField(label=_("Intake date"), widget=DATE)
    incident_date = forms.DateField(label=_("Incident date"), required=False, widget=DATE)
    referred_by = forms.ChoiceField(label=_("Who referred her"), choices=ReferredBy.choices)
    penetration = forms.BooleanField(
        label=_("1. Was there penetration, however slight?"), required=False
    )
    sexual_contact = forms.BooleanField(
        label=_("2. Was there unwanted sexual contact without penetration?"), required=False
    )
    physical_assault = forms.BooleanField(
        label=_("3. Was there a physical assault?"), required=False
    )
    forced_marriage = forms.BooleanField(
        label=_("4. Was she married against her will?"), required=False
    )
    denial = forms.BooleanField(
        label=_("5. Was she denied her rightful resources, opportunities or services?"),
        required=False,
    )
    psychological = forms.BooleanField(
        label=_("6. Was she threatened, isolated, harassed or otherwise psychologically abused?"),
        required=False,
    )
    contexts = forms.MultipleChoiceField(
        label=_("Case context"),
        choices=CONTEXT_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    incident_description = forms.CharField(label=_("What happened"), required=False, widget=TEXT)
    risk_level = forms.ChoiceField(label=_("Risk level"), choices=RiskLevel.choices)
    safety_plan = forms.CharField(label=_("Safety plan"), required=False, widget=TEXT)
    reported_elsewhere = forms.BooleanField(
        label=_("Already reported by another organisation"), required=False
    )
    case_worker = forms.ModelChoiceField(label=_("Case worker"), queryset=User.objects.none())
    supervisor = forms.ModelChoiceField(
        label=_("Supervisor"), queryset=User.objects.none(), required=False
    )

    field_order = ["name_km", "name_latin", "sex", "birth_year", "village_code"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        workers = staff(user, Role.CASE_WORKER) | staff(user, Role.CASE_SUPERVISOR)
        if is_case_worker(user):  # a case worker opens her own cases
            workers = workers.filter(pk=user.pk)
        self.fields["case_worker"].queryset = workers  # type: ignore[attr-defined]
        self.fields["case_worker"].initial = user.pk
        self.fields["supervisor"].queryset = staff(user, Role.CASE_SUPERVISOR)  # type: ignore[attr-defined]


class CaseEditForm(ConsentForm):
    risk_level = forms.ChoiceField(label=_("Risk level"), choices=RiskLevel.choices)
    safety_plan = forms.CharField(label=_("Safety plan"), required=False, widget=TEXT)
    notes = forms.CharField(label=_("Notes"), required=False, widget=TEXT)

    field_order = ["risk_level", "safety_plan"]


class ServiceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Service"), choices=ServiceKind.choices)
    date = forms.DateField(label=_("Date"), widget=DATE)
    quantity = forms.IntegerField(label=_("How many"), initial=1, min_value=1, max_value=1000)
    note = forms.CharField(label=_("Note"), required=False, widget=TEXT)


class StayForm(forms.Form):
    admitted_on = forms.DateField(label=_("Admitted on"), widget=DATE)
    bed = forms.CharField(label=_("Bed"), required=False, max_length=20)


class DischargeForm(forms.Form):
    discharged_on = forms.DateField(label=_("Discharged on"), widget=DATE)


class ReferralForm(forms.Form):
    provider = forms.ModelChoiceField(
        label=_("Refer her to"), queryset=ServiceProvider.objects.none()
    )
    made_on = forms.DateField(label=_("Date"), widget=DATE)
    override_reason = forms.CharField(
        label=_("Supervisors only: why refer without her consent"),
        required=False,
        widget=TEXT,
        help_text=_("Leave empty unless her life or safety depends on it. This is audited."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = provider_list(user=user)  # type: ignore[attr-defined]


class ReferralUpdateForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Now"), choices=[c for c in ReferralStatus.choices if c[0] != ReferralStatus.MADE]
    )
    on = forms.DateField(label=_("On"), widget=DATE)
    outcome = forms.CharField(label=_("Outcome"), required=False, widget=TEXT)


class FollowUpForm(forms.Form):
    due_on = forms.DateField(label=_("Due on"), widget=DATE)
    note = forms.CharField(label=_("Note"), required=False, widget=TEXT)


class FollowUpDoneForm(forms.Form):
    done_on = forms.DateField(label=_("Done on"), widget=DATE)
    note = forms.CharField(label=_("Note"), required=False, widget=TEXT)


class CloseForm(forms.Form):
    closed_on = forms.DateField(label=_("Closed on"), widget=DATE)
    reason = forms.ChoiceField(label=_("Why"), choices=ClosureReason.choices)


class GrantForm(forms.Form):
    grantee = forms.ModelChoiceField(label=_("Colleague"), queryset=User.objects.none())
    hours = forms.IntegerField(
        label=_("For how many hours"), initial=8, min_value=1, max_value=MAX_GRANT_HOURS
    )
    reason = forms.CharField(label=_("Why"), widget=TEXT)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["grantee"].queryset = staff(user, Role.CASE_WORKER)  # type: ignore[attr-defined]


class ProviderForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    service_type = forms.ChoiceField(label=_("Service type"), choices=ServiceType.choices)
    area_code = forms.CharField(label=_("Area code (gazetteer)"), max_length=10)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=30)
    address = forms.CharField(label=_("Address"), required=False, max_length=300)


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class CaseStaffForm(forms.Form):
    """A new case worker or supervisor, created by a case supervisor (samaki.cases.staff)."""

    username = forms.CharField(label=_("Username"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[
            (Role.CASE_WORKER, Role.CASE_WORKER.label),
            (Role.CASE_SUPERVISOR, Role.CASE_SUPERVISOR.label),
        ],
    )
    password = forms.CharField(label=_("First password"), strip=False, widget=forms.PasswordInput())


class CaseStaffRoleForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[
            (Role.CASE_WORKER, Role.CASE_WORKER.label),
            (Role.CASE_SUPERVISOR, Role.CASE_SUPERVISOR.label),
        ],
    )


class BedsForm(forms.Form):
    # The range is the service's (`capacity_set`), so its message is the one shown.
    beds = forms.IntegerField(label=_("Beds in the safe house"))


class OccupancyPeriodForm(forms.Form):
    """The period of the occupancy figures, both days included."""

    start = SharedDateField(label=_("From"))
    end = SharedDateField(label=_("To"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The period ends before it starts."))
        return data
