"""A dashboard's figures for a project, an organisation or a consortium: aggregates only.

`dashboard_build()` asks the indicator engine, like the report does (`reports.queries`), and
turns the figures into headline numbers, indicators against targets, charts (drawn by the
report's one chart function, as SVG) and a map (`reports.maps`). The number of queries depends
on the months of the period and the kinds of activity in use, never on the number of records.
"""

import dataclasses
import datetime
import re
from html import escape

from django.db.models import Max
from django.utils import translation
from django.utils.translation import gettext as _

from samaki.activities.models import Activity, ActivityKind
from samaki.language import name_in
from samaki.organisations.models import Organisation
from samaki.people.models import Sex
from samaki.reports.data import Chart, IndicatorFigure, Table
from samaki.reports.maps import map_svg
from samaki.reports.queries import (
    UNKNOWN,
    ReportScope,
    _activities_in_scope,
    _indicator_figures,
    report_context,
)
from samaki.reports.render import chart_render
from samaki.reports.voice import money_shown, money_text, voice_figures
from samaki.results.engine import Dimension, Measure, Period
from samaki.results.suppression import TOTAL

MAX_MONTHS = 36
DECIMALS = re.compile(r"(\d+\.\d)\d+")
IDS = re.compile(r'(id="|href="#|url\(#)')
# The page's Content-Security-Policy (style-src 'self') blocks style attributes and <style>
# elements; matplotlib's are all SVG presentation properties, which may be attributes instead.
STYLE_ATTRIBUTE = re.compile(r'style="([^"]*)"')
STYLE_ELEMENT = re.compile(r"<style[^>]*>\*\{([^}]*)\}</style>")


@dataclasses.dataclass(frozen=True)
class Headline:
    label: str
    value: int | str
    note: str = ""


@dataclasses.dataclass(frozen=True)
class Dashboard:
    title: str
    scope: ReportScope
    period: Period
    headlines: list[Headline]
    indicators: list[IndicatorFigure]
    charts: list[tuple[str, str]]  # (title, inline SVG)
    map_title: str
    map: str  # inline SVG
    members: Table | None  # a consortium's members, one row each, and the total
    voice: list[Headline]  # feedback, requests to authorities and cost per woman (reports.voice)


def _inline_svg(chart: Chart, number: int) -> str:
    """The chart as SVG to put in the page: letters as text (the page's fonts shape Khmer),
    decimals of a pixel trimmed, and its ids prefixed so that two charts' ids never clash."""
    svg = chart_render(chart, fmt="svg", svg_text=True).decode()
    svg = svg[svg.index("<svg") :]
    svg = DECIMALS.sub(r"\1", svg)
    prefix = f"chart{number}-"
    svg = IDS.sub(lambda m: f"{m.group(1)}{prefix}", svg)
    # `*{…}` applies to every element: as attributes of the root, its children inherit them.
    root = "".join(_attributes(rule) for rule in STYLE_ELEMENT.findall(svg))
    svg = STYLE_ELEMENT.sub("", svg)
    svg = STYLE_ATTRIBUTE.sub(lambda m: _attributes(m.group(1)).strip(), svg)
    label = f'role="img" aria-label="{escape(chart.title)}"'
    return svg.replace("<svg ", f"<svg {label}{root} ", 1)


def _attributes(declarations: str) -> str:
    """'fill: none; stroke: #000' → ' fill="none" stroke="#000"'."""
    pairs = (part.split(":", 1) for part in declarations.split(";") if ":" in part)
    # The values come from inside a double-quoted attribute: already escaped, no quote in them.
    return "".join(f' {name.strip()}="{value.strip()}"' for name, value in pairs)


def _months(period: Period) -> list[Period]:
    months: list[Period] = []
    start = period.start
    while start <= period.end and len(months) < MAX_MONTHS:
        following = datetime.date(start.year + start.month // 12, start.month % 12 + 1, 1)
        months.append(Period(start, min(period.end, following - datetime.timedelta(days=1))))
        start = following
    return months


def _quarter(day: datetime.date) -> Period:
    return Period.parse(f"{day.year}Q{(day.month - 1) // 3 + 1}")


def latest_period_with_data(
    *, scope: ReportScope, today: datetime.date, fallback: Period
) -> Period:
    """The quarter of the scope's latest activity up to `today` (inside a project's dates), so a
    dashboard opens on figures rather than on an empty quarter; `fallback` when there is none."""
    scoped = Activity.objects.filter(organisation_id__in=scope.organisations, date__lte=today)
    if scope.project is not None:
        scoped = scoped.filter(project=scope.project)
    latest = scoped.aggregate(latest=Max("date"))["latest"]
    if latest is None:
        return fallback
    quarter = _quarter(latest)
    if scope.project is None:
        return quarter
    return Period(
        max(quarter.start, scope.project.starts_on), min(quarter.end, scope.project.ends_on)
    )


def dashboard_build(
    *, scope: ReportScope, period: Period, language: str, level: str = "province"
) -> Dashboard:
    with translation.override(language):
        context = report_context(scope=scope, period=period, language=language)
        reach = context.compute(Measure.DISTINCT_PEOPLE, (Dimension.SEX,))
        women = reach.by(Dimension.SEX).get("female", 0) if reach.cells else 0
        by_sex = context.line({"female": women, "rest": reach.total - women})
        headlines = [
            Headline(_("People reached"), by_sex[TOTAL], _("each counted once")),
            Headline(_("Women and girls reached"), by_sex["female"]),
            Headline(_("Activities (sessions)"), context.compute(Measure.SESSIONS).total),
            Headline(_("Attendances"), context.count(context.compute(Measure.ATTENDANCES).total)),
            Headline(
                _("People counted at events"),
                context.count(context.compute(Measure.HEADCOUNT).total),
                _("headcount, not added to reach"),
            ),
        ]
        charts = [_by_month(context, period), _by_kind(context), _by_age_and_sex(context)]
        map_dimension = Dimension.DISTRICT if level == "district" else Dimension.PROVINCE
        by_area = context.compute(Measure.DISTINCT_PEOPLE, (map_dimension,))
        map_title = (
            _("People reached by district")
            if level == "district"
            else _("People reached by province")
        )
        areas = [cell[0] for cell in by_area.cells]
        column = context.grid({(cell[0], ""): n for cell, n in by_area.cells.items()}, areas, [""])
        figures = {area: column[(area, "")] for area in areas if area != UNKNOWN}
        return Dashboard(
            title=name_in(scope, language),
            scope=scope,
            period=period,
            headlines=headlines,
            indicators=_indicator_figures(context),
            charts=[
                (chart.title, _inline_svg(chart, number))
                for number, chart in enumerate(charts)
                if chart.categories
            ],
            map_title=map_title,
            map=map_svg(figures=figures, level=level, language=language, title=map_title),
            members=_members(context) if scope.kind == "consortium" else None,
            voice=_voice(context),
        )


def _voice(context) -> list[Headline]:
    """The report's "Voice and accountability" headline figures, counted the same way."""
    figures = voice_figures(context)
    headlines = [
        Headline(_("Feedback and complaints received"), figures.feedback_total),
        Headline(_("Still open past their deadline"), figures.overdue),
        Headline(
            _("Staff-conduct and whistle-blower reports"),
            figures.restricted,
            _("focal points only; below five shown as <5"),
        ),
        Headline(_("Requests to authorities"), sum(figures.requests.values())),
    ]
    money = figures.money
    if money is not None:
        headlines.append(
            Headline(
                _("Cost per woman or girl reached"),
                money_text(money_shown(context, money).per_woman, money.currency),
                _("%(spent)s spent of %(budget)s")
                % {
                    "spent": money_text(money.spent, money.currency),
                    "budget": money_text(money.budget, money.currency),
                },
            )
        )
    return headlines


def _by_month(context, period: Period) -> Chart:
    months = _months(period)
    reached: list[int | str] = []
    for month in months:
        value = dataclasses.replace(context, period=month).compute(Measure.DISTINCT_PEOPLE)
        reached.append(context.count(value.total))  # distinct per month: they add to no total
    return Chart(
        title=_("People reached each month"),
        categories=[month.start.strftime("%Y-%m") for month in months],
        series={_("People"): reached},
    )


def _by_kind(context) -> Chart:
    kinds = ActivityKind.objects.filter(
        pk__in=_activities_in_scope(context).values("kind")
    ).order_by("name_en")
    names: list[str] = []
    people: list[int | str] = []
    for kind in kinds:
        value = context.compute(Measure.DISTINCT_PEOPLE, activity_kinds=(kind.code,))
        names.append(name_in(kind, context.language))
        people.append(context.count(value.total))  # a person in two kinds is in both
    return Chart(
        title=_("People reached by kind of activity"),
        categories=names,
        series={_("People"): people},
    )


def _by_age_and_sex(context) -> Chart:
    value = context.compute(Measure.DISTINCT_PEOPLE, (Dimension.AGE_BAND, Dimension.SEX))
    names = [f"{low}+" if high is None else f"{low}-{high}" for low, high in context.bands]
    present = {cell[0] for cell in value.cells}
    bands = [band for band in names if band in present] + ([UNKNOWN] if UNKNOWN in present else [])
    sexes = [sex for sex in Sex.values if any(cell[1] == sex for cell in value.cells)]
    grid = context.grid(dict(value.cells), bands, sexes)
    return Chart(
        title=_("People reached by age band and sex"),
        categories=[_("Unknown") if band == UNKNOWN else band for band in bands],
        series={str(Sex(sex).label): [grid[(band, sex)] for band in bands] for sex in sexes},
    )


def _members(context) -> Table:
    """Each member's aggregates and the consortium's total: never a person."""
    dims = (Dimension.ORGANISATION,)
    reach = context.compute(Measure.DISTINCT_PEOPLE, dims)
    sessions = context.compute(Measure.SESSIONS, dims)
    attendances = context.compute(Measure.ATTENDANCES, dims)
    members = Organisation.objects.filter(pk__in=context.scope.organisations)
    names = {o.slug: o.acronym or name_in(o, context.language) for o in members}
    slugs = sorted(names, key=lambda slug: names[slug])  # every member, with or without records
    # People and attendances each add up over the members to the consortium's total.
    figures = {
        (slug, measure): n
        for measure, value in (("reach", reach), ("attendances", attendances))
        for (slug, _column), n in context.grid(
            {(slug, measure): value.cells.get((slug,), 0) for slug in slugs}, slugs, [measure]
        ).items()
    }
    rows: list[list[str | int]] = [
        [
            names[slug],
            figures[(slug, "reach")],
            sessions.cells.get((slug,), 0),
            figures[(slug, "attendances")],
        ]
        for slug in slugs
    ]
    rows.append(
        [
            _("Consortium total"),
            figures[(TOTAL, "reach")],
            sessions.total,
            figures[(TOTAL, "attendances")],
        ]
    )
    return Table(
        title=_("Members"),
        columns=[_("Member"), _("People reached"), _("Activities (sessions)"), _("Attendances")],
        rows=rows,
    )
