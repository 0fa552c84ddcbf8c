from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samaki.reports.models import NARRATIVE_MAX_LENGTH, NARRATIVE_SECTIONS, ReportNarrative
from samaki.reports.services import LOGO_MAX_BYTES

# Each section's title, as the report prints it (the same words as reports.queries' builders).
SECTION_TITLES = {
    "summary": _("Summary"),
    "indicators": _("Indicators"),
    "activities": _("Activities"),
    "disaggregation": _("Who was reached"),
    "outcomes": _("Outcomes"),
    "groups": _("Groups and networks"),
    "voice": _("Voice and accountability"),
}


class NarrativeForm(forms.Form):
    """Two boxes per section of the report, English and Khmer; empty boxes are allowed."""

    def __init__(self, *args: Any, existing: dict[str, ReportNarrative], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for section in NARRATIVE_SECTIONS:
            row = existing.get(section)
            for language, label, initial in (
                ("en", _("In English"), row.text_en if row else ""),
                ("km", _("In Khmer"), row.text_km if row else ""),
            ):
                self.fields[f"{section}_{language}"] = forms.CharField(
                    label=label,
                    required=False,
                    max_length=NARRATIVE_MAX_LENGTH,
                    initial=initial,
                    strip=True,
                    widget=forms.Textarea(attrs={"rows": 4, "lang": language}),
                )

    def sections(self) -> list[tuple[str, Any, Any, Any]]:
        """(key, title, English field, Khmer field) for the template."""
        return [
            (key, SECTION_TITLES[key], self[f"{key}_en"], self[f"{key}_km"])
            for key in NARRATIVE_SECTIONS
        ]

    def texts(self) -> dict[str, tuple[str, str]]:
        data = self.cleaned_data
        return {key: (data[f"{key}_en"], data[f"{key}_km"]) for key in NARRATIVE_SECTIONS}


class LogoForm(forms.Form):
    logo = forms.FileField(
        label=_("Logo"),
        help_text=_("A PNG or JPEG picture, at most 1 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
    )

    def clean_logo(self) -> Any:
        upload = self.cleaned_data["logo"]
        if upload.size > LOGO_MAX_BYTES:  # refused before it is read
            raise forms.ValidationError(_("The logo must be at most 1 MB."))
        return upload
