"""Numbers and dates as Cambodian NGO staff write them: 12,450 and 21/11/2026, in Khmer digits
(១២,៤៥០ and ២១/១១/២០២៦) when the page is in Khmer."""

import datetime
from typing import Any

from django import template
from django.utils import translation

from samaki.numbers import digits, format_money, format_number, format_percent

register = template.Library()


@register.filter
def khmer_digits(value: object) -> str:
    """The value's digits in Khmer when the active language is Khmer; unchanged otherwise."""
    return digits("" if value is None else str(value), translation.get_language())


@register.filter
def num(value: object) -> str:
    """An integer with thousands separators: 2450 → 2,450 (២,៤៥០ in Khmer); `samaki.numbers`."""
    if value is None or value == "":
        return ""
    try:
        whole = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return khmer_digits(value)
    return format_number(whole, 0, translation.get_language())


@register.filter
def day(value: datetime.date | None) -> str:
    """dd/mm/yyyy."""
    if not value:
        return ""
    return khmer_digits(value.strftime("%d/%m/%Y"))


@register.filter
def term(value: object) -> str:
    """A vocabulary term (activity kind, topic…) in the page's language."""
    if value is None:
        return ""
    name_km = getattr(value, "name_km", "")
    if translation.get_language() == "km" and name_km:
        return name_km
    return getattr(value, "name_en", str(value))


@register.filter
def number(value: Any, decimals: int = 0) -> str:
    """A figure, `|number:1` for one decimal: 1,216 (១,២១៦ in Khmer); "<5" stays."""
    return format_number(value, int(decimals), translation.get_language())


@register.filter
def money(value: Any, currency: str = "") -> str:
    """`|money:currency`: 4,200.00 GBP."""
    return format_money(value, currency, translation.get_language())


@register.filter
def percent(value: Any, decimals: int = 0) -> str:
    """125%."""
    return format_percent(value, int(decimals), translation.get_language())
