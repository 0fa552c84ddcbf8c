"""Reading values the way people type them in Cambodia: Khmer digits, day-first dates, 1,234."""

import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from samaki.numbers import LATIN_DIGITS

KHMER_DIGITS = LATIN_DIGITS  # Khmer digits read as digits (samaki.numbers)
MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january", "មករា"),
            ("feb", "february", "កុម្ភៈ"),
            ("mar", "march", "មីនា"),
            ("apr", "april", "មេសា"),
            ("may", "ឧសភា"),
            ("jun", "june", "មិថុនា"),
            ("jul", "july", "កក្កដា"),
            ("aug", "august", "សីហា"),
            ("sep", "sept", "september", "កញ្ញា"),
            ("oct", "october", "តុលា"),
            ("nov", "november", "វិច្ឆិកា"),
            ("dec", "december", "ធ្នូ"),
        ],
        start=1,
    )
    for name in names
}
NUMERIC_DATE = re.compile(r"^(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})$")
WORD_DATE = re.compile(r"^(\d{1,2})[\s\-]+([^\s\-\d]+)[\s\-,]+(\d{4})$")


class BadValue(ValueError):
    """A cell that cannot be read; the message says what was expected."""


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores codes typed as numbers as floats: 17020101.0
    return " ".join(str(value).split())


def code(value: Any) -> str:
    """A code (village, external ID): Khmer digits become ASCII, no inner spaces."""
    return text(value).translate(KHMER_DIGITS).replace(" ", "")


def integer(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise BadValue(_("Expected a whole number."))
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise BadValue(_("Expected a whole number, not %(value)s.") % {"value": value})
    cleaned = text(value).translate(KHMER_DIGITS).replace(",", "").replace(" ", "")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise BadValue(_("Expected a whole number, not “%(value)s”.") % {"value": value}) from None
    if number != number.to_integral_value():
        raise BadValue(_("Expected a whole number, not “%(value)s”.") % {"value": value})
    return int(number)


def date(value: Any) -> datetime.date | None:
    """2024-08-01, 1/8/2024 (day first, as written here), 1-Aug-2024, ១/៨/២០២៤, Excel dates."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    raw = text(value)
    cleaned = raw.translate(KHMER_DIGITS).strip().lower()
    try:
        match = NUMERIC_DATE.match(cleaned)
        if match:
            a, b, c = (int(part) for part in match.groups())
            if len(match.group(1)) == 4:
                return datetime.date(a, b, c)  # 2024-08-01
            if len(match.group(3)) == 4:
                return datetime.date(c, b, a)  # 01/08/2024: day first
        match = WORD_DATE.match(cleaned)
        if match and match.group(2) in MONTHS:
            return datetime.date(int(match.group(3)), MONTHS[match.group(2)], int(match.group(1)))
    except ValueError:
        pass
    raise BadValue(
        _("Expected a date like 2024-08-31 or 31/08/2024, not “%(value)s”.") % {"value": raw}
    )
