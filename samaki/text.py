"""What Samaki keeps of the text people type or import.

Bidi controls (U+200E/F, U+202A–U+202E, U+2066–U+2069) make a name display as something it is
not ("\u202eanirA" shows as "Arina") and C0/C1 controls are invisible or break exports, so both
are dropped. The zero-width space, non-joiner and joiner (U+200B–U+200D) stay: Khmer text uses
them between words and inside clusters. Tab and newline stay for multi-line fields.
"""

import re
import unicodedata

INVISIBLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def strip_invisible(value: str) -> str:
    """`value` in NFC, without control or bidi-control characters."""
    return INVISIBLE.sub("", unicodedata.normalize("NFC", value))
