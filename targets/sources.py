"""Where an indicator's figures come from: typed in, or computed from another app's records.

This app knows the two sources people type in (the units, the secretariat). The
apps above register the sources they compute from their own records (tasks,
inspections, one-stop dossier statistics) in their `AppConfig.ready()`, so an
indicator's source choices grow with the installed apps and this app needs
neither their import nor a migration.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from parplan.models import Plan

_SOURCES: dict[str, str | Promise] = {}

# A computed source's figures writer: (plan, day) → writes the approved figures of the plan's
# indicators of that source as of `day`, before the evaluation reads them (targets.evaluation).
FiguresWriter = Callable[["Plan", datetime.date], object]
_WRITERS: dict[str, FiguresWriter] = {}

# A source's share per unit over a year, read by the scoring to suggest points (scoring/suggestions.py):
# (units' ids, year) → {unit id: (numerator, denominator)}; a unit with nothing due is left out.
UnitRates = Callable[[Sequence[int], int], dict[int, tuple[Decimal, Decimal]]]
_UNIT_RATES: dict[str, tuple[str | Promise, UnitRates]] = {}


def register_source(
    code: str,
    label: str | Promise,
    figures: FiguresWriter | None = None,
    unit_rates: tuple[str | Promise, UnitRates] | None = None,
) -> str:
    """Make `code` a known source labelled `label`; return the code, for use as a constant.

    `figures`, for a source computed from another app's records, writes that
    source's figures; the evaluation calls it first, so the figures of a day
    reflect the records of that day (a finding falls due without anyone acting).
    `unit_rates` (its label, its function) gives the same records' share per unit
    and year: the scoring suggests a unit's points from it without importing the
    app that holds the records.
    """
    if len(code) > 12:
        raise ValueError(f"indicator source {code!r} is longer than 12 characters")
    _SOURCES[code] = label
    if figures is not None:
        _WRITERS[code] = figures
    if unit_rates is not None:
        _UNIT_RATES[code] = unit_rates
    return code


def unit_rates(code: str) -> tuple[str | Promise, UnitRates] | None:
    """The label and function of the source's share per unit, or None when the source has none."""
    return _UNIT_RATES.get(code)


def unit_rate_choices() -> list[tuple[str, str | Promise]]:
    """The sources a criterion can be suggested from: those with a share per unit."""
    return [(code, label) for code, (label, _function) in _UNIT_RATES.items()]


def computed_figures_write(plan: Plan, day: datetime.date) -> None:
    """Let every computed source write its figures of `plan` as of `day`."""
    for writer in _WRITERS.values():
        writer(plan, day)


def is_computed(code: str) -> bool:
    """Whether figures of a source are computed from records (typed-in figures are refused), not typed in."""
    return code not in (Source.UNITS, Source.SECRETARIAT)


def source_choices() -> list[tuple[str, str | Promise]]:
    """Choices for `Indicator.source`: a callable, so migrations do not list the sources."""
    return list(_SOURCES.items())


def source_codes() -> list[str]:
    return list(_SOURCES)


class Source:
    """The sources this app defines: figures typed in per unit, or by the secretariat for the whole authority."""

    UNITS = register_source("units", _("Đơn vị nhập"))
    SECRETARIAT = register_source("secretariat", _("Phòng Nội vụ nhập"))
