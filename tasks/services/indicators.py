"""Indicators stated in a task's text: the one writer of the task–indicator link."""

from __future__ import annotations

from django.db import transaction

from parplan.services import save_if_changed
from targets.models import Indicator
from tasks.models import Task, TaskIndicator


@transaction.atomic
def task_indicator_ensure(*, task: Task, position: int) -> Indicator:
    """The task's indicator at `position`, created (unsaved fields left to the caller's service) when new."""
    indicator = task.indicators.filter(position=position).first()
    if indicator is None:
        indicator = Indicator.objects.create(area=task.area, position=position, name=task.title or task.text[:500])
        TaskIndicator.objects.create(task=task, indicator=indicator)
    return indicator


@transaction.atomic
def task_indicators_trim(*, task: Task, keep: int) -> int:
    """Delete the task's indicators after position `keep` (a re-import with fewer of them)."""
    deleted, _ = Indicator.objects.filter(stated_in__task=task, position__gt=keep).delete()
    return deleted


@transaction.atomic
def task_indicators_follow(*, task: Task) -> int:
    """Give the task's indicators the task's area again (after the task moved to another area)."""
    moved = 0
    for indicator in Indicator.objects.filter(stated_in__task=task).exclude(area=task.area_id):
        moved += save_if_changed(indicator, area=task.area)
    return moved
