from django import forms
from django.utils.translation import gettext_lazy as _

from samaki.records import REASON_MAX_LENGTH


class ReopenForm(forms.Form):
    # Not required here: the service refuses an empty reason, in its own words.
    reason = forms.CharField(
        label=_("Why is the period reopened?"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the audit trail, e.g. “An attendance of 12 Aug was recorded twice.”"),
    )
