"""Small-cell suppression: the one rule for every count that leaves the organisation.

A count from 1 to threshold-1 is shown as "<5" (primary suppression), and wherever a row or a
column with its total would then let a reader subtract her way back to a hidden cell, a second
cell is hidden too (secondary suppression). Zero is shown: it identifies nobody.

Survivor figures (`cases.reporting`) are always suppressed; programme figures (reports and
dashboards) when their audience is outside the organisation (`Audience.EXTERNAL`).
"""

import dataclasses
from collections.abc import Hashable, Sequence

from django.db import models

THRESHOLD = 5
TOTAL = "__total__"

Key = tuple[Hashable, Hashable]


class Audience(models.TextChoices):
    INTERNAL = "internal"  # the organisation's own people: exact figures
    EXTERNAL = "external"  # a consortium lead, a donor, a partner: small counts suppressed


class Suppressed(str):
    """A hidden count: the text "<5", never the number (so no render or export can leak it)."""

    __slots__ = ()

    def __new__(cls, threshold: int = THRESHOLD) -> "Suppressed":
        return super().__new__(cls, f"<{threshold}")


Count = int | str  # a count, or a `Suppressed` "<5"


def suppress_grid(
    counts: dict[Key, int],
    *,
    rows: Sequence[Hashable],
    columns: Sequence[Hashable],
    threshold: int = THRESHOLD,
) -> dict[Key, Count]:
    """Counts by (row, column) → the same with row, column and grand totals (keyed TOTAL), each
    cell either its count or `Suppressed`.

    Every line (a row with its total, a column with its total) that hides exactly one value
    hides another: the smallest non-zero value still shown, so no hidden value equals a total
    minus the rest.
    """
    value: dict[Key, int] = {}
    for row in rows:
        for column in columns:
            value[(row, column)] = counts.get((row, column), 0)
        value[(row, TOTAL)] = sum(value[(row, column)] for column in columns)
    for column in [*columns, TOTAL]:
        value[(TOTAL, column)] = sum(value[(row, column)] for row in rows)

    hidden = {key for key, n in value.items() if 0 < n < threshold}
    lines = [[(row, column) for column in [*columns, TOTAL]] for row in [*rows, TOTAL]]
    lines += [[(row, column) for row in [*rows, TOTAL]] for column in [*columns, TOTAL]]
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(key in hidden for key in line) != 1:
                continue
            shown = [key for key in line if key not in hidden]
            candidates = [key for key in shown if value[key] > 0] or shown
            if not candidates:
                continue
            # The smallest inner cell first; a total only when nothing else is left to hide.
            hidden.add(min(candidates, key=lambda key: (TOTAL in key, value[key])))
            changed = True
    return {key: (Suppressed(threshold) if key in hidden else n) for key, n in value.items()}


def suppress_count(n: int, *, threshold: int = THRESHOLD) -> Count:
    """A figure that stands alone (no total beside it to subtract from)."""
    return Suppressed(threshold) if 0 < n < threshold else n


@dataclasses.dataclass(frozen=True)
class SuppressedTable:
    rows: list[Hashable]
    columns: list[Hashable]
    cells: dict[Key, str]  # (row, column) → "12" or "<5"; TOTAL for totals
    threshold: int

    def cell(self, row: Hashable, column: Hashable) -> str:
        return self.cells[(row, column)]

    def as_rows(self) -> list[tuple[Hashable, list[str]]]:
        """Each row's cells and its total, then the totals row (keyed TOTAL)."""
        return [
            (row, [self.cells[(row, column)] for column in [*self.columns, TOTAL]])
            for row in [*self.rows, TOTAL]
        ]


def suppress_table(
    counts: dict[Key, int],
    *,
    rows: Sequence[Hashable],
    columns: Sequence[Hashable],
    threshold: int = THRESHOLD,
) -> SuppressedTable:
    """`suppress_grid` as text, every cell "12" or "<5": for survivor tables."""
    grid = suppress_grid(counts, rows=rows, columns=columns, threshold=threshold)
    cells = {key: str(n) for key, n in grid.items()}
    return SuppressedTable(list(rows), list(columns), cells, threshold)
