"""Budget lines in a spreadsheet: the blank template and reading a filled one.

The file is read the imports app's way (`samaki.imports.services.read_table` and `parse_rows`:
its size limits, English or Khmer headers, Khmer digits, day-first dates); the rows are then
checked and written by `samaki.budgets.services.budget_lines_import`, all or nothing.
"""

import io
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

import openpyxl
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samaki.imports import values
from samaki.imports.formats import Column, Context, ImportFormat, Row
from samaki.imports.services import parse_rows, read_table
from samaki.spreadsheets import safe_row

CENT = Decimal("0.01")


def amount(value: Any) -> Decimal | None:
    """4200, 4200.5, "4,200.50", "៤២០០": a sum of money, zero or more, to the cent."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise values.BadValue(_("Expected an amount like 4200.00."))
    cleaned = values.text(value).translate(values.KHMER_DIGITS).replace(",", "").replace(" ", "")
    try:
        number = Decimal(str(value)) if isinstance(value, int | float) else Decimal(cleaned)
    except InvalidOperation:
        raise values.BadValue(
            _("Expected an amount like 4200.00, not “%(value)s”.") % {"value": value}
        ) from None
    if not number.is_finite() or number < 0:
        raise values.BadValue(_("An amount is zero or more."))
    if number != number.quantize(CENT):
        raise values.BadValue(_("An amount has at most two decimals (cents)."))
    return number.quantize(CENT)


def _currency(value: Any) -> str:
    code = values.code(value).upper()
    if code and (len(code) != 3 or not code.isalpha()):
        raise values.BadValue(_("Write the currency's three letters: USD, GBP, KHR…"))
    return code


COLUMNS = [
    Column("code", gettext_lazy("Code"), "កូដ", required=True, read=values.code, example="staff"),
    Column("name_en", gettext_lazy("Name (English)"), "ឈ្មោះ (អង់គ្លេស)", required=True,
           example="Staff salaries"),
    Column("name_km", gettext_lazy("Name (Khmer)"), "ឈ្មោះ (ខ្មែរ)", example="ប្រាក់ខែបុគ្គលិក"),
    Column("period_start", gettext_lazy("From"), "ចាប់ពី", required=True, read=values.date,
           example="2025-01-01"),
    Column("period_end", gettext_lazy("To"), "ដល់", required=True, read=values.date,
           example="2025-12-31"),
    Column("amount", gettext_lazy("Amount"), "ចំនួនទឹកប្រាក់", required=True, read=amount,
           example="4200.00"),
    Column("currency", gettext_lazy("Currency"), "រូបិយប័ណ្ណ", required=True, read=_currency,
           example="USD"),
    Column("partner", gettext_lazy("Partner (short name)"), "ដៃគូ", read=values.code),
]  # fmt: skip
LINES = ImportFormat(
    "budget_lines",
    gettext_lazy("Budget lines"),
    COLUMNS,
    check=lambda rows, ctx: None,  # checked by budget_lines_import
    write=lambda rows, ctx: None,
)


def column_header(key: str) -> str:
    """The header a row's error names ("" for the whole row); a service field is its column."""
    key = {"__all__": ""}.get(key, key)
    return LINES.header(key)


def template_xlsx(*, partners: list[str]) -> bytes:
    """An empty workbook: the headers (English / Khmer, * when required) and one example row;
    the partner column's example names the short names the project accepts."""
    book = openpyxl.Workbook()
    sheet: Any = book.active
    sheet.title = str(LINES.title)[:31]
    sheet.append([column.header + (" *" if column.required else "") for column in COLUMNS])
    examples = [column.example for column in COLUMNS]
    examples[-1] = partners[0] if partners else ""
    sheet.append(safe_row(examples))
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width = max(
            14, len(column.header) + 2
        )
        sheet.cell(row=2, column=index).number_format = "@"
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read_line_rows(
    *, content: bytes, file_name: str, fail: Callable[[int, str, str], None], ctx: Context
) -> list[Row]:
    """The file's readable rows, each cell read by its column; every unreadable cell, missing
    value or unreadable file goes to `fail(row number, column key, message)` instead."""
    try:
        table = read_table(content, file_name)
    except ValidationError as unreadable:
        fail(1, "", " ".join(unreadable.messages))
        return []
    rows = parse_rows(LINES, table, ctx)
    for problem in ctx.errors:
        fail(problem["row"], problem["column"], problem["message"])
    bad = {problem["row"] for problem in ctx.errors}
    return [row for row in rows if row.number not in bad]
