"""The typed report data every renderer reads. Built by `reports.queries.report_build`; rendered
by the pure functions of `reports.render`. It holds aggregates and labels only, never a person.
"""

import dataclasses
import datetime
from typing import Any


@dataclasses.dataclass(frozen=True)
class IndicatorFigure:
    """A figure is an int, or for an audience outside the organisation possibly "<5"
    (`results.suppression.Suppressed`): numbers become text only when rendered."""

    code: str
    name: str
    unit: str
    value: int | str
    target: int | float | str | None
    percent: float | None
    band: str  # results.queries.Band
    band_label: str
    # Disaggregations: dimension label → (cell label → count). Each adds up to `value`.
    cells: dict[str, dict[str, int | str]]
    # Every cell of the definition's full cross-tabulation, for the JSON export.
    cross_cells: list[dict[str, Any]]
    # A percentage or a ratio (results.models.IndicatorKind): `value`, `cells` and `target` are
    # then the figure as text ("62.5%", "1.25", "—" where the denominator is 0, "<5" when a
    # part is suppressed), and these its parts. A number: kind "number", both None.
    kind: str = "number"
    numerator: int | str | None = None
    denominator: int | str | None = None


@dataclasses.dataclass(frozen=True)
class Table:
    title: str
    columns: list[str]
    rows: list[list[str | int]]
    note: str = ""


@dataclasses.dataclass(frozen=True)
class Chart:
    """A grouped bar chart: one bar per category in each series."""

    title: str
    categories: list[str]
    series: dict[str, list[int | str]]  # "<5" (suppressed) is drawn as an empty bar, labelled


@dataclasses.dataclass(frozen=True)
class Section:
    title: str
    paragraphs: list[str] = dataclasses.field(default_factory=list)
    tables: list[Table] = dataclasses.field(default_factory=list)
    charts: list[Chart] = dataclasses.field(default_factory=list)
    # Which builder made it ("summary", "indicators"…): what a narrative is keyed by.
    key: str = ""
    # The M&E officer's own words for this section, in the report's language (ReportNarrative).
    narrative: str = ""


@dataclasses.dataclass(frozen=True)
class ReportData:
    language: str
    title: str
    subtitle: str
    scope_kind: str  # project, organisation or consortium
    scope_code: str
    period_start: datetime.date
    period_end: datetime.date
    period_label: str
    generated_on: datetime.date
    indicators: list[IndicatorFigure]
    sections: list[Section]
    # The organisation's logo for the cover (ReportBranding), its bytes and MIME type: read from
    # the database, never fetched. Not part of the report's data (JSON).
    logo: bytes = dataclasses.field(default=b"", repr=False)
    logo_type: str = ""

    def as_json(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        del data["logo"], data["logo_type"]
        return data | {
            "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(),
            "generated_on": self.generated_on.isoformat(),
        }
