"""What another person saved in a figure since a form was opened on it: the content of a figure conflict.

The entry page carries each figure's version (0 when no figure existed yet). A
save on another version writes nothing and raises `FigureConflict`, which holds
what is stored now, what was typed, and who saved last and when, so the page
can show both side by side and keep what the person typed.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from parplan.formatting import format_number
from targets.models import MET_LABELS, Measurement, MeasurementStatus

# The fields a figure's form shows, in the page's order; the status says whether it can still be edited.
CONFLICT_FIELDS = ("numerator", "denominator", "value", "met", "note", "status")


@dataclass(frozen=True)
class FigureChange:
    """One field where what is stored differs from what was typed, as a person reads it."""

    field: str
    label: str
    theirs: str  # stored now
    yours: str  # typed in the form


class FigureConflict(Exception):
    """Someone saved the figure after this form was opened; nothing was written."""

    def __init__(
        self, current: Measurement, changes: list[FigureChange], by: str, at: datetime.datetime | None
    ) -> None:
        super().__init__("figure changed meanwhile")
        self.current, self.changes, self.by, self.at = current, changes, by, at

    @property
    def current_version(self) -> int:
        return self.current.version


def figure_conflict(current: Measurement, typed: Mapping[str, Any]) -> FigureConflict:
    """The conflict of a form with the `current` figure; `typed` holds the form's values by field name."""
    changes = []
    for name in CONFLICT_FIELDS:
        stored = getattr(current, name)
        yours = typed.get(name, stored)
        if _comparable(stored) != _comparable(yours):
            label = str(_field(name).verbose_name)
            changes.append(FigureChange(name, label, _shown(name, stored), _shown(name, yours)))
    latest = current.history.select_related("history_user").order_by("-history_date", "-history_id").first()
    user = latest.history_user if latest is not None else None
    by = str(user.get_full_name() or user.username) if user is not None else _("người khác")
    return FigureConflict(current, changes, by, latest.history_date if latest is not None else None)


def decided_message(current: Measurement) -> str:
    """Why a review step found the figure in another state: who moved it there, and when."""
    conflict = figure_conflict(current, {})
    when = timezone.localtime(conflict.at).strftime("%d/%m/%Y %H:%M") if conflict.at else ""
    texts = {
        MeasurementStatus.APPROVED: _("Số liệu này đã được %(who)s duyệt lúc %(when)s."),
        MeasurementStatus.RETURNED: _("Số liệu này đã được %(who)s trả lại lúc %(when)s."),
        MeasurementStatus.SUBMITTED: _("Số liệu này đã được %(who)s gửi duyệt lúc %(when)s."),
        MeasurementStatus.DRAFT: _(
            "Số liệu này đang là bản nháp của đơn vị (%(who)s lưu lúc %(when)s), chưa gửi duyệt."
        ),
    }
    return texts[MeasurementStatus(current.status)] % {"who": conflict.by, "when": when}


def _field(name: str) -> models.Field[Any, Any]:
    field = Measurement._meta.get_field(name)
    assert isinstance(field, models.Field)  # CONFLICT_FIELDS are columns
    return field


def _comparable(value: Any) -> Any:
    # "" and None are both "nothing typed"; 5 and 5.00 are the same figure.
    if value in (None, ""):
        return None
    return Decimal(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


def _shown(name: str, value: Any) -> str:
    if value is None or value == "":
        return ""
    if name == "met":
        return str(MET_LABELS[bool(value)])
    if name == "status":
        return str(MeasurementStatus(value).label)
    if isinstance(value, Decimal):
        return format_number(value, grouped=True)
    return str(value)
