"""Helpers shared by the task services: locking, versions, closed-task checks, notices.

A task row has two writers: `insert` creates it and `bump` makes every later
change with the next version. The services call them; nothing else saves a task.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from notifications.services import notify, people_of
from parplan import workflow
from parplan.events import plan_changed_on_commit
from tasks.models import Task


def locked(task: Task) -> Task:
    """Re-read the task under a row lock, so two writers queue instead of racing."""
    return Task.objects.select_for_update().get(pk=task.pk)


def work_state(task: Task) -> workflow.WorkState:
    """The task's place in the completion workflow shared with recommendations (parplan.workflow)."""
    return workflow.work_state(claimed=task.claimed_at is not None, confirmed=task.confirmed_at is not None)


def ensure_open(task: Task) -> None:
    """Cancelled (the task's own end) or confirmed (the workflow's), a task takes no further step."""
    if task.cancelled_at is not None:
        raise ValidationError(_("Nhiệm vụ đã bị hủy, không thể thay đổi."))
    if work_state(task) == workflow.WorkState.CONFIRMED:
        raise ValidationError(_("Nhiệm vụ đã được xác nhận hoàn thành, không thể thay đổi."))


def insert(task: Task, *, by: User | None = None, reason: str = "") -> Task:
    """The first save of a new task, at version 1; every later write is a `bump`."""
    if by is not None:
        task._history_user = by
    if reason:
        task._change_reason = reason
    task.save()
    plan_changed_on_commit(task.area.plan_id)
    return task


def bump(task: Task, *, by: User | None = None, reason: str = "", **values: Any) -> Task:
    """Apply values and save with the next version (every write of a task goes through here).

    `by` is recorded as the history's user: outside a request (commands, jobs,
    the demo) the history middleware knows nobody, and the page would say "hệ thống".
    `reason` becomes the history record's reason. The caller holds the row lock
    (`locked`): the whole row is saved, so a stale copy would undo others' writes.
    """
    workflow.bump(task, by=by, reason=reason, **values)
    plan_id = task.area.plan_id
    plan_changed_on_commit(plan_id)
    return task


def task_url(task: Task) -> str:
    return reverse("task-detail", args=[task.pk])


def label(task: Task) -> str:
    return f"{task.area.number}.{task.position} {task.title}"


def notify_lead(task: Task, kind: str, message: str, day: datetime.date, heads_only: bool = False) -> None:
    if task.lead_unit is None:
        return
    from parplan.models import Role

    roles = (Role.UNIT_HEAD,) if heads_only else (Role.UNIT_HEAD, Role.UNIT_STAFF)
    notify(users=people_of([task.lead_unit], roles), kind=kind, message=message, url=task_url(task), day=day)
