from django import forms
from django.utils.translation import gettext_lazy as _

from samaki.organisations.vocabularies import CODE_MAX, NAME_MAX


class TermRenameForm(forms.Form):
    name_en = forms.CharField(label=_("Name (English)"), max_length=NAME_MAX)
    name_km = forms.CharField(label=_("Name (Khmer)"), max_length=NAME_MAX)


class TermAddForm(TermRenameForm):
    code = forms.CharField(
        label=_("Code"),
        max_length=CODE_MAX,
        required=False,
        help_text=_(
            "Used by imports, phones and indicators; it never changes. Leave it empty to make "
            "it from the English name."
        ),
    )
