"""The results framework builder's forms: tiers, results, indicators (built from the engine's
measures, filters and disaggregations), targets, the period of a preview, and the XLSX import."""

import datetime
import decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samaki.activities.queries import activity_kind_list, topic_list
from samaki.areas.queries import area_by_code
from samaki.forms import AreaPicker, DateField, term_choices
from samaki.groups.queries import group_kind_list
from samaki.outcomes.queries import outcome_kind_list
from samaki.people.models import IdPoor, PersonAttribute, Sex
from samaki.results.engine import IndicatorError, Period, dimension_choices
from samaki.results.models import (
    MEASURE_CHOICES,
    Direction,
    Frequency,
    Indicator,
    IndicatorKind,
    PeriodKind,
    ResultsFramework,
    parse_age_bands,
)
from samaki.results.queries import plain_number
from samaki.results.services import DenominatorSpec, codes_text

MULTI = forms.CheckboxSelectMultiple


class FrameworkForm(forms.Form):
    goal_label_en = forms.CharField(label=_("Goal tier (English)"), max_length=60)
    goal_label_km = forms.CharField(label=_("Goal tier (Khmer)"), max_length=60, required=False)
    outcome_label_en = forms.CharField(label=_("Outcome tier (English)"), max_length=60)
    outcome_label_km = forms.CharField(
        label=_("Outcome tier (Khmer)"), max_length=60, required=False
    )
    output_label_en = forms.CharField(label=_("Output tier (English)"), max_length=60)
    output_label_km = forms.CharField(label=_("Output tier (Khmer)"), max_length=60, required=False)
    age_bands = forms.CharField(
        label=_("Age bands"),
        max_length=200,
        help_text=_("Inclusive, for example “0-14, 15-17, 18-24, 25-49, 50+”."),
    )

    def __init__(self, *args: Any, framework: ResultsFramework, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {name: getattr(framework, name) for name in self.base_fields})
        super().__init__(*args, **kwargs)

    def clean_age_bands(self) -> str:
        text = self.cleaned_data["age_bands"]
        try:
            bands = parse_age_bands(text)
        except ValueError:
            bands = ()
        if not bands or any(high is not None and high < low for low, high in bands):
            raise forms.ValidationError(_("Write age bands as “0-14, 15-17, 50+”."))
        return text


class ResultForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=20, help_text=_("For example 1.2."))
    statement_en = forms.CharField(label=_("Statement (English)"), widget=forms.Textarea)
    statement_km = forms.CharField(
        label=_("Statement (Khmer)"), widget=forms.Textarea, required=False
    )


SEX_CHOICES = [("", _("Any")), *Sex.choices]


def _codes(text: str) -> list[str]:
    return [code.strip() for code in text.split(",") if code.strip()]


class IndicatorForm(forms.Form):
    """The indicator's name, its definition (measure, filters, disaggregations), for a
    percentage or a ratio its denominator, the definition sheet and the baseline."""

    code = forms.CharField(label=_("Code"), max_length=20, help_text=_("For example 1.2.1."))
    name_en = forms.CharField(label=_("Name (English)"), max_length=300)
    name_km = forms.CharField(label=_("Name (Khmer)"), max_length=300, required=False)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=IndicatorKind.choices,
        initial=IndicatorKind.NUMBER,
        widget=forms.RadioSelect,
        help_text=_(
            "A percentage is its count divided by a denominator, times 100; a ratio the same "
            "without the 100."
        ),
    )
    measure = forms.ChoiceField(label=_("What is counted"), choices=MEASURE_CHOICES)
    activity_kinds = forms.MultipleChoiceField(
        label=_("Activity kinds"), required=False, widget=MULTI
    )
    topics = forms.MultipleChoiceField(label=_("Topics (any of)"), required=False, widget=MULTI)
    group_kinds = forms.MultipleChoiceField(label=_("Group kinds"), required=False, widget=MULTI)
    outcome_kinds = forms.MultipleChoiceField(
        label=_("Outcome kinds"), required=False, widget=MULTI
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=SEX_CHOICES, required=False)
    id_poor = forms.MultipleChoiceField(
        label=_("ID Poor status"), choices=IdPoor.choices, required=False, widget=MULTI
    )
    attributes = forms.MultipleChoiceField(
        label=_("People with any of these attributes"), required=False, widget=MULTI
    )
    dimensions = forms.MultipleChoiceField(label=_("Disaggregations"), required=False, widget=MULTI)
    # The denominator of a percentage or a ratio (split by the same disaggregations).
    denominator_measure = forms.ChoiceField(
        label=_("Denominator: what is counted"),
        choices=[("", "—"), *MEASURE_CHOICES],
        required=False,
    )
    denominator_activity_kinds = forms.MultipleChoiceField(
        label=_("Denominator: activity kinds"), required=False, widget=MULTI
    )
    denominator_topics = forms.MultipleChoiceField(
        label=_("Denominator: topics (any of)"), required=False, widget=MULTI
    )
    denominator_group_kinds = forms.MultipleChoiceField(
        label=_("Denominator: group kinds"), required=False, widget=MULTI
    )
    denominator_outcome_kinds = forms.MultipleChoiceField(
        label=_("Denominator: outcome kinds"), required=False, widget=MULTI
    )
    denominator_sex = forms.ChoiceField(
        label=_("Denominator: sex"), choices=SEX_CHOICES, required=False
    )
    denominator_id_poor = forms.MultipleChoiceField(
        label=_("Denominator: ID Poor status"),
        choices=IdPoor.choices,
        required=False,
        widget=MULTI,
    )
    denominator_attributes = forms.MultipleChoiceField(
        label=_("Denominator: people with any of these attributes"),
        required=False,
        widget=MULTI,
    )
    # The definition sheet.
    definition_en = forms.CharField(
        label=_("Definition (English)"), widget=forms.Textarea, required=False
    )
    definition_km = forms.CharField(
        label=_("Definition (Khmer)"), widget=forms.Textarea, required=False
    )
    unit = forms.CharField(label=_("Unit"), max_length=60, initial="people")
    data_source = forms.CharField(label=_("Data source"), max_length=200, required=False)
    frequency = forms.ChoiceField(
        label=_("Frequency"), choices=Frequency.choices, initial=Frequency.QUARTERLY
    )
    responsible = forms.CharField(label=_("Responsible"), max_length=120, required=False)
    baseline = forms.DecimalField(
        label=_("Baseline"), initial=0, min_value=0, max_digits=14, decimal_places=2
    )
    baseline_on = DateField(label=_("Baseline date"), required=False)
    direction = forms.ChoiceField(
        label=_("Direction"), choices=Direction.choices, initial=Direction.INCREASE
    )
    cumulative = forms.BooleanField(
        label=_("Cumulative: counted from the project's start to the period's end"),
        required=False,
    )

    CODE_FILTERS = ("activity_kinds", "topics", "group_kinds", "outcome_kinds", "id_poor")

    def __init__(
        self,
        *args: Any,
        user: Any,
        framework: ResultsFramework,
        indicator: Indicator | None = None,
        **kwargs: Any,
    ) -> None:
        denominator = getattr(indicator, "denominator", None) if indicator else None
        if indicator is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_of(indicator)
        super().__init__(*args, **kwargs)
        stored: dict[str, list[str]] = {}
        if indicator is not None:
            for name in (*self.CODE_FILTERS, "attributes", "dimensions"):
                stored[name] = _codes(getattr(indicator, name))
                stored[f"denominator_{name}"] = (
                    _codes(getattr(denominator, name)) if denominator else []
                )
        vocabularies = {
            "activity_kinds": activity_kind_list(user=user),
            "topics": topic_list(user=user),
            "group_kinds": group_kind_list(user=user),
            "outcome_kinds": outcome_kind_list(user=user),
        }
        for name, queryset in vocabularies.items():
            terms = list(queryset)
            for field in (name, f"denominator_{name}"):
                self.fields[field].choices = term_choices(  # type: ignore[attr-defined]
                    terms, empty=False, kept=stored.get(field, [])
                )
        attributes = [
            (a.code, a.name)
            for a in PersonAttribute.objects.filter(
                organisation_id=framework.organisation_id
            ).order_by("code")
            if (a.project_id in (None, framework.project_id) and not a.retired)
            or a.code in stored.get("attributes", []) + stored.get("denominator_attributes", [])
        ]
        self.fields["attributes"].choices = attributes  # type: ignore[attr-defined]
        self.fields["denominator_attributes"].choices = attributes  # type: ignore[attr-defined]
        self.fields["dimensions"].choices = dimension_choices(  # type: ignore[attr-defined]
            organisation_id=framework.organisation_id,
            project_id=framework.project_id,
            keep=stored.get("dimensions", []),
        )
        self.picker = AreaPicker(
            self,
            prefix="area",
            final="area_code",
            required=False,
            code=indicator.area_path.rstrip("/").rsplit("/", 1)[-1]
            if indicator is not None and indicator.area_path
            else "",
        )

    @classmethod
    def initial_of(cls, indicator: Indicator) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(indicator, name)
            for name in (
                "code", "name_en", "name_km", "kind", "measure", "sex", "definition_en",
                "definition_km", "unit", "data_source", "frequency", "responsible",
                "baseline", "baseline_on", "direction", "cumulative",
            )
        }  # fmt: skip
        for name in (*cls.CODE_FILTERS, "attributes", "dimensions"):
            initial[name] = _codes(getattr(indicator, name))
        denominator = getattr(indicator, "denominator", None)
        if denominator is not None:
            initial["denominator_measure"] = denominator.measure
            initial["denominator_sex"] = denominator.sex
            for name in (*cls.CODE_FILTERS, "attributes"):
                initial[f"denominator_{name}"] = _codes(getattr(denominator, name))
        return initial

    def area_path(self) -> str:
        area = area_by_code(code=self.picker.code())
        return area.path if area is not None else ""

    def service_fields(self) -> dict[str, Any]:
        """The cleaned data as the services' keyword arguments (but `denominator`)."""
        data = self.cleaned_data
        fields = {
            name: data[name]
            for name in (
                "code", "name_en", "name_km", "kind", "measure", "sex", "definition_en",
                "definition_km", "unit", "data_source", "frequency", "responsible",
                "baseline", "baseline_on", "direction", "cumulative",
            )
        }  # fmt: skip
        for name in (*self.CODE_FILTERS, "attributes", "dimensions"):
            fields[name] = codes_text(data[name])
        fields["area_path"] = self.area_path()
        return fields

    def denominator(self) -> DenominatorSpec | None:
        data = self.cleaned_data
        if data["kind"] == IndicatorKind.NUMBER or not data["denominator_measure"]:
            return None
        return DenominatorSpec(
            measure=data["denominator_measure"],
            sex=data["denominator_sex"],
            area_path=self.area_path(),
            **{
                name: codes_text(data[f"denominator_{name}"])
                for name in (*self.CODE_FILTERS, "attributes")
            },
        )

    def numerator_fields(self) -> list[forms.BoundField]:
        return [
            self[name]
            for name in ("measure", *self.CODE_FILTERS[:4], "sex", "id_poor", "attributes")
        ]

    def denominator_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("denominator_")]

    def sheet_fields(self) -> list[forms.BoundField]:
        return [
            self[name]
            for name in (
                "definition_en", "definition_km", "unit", "data_source", "frequency",
                "responsible", "baseline", "baseline_on", "direction", "cumulative",
            )
        ]  # fmt: skip


class PeriodForm(forms.Form):
    period = forms.CharField(
        label=_("Period"),
        max_length=30,
        required=False,
        help_text=_("2024Q3, 2024, 2024-07 or 2024-01-01..2024-06-30."),
    )

    def clean_period(self) -> Period | None:
        text = self.cleaned_data["period"].strip()
        if not text:
            return None
        try:
            return Period.parse(text)
        except (IndicatorError, ValueError):
            raise forms.ValidationError(
                _("Write the period as 2024Q3, 2024, 2024-07 or 2024-01-01..2024-06-30.")
            ) from None


class TargetKindForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Targets per"), choices=PeriodKind.choices, initial=PeriodKind.QUARTER
    )


def project_periods(
    kind: str, starts_on: datetime.date, ends_on: datetime.date
) -> list[tuple[str, datetime.date, datetime.date]]:
    """The project's months, quarters or years (cut to the project's dates), or its life:
    (label, first day, last day)."""
    if kind == PeriodKind.LIFE:
        return [(str(_("Life of project")), starts_on, ends_on)]
    periods = []
    year, month = starts_on.year, starts_on.month
    if kind == PeriodKind.QUARTER:
        month = 3 * ((month - 1) // 3) + 1
    elif kind == PeriodKind.YEAR:
        month = 1
    step = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.YEAR: 12}[PeriodKind(kind)]
    while datetime.date(year, month, 1) <= ends_on:
        if kind == PeriodKind.MONTH:
            label = f"{year}-{month:02d}"
        elif kind == PeriodKind.QUARTER:
            label = f"{year}Q{(month - 1) // 3 + 1}"
        else:
            label = str(year)
        period = Period.parse(label)
        periods.append((label, max(period.start, starts_on), min(period.end, ends_on)))
        month += step
        year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return periods


class TargetsForm(forms.Form):
    """One field per period of the project (`t_<first day>`): empty removes the target."""

    def __init__(
        self,
        *args: Any,
        periods: list[tuple[str, datetime.date, datetime.date]],
        values: dict[tuple[datetime.date, datetime.date], decimal.Decimal],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.periods = periods
        for label, start, end in periods:
            value = values.get((start, end))
            self.fields[f"t_{start.isoformat()}"] = forms.DecimalField(
                label=label,
                required=False,
                min_value=0,
                max_digits=14,
                decimal_places=2,
                initial=plain_number(value),
            )

    def rows(self) -> list[tuple[str, datetime.date, datetime.date, forms.BoundField]]:
        return [
            (label, start, end, self[f"t_{start.isoformat()}"])
            for label, start, end in self.periods
        ]


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Framework (XLSX)"))
