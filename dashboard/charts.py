"""The dashboard's bars, drawn on the server as SVG rectangles (docs/dashboard.md says why).

Each bar is a row of segments over a 0–100 viewBox: the template writes them as
<rect>s with their counts in words beside the bar, so colour is never the only signal.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.functional import Promise

from targets.models import IndicatorStatus
from tasks.models import TaskState

# Segment order and shade: good first, then what needs work, then what has no result yet.
INDICATOR_SHADES = (
    (IndicatorStatus.ACHIEVED, "bar-good"),
    (IndicatorStatus.ON_TRACK, "bar-fair"),
    (IndicatorStatus.AT_RISK, "bar-warn"),
    (IndicatorStatus.OFF_TRACK, "bar-bad"),
    (IndicatorStatus.NOT_ACHIEVED, "bar-worst"),
    (IndicatorStatus.NOT_APPLICABLE, "bar-none"),
    (IndicatorStatus.NO_DATA, "bar-none"),
)
TASK_SHADES = (
    (TaskState.COMPLETED_ON_TIME, "bar-good"),
    (TaskState.COMPLETED_LATE, "bar-fair"),
    (TaskState.AWAITING_CONFIRMATION, "bar-progress"),
    (TaskState.IN_PROGRESS, "bar-progress"),
    (TaskState.PAUSED, "bar-warn"),
    (TaskState.OVERDUE, "bar-bad"),
    (TaskState.NOT_STARTED, "bar-none"),
)


@dataclass(frozen=True)
class Segment:
    label: str | Promise
    n: int
    x: float  # from the left, in percent of the bar
    width: float
    shade: str  # a CSS class of static/css/parplan.css


def segments(counts: Counter[str], shades: Sequence[tuple[IndicatorStatus | TaskState, str]]) -> list[Segment]:
    """The counts as adjoining segments of a 100-wide bar, in `shades`' order; empty for no counts."""
    total = sum(counts[choice.value] for choice, _shade in shades)
    bar: list[Segment] = []
    x = 0.0
    for choice, shade in shades:
        n = counts[choice.value]
        if n:
            width = round(n / total * 100, 1)
            bar.append(Segment(choice.label, n, round(x, 1), width, shade))
            x += width
    return bar
