"""Access to a task, checked in one place (see parplan.access for the rule).

The files of a task's progress reports and contributions are opened by the
task's units (lead and coordinating: who report on it), its secretariat and its
steering committee; removed, while the task is open and no completion claim is
waiting for confirmation, by the report's own unit (the lead unit's people for
its reports, a coordinating unit's for its contributions) and the secretariat.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from evidence.owners import EvidenceOwner
from parplan.access import has_plan_perm, visible_plans
from parplan.models import Membership, Plan, Unit
from tasks.models import ProgressReport, ReportRole, Task


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


# --- Evidence of progress reports (registered with evidence.owners in TasksConfig.ready) ---


@dataclass(frozen=True)
class ReportEvidenceRights:
    can_open: bool  # every report's files on the task
    removable: frozenset[int]  # the reports whose files the person may remove now


def report_evidence_rights(
    user: User, task: Task, reports: Iterable[ProgressReport], *, reporting: bool, contributing: Iterable[Unit]
) -> ReportEvidenceRights:
    """What `user` may do with the files of `reports` (all of `task`): the one rule, for a page or one file.

    `reporting` is `can_change_task(user, task, "report_progress")` and `contributing`
    is `contributing_units_for(user, task)`, which the task page has already checked.
    """
    units = {unit.pk for unit in contributing}
    can_open = reporting or bool(units) or has_plan_perm(user, "tasks.view_progressreport", task.area.plan)
    if task_evidence_frozen(task) is not None:
        return ReportEvidenceRights(can_open, frozenset())
    mine = {report.pk for report in reports if _may_remove(report, reporting=reporting, units=units)}
    return ReportEvidenceRights(can_open, frozenset(mine))


def _may_remove(report: ProgressReport, *, reporting: bool, units: set[int]) -> bool:
    """The report's own unit: the lead unit's people (and the secretariat) for its reports,
    a coordinating unit's people (and the secretariat) for its contributions."""
    return reporting if report.role == ReportRole.LEAD else report.unit_id in units


def task_evidence_frozen(task: Task) -> str | None:
    """Why the files of the task's reports stay as they are, or None while they may be removed.

    A claim of completion is judged on the reports and their files: from the claim
    until the secretariat returns it (or for good once confirmed) they stay.
    """
    if task.cancelled_at is not None or task.confirmed_at is not None:
        return _("Nhiệm vụ đã kết thúc: tài liệu kiểm chứng được giữ nguyên.")
    if task.claimed_at is not None:
        return _(
            "Nhiệm vụ đang chờ xác nhận hoàn thành: không xóa được tài liệu kiểm chứng; "
            "chờ Phòng Nội vụ xác nhận hoặc trả lại."
        )
    return None


def _rights_on(user: User, report: ProgressReport) -> ReportEvidenceRights:
    task = report.task
    reporting = can_change_task(user, task, "report_progress")
    return report_evidence_rights(
        user, task, [report], reporting=reporting, contributing=contributing_units_for(user, task)
    )


def _report_for_evidence(pk: int, for_update: bool) -> ProgressReport | None:
    report = ProgressReport.objects.select_related("unit", "task__area__plan__issuing_unit").filter(pk=pk).first()
    if report is not None and for_update:
        # The task's row: the one a claim, a confirmation or a cancellation locks.
        report.task = (
            Task.objects.select_for_update(of=("self",))
            .select_related("area__plan__issuing_unit")
            .get(pk=report.task_id)
        )
    return report


def _can_remove_report_evidence(user: User, report: ProgressReport) -> bool:
    # Whether the task still lets files go is `frozen`'s to say, not a matter of rights.
    task = report.task
    if report.role == ReportRole.LEAD:
        return _may_remove(report, reporting=can_change_task(user, task, "report_progress"), units=set())
    return _may_remove(report, reporting=False, units={unit.pk for unit in contributing_units_for(user, task)})


REPORT_EVIDENCE = EvidenceOwner(
    load=_report_for_evidence,
    can_view=lambda user, report: _rights_on(user, report).can_open,
    can_remove=_can_remove_report_evidence,
    frozen=lambda report: task_evidence_frozen(report.task),
    page=lambda report: reverse("task-detail", args=[report.task_id]),
)
