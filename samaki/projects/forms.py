from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samaki.areas.models import Area
from samaki.forms import AreaPicker, DateField, area_label
from samaki.organisations.models import Consortium, Donor, Organisation
from samaki.organisations.queries import donor_list
from samaki.projects.models import Project
from samaki.projects.queries import project_consortium_choices, project_partner_choices


class ProjectForm(forms.Form):
    """A project's fields. Target areas: the ones chosen so far (untick to remove) and the area
    picker, whose area is added on "Add this area" or on saving."""

    code = forms.SlugField(
        label=_("Code"),
        max_length=40,
        help_text=_("Short, unique in your organisation: letters, digits and dashes."),
    )
    name_en = forms.CharField(label=_("Name (English)"), max_length=200)
    name_km = forms.CharField(label=_("Name (Khmer)"), max_length=200, required=False)
    donor = forms.ModelChoiceField(label=_("Donor"), queryset=Donor.objects.none(), required=False)
    consortium = forms.ModelChoiceField(
        label=_("Consortium"), queryset=Consortium.objects.none(), required=False
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("Partner organisations"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Members of your consortia. Partners record their own work under the project."),
    )
    starts_on = DateField(label=_("Starts on"))
    ends_on = DateField(label=_("Ends on"))
    target_areas = forms.MultipleChoiceField(
        label=_("Target areas"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Untick an area to remove it."),
    )

    def __init__(
        self, *args: Any, user: Any, organisation_id: int, project: Project | None = None, **kwargs
    ) -> None:
        if project is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "code": project.code,
                "name_en": project.name_en,
                "name_km": project.name_km,
                "donor": project.donor_id,
                "consortium": project.consortium_id,
                "partners": [partner.pk for partner in project.partners.all()],
                "starts_on": project.starts_on,
                "ends_on": project.ends_on,
                "target_areas": [area.code for area in project.target_areas.all()],
            }
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["donor"].queryset = donor_list(user=user).order_by("name_en")
        fields["consortium"].queryset = project_consortium_choices(organisation_id=organisation_id)
        fields["partners"].queryset = project_partner_choices(
            organisation_id=organisation_id, project=project
        )
        if self.is_bound:
            data: Any = self.data
            codes = data.getlist(self.add_prefix("target_areas"))
        else:
            codes = list(self.initial.get("target_areas", []))
        areas = Area.objects.filter(code__in=codes).order_by("path")
        fields["target_areas"].choices = [(area.code, area_label(area)) for area in areas]
        self.picker = AreaPicker(self, prefix="target", final="target_add", required=False)

    def target_area_codes(self) -> list[str]:
        """The areas ticked, and the one in the picker (not yet added) if any."""
        codes = list(self.cleaned_data.get("target_areas", []))
        picked = self.picker.code()
        return [*codes, picked] if picked and picked not in codes else codes

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The project ends before it starts."))
        return data


class ProjectCloseForm(forms.Form):
    closed_on = DateField(
        label=_("Closed on"),
        help_text=_("Nothing dated after this day can be recorded under the project."),
    )
