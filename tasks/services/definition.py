"""A task as the plan document defines it: added, redefined, placed and deleted by a plan import.

The secretariat's forms use `task_create` and `task_update` (version-checked,
closed tasks refused, people notified). A plan document is the plan's own
text: it gives each task its place and key, and only the fields it holds
are written, so re-importing the same document writes nothing. Progress,
completion and assignment are never the document's (assignment: `task_assign`).
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from parplan.events import plan_changed_on_commit
from parplan.models import ReformArea
from targets.models import Indicator
from tasks.models import Priority, Task, derive_title, new_task_key
from tasks.services.assignment import _check_dates, _check_recurrence, occurrences_sync
from tasks.services.common import bump, insert, label, locked
from tasks.services.indicators import task_indicators_follow

# Above any position a plan uses: a parked task frees its place for another.
_PARKED_FROM = 30000


@dataclasses.dataclass(frozen=True)
class TaskDefinition:
    """What a plan document says of a task, text exactly as written."""

    text: str
    title: str = ""
    start_date: datetime.date | None = None
    due_date: datetime.date | None = None
    recurrence: str = ""
    recurrence_due_day: int | None = None
    priority: str = Priority.NORMAL
    expected_output: str = ""
    assigned_by_number: str = ""
    assigned_by_date: datetime.date | None = None

    def values(self) -> dict[str, Any]:
        values = {field.name: getattr(self, field.name) for field in dataclasses.fields(self)}
        values["title"] = self.title or derive_title(self.text)
        return values


def _checked(definition: TaskDefinition, year: int) -> dict[str, Any]:
    values = definition.values()
    _check_dates(year, values["start_date"], values["due_date"], values["assigned_by_date"])
    _check_recurrence(values["recurrence"], values["recurrence_due_day"])
    return values


@transaction.atomic
def task_add(
    *,
    area: ReformArea,
    position: int,
    definition: TaskDefinition,
    key: str = "",
    user: Any = None,
    reason: str = "",
) -> Task:
    """A new task at `position` of `area`, with the document's `key` (a new one when it has none)."""
    task = Task(area=area, position=position, key=key or new_task_key(), **_checked(definition, area.plan.year))
    insert(task, by=user, reason=reason)
    occurrences_sync(task=task, user=user)
    return task


@transaction.atomic
def task_define(*, task: Task, definition: TaskDefinition, user: Any = None, reason: str = "") -> Task:
    """Bring a task's own fields to the document's: one version and one history record, or none."""
    current = locked(task)
    values = _checked(definition, current.area.plan.year)
    changed = {name: value for name, value in values.items() if getattr(current, name) != value}
    if changed:
        bump(current, by=user, reason=reason, **changed)
    if current.recurrence or {"recurrence", "recurrence_due_day"} & changed.keys():
        occurrences_sync(task=current, user=user)
    return current


@transaction.atomic
def tasks_place(*, places: Sequence[tuple[Task, ReformArea, int]], user: Any = None, reason: str = "") -> list[Task]:
    """Move tasks to their (area, position) places at once, as a reordered document says.

    The places may be each other's (2 ↔ 3) and a place holds one task (a database
    rule checked on each statement), so the moving tasks are first parked past
    any real position. Parking writes no version: it is undone before the
    transaction ends, so nobody sees it. Each moved task then gets one version
    and one history record with its new place. Returns the moved tasks.
    """
    moving = []
    for task, area, position in places:
        current = locked(task)
        if (current.area_id, current.position) != (area.pk, position):
            moving.append((current, area, position))
    for offset, (current, _area, _position) in enumerate(moving):
        Task.objects.filter(pk=current.pk).update(position=_PARKED_FROM + offset)
    for current, area, position in moving:
        moved_area = current.area_id != area.pk
        bump(current, by=user, reason=reason, area=area, position=position)
        if moved_area:
            task_indicators_follow(task=current)
    return [current for current, _area, _position in moving]


@transaction.atomic
def task_delete(*, task: Task, user: Any = None, reason: str = "", allow_work: bool = False) -> None:
    """Delete a task with the indicators its text states.

    A task with work done (`TaskQuerySet.with_work`) is deleted only with
    `allow_work`: its reports, files and figures go with it.
    """
    current = locked(task)
    if not allow_work and Task.objects.filter(pk=current.pk).with_work().exists():
        raise ValidationError(
            _("Nhiệm vụ %(task)s đã có tiến độ, báo cáo hoặc số liệu; không xoá.") % {"task": label(current)}
        )
    if user is not None:
        current._history_user = user
    if reason:
        current._change_reason = reason
    plan_id = current.area.plan_id
    Indicator.objects.filter(stated_in__task=current).delete()
    current.delete()
    plan_changed_on_commit(plan_id)
