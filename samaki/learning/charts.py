"""A small line chart of capacity per domain over time, as plain data for an inline SVG.

No JavaScript and no chart library: the template draws polylines from these coordinates.
"""

import dataclasses

from samaki.learning.queries import AssessmentScores

WIDTH, HEIGHT, PAD = 480, 200, 30
COLOURS = ["#8e2453", "#1f6f8b", "#d08c00", "#3c8d2f", "#6b4fa0", "#555555"]


@dataclasses.dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str


@dataclasses.dataclass(frozen=True)
class Series:
    name: str
    colour: str
    points: list[Point]

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


@dataclasses.dataclass(frozen=True)
class Chart:
    width: int
    height: int
    series: list[Series]
    x_labels: list[Point]
    y_lines: list[Point]  # 0, 25, 50, 75, 100 %


def capacity_chart(history: list[AssessmentScores], *, language: str = "en") -> Chart:
    """`history` in date order: one point per assessment and domain, y = percent of the top score."""
    dates = [entry.assessed_on for entry in history]
    span = max(len(dates) - 1, 1)

    def x(n: int) -> float:
        return PAD + (WIDTH - 2 * PAD) * (n / span if len(dates) > 1 else 0.5)

    def y(percent: float) -> float:
        return HEIGHT - PAD - (HEIGHT - 2 * PAD) * percent / 100

    points: dict[int, list[Point]] = {}
    names: dict[int, str] = {}
    for n, entry in enumerate(history):
        for score in entry.domains:
            domain = score.domain
            names[domain.pk] = (domain.name_km if language == "km" else "") or domain.name_en
            points.setdefault(domain.pk, []).append(
                Point(x(n), y(score.percent), f"{score.percent:g}%")
            )
    series = [
        Series(names[pk], COLOURS[i % len(COLOURS)], pts)
        for i, (pk, pts) in enumerate(points.items())
    ]
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        series=series,
        x_labels=[Point(x(n), HEIGHT - 8, day.isoformat()) for n, day in enumerate(dates)],
        y_lines=[Point(PAD, y(p), f"{p}%") for p in (0, 25, 50, 75, 100)],
    )
