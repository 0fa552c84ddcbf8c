"""The form helpers every app shares: the date field, the area picker, vocabulary choices and the
one mapping from a service's `ValidationError` to messages next to a form's fields."""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from samaki.areas.models import Area
from samaki.areas.queries import area_chain, area_children

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


def reason_field(*, label: Any = None) -> forms.CharField:
    """Her reason for a correction or a void (samaki/records.py checks it again)."""
    from samaki.records import REASON_MAX_LENGTH

    return forms.CharField(
        label=label or _("Reason for the change"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class VoidForm(forms.Form):
    """The confirmation page of a void: why."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"] = reason_field(label=_("Reason for voiding"))


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


def term_choices(
    terms: Iterable[Any], *, empty: bool, kept: Iterable[str] = ()
) -> list[tuple[str, str]]:
    """Vocabulary terms as (code, name) choices, sorted by the name shown: the Khmer name on
    Khmer pages, the English one otherwise (`Vocabulary.__str__`).

    Retired terms are not offered, except those whose code is in `kept`: the ones the record
    being edited already has (it keeps them; docs/vocabularies.md)."""
    keep = set(kept)
    offered = (term for term in terms if term.retired_on is None or term.code in keep)
    choices = sorted(((term.code, str(term)) for term in offered), key=lambda choice: choice[1])
    return [("", "—"), *choices] if empty else choices
