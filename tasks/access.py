"""Access to a task, checked in one place (see parplan.access for the rule)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from parplan.access import has_plan_perm, visible_plans
from parplan.models import Membership, Plan, Unit
from tasks.models import Task


def can_change_task(user: User, task: Task, perm: str) -> bool:
    """By role over the task's plan (secretariat), or on the task itself (its units' groups)."""
    full = f"tasks.{perm}"
    return has_plan_perm(user, full, task.area.plan) or user.has_perm(full, task)


def can_add_task(user: User, plan: Plan) -> bool:
    return has_plan_perm(user, "tasks.add_task", plan)


def contributing_units_for(user: User, task: Task) -> list[Unit]:
    """The coordinating units on whose behalf `user` may report a contribution to `task`."""
    if can_change_task(user, task, "change_task"):
        return list(task.coordinating_units.all())
    if not can_change_task(user, task, "contribute_task"):
        return []
    mine = set(Membership.objects.filter(user=user).can_act_for_unit().values_list("unit_id", flat=True))
    return [unit for unit in task.coordinating_units.all() if unit.pk in mine]


def get_task_for_user(user: User, pk: int, perm: str = "view") -> Task:
    """The task if `user` may read it (404 otherwise) and holds `perm` on it (403 otherwise).

    `perm` is "view", "report_progress" (lead unit), "contribute_task"
    (coordinating units) or "change_task" (secretariat: assignment, dates).
    """
    task = get_object_or_404(
        Task.objects.select_related("area__plan__issuing_unit", "lead_unit").filter(area__plan__in=visible_plans(user)),
        pk=pk,
    )
    if perm != "view" and not can_change_task(user, task, perm):
        raise PermissionDenied
    return task
