from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samaki.forms import DateField, reason_field, term_choices
from samaki.outcomes.models import OutcomeKind
from samaki.outcomes.queries import outcome_kind_list
from samaki.projects.queries import project_list


class OutcomeForm(forms.Form):
    kind_code = forms.ChoiceField(label=_("What changed"))
    date = DateField(label=_("Date"))
    detail = forms.CharField(
        label=_("Detail"),
        max_length=200,
        required=False,
        help_text=_("For example the kind of business."),
    )
    project = forms.TypedChoiceField(
        label=_("Project"), required=False, coerce=int, empty_value=None
    )

    def __init__(
        self, *args: Any, user: Any, kind: OutcomeKind | None = None, **kwargs: Any
    ) -> None:
        """`kind`: the outcome's own kind when it is edited, offered even if no longer listed."""
        super().__init__(*args, **kwargs)
        terms = list(outcome_kind_list(user=user))
        if kind is not None and kind.code not in {term.code for term in terms}:
            terms.append(kind)
        self.fields["kind_code"].choices = term_choices(  # type: ignore[attr-defined]
            terms, empty=True, kept=[kind.code] if kind is not None else []
        )
        self.projects = {p.pk: p for p in project_list(user=user).order_by("name_en")}
        self.fields["project"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (pk, p.name_km or p.name_en) for pk, p in self.projects.items()
        ]
        if kind is not None:  # correcting an outcome: say why (the audit row keeps it)
            self.fields["reason"] = reason_field()
