from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samaki.forms import AreaPicker, DateField, term_choices
from samaki.groups.models import Group, MemberRole
from samaki.groups.queries import group_kind_list


class GroupForm(forms.Form):
    name_km = forms.CharField(label=_("Name (Khmer)"), max_length=200, required=False)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200)
    kind_code = forms.ChoiceField(label=_("Kind"))
    founded_on = DateField(label=_("Founded on"), required=False)

    def __init__(self, *args: Any, user: Any, group: Group | None = None, **kwargs: Any) -> None:
        if group is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name_km": group.name_km,
                "name_en": group.name_en,
                "kind_code": group.kind.code,
                "founded_on": group.founded_on,
            }
        super().__init__(*args, **kwargs)
        self.fields["kind_code"].choices = term_choices(  # type: ignore[attr-defined]
            group_kind_list(user=user), empty=True, kept=[group.kind.code] if group else []
        )
        self.picker = AreaPicker(
            self, prefix="place", final="area_code", required=False,
            code=group.area.code if group is not None else "",
        )  # fmt: skip


class MembershipForm(forms.Form):
    person = forms.TypedChoiceField(label=_("Person"), coerce=int, widget=forms.RadioSelect)
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices, initial=MemberRole.MEMBER)
    joined_on = DateField(label=_("Joined on"))

    def __init__(self, *args: Any, people: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = {p.pk: p for p in people}
        self.fields["person"].choices = [(p.pk, p.display_name) for p in people]  # type: ignore[attr-defined]
