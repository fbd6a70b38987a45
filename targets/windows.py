"""Which periods a figure covers, as a short label: "T1–T9/2024", "Q1–Q3/2024", "đến 14/09/2024".

Every number the portal shows (dashboard, indicator pages, reports) is computed
from some periods' figures; this module names them, the portal's way (dd/mm/yyyy),
in the active language. A flow (a count summed over months, a rate Σ/Σ) names
its first and last periods; a level (a latest value, a milestone) names the end
of the latest period it was read from (docs/indicators.md, "Windows").
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from targets.models import Aggregation, Frequency
from targets.periods import MONTHS_PER_PERIOD

if TYPE_CHECKING:
    from targets.models import Indicator, IndicatorSnapshot

_CUTOFF_DAY = 14


def first_month(start: datetime.date) -> int:
    """The plan month a window starting on `start` opens (15/12 opens January, 15/8 opens September)."""
    return start.month % 12 + 1 if start.day > _CUTOFF_DAY else start.month


def periods_label(frequency: str, start: datetime.date, end: datetime.date) -> str:
    """The periods from the one starting on `start` to the one ending on `end`: "T1–T9/2024"."""
    first, last, year = first_month(start), end.month, end.year
    months = MONTHS_PER_PERIOD.get(Frequency(frequency), 1) if frequency else 1
    if (first - 1) % months or last % months:
        months = 1  # not on this frequency's boundaries: name the months
    one, other = (first - 1) // months + 1, last // months
    facts = {"first": one, "last": other, "year": year}
    if months == 12:
        return _("năm %(year)s") % facts
    if months == 6:
        if one == other:
            return (_("6 tháng đầu năm %(year)s") if one == 1 else _("6 tháng cuối năm %(year)s")) % facts
        return _("năm %(year)s") % facts
    if months == 3:
        return (_("Q%(first)s/%(year)s") if one == other else _("Q%(first)s–Q%(last)s/%(year)s")) % facts
    return (_("T%(first)s/%(year)s") if one == other else _("T%(first)s–T%(last)s/%(year)s")) % facts


def as_of_label(end: datetime.date) -> str:
    """A level read from the latest period ending on `end`: "đến 14/09/2024"."""
    return _("đến %(day)s") % {"day": f"{end:%d/%m/%Y}"}


def is_level(indicator: Indicator) -> bool:
    """Read from the latest period (a year-to-date rate, a stock, a milestone), not summed over periods."""
    return indicator.aggregation in (Aggregation.LATEST, Aggregation.MILESTONE) and not (
        indicator.aggregation == Aggregation.MILESTONE and indicator.frequency != Frequency.YEAR
    )


def covered_label(indicator: Indicator, covered_from: datetime.date | None, covered_to: datetime.date | None) -> str:
    """The label of a number computed from the periods between `covered_from` and `covered_to` ("" without figures)."""
    if covered_to is None:
        return ""
    if is_level(indicator) or covered_from is None:
        return as_of_label(covered_to)
    return periods_label(indicator.frequency, covered_from, covered_to)


def snapshot_label(indicator: Indicator, snapshot: IndicatorSnapshot | None) -> str:
    """Which periods a stored evaluation covered ("" when it had no figures)."""
    if snapshot is None or snapshot.value is None:
        return ""
    return covered_label(indicator, snapshot.covered_from, snapshot.covered_to)
