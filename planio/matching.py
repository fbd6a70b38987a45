"""Which stored task each task of a plan file is, and what an import would delete.

Read only: the import asks here first, and refuses before writing anything
when the file would delete work (docs/plan-format.md, "Matching tasks").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from parplan.models import Plan
from targets.models import Measurement, Target
from tasks.models import Task


@dataclass
class TaskSlot:
    """One task of the file: its area, its place there and the stored task it is (None: a new one)."""

    where: str  # "areas[2].tasks[3]", for error messages
    area_number: int
    position: int
    fields: dict[str, Any]
    task: Task | None = None


@dataclass(frozen=True)
class TaskMatch:
    slots: list[TaskSlot]
    removed: list[Task]  # the plan's tasks the file no longer holds


def stored_plan(data: dict[str, Any]) -> Plan | None:
    fields = data["plan"]
    return Plan.objects.filter(issuing_unit__code=fields["issuing_unit"], year=fields["year"]).first()


def match_tasks(plan: Plan | None, areas: list[dict[str, Any]]) -> TaskMatch:
    """Pair the file's tasks with the plan's.

    1. By `key`, anywhere in the plan (a task may have moved to another area).
    2. The rest (no key, or a key this plan does not know: a file from another
       server) by exact text within the same area, then by place in that area.
    A stored task is paired once; a file task left unpaired is a new task.
    """
    slots = [
        TaskSlot(where=f"areas[{a}].tasks[{k}]", area_number=area["number"], position=k + 1, fields=fields)
        for a, area in enumerate(areas)
        for k, fields in enumerate(area.get("tasks", []))
    ]
    stored = [] if plan is None else list(Task.objects.filter(area__plan=plan).select_related("area"))
    stored.sort(key=lambda task: (task.area.number, task.position))
    free = {task.pk: task for task in stored}
    by_key = {task.key: task for task in stored}
    for slot in slots:
        task = by_key.get(slot.fields.get("key") or "")
        if task is not None:
            slot.task = free.pop(task.pk)
    for same in (_same_text, _same_place):
        for slot in slots:
            if slot.task is None:
                slot.task = next((task for task in free.values() if same(task, slot)), None)
                if slot.task is not None:
                    del free[slot.task.pk]
    return TaskMatch(slots=slots, removed=list(free.values()))


def _same_text(task: Task, slot: TaskSlot) -> bool:
    return task.area.number == slot.area_number and task.text == slot.fields["text"]


def _same_place(task: Task, slot: TaskSlot) -> bool:
    return task.area.number == slot.area_number and task.position == slot.position


def work_lost(plan: Plan | None, match: TaskMatch, areas: list[dict[str, Any]]) -> list[str]:
    """Why the import would lose work: tasks with work and targets with figures the file no longer holds."""
    if plan is None:
        return []
    errors = []
    with_work = Task.objects.filter(pk__in=[task.pk for task in match.removed]).with_work()
    for task in with_work.select_related("area").order_by("area__number", "position"):
        errors.append(
            _(
                "Tệp không còn nhiệm vụ %(number)s “%(title)s” (key “%(key)s”), nhưng nhiệm vụ này đã có tiến độ, "
                "báo cáo, tệp kiểm chứng hoặc số liệu. Để giữ, đưa nhiệm vụ trở lại tệp với đúng “key”; để xóa "
                "cả những dữ liệu đó, nhập lại với --delete-tasks-with-progress."
            )
            % {"number": f"{task.area.number}.{task.position}", "title": task.title, "key": task.key}
        )
    kept = {area["number"]: len(area.get("targets", [])) for area in areas}
    targets = Target.objects.filter(area__plan=plan).select_related("area").order_by("area__number", "position")
    with_figures = set(
        Measurement.objects.filter(indicator__target__area__plan=plan).values_list("indicator__target", flat=True)
    )
    for target in targets:
        if target.pk in with_figures and target.position > kept.get(target.area.number, 0):
            errors.append(
                _(
                    "Tệp không còn chỉ tiêu %(number)s, nhưng chỉ tiêu này đã có số liệu. Để xóa cả số liệu, "
                    "nhập lại với --delete-tasks-with-progress."
                )
                % {"number": f"{target.area.number}.{target.position}"}
            )
    return errors
