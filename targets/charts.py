"""A line chart of an indicator's history as inline SVG, drawn on the server.

No charting library: the portal runs on closed government networks, and one
polyline with its threshold needs no JavaScript. Colour is never the only
signal: points carry a <title> and the table below the chart lists the values.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from parplan.formatting import format_number, machine_number
from targets.models import IndicatorSnapshot

WIDTH, HEIGHT, PAD = 640, 200, 28


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    label: str


@dataclass(frozen=True)
class LineChart:
    points: list[ChartPoint]
    polyline: str
    threshold_y: float | None
    y_max: float
    y_min: float
    width: int = WIDTH
    height: int = HEIGHT


def line_chart(history: list[IndicatorSnapshot], threshold: Decimal | None) -> LineChart | None:
    measured = [(s.day, float(s.value)) for s in history if s.value is not None]
    if not measured:
        return None
    values = [value for _day, value in measured] + ([float(threshold)] if threshold is not None else [])
    low, high = min(values), max(values)
    if high == low:
        low, high = low - 1, high + 1
    span = high - low
    low, high = low - span * 0.1, high + span * 0.1

    def y(value: float) -> float:
        return round(HEIGHT - PAD - (value - low) / (high - low) * (HEIGHT - 2 * PAD), 1)

    step = (WIDTH - 2 * PAD) / max(len(measured) - 1, 1)
    points = [
        ChartPoint(round(PAD + i * step, 1), y(value), f"{day:%d/%m/%Y}: {format_number(value, 1)}")
        for i, (day, value) in enumerate(measured)
    ]
    return LineChart(
        points=points,
        # SVG reads a point as "x,y": the coordinates themselves are never localized.
        polyline=" ".join(f"{machine_number(p.x)},{machine_number(p.y)}" for p in points),
        threshold_y=y(float(threshold)) if threshold is not None else None,
        y_max=high,
        y_min=low,
    )
