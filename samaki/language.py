"""The two languages Samaki speaks, as reports, labels and documents name them."""

from django.utils.translation import get_language


def page_language() -> str:
    """The language of the page being answered: "km" on a Khmer page, "en" otherwise."""
    return "km" if (get_language() or "").startswith("km") else "en"
