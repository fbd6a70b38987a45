"""tasks.selectors: the task list, per-unit statistics and a task's history."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from parplan.models import Plan, Unit
from tasks.models import ProgressStatus, Task, TaskState
from tasks.selectors import task_history, task_list, unit_task_statistics
from tasks.services import task_cancel, task_report_progress, task_return_completion, task_update
from tests.tasks.builders import DAY, DUE, TODAY, claimed, confirmed, empty_plan, fresh, new_task

IN_PROGRESS = (TaskState.IN_PROGRESS, TaskState.PAUSED)


@pytest.fixture
def small_plan(seed_plan: Plan, secretariat, commune_head, commune_staff, office_head, dong_dang, tu_phap) -> Plan:
    """Nine tasks: six of Thị trấn Đồng Đăng in every state, three of Phòng Tư pháp, one cancelled, one unled."""
    # Another year than the seed's, near enough for the builders' 2024 dates (within a plan's years).
    plan = empty_plan(seed_plan, year=2025)

    def task(lead: Unit | None, **fields: Any) -> Task:
        return new_task(plan, user=secretariat, lead=lead, **fields)

    def report(target: Task, status: str, user: Any) -> None:
        task_report_progress(task=target, user=user, status=status, percent=30, text="Đang thực hiện.")

    task(dong_dang)  # not started
    report(task(dong_dang), ProgressStatus.IN_PROGRESS, commune_staff)
    task(dong_dang, due_date=TODAY - DAY)  # overdue
    confirmed(task(dong_dang), head=commune_head, secretariat=secretariat, on=DUE)  # on time
    confirmed(task(dong_dang, due_date=TODAY - 10 * DAY), head=commune_head, secretariat=secretariat, on=TODAY)
    claimed(task(dong_dang), head=commune_head, on=TODAY)  # awaiting confirmation
    task_cancel(task=task(dong_dang), user=secretariat, reason="Trùng nhiệm vụ.")
    task(tu_phap, due_date=TODAY - DAY)
    task(tu_phap, due_date=TODAY - 30 * DAY)
    report(task(tu_phap), ProgressStatus.PAUSED, office_head)
    task(None, due_date=TODAY - DAY)
    return plan


def _counted_by_hand(plan: Plan) -> dict[str, dict[str, int]]:
    """The same figures, from the records one by one."""
    figures: dict[str, Counter[str]] = {}
    for task in Task.objects.filter(area__plan=plan, lead_unit__isnull=False).select_related("lead_unit"):
        state = task.state_on(TODAY)
        if state == TaskState.CANCELLED:
            continue
        counts = figures.setdefault(task.lead_unit.code, Counter())
        counts["assigned"] += 1
        counts["on_time"] += state == TaskState.COMPLETED_ON_TIME
        counts["late"] += state == TaskState.COMPLETED_LATE
        counts["overdue"] += state == TaskState.OVERDUE
        counts["in_progress"] += state in IN_PROGRESS
        counts["awaiting"] += state == TaskState.AWAITING_CONFIRMATION
    return {code: dict(counts) for code, counts in figures.items()}


def _figures(plan: Plan) -> dict[str, dict[str, int]]:
    return {
        row.unit.code: {
            "assigned": row.assigned, "on_time": row.on_time, "late": row.late, "overdue": row.overdue,
            "in_progress": row.in_progress, "awaiting": row.awaiting,
        }
        for row in unit_task_statistics(plan=plan, today=TODAY)
    }  # fmt: skip


# --- unit_task_statistics --------------------------------------------------------------------


def test_unit_statistics_equal_the_counts_from_the_records(small_plan: Plan):
    assert _figures(small_plan) == _counted_by_hand(small_plan)


def test_unit_statistics_of_the_small_plan(small_plan: Plan):
    assert _figures(small_plan) == {
        "06184": {"assigned": 6, "on_time": 1, "late": 1, "overdue": 1, "in_progress": 1, "awaiting": 1},
        "183-TP": {"assigned": 3, "on_time": 0, "late": 0, "overdue": 2, "in_progress": 1, "awaiting": 0},
    }


def test_unit_statistics_count_completed_as_on_time_plus_late(small_plan: Plan):
    [_office, commune] = unit_task_statistics(plan=small_plan, today=TODAY)
    assert commune.completed == 2


def test_unit_statistics_list_the_most_overdue_unit_first(small_plan: Plan):
    assert [row.unit.code for row in unit_task_statistics(plan=small_plan, today=TODAY)] == ["183-TP", "06184"]


def test_unit_statistics_depend_on_the_day_they_are_seen(small_plan: Plan):
    earlier = {row.unit.code: row.overdue for row in unit_task_statistics(plan=small_plan, today=TODAY - 20 * DAY)}
    assert earlier == {"06184": 0, "183-TP": 1}


def test_unit_statistics_take_two_queries_however_many_tasks(small_plan: Plan, django_assert_num_queries):
    # 1 the counts grouped by lead unit, 2 the units named in them.
    with django_assert_num_queries(2):
        unit_task_statistics(plan=small_plan, today=TODAY)


# --- task_list ---------------------------------------------------------------------------


def test_a_unit_head_lists_only_tasks_their_unit_leads_or_coordinates(seed_plan: Plan, commune_head, dong_dang):
    listed = {task.pk for task in task_list(plan=seed_plan, user=commune_head, today=TODAY)}
    involved = set(Task.objects.filter(area__plan=seed_plan).involving_unit(dong_dang).values_list("pk", flat=True))
    assert listed == involved
    assert listed != set(Task.objects.filter(area__plan=seed_plan).values_list("pk", flat=True))


def test_the_secretariat_lists_every_task_of_the_plan(seed_plan: Plan, secretariat):
    listed = [task.pk for task in task_list(plan=seed_plan, user=secretariat, today=TODAY)]
    assert sorted(listed) == sorted(Task.objects.filter(area__plan=seed_plan).values_list("pk", flat=True))


def test_the_listed_state_is_the_tasks_state_that_day(
    seed_plan: Plan, secretariat, commune_head, commune_led_task: Task
):
    claimed(commune_led_task, head=commune_head, on=TODAY)
    rows = task_list(plan=seed_plan, user=secretariat, today=TODAY)
    assert [(task.pk, task.state) for task in rows] == [(task.pk, task.state_on(TODAY)) for task in rows]


@pytest.mark.parametrize("state", [TaskState.OVERDUE, TaskState.COMPLETED_ON_TIME, TaskState.IN_PROGRESS])
def test_filtering_by_state_lists_exactly_the_tasks_in_that_state(seed_plan: Plan, secretariat, state: TaskState):
    listed = {task.pk for task in task_list(plan=seed_plan, user=secretariat, today=TODAY, filters={"state": state})}
    expected = {task.pk for task in Task.objects.filter(area__plan=seed_plan) if task.state_on(TODAY) == state}
    assert listed == expected
    assert listed  # the seed holds tasks in each of these states on 01/10/2024


def test_the_overdue_filter_lists_the_overdue_tasks(seed_plan: Plan, secretariat, commune_led_task: Task):
    listed = task_list(plan=seed_plan, user=secretariat, today=DUE + DAY, filters={"overdue": True})
    assert commune_led_task.pk in {task.pk for task in listed}
    assert {task.state for task in listed} == {TaskState.OVERDUE}


# --- task_history -------------------------------------------------------------------------


def test_the_history_names_who_changed_what_from_what_to_what(commune_led_task: Task, administrator):
    opened = fresh(commune_led_task)
    task_update(task=opened, expected_version=opened.version, user=administrator, due_date=DUE + 30 * DAY)
    newest = task_history(fresh(commune_led_task))[0]
    assert (newest.who, newest.kind) == ("Quản trị hệ thống", "changed")
    assert [(c.label, c.before, c.after) for c in newest.changes] == [("hạn hoàn thành", "31/10/2024", "30/11/2024")]


def test_the_history_keeps_the_reason_of_a_return(commune_led_task: Task, commune_head, secretariat):
    claimed(commune_led_task, head=commune_head, on=TODAY)
    task_return_completion(task=commune_led_task, user=secretariat, comment="Thiếu biên bản.", today=TODAY)
    assert task_history(fresh(commune_led_task))[0].reason == "Thiếu biên bản."


def test_the_history_starts_with_the_creation(commune_led_task: Task):
    oldest = task_history(fresh(commune_led_task))[-1]
    assert oldest.kind == "created"
