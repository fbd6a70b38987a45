"""Writes of tasks: assignment (with the rights it carries), progress, the overdue mark."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from parplan.models import Unit
from parplan.services import object_rights_sync, save_if_changed, set_m2m_if_changed, unit_groups
from tasks.models import ProgressStatus, Task


@transaction.atomic
def task_assign(
    *, task: Task, lead_unit: Unit | None, coordinating_units: Iterable[Unit], assumed: bool = False
) -> Task:
    """Set who leads and who coordinates, and move the object rights with it.

    The lead unit's heads and staff may report progress; coordinating units'
    people may add their own contribution. Rights go to the units' groups, so
    people joining a unit later get them too.
    """
    coordinating = [unit for unit in coordinating_units if unit != lead_unit]
    save_if_changed(task, lead_unit=lead_unit, assignment_assumed=assumed)
    set_m2m_if_changed(task.coordinating_units, coordinating)
    lead_groups = unit_groups([lead_unit]) if lead_unit else []
    object_rights_sync(obj=task, perm="tasks.report_progress", groups=lead_groups)
    object_rights_sync(obj=task, perm="tasks.contribute_task", groups=unit_groups(coordinating))
    return task


@transaction.atomic
def task_record_progress(*, task: Task, status: str, percent: int, note: str = "", today: datetime.date) -> Task:
    """Record the lead unit's progress. Completion dates come from the clock, not the form."""
    if not 0 <= percent <= 100:
        raise ValidationError({"progress_percent": _("Tiến độ phải từ 0 đến 100%.")})
    if status == ProgressStatus.COMPLETED:
        percent = 100
    elif percent == 100:
        raise ValidationError({"status": _("Tiến độ 100% thì chọn tình trạng “Đã hoàn thành”.")})
    completed_on = task.completed_on or today if status == ProgressStatus.COMPLETED else None
    save_if_changed(
        task,
        status=status,
        progress_percent=percent,
        progress_note=note,
        completed_on=completed_on,
        overdue_since=None if status == ProgressStatus.COMPLETED else task.overdue_since,
    )
    return task


@transaction.atomic
def tasks_mark_overdue(*, today: datetime.date) -> tuple[int, int]:
    """Mark tasks that became overdue today and clear marks no longer true.

    Returns (newly marked, cleared). Saved one by one so each change lands in
    the task's history; the number of overdue tasks in a plan is small.
    """
    newly = 0
    for task in Task.objects.past_due(today).filter(overdue_since__isnull=True):
        task.overdue_since = today
        task.save(update_fields=["overdue_since"])
        newly += 1
    cleared = 0
    stale = Task.objects.filter(overdue_since__isnull=False).exclude(pk__in=Task.objects.past_due(today))
    for task in stale:
        task.overdue_since = None
        task.save(update_fields=["overdue_since"])
        cleared += 1
    return newly, cleared
