"""The fonts Samaki renders Khmer and Latin text with: Noto Sans Khmer and Noto Sans.

Both come from PyPI (`fontpkg-noto-sans-khmer`, `fontpkg-noto-sans`), never from apt or a CDN.
Renderers that embed fonts (PDF, charts) take the installed files from `font_file()`. Web pages
load small WOFF2 subsets of the same files, kept in `static/samaki/fonts/` so that a fresh
machine serves them with no build step. After changing the fontpkg pins in pyproject.toml,
rebuild the subsets with `.venv/bin/python -m samaki.fonts` (it needs fontTools, in the dev
extra); a test fails while they lag behind the installed fonts.
"""

import dataclasses
import io
import shutil
from pathlib import Path

import fontpkg

KHMER = "Noto Sans Khmer"
LATIN = "Noto Sans"
WEB_FONTS_DIR = Path(__file__).resolve().parent / "static" / "samaki" / "fonts"


def font_file(family: str, *, style: str = "normal") -> Path:
    """The installed variable TrueType file of a family: every weight, for WeasyPrint or matplotlib."""
    return Path(fontpkg.path(family, style=style))


@dataclasses.dataclass(frozen=True)
class WebFont:
    """One WOFF2 file a page may load: a family cut down to the code points of `ranges`.

    Browsers download it only for pages that show one of those characters (CSS unicode-range).
    """

    family: str
    name: str
    ranges: tuple[tuple[int, int], ...]

    @property
    def path(self) -> Path:
        return WEB_FONTS_DIR / self.name

    @property
    def code_points(self) -> set[int]:
        return {cp for first, last in self.ranges for cp in range(first, last + 1)}

    @property
    def unicode_range(self) -> str:
        """The ranges as CSS writes them, e.g. `U+1780-17FF, U+25CC`."""
        return ", ".join(
            f"U+{first:04X}" if first == last else f"U+{first:04X}-{last:04X}"
            for first, last in self.ranges
        )


WEB_FONTS = (
    # Khmer, Khmer symbols, the zero-width space that marks word breaks, and the joiners and
    # the dotted circle that Khmer shaping needs in the same font as the letters around them.
    WebFont(KHMER, "noto-sans-khmer.woff2", ((0x1780, 0x17FF), (0x19E0, 0x19FF), (0x200B, 0x200D), (0x25CC, 0x25CC))),
    # Google Fonts' "latin" subset, less the zero-width characters above.
    WebFont(
        LATIN,
        "noto-sans-latin.woff2",
        (
            (0x0000, 0x00FF), (0x0131, 0x0131), (0x0152, 0x0153), (0x02BB, 0x02BC),
            (0x02C6, 0x02C6), (0x02DA, 0x02DA), (0x02DC, 0x02DC), (0x2000, 0x200A),
            (0x200E, 0x206F), (0x2074, 0x2074), (0x20AC, 0x20AC), (0x2122, 0x2122),
            (0x2191, 0x2191), (0x2193, 0x2193), (0x2212, 0x2212), (0x2215, 0x2215),
            (0xFEFF, 0xFEFF), (0xFFFD, 0xFFFD),
        ),
    ),
    # The rest of Latin Extended-A and the combining marks: UNGEGN romanisations of Khmer
    # place names (Bântéay Méanchoăy, Siĕm Réab).
    WebFont(
        LATIN,
        "noto-sans-latin-ext.woff2",
        ((0x0100, 0x0130), (0x0132, 0x0151), (0x0154, 0x017F), (0x0300, 0x036F)),
    ),
)  # fmt: skip


def web_font_build(font: WebFont) -> bytes:
    """Cut `font` from the installed family: its code points only, every OpenType feature kept
    (Khmer shaping needs them), the width axis pinned to normal, the weight axis kept."""
    from fontTools import subset
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    ttfont = TTFont(font_file(font.family), recalcTimestamp=False)
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(font.code_points))
    subsetter.subset(ttfont)
    if "fvar" in ttfont and any(axis.axisTag == "wdth" for axis in ttfont["fvar"].axes):
        instancer.instantiateVariableFont(ttfont, {"wdth": 100}, inplace=True)
    ttfont.flavor = "woff2"
    out = io.BytesIO()
    ttfont.save(out)
    return out.getvalue()


def main() -> None:
    WEB_FONTS_DIR.mkdir(parents=True, exist_ok=True)
    for font in WEB_FONTS:
        font.path.write_bytes(web_font_build(font))
        print(f"{font.path.relative_to(Path.cwd())}: {font.path.stat().st_size:,} bytes")
    for family in {font.family for font in WEB_FONTS}:
        licence = font_file(family).parents[1] / "LICENSE"
        shutil.copyfile(licence, WEB_FONTS_DIR / f"{fontpkg.slugify(family)}-OFL.txt")


if __name__ == "__main__":
    main()
