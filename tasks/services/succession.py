"""A unit that ends hands its open tasks to its successor (parplan.services.units_merge).

Open tasks it leads are led by the successor; open tasks it coordinates are coordinated by the successor.
Tasks it completed, or that were cancelled, stay with it: its reports and history keep its name.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from parplan.models import Unit
from parplan.services import attribute_change
from tasks.models import Task, TaskQuerySet
from tasks.services.assignment import task_assign


def unit_open_tasks(unit: Unit) -> int:
    count: int = _open_tasks_of(unit).count()
    return count


def unit_tasks_hand_over(old: Unit, new: Unit, user: Any, reason: str) -> int:
    """Move `old`'s open tasks to `new`; returns how many."""
    moved = 0
    for task in _open_tasks_of(old).select_related("lead_unit").prefetch_related("coordinating_units"):
        lead = new if task.lead_unit_id == old.pk else task.lead_unit
        coordinating = [new if unit.pk == old.pk else unit for unit in task.coordinating_units.all()]
        attribute_change(task, user, reason)  # the task's history says why its units changed
        task_assign(
            task=task,
            lead_unit=lead,
            coordinating_units=list(dict.fromkeys(unit for unit in coordinating if unit != lead)),
            assumed=task.assignment_assumed,
            user=user,
        )
        moved += 1
    return moved


def _open_tasks_of(unit: Unit) -> TaskQuerySet:
    return Task.objects.open().filter(Q(lead_unit=unit) | Q(coordinating_units=unit)).distinct().order_by("pk")
