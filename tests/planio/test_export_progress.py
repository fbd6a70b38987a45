"""export_plan per task: the task's own fields and the read-only "progress" object."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.utils import timezone

from parplan.models import Plan, Unit
from planio.interchange import plan_export, plan_import
from tasks.models import Priority, Recurrence, Task
from tasks.services import task_cancel, task_report_progress
from tests.tasks.builders import DUE, START, TODAY, confirmed, fresh, new_task


@pytest.fixture
def dong_dang(db: Any) -> Unit:
    return Unit.objects.get(code="06184")


def _exported(plan: Plan, task: Task) -> dict[str, Any]:
    document = json.loads(json.dumps(plan_export(plan), ensure_ascii=False))
    [area] = [area for area in document["areas"] if area["number"] == task.area.number]
    return area["tasks"][task.position - 1]


def test_an_exported_task_carries_its_dates_recurrence_priority_and_assigning_document(
    seed_plan: Plan, secretariat, dong_dang
):
    task = new_task(
        seed_plan, user=secretariat, lead=dong_dang, due_date=None, recurrence=Recurrence.QUARTERLY,
        recurrence_due_day=20, priority=Priority.HIGH, assigned_by_number="123/UBND-NV", assigned_by_date=START,
    )  # fmt: skip
    exported = _exported(seed_plan, task)
    assert {name: exported[name] for name in (
        "title", "start_date", "due_date", "recurrence", "recurrence_due_day", "priority", "assigned_by_number",
        "assigned_by_date",
    )} == {
        "title": "Rà soát thủ tục hành chính tại bộ phận một cửa", "start_date": "2024-01-15",
        "due_date": "2024-03-20", "recurrence": "quarterly", "recurrence_due_day": 20, "priority": "high",
        "assigned_by_number": "123/UBND-NV", "assigned_by_date": "2024-01-15",
    }  # fmt: skip


def test_a_confirmed_task_exports_its_completion_and_confirmation_days(
    seed_plan: Plan, secretariat, commune_head, dong_dang
):
    task = new_task(seed_plan, user=secretariat, lead=dong_dang)
    confirmed(task, head=commune_head, secretariat=secretariat, on=DUE)
    assert _exported(seed_plan, task)["progress"] == {
        "state": "on_time",
        "status": "completed",
        "percent": 100,
        "completed_on": "2024-10-31",
        "confirmed_on": timezone.localdate().isoformat(),
        "cancelled": False,
    }


def test_a_task_completed_after_its_due_date_exports_as_late(seed_plan: Plan, secretariat, commune_head, dong_dang):
    task = new_task(seed_plan, user=secretariat, lead=dong_dang, due_date=TODAY)
    confirmed(task, head=commune_head, secretariat=secretariat, on=DUE)
    assert _exported(seed_plan, task)["progress"]["state"] == "late"


def test_an_open_task_past_its_due_date_exports_its_progress_as_overdue(
    seed_plan: Plan, secretariat, commune_staff, dong_dang
):
    # Due in 2024: past due on any day these tests run.
    task = new_task(seed_plan, user=secretariat, lead=dong_dang)
    task_report_progress(task=task, user=commune_staff, status="in_progress", percent=40, text="Đã rà soát.")
    assert _exported(seed_plan, task)["progress"] == {
        "state": "overdue",
        "status": "in_progress",
        "percent": 40,
        "completed_on": None,
        "confirmed_on": None,
        "cancelled": False,
    }


def test_a_cancelled_task_exports_as_cancelled(seed_plan: Plan, secretariat, dong_dang):
    task = new_task(seed_plan, user=secretariat, lead=dong_dang)
    task_cancel(task=task, user=secretariat, reason="Trùng nhiệm vụ.")
    progress = _exported(seed_plan, task)["progress"]
    assert (progress["state"], progress["cancelled"]) == ("cancelled", True)


def test_the_progress_object_is_ignored_on_import(seed_plan: Plan, secretariat, commune_staff, dong_dang):
    task = new_task(seed_plan, user=secretariat, lead=dong_dang)
    task_report_progress(task=task, user=commune_staff, status="in_progress", percent=40, text="Đã rà soát.")
    document = json.loads(json.dumps(plan_export(seed_plan), ensure_ascii=False))
    [area] = [area for area in document["areas"] if area["number"] == task.area.number]
    area["tasks"][task.position - 1]["progress"] = {
        "state": "on_time", "status": "completed", "percent": 100, "completed_on": "2024-05-01",
        "confirmed_on": "2024-05-02", "cancelled": True,
    }  # fmt: skip
    plan_import(document)
    after = fresh(task)
    assert (after.status, after.progress_percent, after.completed_on, after.cancelled_at) == (
        "in_progress", 40, None, None,
    )  # fmt: skip
