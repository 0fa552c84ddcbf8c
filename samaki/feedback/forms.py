from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from samaki.accounts.models import User
from samaki.areas.models import Area
from samaki.feedback.models import Channel, FeedbackCategory, FeedbackKind, Status
from samaki.feedback.services import MESSAGE_MAX, RESPONSE_MAX, SHORT_MAX

RATINGS = [
    ("", _("No rating")),
    ("5", _("5 · very good")),
    ("4", _("4 · good")),
    ("3", _("3 · fair")),
    ("2", _("2 · poor")),
    ("1", _("1 · very poor")),
]


class BilingualChoiceField(forms.ModelChoiceField):
    """Areas and categories named in Khmer, then English."""

    def label_from_instance(self, obj) -> str:
        return f"{obj.name_km} · {obj.name_en}"


class _FeedbackForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What would you like to tell us?"),
        choices=FeedbackKind.choices,
        widget=forms.RadioSelect,
        initial=FeedbackKind.SERVICE,
    )
    category = BilingualChoiceField(
        label=_("About"), queryset=FeedbackCategory.objects.none(), required=False
    )
    service_name = forms.CharField(
        label=_("Which service or place (e.g. the health centre of a commune)"),
        max_length=200,
        required=False,
    )
    area = BilingualChoiceField(label=_("Where"), queryset=Area.objects.none(), required=False)
    village_code = forms.CharField(
        label=_("Or a village code, if you know it"), max_length=16, required=False
    )
    rating = forms.TypedChoiceField(
        label=_("How good is this service?"),
        choices=RATINGS,
        coerce=int,
        empty_value=None,
        required=False,
    )
    message = forms.CharField(
        label=_("Your message"),
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": MESSAGE_MAX}),
    )
    anonymous = forms.BooleanField(
        label=_("Keep my name secret (anonymous)"), required=False, initial=True
    )
    reporter_name = forms.CharField(label=_("Your name"), max_length=SHORT_MAX, required=False)
    reporter_contact = forms.CharField(
        label=_("Your phone number"), max_length=SHORT_MAX, required=False
    )

    def __init__(self, *args, categories, areas, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["category"]).queryset = categories
        cast(forms.ModelChoiceField, self.fields["area"]).queryset = areas


class PublicFeedbackForm(_FeedbackForm):
    # The honeypot: hidden from people (off screen, skipped by the tab key), filled by bots.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("This form could not be accepted."))
        return ""


class StaffFeedbackForm(_FeedbackForm):
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    received_on = forms.DateField(
        label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    about_user = forms.ModelChoiceField(
        label=_("The staff member it is about (staff-conduct complaints)"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("If she is a focal point, only the other focal points will read it."),
    )

    def __init__(self, *args, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        if staff is not None:
            cast(forms.ModelChoiceField, self.fields["about_user"]).queryset = staff


class FollowUpForm(forms.Form):
    code = forms.CharField(
        label=_("Your follow-up code"),
        max_length=24,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class RespondForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(value, label) for value, label in Status.choices if value != Status.RECEIVED],
    )
    response = forms.CharField(
        label=_("Answer to the reporter"),
        max_length=RESPONSE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class FocalPointForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Staff member"), queryset=User.objects.none())

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["user"]).queryset = users
