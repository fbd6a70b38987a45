"""The nightly marks and reminders: overdue, due in 7 days, due tomorrow."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from notifications.services import notify, people_of
from parplan.i18n import site_language
from tasks.models import Task
from tasks.notices import TaskNotice
from tasks.services.common import bump, label, locked, task_url


@transaction.atomic
def tasks_mark_overdue(*, today: datetime.date) -> tuple[int, int]:
    """Mark tasks that became overdue today and clear marks no longer true.

    Returns (newly marked, cleared). Saved one by one, each under its row lock
    and with a new version, so each change lands in the task's history and a
    form opened before the mark is a conflict; the number of overdue tasks in a
    plan is small. The newly overdue tasks' units are told.
    """
    newly = 0
    for task in Task.objects.past_due(today).filter(overdue_since__isnull=True).select_related("area", "lead_unit"):
        current = locked(task)
        if current.overdue_since is not None or not current.is_overdue_on(today):
            continue  # changed since the list was read
        bump(current, overdue_since=today)
        _remind(task, TaskNotice.OVERDUE, _("Nhiệm vụ %(task)s đã quá hạn (hạn %(due)s)."), today)
        newly += 1
    cleared = 0
    stale = Task.objects.filter(overdue_since__isnull=False).exclude(pk__in=Task.objects.past_due(today))
    for task in stale:
        current = locked(task)
        if current.overdue_since is None or current.is_overdue_on(today):
            continue
        bump(current, overdue_since=None)
        cleared += 1
    return newly, cleared


def reminders_create(*, today: datetime.date) -> int:
    """Notices for open tasks due in exactly 7 days or tomorrow (once per task and day)."""
    created = 0
    in_a_week, tomorrow = today + datetime.timedelta(days=7), today + datetime.timedelta(days=1)
    soon = {
        in_a_week: (TaskNotice.DUE_IN_7_DAYS, _("Nhiệm vụ %(task)s đến hạn ngày %(due)s (còn 7 ngày).")),
        tomorrow: (TaskNotice.DUE_TOMORROW, _("Nhiệm vụ %(task)s đến hạn ngày mai (%(due)s).")),
    }
    for task in Task.objects.open().filter(due_date__in=soon.keys()).select_related("area", "lead_unit"):
        assert task.due_date is not None  # filtered on it above
        kind, message = soon[task.due_date]
        created += _remind(task, kind, message, today)
    return created


def _remind(task: Task, kind: str, message: Promise, today: datetime.date) -> int:
    if task.lead_unit is None:
        return 0
    with site_language():
        text = str(message) % {"task": label(task), "due": f"{task.due_date:%d/%m/%Y}"}
    return notify(
        users=people_of([task.lead_unit]),
        kind=kind,
        message=text,
        url=task_url(task),
        subject_key=f"task:{task.pk}",
        day=today,
    )
