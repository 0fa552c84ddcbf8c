"""IATI 2.03: a project as one `<iati-activity>` with its results framework (docs/exports.md).

`build_iati(project, by=…)` writes the file; `schema_errors()` validates it against the official
XSD shipped in `iati_schema/` (no network: lxml resolves the includes from the file's folder);
`codelist_errors()` checks every coded attribute Samaki emits against the IATI codelists shipped
beside it. The file leaves the organisation, so it carries aggregates only, and every count goes
through the project's small-cell rule (`results.suppression`) as a donor's report does: nothing
between 1 and the threshold leaves, neither as a total nor as a sex or age cell.
"""

import datetime
import decimal
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

from django.db.models import Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from lxml import etree

from samaki.accounts import access
from samaki.activities.models import Activity
from samaki.areas.models import Area, AreaLevel
from samaki.budgets.models import BudgetLine, Expenditure
from samaki.language import name_in
from samaki.projects.models import Project
from samaki.results.engine import Dimension, Period
from samaki.results.models import (
    Indicator,
    IndicatorKind,
    PeriodKind,
    ResultLevel,
    ResultsFramework,
    Target,
)
from samaki.results.queries import (
    IndicatorProgress,
    fraction,
    framework_for_project,
    indicator_value,
    plain_number,
    project_organisations,
    result_list,
)
from samaki.results.suppression import THRESHOLD, TOTAL, Suppressed, suppress_count, suppress_grid

VERSION = "2.03"
SCHEMA_DIR = Path(__file__).resolve().parent / "iati_schema"
SCHEMA_PATH = SCHEMA_DIR / "iati-activities-schema.xsd"
CODELIST_DIR = SCHEMA_DIR / "codelists"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# OrganisationType 24 "Partner Country based NGO": Samaki's organisations are Cambodian NGOs and
# CBOs reporting on work in Cambodia (the codelist is not shipped: docs/exports.md).
REPORTING_ORG_TYPE = "24"
COUNTRY = "KH"
# DAC 5-digit sector (vocabulary 1, the default): projects have no sector field yet, and every
# Samaki organisation is a women's-rights organisation (docs/exports.md).
SECTOR = "15170"  # Women's rights organisations and movements, and government institutions
# Locations are named by the NCDD gazetteer code Samaki stores (no IATI geographic vocabulary is a
# national admin code list, so the code goes in @ref, prefixed, not under a borrowed vocabulary).
LOCATION_REF_PREFIX = "KH-NCDD-"

# Samaki's notions → IATI codes (each code checked against its codelist by `codelist_errors`).
RESULT_TYPE = {ResultLevel.OUTPUT: "1", ResultLevel.OUTCOME: "2", ResultLevel.GOAL: "3"}
INDICATOR_MEASURE = {
    IndicatorKind.NUMBER: "1",  # Unit
    IndicatorKind.PERCENTAGE: "2",  # Percentage
    IndicatorKind.RATIO: "1",  # a ratio is a number of units per unit: Unit
}
ROLE_FUNDING, ROLE_IMPLEMENTING = "1", "4"
DATE_PLANNED_START, DATE_ACTUAL_START, DATE_PLANNED_END, DATE_ACTUAL_END = "1", "2", "3", "4"
STATUS_PIPELINE, STATUS_IMPLEMENTATION, STATUS_FINALISATION, STATUS_CLOSED = "1", "2", "3", "4"
TRANSACTION_EXPENDITURE = "4"
# The disaggregations IATI readers know (`<dimension name= value=>` inside an actual).
DIMENSIONS = {Dimension.SEX: "sex", Dimension.AGE_BAND: "age"}

# Coded attributes Samaki emits (element path, attribute) → the codelist that holds them.
CODED = {
    ("participating-org", "role"): "OrganisationRole",
    ("activity-status", "code"): "ActivityStatus",
    ("activity-date", "type"): "ActivityDateType",
    ("transaction-type", "code"): "TransactionType",
    ("result", "type"): "ResultType",
    ("indicator", "measure"): "IndicatorMeasure",
}


class IatiRefused(Exception):
    """The file cannot be written honestly: the message says what to set, and where."""


# --- validation -------------------------------------------------------------------------------


@cache
def _schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA_PATH)))


def schema_errors(content: bytes) -> list[str]:
    """The XSD's complaints about `content` ("line N: message"); empty when it validates."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        document = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as error:
        return [str(error)]
    schema = _schema()
    if schema.validate(document):
        return []
    return [f"line {error.line}: {error.message}" for error in schema.error_log]


@cache
def codelist(name: str) -> dict[str, bool]:
    """A shipped codelist: code → withdrawn."""
    root = etree.parse(str(CODELIST_DIR / f"{name}.xml")).getroot()
    return {
        item.findtext("code", "").strip(): item.get("status") == "withdrawn"
        for item in root.iter("codelist-item")
    }


def codelist_errors(content: bytes) -> list[str]:
    """Every coded attribute of `CODED` in `content` that is not a code of its codelist, or a
    withdrawn one."""
    document = etree.fromstring(content, etree.XMLParser(resolve_entities=False, no_network=True))
    errors = []
    for (element, attribute), name in CODED.items():
        codes = codelist(name)
        for node in document.iter(element):
            code = node.get(attribute)
            if code is None:
                continue
            if code not in codes:
                errors.append(
                    f"line {node.sourceline}: {element}/@{attribute} “{code}” is not in {name}"
                )
            elif codes[code]:
                errors.append(
                    f"line {node.sourceline}: {element}/@{attribute} “{code}” is withdrawn from {name}"
                )
    return errors


# --- who may export ---------------------------------------------------------------------------


def identifier_refusal(project: Project) -> str | None:
    """Why the project has no IATI identifier yet, naming where to set one; None if it has."""
    if project.organisation.iati_identifier:
        return None
    return _(
        "%(organisation)s has no IATI organisation identifier, so its projects cannot be "
        "published to IATI. The platform administrator sets it with “samaki organisation "
        "set-iati-identifier --slug %(slug)s --identifier XM-DAC-…” (the identifier the IATI "
        "Registry gave the organisation)."
    ) % {"organisation": project.organisation.name_en, "slug": project.organisation.slug}


# --- the file ---------------------------------------------------------------------------------


def _sub(parent: etree._Element, tag: str, **attributes: Any) -> etree._Element:
    element = etree.SubElement(parent, tag)
    for name, value in attributes.items():
        if value is not None and value != "":
            element.set(name.replace("_", "-"), str(value))
    return element


def _narratives(parent: etree._Element, tag: str, en: str, km: str = "") -> etree._Element:
    """`<tag><narrative>English</narrative><narrative xml:lang="km">ខ្មែរ</narrative></tag>`
    (English is the activity's default language)."""
    element = etree.SubElement(parent, tag)
    etree.SubElement(element, "narrative").text = en or km
    if km and en:
        etree.SubElement(element, "narrative", {XML_LANG: "km"}).text = km
    return element


def _money(value: decimal.Decimal) -> str:
    return f"{value.quantize(decimal.Decimal('0.01'))}"


def _figure(value: float | int | decimal.Decimal | None) -> str:
    number = plain_number(value) if isinstance(value, decimal.Decimal) else value
    if isinstance(number, float):
        return f"{number:g}"
    return str(number)


def _status(project: Project, today: datetime.date) -> str:
    if project.closed_on is not None:
        return STATUS_CLOSED
    if today < project.starts_on:
        return STATUS_PIPELINE
    if today > project.ends_on:
        return STATUS_FINALISATION
    return STATUS_IMPLEMENTATION


def _locations(project: Project) -> list[Area]:
    """The project's target areas; else the provinces its activities took place in."""
    areas = list(project.target_areas.order_by("code"))
    if areas:
        return areas
    codes = {
        code[:2]
        for code in Activity.objects.filter(
            project=project, organisation_id__in=project_organisations(project)
        )
        .values_list("area__code", flat=True)
        .distinct()
        if code
    }
    return list(Area.objects.filter(level=AreaLevel.PROVINCE, code__in=codes).order_by("code"))


def _quarters(start: datetime.date, end: datetime.date) -> Iterator[Period]:
    """The calendar quarters overlapping start..end, clipped to it."""
    year, quarter = start.year, (start.month - 1) // 3 + 1
    while True:
        period = Period.parse(f"{year}Q{quarter}")
        if period.start > end:
            return
        yield Period(max(period.start, start), min(period.end, end))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)


def _periods(project: Project, targets: Iterable[Target]) -> list[Period]:
    """Every quarter of the project, and each target's own period that is not one of them."""
    periods = {(p.start, p.end) for p in _quarters(project.starts_on, project.ends_on)}
    periods |= {(t.starts_on, t.ends_on) for t in targets if t.period_kind != PeriodKind.QUARTER}
    return [Period(start, end) for start, end in sorted(periods, key=lambda p: (p[0], p[1]))]


Figure = tuple[str, tuple[tuple[str, str], ...]]  # a value and its (dimension, value) pairs


def actuals(progress: IndicatorProgress) -> list[Figure]:
    """An indicator's figures for one period as they leave: (value, ((dimension, value), …)),
    the total first, then its sex and age cells. A count below the threshold never leaves: a
    suppressed total leaves nothing, a suppressed cell is left out (with the second cell
    `suppress_grid` hides so that none can be subtracted back)."""
    value, denominator = progress.value, progress.denominator
    kind = progress.indicator.kind
    parts = [value.total] if denominator is None else [value.total, denominator.total]
    if any(isinstance(suppress_count(n), Suppressed) for n in parts):
        return []
    out: list[Figure]
    if denominator is None:
        out = [(str(value.total), ())]
    else:
        if progress.figure is None:
            return []
        out = [(_figure(progress.figure), ())]
    for dimension, name in DIMENSIONS.items():
        if dimension not in value.definition.dimensions:
            continue
        tops = value.by(dimension)
        if denominator is None:
            grid = suppress_grid(
                {("", key): n for key, n in tops.items()}, rows=[""], columns=sorted(tops)
            )
            for key in sorted(tops):
                cell = grid[("", key)]
                if not isinstance(cell, Suppressed) and key != TOTAL:
                    out.append((str(cell), ((name, key),)))
            continue
        bottoms = denominator.by(dimension)
        for key in sorted({*tops, *bottoms}):
            top, bottom = tops.get(key, 0), bottoms.get(key, 0)
            if any(0 < n < THRESHOLD for n in (top, bottom)) or not bottom:
                continue
            share = fraction(kind, top, bottom)
            out.append((_figure(share), ((name, key),)))
    return out


def _result_element(
    parent: etree._Element,
    framework: ResultsFramework,
    indicators: list[Indicator],
    level: str,
    today: datetime.date,
    statement: tuple[str, str],
) -> None:
    project = framework.project
    result = _sub(parent, "result", type=RESULT_TYPE[ResultLevel(level)])
    _narratives(result, "title", *statement)
    for indicator in indicators:
        element = _sub(
            result,
            "indicator",
            measure=INDICATOR_MEASURE[IndicatorKind(indicator.kind)],
            ascending="1" if indicator.direction == "increase" else "0",
        )
        _narratives(element, "title", indicator.name_en, indicator.name_km)
        if indicator.definition_en or indicator.definition_km:
            _narratives(element, "description", indicator.definition_en, indicator.definition_km)
        baseline_on = indicator.baseline_on or project.starts_on
        _sub(
            element,
            "baseline",
            year=baseline_on.year,
            iso_date=baseline_on.isoformat(),
            value=_figure(indicator.baseline),
        )
        targets = list(indicator.targets.all())
        for period in _periods(project, targets):
            target = next((t for t in targets if t.covers(period.start, period.end)), None)
            figures: list[Figure] = []
            # Without a target, a period is there for what was counted; not for a zero, nor for a
            # suppressed figure (an empty period would say it was 1 to 4).
            counted = False
            if period.start <= today:
                progress = indicator_value(indicator, framework=framework, period=period)
                figures = actuals(progress)
                counted = bool(progress.value.total or getattr(progress.denominator, "total", 0))
            if target is None and not (counted and figures):
                continue
            node = _sub(element, "period")
            _sub(node, "period-start", iso_date=period.start.isoformat())
            _sub(node, "period-end", iso_date=period.end.isoformat())
            if target is not None:
                _sub(node, "target", value=_figure(target.value))
            for value, dimensions in figures:
                actual = _sub(node, "actual", value=value)
                for name, key in dimensions:
                    _sub(actual, "dimension", name=name, value=key)


def build_iati(project: Project, *, by: Any, today: datetime.date | None = None) -> bytes:
    """The project as an IATI 2.03 activity file (UTF-8 bytes), valid against the shipped XSD.

    Raises `IatiRefused` (what to set, and where) when the organisation has no IATI identifier,
    or when the file would not validate; `PermissionDenied` when `by` may not export it."""
    access.require_iati_exporter(by=by, project=project)
    refusal = identifier_refusal(project)
    if refusal:
        raise IatiRefused(refusal)
    today = today or timezone.localdate()
    organisation = project.organisation
    identifier = f"{organisation.iati_identifier}-{project.code}"
    now = timezone.now().replace(microsecond=0).isoformat()
    lines = list(
        BudgetLine.objects.filter(project=project, organisation=organisation)
        .values("period_start", "period_end", "currency")
        .annotate(amount=Sum("amount"))
        .order_by("period_start", "period_end", "currency")
    )
    currencies = sorted({line["currency"] for line in lines})

    root = etree.Element("iati-activities", version=VERSION, **{"generated-datetime": now})
    activity = _sub(
        root,
        "iati-activity",
        last_updated_datetime=now,
        default_currency=currencies[0] if len(currencies) == 1 else None,
    )
    activity.set(XML_LANG, "en")
    _sub(activity, "iati-identifier").text = identifier
    reporting = _sub(
        activity, "reporting-org", ref=organisation.iati_identifier, type=REPORTING_ORG_TYPE
    )
    _name_narratives(reporting, organisation)
    _narratives(activity, "title", project.name_en, project.name_km)
    description = etree.SubElement(activity, "description")
    etree.SubElement(description, "narrative").text = _description(project, "en")
    etree.SubElement(description, "narrative", {XML_LANG: "km"}).text = _description(project, "km")

    if project.donor is not None:
        funder = _sub(activity, "participating-org", role=ROLE_FUNDING)
        _name_narratives(funder, project.donor)
    owner = _sub(
        activity,
        "participating-org",
        role=ROLE_IMPLEMENTING,
        ref=organisation.iati_identifier,
        type=REPORTING_ORG_TYPE,
    )
    _name_narratives(owner, organisation)
    for partner in project.partners.order_by("name_en"):
        element = _sub(
            activity, "participating-org", role=ROLE_IMPLEMENTING, ref=partner.iati_identifier
        )
        _name_narratives(element, partner)

    _sub(activity, "activity-status", code=_status(project, today))
    _sub(activity, "activity-date", type=DATE_PLANNED_START, iso_date=project.starts_on)
    if project.starts_on <= today:
        _sub(activity, "activity-date", type=DATE_ACTUAL_START, iso_date=project.starts_on)
    _sub(activity, "activity-date", type=DATE_PLANNED_END, iso_date=project.ends_on)
    if project.closed_on is not None and project.closed_on <= today:
        _sub(activity, "activity-date", type=DATE_ACTUAL_END, iso_date=project.closed_on)
    _sub(activity, "recipient-country", code=COUNTRY, percentage="100")
    for area in _locations(project):
        location = _sub(activity, "location", ref=f"{LOCATION_REF_PREFIX}{area.code}")
        _name_narratives(location, area, tag="name")
    _sub(activity, "sector", code=SECTOR, percentage="100")

    for line in lines:
        budget = _sub(activity, "budget")
        _sub(budget, "period-start", iso_date=line["period_start"])
        _sub(budget, "period-end", iso_date=line["period_end"])
        value = _sub(budget, "value", currency=line["currency"], value_date=line["period_start"])
        value.text = _money(line["amount"])
    spending = (
        Expenditure.objects.filter(line__project=project, organisation=organisation)
        .annotate(month=TruncMonth("date"))
        .values("month", "line__currency")
        .annotate(amount=Sum("amount"))
        .order_by("month", "line__currency")
    )
    for row in spending:
        month = row["month"]
        if isinstance(month, datetime.datetime):
            month = month.date()
        day = min(Period.parse(month.strftime("%Y-%m")).end, today)
        transaction = _sub(activity, "transaction")
        _sub(transaction, "transaction-type", code=TRANSACTION_EXPENDITURE)
        _sub(transaction, "transaction-date", iso_date=day)
        value = _sub(transaction, "value", currency=row["line__currency"], value_date=day)
        value.text = _money(row["amount"])

    framework = framework_for_project(project)
    if framework is not None:
        _results(activity, framework, today)

    content = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    problems = schema_errors(content) + codelist_errors(content)
    if problems:
        raise IatiRefused(
            _("The IATI file would not be valid, so none was written: %(problems)s")
            % {"problems": "; ".join(problems[:5])}
        )
    return content


def _results(activity: etree._Element, framework: ResultsFramework, today: datetime.date) -> None:
    for result in result_list(framework=framework):
        indicators = result.indicators_list  # type: ignore[attr-defined]
        if indicators:
            _result_element(
                activity,
                framework,
                indicators,
                result.level,
                today,
                (result.statement_en, result.statement_km),
            )


def _name_narratives(parent: etree._Element, obj: Any, tag: str = "") -> None:
    """An organisation's, a donor's or an area's name, English then Khmer."""
    target = etree.SubElement(parent, tag) if tag else parent
    etree.SubElement(target, "narrative").text = obj.name_en or obj.name_km
    if obj.name_km and obj.name_en:
        etree.SubElement(target, "narrative", {XML_LANG: "km"}).text = obj.name_km


def _description(project: Project, language: str) -> str:
    with translation.override(language):
        return _(
            "%(project)s, a project of %(organisation)s in Cambodia from %(start)s to %(end)s. "
            "Results are counted by Samaki from the project's own records; counts below "
            "%(threshold)s are not published."
        ) % {
            "project": name_in(project, language),
            "organisation": name_in(project.organisation, language),
            "start": project.starts_on.isoformat(),
            "end": project.ends_on.isoformat(),
            "threshold": THRESHOLD,
        }
