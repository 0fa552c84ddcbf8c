"""A results framework as an XLSX workbook, and back: so a logframe can be copied between projects.

Four sheets, each a header row then one row per thing: "Framework" (field, value: the tier names
and age bands), "Results" (code, level, parent, statements), "Indicators" (the result's code, the
indicator's columns, its denominator's as `denominator_<column>`) and "Targets" (the result's
and the indicator's codes, the period and the value). Vocabulary codes are written as codes, so
the importing organisation's own terms are matched by code.

`framework_workbook` is pure (rows in, bytes out); `framework_sheets` reads a file within the
import limits (samaki.imports.services) and gives each sheet's rows as dictionaries with their
row numbers. The writing is `services.framework_import`.
"""

import dataclasses
import datetime
import decimal
import io
import zipfile
from typing import Any
from xml.etree.ElementTree import ParseError

import openpyxl
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from samaki.imports.services import import_size_check, rows_bounded
from samaki.spreadsheets import safe_row

FRAMEWORK_SHEET = "Framework"
RESULTS_SHEET = "Results"
INDICATORS_SHEET = "Indicators"
TARGETS_SHEET = "Targets"

RESULT_COLUMNS = ["code", "level", "parent", "statement_en", "statement_km"]
DENOMINATOR_COLUMNS = [
    "measure",
    "activity_kinds",
    "topics",
    "group_kinds",
    "outcome_kinds",
    "sex",
    "area_path",
    "id_poor",
    "attributes",
]
INDICATOR_COLUMNS = [
    "result",
    "code",
    "name_en",
    "name_km",
    "kind",
    *DENOMINATOR_COLUMNS,
    "dimensions",
    "definition_en",
    "definition_km",
    "unit",
    "data_source",
    "frequency",
    "responsible",
    "baseline",
    "baseline_on",
    "direction",
    "cumulative",
    *(f"denominator_{name}" for name in DENOMINATOR_COLUMNS),
]
TARGET_COLUMNS = ["result", "indicator", "period_kind", "starts_on", "ends_on", "value"]
SHEETS = {
    FRAMEWORK_SHEET: ["field", "value"],
    RESULTS_SHEET: RESULT_COLUMNS,
    INDICATORS_SHEET: INDICATOR_COLUMNS,
    TARGETS_SHEET: TARGET_COLUMNS,
}


@dataclasses.dataclass(frozen=True)
class SheetRow:
    sheet: str
    number: int  # the spreadsheet's row number (the header is row 1)
    values: dict[str, Any]

    def text(self, column: str) -> str:
        value = self.values.get(column)
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip()


def framework_workbook(sheets: dict[str, list[list[Any]]]) -> bytes:
    """The workbook: each sheet of SHEETS with its header and `sheets[name]`'s rows."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, header in SHEETS.items():
        sheet = book.create_sheet(name)
        sheet.append(header)
        for row in sheets.get(name, []):
            sheet.append(safe_row(_cell(value) for value in row))
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def framework_sheets(content: bytes) -> dict[str, list[SheetRow]]:
    """Each sheet's rows under its header (blank rows skipped). Refuses a file that is not an
    XLSX Samaki can read, is past the import limits, or lacks a sheet or a column."""
    import_size_check(size=len(content))
    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise ValidationError(
            _("This is not an Excel file Samaki can read (%(error)s).") % {"error": error}
        ) from None
    out: dict[str, list[SheetRow]] = {}
    try:
        for name, columns in SHEETS.items():
            if name not in book.sheetnames:
                raise ValidationError(
                    _("The file has no sheet “%(sheet)s”: export a framework to see the layout.")
                    % {"sheet": name}
                )
            sheet = book[name]
            sheet.reset_dimensions()
            table = rows_bounded(sheet.iter_rows(values_only=True))
            header = [str(cell or "").strip() for cell in (table[0] if table else [])]
            missing = [column for column in columns if column not in header]
            if missing:
                raise ValidationError(
                    _("Sheet “%(sheet)s” lacks the columns %(columns)s.")
                    % {"sheet": name, "columns": ", ".join(missing)}
                )
            rows = []
            for number, cells in enumerate(table[1:], start=2):
                if not any(cell not in (None, "") for cell in cells):
                    continue
                rows.append(SheetRow(name, number, dict(zip(header, cells, strict=False))))
            out[name] = rows
    except (KeyError, ParseError) as error:
        raise ValidationError(
            _("This is not an Excel file Samaki can read (%(error)s).") % {"error": error}
        ) from None
    finally:
        book.close()
    return out


def cell_date(value: Any) -> datetime.date | None:
    """A date cell (a date, a datetime or ISO text); None when empty. ValueError otherwise."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value).strip())
