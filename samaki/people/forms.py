"""Forms for people."""

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samaki.forms import AreaPicker, DateField
from samaki.numbers import LATIN_DIGITS
from samaki.people.models import (
    WG_QUESTIONS,
    ConsentGiver,
    ConsentPurpose,
    IdPoor,
    Person,
    PersonAttribute,
    Sex,
    WgAnswer,
)
from samaki.people.services import PersonFields

# --- People -------------------------------------------------------------------------------------


class PersonForm(forms.Form):
    """Registration and edit. Consent is asked only when registering."""

    name_km = forms.CharField(label=_("Name in Khmer script"), max_length=120, required=False)
    name_latin = forms.CharField(label=_("Name in Latin script"), max_length=120, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, widget=forms.RadioSelect)
    birth_date = DateField(label=_("Date of birth"), required=False)
    birth_year = forms.IntegerField(
        label=_("Year of birth"),
        required=False,
        help_text=_("When she does not know the date."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    id_poor = forms.ChoiceField(
        label=_("ID Poor status"), choices=IdPoor.choices, initial=IdPoor.UNKNOWN
    )

    def __init__(
        self,
        *args: Any,
        person: Person | None = None,
        registering: bool,
        attributes: list[PersonAttribute] | None = None,
        attribute_codes: list[str] | None = None,
        **kwargs: Any,
    ):
        if person is not None and "initial" not in kwargs:
            kwargs["initial"] = {"attributes": attribute_codes or []} | {
                name: getattr(person, name)
                for name in [
                    "name_km", "name_latin", "sex", "birth_date", "birth_year", "phone", "id_poor",
                    *[name for name, _question in WG_QUESTIONS],
                ]
            }  # fmt: skip
        super().__init__(*args, **kwargs)
        self.picker = AreaPicker(
            self,
            prefix="area",
            final="village_code",
            required=True,
            code=person.village.code if person is not None else "",
        )
        self.wg_names = []
        for name, question in WG_QUESTIONS:
            self.fields[name] = forms.TypedChoiceField(
                label=question,
                choices=WgAnswer.choices,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )
            self.wg_names.append(name)
        self.has_attributes = bool(attributes)
        if attributes:
            self.fields["attributes"] = forms.MultipleChoiceField(
                label=_("Also true of her"),
                choices=[
                    (a.code, f"{a.name} · {a.project.code}" if a.project else a.name)
                    for a in attributes
                ],
                required=False,
                widget=forms.CheckboxSelectMultiple,
                help_text=_("The attributes your organisation and its projects record."),
            )
        if registering:
            self.fields["consent"] = forms.BooleanField(
                label=_("She agreed that we keep her record to run the programme."),
                required=True,
            )
            self.fields["consent_given_by"] = forms.ChoiceField(
                label=_("Consent given by"), choices=ConsentGiver.choices, initial=ConsentGiver.SELF
            )
            self.fields["confirm_duplicate"] = forms.BooleanField(
                label=_("I checked: she is not one of these people. Register her."),
                required=False,
            )

    def wg_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.wg_names]

    def person_fields(self) -> PersonFields:
        data = self.cleaned_data
        return PersonFields(
            name_km=data["name_km"],
            name_latin=data["name_latin"],
            sex=data["sex"],
            birth_date=data["birth_date"],
            birth_year=data["birth_year"],
            village_code=self.picker.code(),
            phone=data["phone"],
            id_poor=data["id_poor"],
            **{name: data[name] for name in self.wg_names},
        )


class ConsentWithdrawForm(forms.Form):
    on = DateField(label=_("Withdrawn on"))
    reason = forms.CharField(label=_("Reason (optional)"), max_length=300, required=False)


class ConsentRecordForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=ConsentPurpose.choices)
    given_on = DateField(label=_("Given on"))
    given_by = forms.ChoiceField(
        label=_("Consent given by"), choices=ConsentGiver.choices, initial=ConsentGiver.SELF
    )


class PersonAttributeForm(forms.Form):
    """Declare an attribute (with its code and project) or, for one declared, rename or retire it."""

    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        help_text=_("Small Latin letters, digits and underscores, e.g. single_mother. "
                    "Indicators store it: it cannot be changed later."),
    )  # fmt: skip
    name_en = forms.CharField(label=_("Name (English)"), max_length=120)
    name_km = forms.CharField(label=_("Name (Khmer)"), max_length=120, required=False)
    project = forms.TypedChoiceField(
        label=_("Project"), coerce=int, empty_value=None, required=False
    )
    retired = forms.BooleanField(
        label=_("Retired: no longer offered on forms (what was recorded still counts)"),
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        attribute: PersonAttribute | None = None,
        projects: Any = (),
        **kwargs: Any,
    ) -> None:
        if attribute is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name_en": attribute.name_en,
                "name_km": attribute.name_km,
                "retired": attribute.retired,
            }
        super().__init__(*args, **kwargs)
        if attribute is None:
            del self.fields["retired"]
            project_field: Any = self.fields["project"]
            project_field.choices = [("", _("The whole organisation"))] + [
                (project.pk, f"{project.code} · {project.name_en}") for project in projects
            ]
        else:
            del self.fields["code"], self.fields["project"]


class NewcomerForm(forms.Form):
    """The few fields to register a newcomer from the attendance page, in her session's village."""

    prefix = "new"
    name_km = forms.CharField(label=_("Name in Khmer script"), max_length=120, required=False)
    name_latin = forms.CharField(label=_("Name in Latin script"), max_length=120, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.FEMALE)
    birth_year = forms.IntegerField(
        label=_("Year of birth"),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    consent = forms.BooleanField(
        label=_("She agreed that we keep her record to run the programme."), required=True
    )

    def person_fields(self, *, village_code: str) -> PersonFields:
        data = self.cleaned_data
        return PersonFields(
            name_km=data["name_km"],
            name_latin=data["name_latin"],
            sex=data["sex"],
            birth_year=data["birth_year"],
            phone=data["phone"],
            village_code=village_code,
        )


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name or phone"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.picker = AreaPicker(self, prefix="in", final="in_village", required=False)


class MergeForm(forms.Form):
    """Which record to merge into the one on the page, and why."""

    other = forms.CharField(
        label=_("Samaki number of the other record"),
        max_length=20,
        help_text=_("For example P000123. That record is merged into this one and closed."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Optional: why they are one woman (kept in the audit trail)."),
    )

    def clean_other(self) -> int:
        text = self.cleaned_data["other"].translate(LATIN_DIGITS).strip()
        match = re.fullmatch(r"[Pp]?0*([1-9][0-9]{0,11})", text)
        if match is None:
            raise forms.ValidationError(_("A Samaki number is a P and digits, like P000123."))
        return int(match.group(1))


class PersonEraseForm(forms.Form):
    """The confirmation page of an erasure: why."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from samaki.forms import reason_field

        super().__init__(*args, **kwargs)
        self.fields["reason"] = reason_field(label=_("Why is her record erased?"))
