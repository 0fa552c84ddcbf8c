"""Search keys for names: one spelling per name, whichever way it was typed.

Latin spellings of Khmer names vary (Sokcha/Sokchea, Phearong/Pheakrong, Sreymom/Sreimom);
Khmer script varies too (COENG DA typed for COENG TA, a subscript typed after the vowel). The
keys below fold those variants together, so the database can narrow a search with a plain
`contains` and spot a likely duplicate with `=`. docs/web.md explains the rules.
"""

import re
import unicodedata

# Applied in order, to a lowercase ASCII word. Aspirates first (chh, ch, ph, th, kh lose their h),
# then the vowels romanised in several ways, then the final k that is often heard but not written.
LATIN_FOLDS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(pattern), replacement)
    for pattern, replacement in [
        (r"chh", "c"),
        (r"ch", "c"),
        (r"([ptk])h", r"\1"),
        (r"ea", "a"),
        (r"(?<=.)[ey]", "i"),  # Srey/Srei, Sreymom/Sreimom; Chenda/Chinda
        (r"ou|oo|uo", "u"),
        (r"au", "o"),
        (r"w", "v"),
        (r"k(?=[^aeiou])", ""),  # Pheakrong/Phearong, Sokcha/Socha
        (r"(.)\1+", r"\1"),  # double letters: Sophall/Sophal
    ]
]

COENG = "\u17d2"
KHMER_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff\\s]")
# Canonical order of the marks after a base consonant: subscripts (COENG + consonant), then register
# shifters, robat, dependent vowels, then other signs.
MARK_ORDER = {
    **dict.fromkeys("\u17c9\u17ca", 1),
    "\u17cc": 2,
    **{chr(c): 3 for c in range(0x17B6, 0x17C6)},
    **{chr(c): 4 for c in [*range(0x17C6, 0x17D2), 0x17D3, 0x17DD]},
}
KHMER_COMPOSITES = [
    ("\u17c1\u17b8", "\u17be"),  # េ + ី → ើ
    ("\u17c1\u17b6", "\u17c4"),  # េ + ា → ោ
    (COENG + "\u178a", COENG + "\u178f"),  # COENG DA → COENG TA: the same glyph, two encodings
]


def fold_latin(text: str) -> str:
    """'Sokchéa  Phéakrong' → 'soca parong'."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = re.findall(r"[a-z]+", ascii_only)
    folded = []
    for word in words:
        for pattern, replacement in LATIN_FOLDS:
            word = pattern.sub(replacement, word)
        folded.append(word)
    return " ".join(folded)


def normalise_khmer(text: str) -> str:
    """Khmer text in one code-point order, without spaces or zero-width characters."""
    text = KHMER_INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    for typed, canonical in KHMER_COMPOSITES:
        text = text.replace(typed, canonical)
    clusters: list[list[str]] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == COENG and index + 1 < len(text):
            unit = text[index : index + 2]
            index += 2
        else:
            unit = char
            index += 1
        if clusters and (unit[0] == COENG or unit in MARK_ORDER):
            clusters[-1].append(unit)
        else:
            clusters.append([unit])
    ordered = []
    for base, *marks in clusters:
        # Subscripts keep their own order (rank 0); the sort is stable.
        marks.sort(key=lambda mark: 0 if mark[0] == COENG else MARK_ORDER[mark])
        ordered.append(base + "".join(marks))
    text = "".join(ordered)
    for typed, canonical in KHMER_COMPOSITES:
        text = text.replace(typed, canonical)
    return text


KHMER_CHAR = re.compile("[\u1780-\u17ff]")


def has_khmer(text: str) -> bool:
    return bool(KHMER_CHAR.search(text))


def phone_digits(text: str) -> str:
    """'+855 12 345 678' → '012345678': digits only, the country code as a leading 0."""
    digits = re.sub(r"\D", "", text.translate(str.maketrans("០១២៣៤៥៦៧៨៩", "0123456789")))
    if digits.startswith("855"):
        digits = "0" + digits[3:]
    return digits
