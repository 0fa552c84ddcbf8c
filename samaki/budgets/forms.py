from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from samaki.budgets.models import BudgetLine
from samaki.forms import DateField
from samaki.imports.services import import_size_check


class PeriodForm(forms.Form):
    start = DateField(label=_("From"))
    end = DateField(label=_("To"))

    def clean(self):
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("The period ends before it starts."))
        return data


class ExpenditureForm(forms.Form):
    line = forms.ModelChoiceField(label=_("Budget line"), queryset=BudgetLine.objects.none())
    date = DateField(label=_("Date"))
    amount = forms.DecimalField(label=_("Amount"), max_digits=14, decimal_places=2, min_value=0)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["line"]).queryset = lines


class BudgetLineForm(forms.Form):
    code = forms.SlugField(
        label=_("Code"),
        max_length=40,
        help_text=_("Letters, digits and dashes: staff, training-1."),
    )
    name_km = forms.CharField(label=_("Name (Khmer)"), max_length=200, required=False)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200)
    partner = forms.TypedChoiceField(
        label=_("Partner"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("The organisation that spends this line."),
    )
    period_start = DateField(label=_("From"))
    period_end = DateField(label=_("To"))
    amount = forms.DecimalField(label=_("Budget"), max_digits=14, decimal_places=2, min_value=0)
    currency = forms.CharField(
        label=_("Currency"), max_length=3, min_length=3, help_text=_("ISO 4217: GBP, USD, KHR…")
    )

    def __init__(
        self, *args: Any, partners: list, line: BudgetLine | None = None, **kwargs: Any
    ) -> None:
        if line is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "code": line.code,
                "name_km": line.name_km,
                "name_en": line.name_en,
                "partner": line.partner_id,
                "period_start": line.period_start,
                "period_end": line.period_end,
                "amount": line.amount,
                "currency": line.currency,
            }
        super().__init__(*args, **kwargs)
        self.partners = {partner.pk: partner for partner in partners}
        field = cast(forms.TypedChoiceField, self.fields["partner"])
        field.choices = [("", "—"), *((p.pk, p.name_km or p.name_en) for p in partners)]
        if len(partners) < 2:  # a project without partners: every line is the organisation's
            field.widget = forms.HiddenInput()

    def clean(self):
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period ends before it starts."))
        return data

    def chosen_partner(self) -> Any:
        return self.partners.get(self.cleaned_data.get("partner"))


class LineImportForm(forms.Form):
    file = forms.FileField(label=_("Excel (.xlsx) or CSV file"))

    def clean_file(self):
        file = self.cleaned_data["file"]
        if not file.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Upload an .xlsx or a .csv file."))
        import_size_check(size=file.size)  # before anything reads it
        return file
