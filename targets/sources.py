"""Where an indicator's figures come from: typed in, or computed from another app's records.

This app knows the two sources people type in (the units, the secretariat). The
apps above register the sources they compute from their own records (tasks,
inspections, one-stop dossier statistics) in their `AppConfig.ready()`, so an
indicator's source choices grow with the installed apps and this app needs
neither their import nor a migration.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

_SOURCES: dict[str, str | Promise] = {}


def register_source(code: str, label: str | Promise) -> str:
    """Make `code` a known source labelled `label`; return the code, for use as a constant."""
    if len(code) > 12:
        raise ValueError(f"indicator source {code!r} is longer than 12 characters")
    _SOURCES[code] = label
    return code


def source_choices() -> list[tuple[str, str | Promise]]:
    """Choices for `Indicator.source`: a callable, so migrations do not list the sources."""
    return list(_SOURCES.items())


def source_codes() -> list[str]:
    return list(_SOURCES)


class Source:
    """The sources this app defines: figures typed in per unit, or by the secretariat for the whole authority."""

    UNITS = register_source("units", _("Đơn vị nhập"))
    SECRETARIAT = register_source("secretariat", _("Phòng Nội vụ nhập"))


# --- Rates computed from records, per unit and year (the scoring's suggestions) ---

# A rate's function: the units' ids and the year → {unit id: (numerator, denominator)}.
RateFunction = Callable[[Sequence[int], int], dict[int, tuple[Decimal, Decimal]]]


@dataclass(frozen=True)
class Rate:
    code: str
    label: str | Promise
    compute: RateFunction


_RATES: dict[str, Rate] = {}


def register_rate(code: str, label: str | Promise, compute: RateFunction) -> str:
    """A share the portal computes for a unit from its records (tasks on time, figures on time…).

    Like the sources above, the apps that hold the records register them in their
    `AppConfig.ready()`; the apps that use them (scoring) read them here without
    importing the apps that compute them.
    """
    if len(code) > 12:
        raise ValueError(f"rate {code!r} is longer than 12 characters")
    _RATES[code] = Rate(code, label, compute)
    return code


def rate(code: str) -> Rate | None:
    return _RATES.get(code)


def rate_choices() -> list[tuple[str, str | Promise]]:
    return [(r.code, r.label) for r in _RATES.values()]
