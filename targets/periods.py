"""The reporting calendar (domain.md): periods and their official cut-off windows.

A year's data runs from 15/12 of the previous year to 14/12; each month's from
the 15th of the previous month to the 14th; quarters and half-years are unions
of those months. Figures are due on the 20th of the period's last month, the
day the PAR reports are due.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from targets.models import Frequency

_CUTOFF_DAY = 14
_DUE_DAY = 20
_MONTHS_PER_PERIOD = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.HALF_YEAR: 6, Frequency.YEAR: 12}


@dataclass(frozen=True)
class PeriodSpec:
    frequency: str
    number: int
    label: str
    start: datetime.date
    end: datetime.date
    due_date: datetime.date


def _window_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, _CUTOFF_DAY)


def _window_start(year: int, month: int) -> datetime.date:
    """The day after the previous month's cut-off."""
    return _window_end(year, month - 1) + datetime.timedelta(days=1) if month > 1 else datetime.date(year - 1, 12, 15)


def _label(frequency: str, number: int, year: int) -> str:
    if frequency == Frequency.MONTHLY:
        return f"Tháng {number:02d}/{year}"
    if frequency == Frequency.QUARTERLY:
        return f"Quý {'I II III IV'.split()[number - 1]}/{year}"
    if frequency == Frequency.HALF_YEAR:
        return f"{'6 tháng đầu năm' if number == 1 else '6 tháng cuối năm'} {year}"
    return f"Năm {year}"


def periods_for_year(year: int) -> list[PeriodSpec]:
    specs = []
    for frequency, months in _MONTHS_PER_PERIOD.items():
        for number in range(1, 12 // months + 1):
            first_month, last_month = (number - 1) * months + 1, number * months
            specs.append(
                PeriodSpec(
                    frequency=frequency,
                    number=number,
                    label=_label(frequency, number, year),
                    start=_window_start(year, first_month),
                    end=_window_end(year, last_month),
                    due_date=datetime.date(year, last_month, _DUE_DAY),
                )
            )
    return specs


def year_window(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year - 1, 12, 15), datetime.date(year, 12, _CUTOFF_DAY)


def elapsed_fraction(year: int, day: datetime.date) -> float:
    """How much of the plan year's data window has passed on `day` (0 to 1)."""
    start, end = year_window(year)
    if day < start:
        return 0.0
    if day >= end:
        return 1.0
    return ((day - start).days + 1) / ((end - start).days + 1)
