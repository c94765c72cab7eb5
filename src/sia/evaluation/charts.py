"""A horizontal bar chart of the values of the instrument's groups (its declared levels) as inline SVG, laid out on the server."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .framework_loader import LEVEL_MAX
from .group_rows import group_rows
from .scoring import display, exact_text

WIDTH = 760
LABEL_WIDTH = 340
VALUE_WIDTH = 48
ROW_HEIGHT = 22
TOP = 24
BAR_AREA = WIDTH - LABEL_WIDTH - VALUE_WIDTH


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal
    kind: str  # "domain" (a group of groups, bold) or "aspect" (the indicators' groups)
    y: int
    width: float
    title: str = ""  # the full label with the level's name ("Aspek 3. Data")

    @property
    def shown(self) -> Decimal:
        return display(self.value)

    @property
    def text_y(self) -> int:
        return self.y + ROW_HEIGHT - 7

    @property
    def bar_y(self) -> int:
        return self.y + 3

    @property
    def bar_height(self) -> int:
        return ROW_HEIGHT - 6

    @property
    def value_x(self) -> float:
        return LABEL_WIDTH + self.width + 4


@dataclass(frozen=True)
class Tick:
    x: float
    label: str
    band: bool  # a predicate threshold (dashed) or a plain level line


def _x(value: Decimal) -> float:
    return round(float(value) / LEVEL_MAX * BAR_AREA, 1)


def bar_chart(result, framework) -> dict:
    """Rows: each group followed by its members, at the levels the instrument declares (Domain > Aspek, Aspek,
    Pilar > Domain > Aspek; none for indicators only); ticks at levels 1-5 and at the predicate thresholds."""
    bars, y = [], TOP
    for row in group_rows(framework, result):
        bars.append(Bar(f"{row['short']}. {row['name']}", row["exact"], row["css"], y, _x(row["exact"]),
                        f"{row['level']} {row['number']}. {row['name']}"))
        y += ROW_HEIGHT
    thresholds = sorted({b.lower for b in framework.bands if b.lower is not None})
    ticks = [Tick(LABEL_WIDTH + _x(Decimal(level)), str(level), False) for level in range(1, LEVEL_MAX + 1)]
    ticks += [Tick(LABEL_WIDTH + _x(t), exact_text(t), True) for t in thresholds]
    return {
        "width": WIDTH, "height": y + 8, "bars": bars, "ticks": ticks, "label_width": LABEL_WIDTH,
        "label_x": LABEL_WIDTH - 6, "top": TOP - 4, "bottom": y, "bar_x": LABEL_WIDTH,
    }
