"""The two languages Samaki speaks, as reports, labels and documents name them."""

from typing import Any

from django.utils.translation import get_language


def page_language() -> str:
    """The language of the page being answered: "km" on a Khmer page, "en" otherwise."""
    return "km" if (get_language() or "").startswith("km") else "en"


def name_in(obj: Any, language: str) -> str:
    """`obj`'s name in `language` ("km" or "en"): its Khmer name on Khmer pages and documents
    when it has one, its English name otherwise."""
    return (obj.name_km if language == "km" and obj.name_km else obj.name_en) or ""
