"""`{% load samaki_numbers %}`: figures on pages, written by `samaki.numbers` (the one home).

`|number` (1,216; `|number:1` for one decimal), `|money:currency` (4,200.00 GBP) and `|percent`
(125%), in Khmer digits on a Khmer page, like `samaki_format`'s `|num` (docs/reports.md,
"Numbers"). Documents sent out keep Latin digits: their renderers call `samaki.numbers` directly.
"""

from typing import Any

from django import template
from django.utils.translation import get_language

from samaki.numbers import format_money, format_number, format_percent

register = template.Library()


@register.filter
def number(value: Any, decimals: int = 0) -> str:
    return format_number(value, int(decimals), get_language())


@register.filter
def money(value: Any, currency: str = "") -> str:
    return format_money(value, currency, get_language())


@register.filter
def percent(value: Any, decimals: int = 0) -> str:
    return format_percent(value, int(decimals), get_language())
