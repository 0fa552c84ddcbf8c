"""Numbers as people here write them, the one way every page and report shows a figure.

- Thousands grouped with a comma, decimals after a point: 1,216 and 4,200.00 GBP, in English and
  in Khmer alike (the way Cambodian NGO staff, their donors and their spreadsheets write them).
- Khmer digits (១,២១៦) where asked for: `language="km"`. Pages in Khmer ask for them (the
  `|number` and `|money` filters follow the page's language); documents sent out (report HTML,
  PDF, DOCX, XLSX) keep Latin digits in both languages, so a donor or a spreadsheet reads the
  same figure in either report.
- A count hidden by small-cell suppression is text ("<5", `results.suppression.Suppressed`) and
  stays as it is; a missing figure is "–"; "-0" never appears.
"""

from decimal import Decimal
from typing import Any

KHMER_DIGITS = str.maketrans("0123456789", "០១២៣៤៥៦៧៨៩")
# Reading what people type: Khmer digits are digits (phones, amounts, codes).
LATIN_DIGITS = str.maketrans("០១២៣៤៥៦៧៨៩", "0123456789")
MISSING = "–"

Number = int | float | Decimal


def digits(text: str, language: str | None = None) -> str:
    """`text` with Khmer digits when `language` is Khmer; unchanged otherwise."""
    if language is not None and language.startswith("km"):
        return text.translate(KHMER_DIGITS)
    return text


def format_number(value: Any, decimals: int = 0, language: str | None = None) -> str:
    """1216 → "1,216"; 4200 with decimals=2 → "4,200.00"; "<5" → "<5"; None → "–"."""
    if value is None or value == "":
        return MISSING
    if isinstance(value, str):  # a suppressed cell, "<5", or a figure already written
        return digits(value, language)
    if isinstance(value, bool):
        value = int(value)
    text = f"{value:,.{decimals}f}"
    if text.startswith("-") and not text.strip("-0.,"):  # -0, -0.00: a rounded zero has no sign
        text = text[1:]
    return digits(text, language)


def format_money(amount: Any, currency: str, language: str | None = None) -> str:
    """4200 GBP → "4,200.00 GBP" (two decimals, the currency's code after)."""
    if amount is None:
        return MISSING
    return f"{format_number(amount, 2, language)} {currency}".strip()


def format_percent(value: Any, decimals: int = 0, language: str | None = None) -> str:
    """125.0 → "125%"; None → "–"."""
    if value is None:
        return MISSING
    return f"{format_number(value, decimals, language)}%"
