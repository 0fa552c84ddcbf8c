"""A project's results framework: goal › outcomes › outputs, indicators, baselines and targets.

An indicator's definition (measure, filters, disaggregations) is stored as plain typed columns
(`CountDefinition`, shared with a percentage's `Denominator`) and turned into the engine's
`IndicatorDefinition` by `definition()`.
"""

import datetime

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from samaki.results.engine import (
    DEFAULT_AGE_BANDS,
    AgeBand,
    Filters,
    IndicatorDefinition,
    Measure,
    age_band_label,
    parse_dimensions,
)


def _codes(text: str) -> tuple[str, ...]:
    return tuple(code.strip() for code in text.split(",") if code.strip())


def parse_age_bands(text: str) -> tuple[AgeBand, ...]:
    """ "0-14, 15-17, 18-24, 25-49, 50+" → ((0, 14), (15, 17), (18, 24), (25, 49), (50, None))."""
    bands: list[AgeBand] = []
    for part in _codes(text):
        if part.endswith("+"):
            bands.append((int(part[:-1]), None))
        else:
            low, high = part.split("-", 1)
            bands.append((int(low), int(high)))
    return tuple(bands)


class ResultsFramework(models.Model):
    """One per project: the donor's names for the tiers and the project's age bands."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    project = models.OneToOneField(
        "projects.Project", on_delete=models.CASCADE, related_name="results_framework"
    )
    goal_label_en = models.CharField(_("goal tier (English)"), max_length=60, default="Goal")
    goal_label_km = models.CharField(_("goal tier (Khmer)"), max_length=60, default="គោលដៅ")
    outcome_label_en = models.CharField(
        _("outcome tier (English)"), max_length=60, default="Outcome"
    )
    outcome_label_km = models.CharField(_("outcome tier (Khmer)"), max_length=60, default="លទ្ធផល")
    output_label_en = models.CharField(_("output tier (English)"), max_length=60, default="Output")
    output_label_km = models.CharField(_("output tier (Khmer)"), max_length=60, default="សមិទ្ធផល")
    age_bands = models.CharField(
        _("age bands"),
        max_length=200,
        default=", ".join(age_band_label(band) for band in DEFAULT_AGE_BANDS),
        help_text=_("Inclusive, for example “0-14, 15-17, 18-24, 25-49, 50+”."),
    )

    class Meta:
        verbose_name = _("results framework")
        verbose_name_plural = _("results frameworks")

    def __str__(self) -> str:
        return str(self.project)

    def tier_label(self, level: str, language: str = "en") -> str:
        return str(getattr(self, f"{level}_label_{'km' if language == 'km' else 'en'}"))


class ResultLevel(models.TextChoices):
    GOAL = "goal", _("Goal")
    OUTCOME = "outcome", _("Outcome")
    OUTPUT = "output", _("Output")


class Result(models.Model):
    """A goal, an outcome or an output; outcomes under the goal, outputs under an outcome."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    framework = models.ForeignKey(
        ResultsFramework, on_delete=models.CASCADE, related_name="results"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    level = models.CharField(_("level"), max_length=10, choices=ResultLevel.choices)
    code = models.CharField(_("code"), max_length=20)
    statement_en = models.TextField(_("statement (English)"))
    statement_km = models.TextField(_("statement (Khmer)"), blank=True)

    class Meta:
        ordering = ["framework", "code"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="result_code_unique")
        ]
        verbose_name = _("result")
        verbose_name_plural = _("results")

    def __str__(self) -> str:
        return f"{self.code} {self.statement_en}"


class Direction(models.TextChoices):
    INCREASE = "increase", _("Higher is better")
    DECREASE = "decrease", _("Lower is better")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    YEARLY = "yearly", _("Yearly")
    END = "end", _("At the end of the project")


class IndicatorKind(models.TextChoices):
    NUMBER = "number", _("Number")
    PERCENTAGE = "percentage", _("Percentage")
    RATIO = "ratio", _("Ratio")


MEASURE_LABELS = {
    Measure.DISTINCT_PEOPLE: _("People who attended (each counted once)"),
    Measure.ATTENDANCES: _("Attendances (a person at a session)"),
    Measure.SESSIONS: _("Sessions held"),
    Measure.HEADCOUNT: _("People counted at events (headcounts)"),
    Measure.GROUP_MEMBERS_ACTIVE_AT_END: _("Group members at the period's end"),
    Measure.NEW_GROUP_MEMBERS: _("New group members"),
    Measure.OUTCOMES: _("Outcomes recorded"),
    Measure.DISTINCT_PEOPLE_WITH_OUTCOME: _("People with an outcome (each counted once)"),
}
MEASURE_CHOICES = [(str(measure), label) for measure, label in MEASURE_LABELS.items()]


class CountDefinition(models.Model):
    """What the engine counts, as plain columns: a measure, its filters and its
    disaggregations. An indicator is one; a percentage's or ratio's denominator is another."""

    measure = models.CharField(_("measure"), max_length=40, choices=MEASURE_CHOICES)
    activity_kinds = models.CharField(_("activity kinds (codes)"), max_length=300, blank=True)
    topics = models.CharField(_("topics (codes)"), max_length=300, blank=True)
    group_kinds = models.CharField(_("group kinds (codes)"), max_length=300, blank=True)
    outcome_kinds = models.CharField(_("outcome kinds (codes)"), max_length=300, blank=True)
    sex = models.CharField(_("sex"), max_length=10, blank=True)
    area_path = models.CharField(_("area"), max_length=80, blank=True)
    id_poor = models.CharField(_("ID Poor status (codes)"), max_length=100, blank=True)
    attributes = models.CharField(_("person attributes (codes)"), max_length=300, blank=True)
    dimensions = models.CharField(
        _("disaggregations"),
        max_length=300,
        blank=True,
        help_text=_(
            "Comma-separated: sex, age_band, disability, province, district, commune, organisation."
        ),
    )

    class Meta:
        abstract = True

    def definition(
        self,
        *,
        project_id: int | None,
        age_bands: tuple[AgeBand, ...],
        dimensions: bool = True,
        split_by: str | None = None,
    ) -> IndicatorDefinition:
        """The engine's definition; `split_by` replaces the stored disaggregations (a
        denominator is split as its indicator is)."""
        measure = Measure(self.measure)
        # Activities and outcomes count under the project; groups and networks outlive projects,
        # so membership measures count every group matching the other filters.
        membership = measure in (Measure.GROUP_MEMBERS_ACTIVE_AT_END, Measure.NEW_GROUP_MEMBERS)
        projects = (project_id,) if project_id is not None and not membership else ()
        codes = self.dimensions if split_by is None else split_by
        return IndicatorDefinition(
            measure=measure,
            filters=Filters(
                activity_kinds=_codes(self.activity_kinds),
                topics=_codes(self.topics),
                projects=projects,
                group_kinds=_codes(self.group_kinds),
                outcome_kinds=_codes(self.outcome_kinds),
                sex=self.sex,
                area_path=self.area_path,
                id_poor=_codes(self.id_poor),
                attributes=_codes(self.attributes),
            ),
            dimensions=parse_dimensions(codes) if dimensions else (),
            age_bands=age_bands,
        )


class Indicator(CountDefinition):
    """What is measured for a result: a definition sheet, a baseline, targets, and the engine
    definition that computes it (for a percentage or a ratio: its numerator; the denominator
    is its `Denominator`)."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("code"), max_length=20)
    name_en = models.CharField(_("name (English)"), max_length=300)
    name_km = models.CharField(_("name (Khmer)"), max_length=300, blank=True)
    kind = models.CharField(
        _("kind"), max_length=12, choices=IndicatorKind.choices, default=IndicatorKind.NUMBER
    )
    # The definition sheet.
    definition_en = models.TextField(_("definition (English)"), blank=True)
    definition_km = models.TextField(_("definition (Khmer)"), blank=True)
    unit = models.CharField(_("unit"), max_length=60, default="people")
    data_source = models.CharField(_("data source"), max_length=200, blank=True)
    frequency = models.CharField(
        _("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.QUARTERLY
    )
    responsible = models.CharField(_("responsible"), max_length=120, blank=True)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2, default=0)
    baseline_on = models.DateField(_("baseline date"), null=True, blank=True)
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.INCREASE
    )
    cumulative = models.BooleanField(
        _("cumulative"),
        default=False,
        help_text=_("Counted from the project's start to the period's end, not within the period."),
    )

    class Meta:
        ordering = ["result", "code"]
        constraints = [
            models.UniqueConstraint(fields=["result", "code"], name="indicator_code_unique")
        ]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return f"{self.code} {self.name_en}"

    @property
    def is_fraction(self) -> bool:
        """A percentage or a ratio: numerator over a denominator."""
        return self.kind != IndicatorKind.NUMBER


class Denominator(CountDefinition):
    """The denominator of a percentage or ratio indicator (its numerator is the indicator's own
    definition). It is split by the indicator's disaggregations, so each cell divides by its
    own cell."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    indicator = models.OneToOneField(
        Indicator, on_delete=models.CASCADE, related_name="denominator"
    )

    class Meta:
        verbose_name = _("denominator")
        verbose_name_plural = _("denominators")

    def __str__(self) -> str:
        return f"{self.indicator.code} ÷"


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")
    LIFE = "life", _("Life of project")


class Target(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    period_kind = models.CharField(_("period"), max_length=10, choices=PeriodKind.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    value = models.DecimalField(
        _("target"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )

    class Meta:
        ordering = ["indicator", "starts_on", "ends_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "starts_on", "ends_on"], name="target_period_once"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="target_ends_after_start",
            ),
        ]
        verbose_name = _("target")
        verbose_name_plural = _("targets")

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.starts_on}–{self.ends_on}: {self.value}"

    def covers(self, start: datetime.date, end: datetime.date) -> bool:
        return self.starts_on == start and self.ends_on == end
