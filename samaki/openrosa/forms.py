from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samaki.accounts.access import TOKEN_ROLES
from samaki.accounts.models import User
from samaki.openrosa.models import FormPurpose


class XLSFormUploadForm(forms.Form):
    xlsform = forms.FileField(label=_("XLSForm (.xlsx or .xls)"))
    purpose = forms.ChoiceField(
        label=_("What Samaki does with a submission"), choices=FormPurpose.choices
    )
    mapping = forms.CharField(
        label=_("Field mapping"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line: Samaki field = your form's field, e.g. “sex = gender”."),
    )

    def clean_mapping(self) -> str:
        for line in self.cleaned_data["mapping"].splitlines():
            if line.strip() and "=" not in line:
                raise forms.ValidationError(_("Write each line as “samaki_field = form_field”."))
        return self.cleaned_data["mapping"]

    def mapping_pairs(self) -> dict[str, str]:
        pairs = (
            line.split("=", 1) for line in self.cleaned_data["mapping"].splitlines() if "=" in line
        )
        return {left.strip(): right.strip() for left, right in pairs}


class DeviceTokenForm(forms.Form):
    name = forms.CharField(label=_("Device name"), max_length=80)
    user = forms.ModelChoiceField(label=_("Acts as"), queryset=User.objects.none())

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            organisation=organisation, role__in=TOKEN_ROLES["phone"], is_active=True
        ).order_by("username")
