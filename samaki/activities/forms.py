from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samaki.accounts.queries import staff_list
from samaki.activities.models import Activity
from samaki.activities.queries import activity_kind_list, topic_list
from samaki.activities.services import ActivityFields, HeadcountCell
from samaki.forms import AreaPicker, DateField, reason_field, term_choices
from samaki.groups.queries import group_list
from samaki.people.models import Sex
from samaki.projects.queries import project_list

# The age bands a headcount form offers (inclusive; None is open-ended); bands already recorded
# for an activity are shown too.
HEADCOUNT_BANDS: list[tuple[int, int | None]] = [(0, 14), (15, 24), (25, 59), (60, None)]


class ActivityForm(forms.Form):
    kind_code = forms.ChoiceField(label=_("Kind"))
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    date = DateField(label=_("Date"))
    topic_codes = forms.MultipleChoiceField(
        label=_("Topics"), required=False, widget=forms.CheckboxSelectMultiple
    )
    project = forms.TypedChoiceField(
        label=_("Project"), required=False, coerce=int, empty_value=None
    )
    group = forms.TypedChoiceField(
        label=_("Group served"), required=False, coerce=int, empty_value=None
    )
    facilitators = forms.TypedMultipleChoiceField(
        label=_("Facilitators"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, user: Any, activity: Activity | None = None, **kwargs: Any):
        self.activity = activity
        self.current_facilitators = list(activity.facilitators.all()) if activity else []
        if activity is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "kind_code": activity.kind.code,
                "title": activity.title,
                "date": activity.date,
                "topic_codes": [t.code for t in activity.topics.all()],
                "project": activity.project_id,
                "group": activity.group_id,
                "facilitators": [u.pk for u in self.current_facilitators],
                "notes": activity.notes,
            }
        super().__init__(*args, **kwargs)
        self.picker = AreaPicker(
            self, prefix="place", final="area_code", required=False,
            code=activity.area.code if activity is not None else "",
        )  # fmt: skip
        # A retired kind or topic is offered only to the session that already has it.
        kept = [activity.kind.code, *self.initial.get("topic_codes", ())] if activity else []
        self.fields["kind_code"].choices = term_choices(  # type: ignore[attr-defined]
            activity_kind_list(user=user), empty=True, kept=kept
        )
        self.fields["topic_codes"].choices = term_choices(  # type: ignore[attr-defined]
            topic_list(user=user), empty=False, kept=kept
        )
        self.projects = {p.pk: p for p in project_list(user=user).order_by("name_en")}
        self.fields["project"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (pk, p.name_km or p.name_en) for pk, p in self.projects.items()
        ]
        self.groups = {g.pk: g for g in group_list(user=user).order_by("name_en")}
        self.fields["group"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (pk, g.name_km or g.name_en) for pk, g in self.groups.items()
        ]
        self.staff = {u.pk: u for u in staff_list(user=user)}
        # A session's facilitator who has since left the staff stays on it when it is edited.
        for facilitator in self.current_facilitators:
            self.staff.setdefault(facilitator.pk, facilitator)
        self.fields["facilitators"].choices = [  # type: ignore[attr-defined]
            (pk, u.get_full_name() or u.username) for pk, u in self.staff.items()
        ]
        if activity is not None:  # a correction says why (the audit row keeps it)
            self.fields["reason"] = reason_field()

    def activity_fields(self) -> ActivityFields:
        data = self.cleaned_data
        return ActivityFields(
            kind_code=data["kind_code"],
            title=data["title"],
            date=data["date"],
            area_code=self.picker.code(),
            topic_codes=tuple(data["topic_codes"]),
            project=self.projects.get(data["project"]) if data["project"] else None,
            group=self.groups.get(data["group"]) if data["group"] else None,
            facilitators=tuple(self.staff[pk] for pk in data["facilitators"]),
            notes=data["notes"],
            # Not on the page: an edit keeps the ID an import or ODK gave the session.
            external_id=self.activity.external_id if self.activity is not None else "",
        )


def band_label(band: tuple[int, int | None]) -> str:
    low, high = band
    return f"{low}+" if high is None else f"{low}–{high}"


class HeadcountForm(forms.Form):
    """One number per sex and age band; empty means nobody counted."""

    def __init__(self, *args: Any, existing: list, **kwargs: Any) -> None:
        """`existing`: the session's cells; changing them asks for a reason."""
        super().__init__(*args, **kwargs)
        bands = set(HEADCOUNT_BANDS) | {(h.age_min, h.age_max) for h in existing}
        self.bands = sorted(bands, key=lambda band: band[0])
        counts = {(h.sex, h.age_min, h.age_max): h.count for h in existing}
        self.rows = []
        for band in self.bands:
            cells = []
            for sex, label in Sex.choices:
                name = f"{sex}_{band[0]}_{'' if band[1] is None else band[1]}"
                self.fields[name] = forms.IntegerField(
                    label=f"{label} {band_label(band)}",
                    min_value=0,
                    required=False,
                    initial=counts.get((sex, *band)),
                    widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "count"}),
                )
                cells.append(self[name])
            self.rows.append((band_label(band), cells))
        if existing:
            self.fields["reason"] = reason_field()

    def cells(self) -> list[HeadcountCell]:
        found = []
        for band in self.bands:
            for sex, _label in Sex.choices:
                name = f"{sex}_{band[0]}_{'' if band[1] is None else band[1]}"
                count = self.cleaned_data.get(name)
                if count:
                    found.append(
                        HeadcountCell(sex=sex, age_min=band[0], age_max=band[1], count=count)
                    )
        return found
