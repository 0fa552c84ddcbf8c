"""Forms for people, and two helpers the other apps' forms share: the area picker and the
translation of a service's ValidationError into messages next to the fields."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from samaki.areas.models import Area
from samaki.people.models import WG_QUESTIONS, ConsentGiver, IdPoor, Person, Sex, WgAnswer
from samaki.people.queries import area_chain, area_children
from samaki.people.services import PersonFields

DATE_INPUT = {"type": "date"}
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class DateField(forms.DateField):
    """A native date picker (the phone's own); typed dd/mm/yyyy is accepted too."""

    widget = forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(input_formats=DATE_FORMATS, **kwargs)


def add_service_errors(
    form: forms.Form, error: ValidationError, aliases: dict | None = None
) -> None:
    """Show a service's errors next to the form's fields (`aliases` maps service keys to fields)."""
    aliases = aliases or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, messages in error.message_dict.items():
        field = aliases.get(key, key)
        for message in messages:
            form.add_error(field if field in form.fields else None, message)


# --- The area picker: province › district › commune › village --------------------------------

PICKER_LEVELS = [
    ("province", _("Province")),
    ("district", _("District")),
    ("commune", _("Commune")),
    ("village", _("Village")),
]
CHILDREN_URL = reverse_lazy("people:area_children")


def area_label(area: Area) -> str:
    return f"{area.name_km} · {area.name_en}"


class AreaPicker:
    """Four selects, each listing the children of the one above: never a 16,000-option list.

    `prefix` names the fields (`<prefix>_province` …); the village select is `final` so that a
    service's error on it (e.g. `village_code`) lands next to it. Without JavaScript the "Show
    places below" button (`_pick`) posts the form back to fill the next select; with it,
    people/form.js fetches the children as JSON.
    """

    def __init__(
        self, form: forms.Form, *, prefix: str, final: str, required: bool, code: str = ""
    ) -> None:
        self.form, self.final = form, final
        self.names = [f"{prefix}_{level}" for level, _label in PICKER_LEVELS[:3]] + [final]
        if form.is_bound:
            chosen = [form.data.get(form.add_prefix(name), "") for name in self.names]
        else:
            chosen = [area.code for area in area_chain(code=code)] if code else []
            chosen += [""] * (4 - len(chosen))
        parent = ""
        for index, (name, (level, label)) in enumerate(zip(self.names, PICKER_LEVELS, strict=True)):
            choices: list[tuple[str, str]] = [("", "—")]
            if index == 0 or parent:
                choices += [
                    (area.code, area_label(area)) for area in area_children(parent_code=parent)
                ]
            field = forms.ChoiceField(
                label=label,
                choices=choices,
                required=required and level == "village",
                initial=chosen[index],
            )
            field.widget.attrs.update(
                {"data-picker": prefix, "data-level": str(index), "data-children": CHILDREN_URL}
            )
            form.fields[name] = field
            valid = {value for value, _text in choices}
            parent = chosen[index] if chosen[index] in valid and chosen[index] else ""

    def code(self) -> str:
        """The deepest area chosen ('' if none)."""
        data = getattr(self.form, "cleaned_data", {})
        for name in reversed(self.names):
            if data.get(name):
                return data[name]
        return ""

    def fields(self) -> list[forms.BoundField]:
        return [self.form[name] for name in self.names]


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

    def __init__(self, *args: Any, person: Person | None = None, registering: bool, **kwargs: Any):
        if person is not None and "initial" not in kwargs:
            kwargs["initial"] = {
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
