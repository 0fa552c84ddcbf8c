"""Cells that Samaki writes into CSV and XLSX files, made safe to open in a spreadsheet.

Text typed by people (a group's name, an activity's title, a reflection answer) can start with
a character that Excel, LibreOffice or Google Sheets reads as the start of a formula:
`=HYPERLINK("http://evil.example","Click")`, `+1+1`, `-2+3`, `@SUM(A1)`, or a tab or carriage
return before one of those. Opened by a partner, such a cell runs (CSV injection, or "formula
injection"). Every CSV and XLSX writer passes each cell through `safe_cell`, the one home of
this rule.
"""

import re
from typing import Any

# OWASP's list: https://owasp.org/www-community/attacks/CSV_Injection
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def safe_cell(value: Any) -> Any:
    """The value to write; text a spreadsheet would read as a formula gets a leading `'`.

    This is OWASP's recommendation (prepend a single quote to every cell that starts with
    = + - @ tab or carriage return), applied the same way to CSV and to XLSX, so a cell reads
    the same in both files. In XLSX the quoted text is also written as a string cell
    (openpyxl's data_type "s"), never a formula ("f"). Numbers, dates, booleans and None are
    returned unchanged, so -2 stays the number -2; so does text that is only a number ("-2",
    "-1.5"), which no spreadsheet can run.
    """
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    if PLAIN_NUMBER.fullmatch(value):
        return value
    return "'" + value


def safe_row(values: Any) -> list[Any]:
    """`safe_cell` of each value of a row, in order."""
    return [safe_cell(value) for value in values]
