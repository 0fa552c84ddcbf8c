"""Text that a spreadsheet would run as a formula is written inert, in CSV and in XLSX."""

import csv
import io

import openpyxl
import pytest

from samaki.conftest import VILLAGE_IN_ANGKOR_THUM
from samaki.groups.services import group_create
from samaki.imports.exports import to_csv, to_xlsx
from samaki.spreadsheets import safe_cell

HOSTILE = ['=HYPERLINK("http://x","y")', "+1+1", "@SUM(A1)", "-2+3", "\t=1", "\r=1"]


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_text_gets_a_leading_quote(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", [-2, -1.5, 0, "-2", "-1.5", "Sok Dara", "", None, "a=b"])
def test_numbers_and_plain_text_are_unchanged(value):
    assert safe_cell(value) == value


def test_the_xlsx_writer_writes_formula_text_as_inert_strings():
    content = to_xlsx("Groups", ["Name", "Count"], None, [(text, -2) for text in HOSTILE])
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    for row, text in enumerate(HOSTILE, start=2):
        name, count = sheet.cell(row=row, column=1), sheet.cell(row=row, column=2)
        assert name.data_type == "s" and name.value == "'" + text
        assert count.data_type == "n" and count.value == -2


def test_group_names_export_inert_to_csv_and_xlsx(client, personas):
    for n, text in enumerate(HOSTILE[:4]):
        group_create(
            organisation=personas.home,
            by=personas.admin,
            name_en=text,
            kind_code="smart_women",
            area_code=VILLAGE_IN_ANGKOR_THUM,
            external_id=f"G{n}",
        )
    client.force_login(personas.admin)
    response = client.get("/imports/export/groups.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    column = rows[0].index("Name (English)")
    assert [row[column] for row in rows[1:]] == ["'" + text for text in HOSTILE[:4]]

    response = client.get("/imports/export/groups.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    names = [row[column] for row in sheet.iter_rows(min_row=2)]
    assert all(cell.data_type == "s" for cell in names)
    assert [cell.value for cell in names] == ["'" + text for text in HOSTILE[:4]]


def test_the_csv_writer_keeps_negative_numbers_numeric():
    content = to_csv(["Name", "Count"], None, [("=1+1", -2), ("-2", -1.5)])
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[1:] == [["'=1+1", "-2"], ["-2", "-1.5"]]
