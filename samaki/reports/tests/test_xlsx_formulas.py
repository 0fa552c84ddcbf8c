"""The report workbook writes formula-like text (activity titles, group names) inert."""

import datetime
import io

import openpyxl

from samaki.reports.data import ReportData, Section, Table
from samaki.reports.render import xlsx_render

HOSTILE = ['=HYPERLINK("http://x","y")', "+1+1", "@SUM(A1)", "-2+3"]


def test_activity_titles_and_group_names_are_not_formulas():
    table = Table(
        title="Activities",
        columns=["Title", "Group", "People"],
        rows=[[text, text, -2] for text in HOSTILE],
        note="=1+1",
    )
    report = ReportData(
        language="en",
        title="=cmd|' /C calc'!A0",
        subtitle="Home",
        scope_kind="organisation",
        scope_code="home",
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 12, 31),
        period_label="2024",
        generated_on=datetime.date(2025, 1, 15),
        indicators=[],
        sections=[Section(title="Work", paragraphs=["@SUM(A1)"], tables=[table])],
    )
    book = openpyxl.load_workbook(io.BytesIO(xlsx_render(report)))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert book["Summary"]["A1"].value == "'=cmd|' /C calc'!A0"
    assert book["Summary"]["A3"].value == "'@SUM(A1)"
    sheet = book["Activities"]
    assert [sheet.cell(row=3 + n, column=1).value for n in range(4)] == ["'" + t for t in HOSTILE]
    assert [sheet.cell(row=3 + n, column=2).value for n in range(4)] == ["'" + t for t in HOSTILE]
    people = [sheet.cell(row=3 + n, column=3) for n in range(4)]
    assert [(cell.data_type, cell.value) for cell in people] == [("n", -2)] * 4
    assert sheet.cell(row=8, column=1).value == "'=1+1"
