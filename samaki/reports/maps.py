"""A choropleth of Cambodia as SVG, drawn on the server from the GeoJSON in samaki/data/cambodia/.

Pure: figures by area code in, SVG text out. Coordinates are projected once (equirectangular,
longitude scaled by the cosine of the middle latitude), rounded to whole pixels and cached, so a
province map weighs about 30 KB and a district map about 100 KB.
"""

import functools
import itertools
import json
import math
from html import escape
from pathlib import Path

from django.utils.translation import gettext as _

DATA = Path(__file__).resolve().parent.parent / "data" / "cambodia"
FILES = {
    "province": "kh_provinces_derived_gb_cc-by.geojson",
    "district": "kh_districts_2014_gb_cc-by.geojson",
}
WIDTH = 480
# Light to dark; an area nobody was reached in is grey.
COLOURS = ("#f2e5f3", "#d7b5dc", "#b47fbf", "#8a4a9c", "#5b1f6e")
EMPTY = "#e8e8e8"
SUPPRESSED = "#c9c1a8"  # "<5": a count too small to show, outside the classes


@functools.cache
def _shapes(level: str) -> tuple[tuple[tuple[str, str, str, str], ...], int]:
    """((code, name_en, name_km, path d), …) and the height, for a width of WIDTH pixels."""
    collection = json.loads((DATA / FILES[level]).read_text(encoding="utf-8"))
    rings = []
    for feature in collection["features"]:
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        rings.append((feature["properties"], [ring for polygon in polygons for ring in polygon]))
    points = [point for _props, feature_rings in rings for ring in feature_rings for point in ring]
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    south, north = min(p[1] for p in points), max(p[1] for p in points)
    aspect = math.cos(math.radians((south + north) / 2))
    scale = WIDTH / ((east - west) * aspect)
    height = math.ceil((north - south) * scale)
    shapes = []
    for props, feature_rings in rings:
        parts = []
        for ring in feature_rings:
            points = []
            for lon, lat in ring:
                point = (round((lon - west) * aspect * scale), round((north - lat) * scale))
                if not points or point != points[-1]:
                    points.append(point)
            if len(points) >= 4:
                # Relative moves ("l dx dy …") are short: most steps are a pixel or two.
                steps = " ".join(
                    f"{x - px} {y - py}" for (px, py), (x, y) in itertools.pairwise(points)
                )
                parts.append(f"M{points[0][0]} {points[0][1]}l{steps}z")
        shapes.append((props["code"], props["name_en"], props["name_km"], "".join(parts)))
    return tuple(shapes), height


def _classes(maximum: int) -> list[tuple[str, int, int]]:
    """(colour, low, high) of each class: up to five equal steps, the largest figure darkest."""
    bounds = sorted({math.ceil(maximum * (i + 1) / len(COLOURS)) for i in range(len(COLOURS))})
    bounds = [bound for bound in bounds if bound > 0]
    if not bounds:
        return []
    colours = COLOURS[len(COLOURS) - len(bounds) :]
    lows = [1, *(bound + 1 for bound in bounds[:-1])]
    return list(zip(colours, lows, bounds, strict=True))


def map_svg(*, figures: dict[str, int | str], level: str, language: str, title: str) -> str:
    """An SVG map of provinces or districts, each filled by its figure, with a legend.

    A suppressed figure ("<5") has a colour of its own, outside the classes, which are drawn
    from the figures shown: a class's bounds would otherwise narrow down the hidden count.
    """
    shapes, height = _shapes(level)
    shown = [value for value in figures.values() if isinstance(value, int)]
    suppressed = sorted({value for value in figures.values() if isinstance(value, str)})
    classes = _classes(max(shown, default=0))
    legend_height = 22 * (len(COLOURS) + 2)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH + 150} '
        f'{max(height, legend_height)}" role="img" class="map" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        '<g stroke="#fff" stroke-width="0.6">',
    ]
    for code, name_en, name_km, path in shapes:
        value = figures.get(code, 0)
        if isinstance(value, str):
            colour, text = SUPPRESSED, value
        else:
            colour = next((c for c, _low, high in classes if 0 < value <= high), EMPTY)
            text = f"{value:,}"
        name = name_km if language == "km" and name_km else name_en
        out.append(
            f'<path d="{path}" fill="{colour}" data-code="{code}">'
            f"<title>{escape(name)}: {escape(text)}</title></path>"
        )
    out.append("</g>")
    x = WIDTH + 10
    labels = (
        [(EMPTY, _("none"))]
        + [
            (colour, f"{low:,}" if low == high else f"{low:,}–{high:,}")
            for colour, low, high in classes
        ]
        + [(SUPPRESSED, label) for label in suppressed]
    )
    for row, (colour, label) in enumerate(labels):
        y = 10 + 22 * row
        out.append(
            f'<rect x="{x}" y="{y}" width="16" height="16" fill="{colour}"/>'
            f'<text x="{x + 22}" y="{y + 13}" font-size="13">{escape(label)}</text>'
        )
    out.append("</svg>")
    return "".join(out)
