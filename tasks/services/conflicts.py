"""What others changed in a task since a form was opened on it: the content of a version conflict.

Every form on a task carries the version it was opened on (docs/tasks.md,
Concurrency). A save on an older version writes nothing and raises
`TaskConflict`, which lists each field that differs from what the form showed,
from the task's history: the value seen, the value stored now, the value typed,
and who changed it last and when.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _

from parplan.models import Unit
from tasks.models import Task, task_field

# What a conflict compares: the fields a person sees on the task's page and its forms.
CONFLICT_FIELDS = (
    "lead_unit", "status", "progress_percent", "progress_note", "title", "text", "start_date", "due_date",
    "recurrence", "recurrence_due_day", "priority", "expected_output", "assigned_by_number", "assigned_by_date",
)  # fmt: skip


@dataclass(frozen=True)
class FieldChange:
    """One field changed since the form was opened, as a person reads it (labels, dd/mm/yyyy)."""

    field: str
    label: str
    seen: Any  # when the form was opened
    theirs: Any  # stored now
    yours: Any  # typed in the form; what a save would keep (the stored value) when the form lacks the field
    typed: bool  # the form holds this field
    by: str  # the last person who changed it
    at: datetime.datetime | None


class TaskConflict(Exception):
    """Someone saved the task after this form was opened; nothing was written."""

    def __init__(self, changes: list[FieldChange], by: str, at: datetime.datetime | None, version: int) -> None:
        super().__init__("task changed meanwhile")
        self.changes, self.by, self.at, self.current_version = changes, by, at, version


def task_conflict(current: Task, expected_version: int, yours: Mapping[str, Any]) -> TaskConflict:
    """The conflict of a form opened on `expected_version` with the `current` task; `yours` is what was typed."""
    records = current.history.select_related("history_user").order_by("history_date", "history_id")
    # The last record at or below that version: versions may skip numbers in the history
    # (a write whose history record was made before its version moved, as in older rows).
    opened = records.filter(version__lte=expected_version).last()
    if opened is None:
        later: Sequence[Any] = list(records)
    else:
        after = Q(history_date__gt=opened.history_date) | Q(history_date=opened.history_date, pk__gt=opened.pk)
        later = list(records.filter(after))
    changes = [
        change for name in CONFLICT_FIELDS if (change := _field_change(current, name, opened, later, yours)) is not None
    ]
    latest = later[-1] if later else None
    return TaskConflict(changes, _person(latest), latest.history_date if latest else None, current.version)


def _field_change(
    current: Task, name: str, opened: Any, later: Sequence[Any], yours: Mapping[str, Any]
) -> FieldChange | None:
    field = task_field(name)
    column = field.attname
    before = getattr(opened, column) if opened is not None else None
    now = getattr(current, column)
    if opened is not None and before == now:
        return None
    # The last record that moved this field is who changed it and when.
    changer, previous = None, before
    for record in later:
        value = getattr(record, column)
        if opened is None or value != previous:
            changer, previous = record, value
    typed = name in yours
    return FieldChange(
        field=name,
        label=str(field.verbose_name),
        seen=_shown(field, before) if opened is not None else None,
        theirs=_shown(field, now),
        yours=_shown(field, yours[name]) if typed else _shown(field, now),
        typed=typed,
        by=_person(changer),
        at=changer.history_date if changer is not None else None,
    )


def _person(record: Any) -> str:
    user = record.history_user if record is not None else None
    if user is None:
        return _("hệ thống") if record is not None else ""
    return str(user.get_full_name() or user.username)


def _shown(field: models.Field[Any, Any], value: Any) -> Any:
    """A value as a person reads it: choice labels ("Bình thường", not "normal"), dates as dd/mm/yyyy."""
    if value is None or value == "":
        return value
    if field.is_relation:
        unit = value if isinstance(value, Unit) else Unit.objects.filter(pk=value).first()
        return str(unit) if unit is not None else value
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, datetime.date):
        return f"{value:%d/%m/%Y}"
    if field.name == "progress_percent":
        return f"{value}%"
    return value
