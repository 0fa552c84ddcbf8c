"""Pure renderers: `ReportData` in, text or bytes out. No request, no ORM.

- HTML: the template reports/document.html (also the source of the PDF);
- PDF: WeasyPrint, with Noto Sans Khmer from `samaki.fonts` by file URL, and U+200B between Khmer
  words (khmercut) so Pango can break Khmer lines;
- DOCX: python-docx, with the complex-script font and `w:lang w:bidi="km-KH"` on the Normal style;
- XLSX: openpyxl, written fresh (one sheet per table);
- charts: one matplotlib function, SVG for HTML/PDF and PNG for DOCX.

Every figure is written by `samaki.numbers` (1,216; 4,200.00 GBP), with Latin digits in both
languages; XLSX keeps numbers as numbers. Each section may carry the M&E officer's narrative, each
indicator gets a table per disaggregation (its `cells`, already suppressed for an audience
outside the organisation), and the cover the organisation's logo (bytes in the report's data,
embedded: a PDF fetches nothing, `_no_fetching`).
"""

import base64
import functools
import io
import json
import re
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from samaki.fonts import KHMER, LATIN, font_file
from samaki.numbers import format_number
from samaki.reports.data import Chart, ReportData, Table
from samaki.spreadsheets import safe_row

KHMER_RUN = re.compile(r"[\u1780-\u17FF\u19E0-\u19FF]+")
ZWSP = "\u200b"


# --- Khmer line breaking ---------------------------------------------------------------------


@functools.cache
def _tokenizer() -> Any:
    import khmercut

    return khmercut.tokenize


def khmer_word_breaks(text: str) -> str:
    """`text` with a zero-width space between Khmer words, so that lines can break there."""
    tokenize = _tokenizer()
    return KHMER_RUN.sub(lambda match: ZWSP.join(tokenize(match.group(0))), text)


# --- charts --------------------------------------------------------------------------------


@functools.cache
def _matplotlib() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    for family in (LATIN, KHMER):
        font_manager.fontManager.addfont(str(font_file(family)))
    plt.rcParams["font.family"] = [LATIN, KHMER]
    plt.rcParams["svg.fonttype"] = "path"
    plt.rcParams["svg.hashsalt"] = "samaki"  # the same chart gives the same bytes
    return plt


def chart_render(chart: Chart, *, fmt: str, svg_text: bool = False) -> bytes:
    """A grouped bar chart as SVG or PNG.

    SVG draws its letters as paths (the PDF has no fonts of its own), or with `svg_text=True`
    writes them as text, shaped by the browser with the page's fonts: a tenth of the bytes, for
    an SVG put inline in a page.
    """
    plt = _matplotlib()
    with plt.rc_context({"svg.fonttype": "none" if svg_text else "path"}):
        return _chart_draw(plt, chart, fmt)


def _chart_draw(plt: Any, chart: Chart, fmt: str) -> bytes:
    figure, axes = plt.subplots(figsize=(6.4, 3.0), dpi=150)
    count = max(len(chart.series), 1)
    width = 0.8 / count
    for index, (name, values) in enumerate(chart.series.items()):
        positions = [i + index * width - 0.4 + width / 2 for i in range(len(chart.categories))]
        heights = [value if isinstance(value, int) else 0 for value in values]
        bars = axes.bar(positions, heights, width, label=name)
        axes.bar_label(bars, labels=[format_number(value) for value in values], fontsize=7)
    _integer_axis(axes, chart)
    axes.set_xticks(range(len(chart.categories)), chart.categories)
    if sum(len(category) for category in chart.categories) > 60:  # long names would overlap
        axes.tick_params(axis="x", labelrotation=30, labelsize=7)
        for label in axes.get_xticklabels():
            label.set_horizontalalignment("right")
    axes.set_title(chart.title, fontsize=10)
    axes.spines[["top", "right"]].set_visible(False)
    if chart.series:
        axes.legend(fontsize=8, frameon=False)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format=fmt, metadata={"Date": None} if fmt == "svg" else None)
    plt.close(figure)
    return out.getvalue()


def _integer_axis(axes: Any, chart: Chart) -> None:
    """Counts have whole ticks from 0 ("0, 1, 2", never "0.0" or "-0.0"), written as every figure
    is (1,216); an empty series still gets an axis from 0 to 1."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    highest = max(
        (value for values in chart.series.values() for value in values if isinstance(value, int)),
        default=0,
    )
    axes.set_ylim(0, max(highest, 1) * 1.1 if highest else 1)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))
    axes.yaxis.set_major_formatter(FuncFormatter(lambda tick, _position: format_number(tick)))


# --- indicators' disaggregation tables ---------------------------------------------------------


def indicator_tables(report: ReportData) -> list[Table]:
    """One table per indicator and dimension: each cell's figure and the indicator's total, the
    same figures as the report's JSON (`IndicatorFigure.cells`)."""
    tables = []
    with translation.override(report.language):
        for figure in report.indicators:
            for dimension, cells in figure.cells.items():
                rows: list[list[str | int]] = [[label, n] for label, n in cells.items()]
                rows.append([_("Total"), figure.value])
                tables.append(
                    Table(
                        title=_("%(code)s %(name)s, by %(dimension)s")
                        % {"code": figure.code, "name": figure.name, "dimension": dimension},
                        columns=[dimension, _("Value")],
                        rows=rows,
                    )
                )
    return tables


def _sections(report: ReportData) -> list[Any]:
    """The report's sections, the indicators' tables added to the indicators' own section."""
    extra = indicator_tables(report)
    return [
        (section, [*section.tables, *extra] if section.key == "indicators" else section.tables)
        for section in report.sections
    ]


def _paragraphs(text: str) -> list[str]:
    """A narrative's paragraphs: a blank line between them, as she typed it."""
    return [part.strip() for part in re.split(r"\n\s*\n", text) if part.strip()]


# --- HTML and PDF --------------------------------------------------------------------------


def _font_faces() -> str:
    return "\n".join(
        f'@font-face {{ font-family: "{family}"; src: url("{font_file(family).as_uri()}"); }}'
        for family in (LATIN, KHMER)
    )


def html_render(report: ReportData, *, embed_fonts: bool = False) -> str:
    sections = [
        {
            "title": section.title,
            "narrative": _paragraphs(section.narrative),
            "paragraphs": section.paragraphs,
            "tables": [
                {
                    "title": table.title,
                    "columns": table.columns,
                    "note": table.note,
                    "rows": [
                        [format_number(cell) if isinstance(cell, int) else cell for cell in row]
                        for row in table.rows
                    ],
                }
                for table in tables
            ],
            "charts": [
                "data:image/svg+xml;base64,"
                + base64.b64encode(chart_render(chart, fmt="svg")).decode()
                for chart in section.charts
            ],
        }
        for section, tables in _sections(report)
    ]
    logo = (
        f"data:{report.logo_type};base64,{base64.b64encode(report.logo).decode()}"
        if report.logo
        else ""
    )
    with translation.override(report.language):
        return render_to_string(
            "reports/document.html",
            {
                "report": {**report.__dict__, "sections": sections, "logo": logo},
                "font_faces": _font_faces() if embed_fonts else "",
            },
        )


def _no_fetching() -> Any:
    """WeasyPrint's fetcher for a report: the installed fonts (file URLs) and the embedded
    pictures (data URLs), nothing from the network."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"file", "data"}, allow_redirects=False)


def pdf_render(report: ReportData) -> bytes:
    from weasyprint import HTML

    html = khmer_word_breaks(html_render(report, embed_fonts=True))
    return HTML(string=html, url_fetcher=_no_fetching()).write_pdf()


# --- DOCX ----------------------------------------------------------------------------------


def _docx_khmer_defaults(document: Any) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    style = document.styles["Normal"]
    style.font.name = LATIN
    style.font.size = Pt(10)
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        fonts.set(qn(attribute), LATIN)
    fonts.set(qn("w:cs"), KHMER)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang)
    lang.set(qn("w:val"), "en-GB")
    lang.set(qn("w:bidi"), "km-KH")
    size_cs = rpr.makeelement(qn("w:szCs"), {qn("w:val"): "20"})
    rpr.append(size_cs)


def docx_render(report: ReportData) -> bytes:
    import docx
    from docx.shared import Cm

    document = docx.Document()
    _docx_khmer_defaults(document)
    if report.logo:
        document.add_picture(io.BytesIO(report.logo), height=Cm(2.5))
    document.add_heading(report.title, level=0)
    document.add_paragraph(report.subtitle)
    for section, tables in _sections(report):
        document.add_heading(section.title, level=1)
        for paragraph in _paragraphs(section.narrative):
            document.add_paragraph(paragraph)
        for paragraph in section.paragraphs:
            document.add_paragraph(paragraph)
        for table_data in tables:
            document.add_heading(table_data.title, level=2)
            table = document.add_table(rows=1, cols=len(table_data.columns))
            table.style = "Table Grid"
            for cell, column in zip(table.rows[0].cells, table_data.columns, strict=True):
                cell.text = str(column)
            for row in table_data.rows:
                cells = table.add_row().cells
                for cell, value in zip(cells, row, strict=True):
                    cell.text = format_number(value) if isinstance(value, int) else str(value)
            if table_data.note:
                document.add_paragraph(table_data.note)
        for chart in section.charts:
            document.add_picture(io.BytesIO(chart_render(chart, fmt="png")), width=Cm(16))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- XLSX ----------------------------------------------------------------------------------


def _sheet_title(title: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", " ", title)[:28] or "Sheet"
    name, n = base, 2
    while name in used:
        name = f"{base[:25]} {n}"
        n += 1
    used.add(name)
    return name


def xlsx_render(report: ReportData) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    summary = workbook.active
    summary.title = "Summary"
    summary.append(safe_row([report.title]))
    summary["A1"].font = Font(bold=True, size=14)
    summary.append(safe_row([report.subtitle]))
    used = {"Summary"}
    for section in report.sections:
        for paragraph in [*_paragraphs(section.narrative), *section.paragraphs]:
            summary.append(safe_row([paragraph]))
        for table in section.tables:
            sheet = workbook.create_sheet(_sheet_title(table.title, used))
            sheet.append(safe_row([table.title]))
            sheet["A1"].font = Font(bold=True)
            sheet.append(safe_row(table.columns))
            for cell in sheet[2]:
                cell.font = Font(bold=True)
            for row in table.rows:
                sheet.append(safe_row(row))
            if table.note:
                sheet.append([])
                sheet.append(safe_row([table.note]))
            sheet.column_dimensions["A"].width = 48
    if any(figure.cells for figure in report.indicators):
        _xlsx_indicator_cells(workbook.create_sheet(_sheet_title("Disaggregations", used)), report)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _xlsx_indicator_cells(sheet: Any, report: ReportData) -> None:
    """Every indicator's cells on one sheet, a row each, the figures as numbers ("<5" as text)."""
    with translation.override(report.language):
        sheet.append(safe_row([_("Code"), _("Indicator"), _("Dimension"), _("Cell"), _("Value")]))
    for figure in report.indicators:
        for dimension, cells in figure.cells.items():
            for label, n in cells.items():
                sheet.append(safe_row([figure.code, figure.name, dimension, label, n]))
    sheet.column_dimensions["B"].width = 40


def json_render(report: ReportData) -> bytes:
    return json.dumps(report.as_json(), ensure_ascii=False, indent=2).encode()


RENDERERS = {
    "json": json_render,
    "html": lambda report: html_render(report).encode(),
    "pdf": pdf_render,
    "docx": docx_render,
    "xlsx": xlsx_render,
}
CONTENT_TYPES = {
    "json": "application/json",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
