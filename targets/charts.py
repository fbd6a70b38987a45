"""Trend charts of an indicator's values as inline SVG, drawn on the server.

No charting library: the portal runs on closed government networks, and a line
with its axes and threshold needs no JavaScript. Colour is never the only
signal: points carry a <title>, the SVG a <title> and <desc> written from the
same numbers, and the tables beside the charts list the values.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from parplan.formatting import format_number, machine_number
from targets.models import IndicatorSnapshot, Period

# --- A trend chart with axes: the dashboard's indicators and the indicator page -----------------
# Drawn on the server for the same reasons: it prints, needs no script, and its text alternative
# (the SVG's <title> and <desc>) is written from the same numbers as the drawing.

TREND_WIDTH, TREND_HEIGHT = 320, 150
TREND_LEFT, TREND_RIGHT, TREND_TOP, TREND_BOTTOM = 42, 12, 16, 30
TREND_LABELLED = 6  # up to this many points each carry their value; beyond, the last one and every other


@dataclass(frozen=True)
class Tick:
    position: float  # y for the value axis, x for the period axis
    label: str


@dataclass(frozen=True)
class TrendPoint:
    x: float
    y: float
    period: str  # the period's name, as in the text alternative: "Tháng 11/2024"
    value: str  # formatted as the tables write it: "87,3"
    labelled: bool


@dataclass(frozen=True)
class TrendChart:
    points: list[TrendPoint]
    polyline: str
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    threshold_y: float | None
    width: int = TREND_WIDTH
    height: int = TREND_HEIGHT
    left: int = TREND_LEFT
    right: int = TREND_WIDTH - TREND_RIGHT
    top: int = TREND_TOP
    bottom: int = TREND_HEIGHT - TREND_BOTTOM

    @property
    def description(self) -> str:
        """The values the chart draws, in words: its text alternative."""
        return "; ".join(f"{p.period}: {p.value}" for p in self.points)


def nice_ticks(low: float, high: float, count: int = 4) -> list[float]:
    """Round values for an axis from below `low` to above `high`, about `count` of them (1, 2, 2.5 or 5 × 10ⁿ)."""
    if high <= low:
        low, high = low - 1, high + 1
    raw = (high - low) / max(count - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first, last = math.floor(low / step) * step, math.ceil(high / step) * step
    return [round(first + i * step, 10) for i in range(round((last - first) / step) + 1)]


def tick_decimals(ticks: list[float]) -> int:
    """The fewest decimals that write every tick exactly (0,05 steps need two: "99,1" twice said nothing)."""
    return next((d for d in range(4) if all(abs(round(t, d) - t) < 1e-9 for t in ticks)), 4)


def trend_chart(
    points: list[tuple[str, str, float]], threshold: Decimal | None, *, decimals: int = 1, suffix: str = ""
) -> TrendChart | None:
    """A line over the periods: `points` are (period name, short axis label, value), oldest first.

    None below two points: one value is no trend, and the table beside it says it.
    """
    if len(points) < 2:
        return None
    values = [value for _name, _short, value in points]
    ticks = nice_ticks(min([*values, *([float(threshold)] if threshold is not None else [])]),
                       max([*values, *([float(threshold)] if threshold is not None else [])]))  # fmt: skip
    low, high = ticks[0], ticks[-1]
    top, bottom = TREND_TOP, TREND_HEIGHT - TREND_BOTTOM
    left, right = TREND_LEFT + 8, TREND_WIDTH - TREND_RIGHT - 8

    def y(value: float) -> float:
        return round(bottom - (value - low) / (high - low) * (bottom - top), 1)

    step = (right - left) / (len(points) - 1)
    every = 1 if len(points) <= TREND_LABELLED else 2
    last = len(points) - 1
    drawn = [
        TrendPoint(
            x=round(left + i * step, 1), y=y(value), period=name, labelled=len(points) <= TREND_LABELLED or i == last,
            value=format_number(value, decimals, grouped=True) + suffix,
        )
        for i, (name, _short, value) in enumerate(points)
    ]  # fmt: skip
    # Period labels from the last one backwards, so that the latest period is always named.
    x_ticks = [Tick(drawn[i].x, points[i][1]) for i in range(len(points)) if (last - i) % every == 0]
    return TrendChart(
        points=drawn,
        polyline=" ".join(f"{machine_number(p.x)},{machine_number(p.y)}" for p in drawn),
        y_ticks=[Tick(y(t), format_number(t, tick_decimals(ticks), grouped=True)) for t in ticks],
        x_ticks=x_ticks,
        threshold_y=y(float(threshold)) if threshold is not None else None,
    )


def period_names(day: datetime.date, months: Sequence[Period]) -> tuple[str, str]:
    """An evaluation day named for the month it reports: the last whose figures were due by then.

    (Its full name for the text alternative, a short one for the axis.) A day before the
    first month's due date keeps its date.
    """
    reported = [month for month in months if month.due_date <= day]
    if not reported:
        return f"{day:%d/%m/%Y}", f"{day:%d/%m}"
    month = reported[-1]
    return str(month), f"{month.number:02d}/{month.end:%y}"


def history_chart(
    history: Sequence[IndicatorSnapshot], threshold: Decimal | None, months: Sequence[Period], *, suffix: str = ""
) -> TrendChart | None:
    """The indicator page's chart: one point per month reported, its last evaluation's value.

    The history holds every evaluation day (each approval re-evaluates the day);
    a month's last value is the one its period settled on.
    """
    by_month: dict[str, tuple[str, float]] = {}
    for snapshot in history:  # oldest first
        if snapshot.value is not None:
            name, short = period_names(snapshot.day, months)
            by_month.pop(name, None)  # re-inserted last: the order stays the months'
            by_month[name] = (short, float(snapshot.value))
    return trend_chart([(name, short, value) for name, (short, value) in by_month.items()], threshold, suffix=suffix)
