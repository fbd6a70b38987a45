"""Where an indicator's figures come from: typed in, or computed from another app's records.

This app knows the two sources people type in (the units, the secretariat). The
apps above register the sources they compute from their own records (tasks,
inspections, one-stop dossier statistics) in their `AppConfig.ready()`, so an
indicator's source choices grow with the installed apps and this app needs
neither their import nor a migration.
"""

from __future__ import annotations

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
