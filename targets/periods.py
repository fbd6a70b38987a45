"""The reporting calendar (domain.md): periods and their official cut-off windows.

A year's data runs from 15/12 of the previous year to 14/12; each month's from
the 15th of the previous month to the 14th; quarters and half-years are unions
of those months. Figures are due on the 20th of the period's last month, the
day the PAR reports are due.

This module is the calendar's one home: the figures' periods, the reports'
windows (reports.models.report_window) and the recurring tasks' occurrences
(tasks.services.assignment.occurrence_due_dates) are all read from it.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from parplan.i18n import site_language
from targets.models import Frequency, period_label

_CUTOFF_DAY = 14
_DUE_DAY = 20
MONTHS_PER_PERIOD = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.HALF_YEAR: 6, Frequency.YEAR: 12}


@dataclass(frozen=True)
class PeriodSpec:
    frequency: str
    number: int
    label: str  # in the site's language, as stored
    start: datetime.date
    end: datetime.date
    due_date: datetime.date

    @property
    def last_month(self) -> int:
        return self.end.month

    def due_on_day(self, day: int) -> datetime.date:
        """Due on `day` of the period's last month instead of the 20th (its last day if shorter)."""
        year = self.end.year
        return datetime.date(year, self.last_month, min(day, calendar.monthrange(year, self.last_month)[1]))


def _window_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, _CUTOFF_DAY)


def _window_start(year: int, month: int) -> datetime.date:
    """The day after the previous month's cut-off (15/12 of the year before, for January)."""
    previous = _window_end(year, month - 1) if month > 1 else _window_end(year - 1, 12)
    return previous + datetime.timedelta(days=1)


def period_spec(frequency: str, number: int, year: int) -> PeriodSpec:
    """The `number`th period of `frequency` in the plan year `year` (1-based)."""
    months = MONTHS_PER_PERIOD[Frequency(frequency)]
    if not 1 <= number <= 12 // months:
        raise ValueError(f"{frequency} has no period {number}")
    first_month, last_month = (number - 1) * months + 1, number * months
    with site_language():  # the label is stored (Period.label, TaskOccurrence.label)
        label = period_label(frequency, number, year)
    return PeriodSpec(
        frequency=frequency,
        number=number,
        label=label,
        start=_window_start(year, first_month),
        end=_window_end(year, last_month),
        due_date=datetime.date(year, last_month, _DUE_DAY),
    )


def periods_of(frequency: str, year: int) -> list[PeriodSpec]:
    months = MONTHS_PER_PERIOD[Frequency(frequency)]
    return [period_spec(frequency, number, year) for number in range(1, 12 // months + 1)]


def periods_for_year(year: int) -> list[PeriodSpec]:
    return [spec for frequency in MONTHS_PER_PERIOD for spec in periods_of(frequency, year)]


def year_window(year: int) -> tuple[datetime.date, datetime.date]:
    spec = period_spec(Frequency.YEAR, 1, year)
    return spec.start, spec.end


def elapsed_fraction(year: int, day: datetime.date) -> float:
    """How much of the plan year's data window has passed on `day` (0 to 1)."""
    start, end = year_window(year)
    if day < start:
        return 0.0
    if day >= end:
        return 1.0
    return ((day - start).days + 1) / ((end - start).days + 1)
