"""Derived task states: `Task.state_on` (one task) and `with_state` (SQL) agree, at every date boundary."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tasks.models import ProgressStatus, Task, TaskState
from tasks.services import task_cancel, task_confirm_completion, task_report_progress
from tests.tasks.builders import DAY, DUE, TODAY, claimed, confirmed, due_on, fresh


def _states(task: Task, today: Any) -> tuple[TaskState, str]:
    """(in memory, in the database) for the same day."""
    return fresh(task).state_on(today), Task.objects.with_state(today).values_list("state", flat=True).get(pk=task.pk)


def _report(task: Task, user: Any, status: str, percent: int) -> None:
    task_report_progress(task=task, user=user, status=status, percent=percent, text="Đang thực hiện.")


# Each builder brings the commune-led task (due 31/10/2024) to one state as seen on TODAY (01/10/2024).
BUILDERS: dict[TaskState, Callable[[Task, Any], object]] = {
    TaskState.NOT_STARTED: lambda task, cast: None,
    TaskState.IN_PROGRESS: lambda task, cast: _report(task, cast.staff, ProgressStatus.IN_PROGRESS, 40),
    TaskState.PAUSED: lambda task, cast: _report(task, cast.staff, ProgressStatus.PAUSED, 30),
    TaskState.OVERDUE: lambda task, cast: due_on(task, TODAY - DAY, user=cast.secretariat),
    TaskState.AWAITING_CONFIRMATION: lambda task, cast: claimed(task, head=cast.head, on=TODAY),
    TaskState.COMPLETED_ON_TIME: lambda task, cast: confirmed(
        task, head=cast.head, secretariat=cast.secretariat, on=TODAY
    ),
    TaskState.COMPLETED_LATE: lambda task, cast: (
        due_on(task, TODAY - DAY, user=cast.secretariat),
        confirmed(task, head=cast.head, secretariat=cast.secretariat, on=TODAY),
    ),
    TaskState.CANCELLED: lambda task, cast: task_cancel(task=task, user=cast.secretariat, reason="Không còn phù hợp."),
}


class Cast:
    def __init__(self, secretariat: Any, head: Any, staff: Any) -> None:
        self.secretariat, self.head, self.staff = secretariat, head, staff


@pytest.fixture
def cast(secretariat, commune_head, commune_staff) -> Cast:
    return Cast(secretariat, commune_head, commune_staff)


def test_every_state_has_a_builder_here():
    assert set(BUILDERS) == set(TaskState)


@pytest.mark.parametrize("state", list(BUILDERS), ids=lambda state: state.value)
def test_state_on_and_with_state_agree(commune_led_task: Task, cast: Cast, state: TaskState):
    BUILDERS[state](commune_led_task, cast)
    assert _states(commune_led_task, TODAY) == (state, state)


# --- Due date boundaries ------------------------------------------------------------------


def test_a_task_due_today_is_not_overdue(commune_led_task: Task, secretariat):
    due_on(commune_led_task, TODAY, user=secretariat)
    assert _states(commune_led_task, TODAY) == (TaskState.NOT_STARTED, TaskState.NOT_STARTED)


def test_a_task_due_yesterday_is_overdue(commune_led_task: Task, secretariat):
    due_on(commune_led_task, TODAY - DAY, user=secretariat)
    assert _states(commune_led_task, TODAY) == (TaskState.OVERDUE, TaskState.OVERDUE)


def test_a_task_in_progress_past_its_due_date_is_overdue(commune_led_task: Task, secretariat, commune_staff):
    _report(commune_led_task, commune_staff, ProgressStatus.IN_PROGRESS, 60)
    assert _states(commune_led_task, DUE + DAY) == (TaskState.OVERDUE, TaskState.OVERDUE)


def test_a_paused_task_past_its_due_date_is_overdue(commune_led_task: Task, commune_staff):
    _report(commune_led_task, commune_staff, ProgressStatus.PAUSED, 30)
    assert _states(commune_led_task, DUE + DAY) == (TaskState.OVERDUE, TaskState.OVERDUE)


def test_a_task_without_a_due_date_is_never_overdue(commune_led_task: Task, secretariat):
    due_on(commune_led_task, None, user=secretariat)
    assert _states(commune_led_task, DUE + 1000 * DAY) == (TaskState.NOT_STARTED, TaskState.NOT_STARTED)


def test_a_claimed_task_past_its_due_date_awaits_confirmation_rather_than_being_overdue(
    commune_led_task: Task, commune_head
):
    claimed(commune_led_task, head=commune_head, on=DUE + DAY)
    expected = TaskState.AWAITING_CONFIRMATION
    assert _states(commune_led_task, DUE + 5 * DAY) == (expected, expected)


def test_a_cancelled_task_past_its_due_date_is_cancelled(commune_led_task: Task, secretariat):
    task_cancel(task=commune_led_task, user=secretariat, reason="Không còn phù hợp.")
    assert _states(commune_led_task, DUE + DAY) == (TaskState.CANCELLED, TaskState.CANCELLED)


# --- Completion date boundaries -----------------------------------------------------------


def test_completion_on_the_due_date_is_on_time(commune_led_task: Task, commune_head, secretariat):
    confirmed(commune_led_task, head=commune_head, secretariat=secretariat, on=DUE)
    expected = TaskState.COMPLETED_ON_TIME
    assert _states(commune_led_task, DUE + 30 * DAY) == (expected, expected)


def test_completion_the_day_after_the_due_date_is_late(commune_led_task: Task, commune_head, secretariat):
    confirmed(commune_led_task, head=commune_head, secretariat=secretariat, on=DUE + DAY)
    expected = TaskState.COMPLETED_LATE
    assert _states(commune_led_task, DUE + 30 * DAY) == (expected, expected)


def test_a_late_confirmation_of_a_claim_made_on_time_is_on_time(commune_led_task: Task, commune_head, secretariat):
    claimed(commune_led_task, head=commune_head, on=DUE)
    task_confirm_completion(task=commune_led_task, user=secretariat, today=DUE + 10 * DAY)
    expected = TaskState.COMPLETED_ON_TIME
    assert _states(commune_led_task, DUE + 10 * DAY) == (expected, expected)


def test_a_completed_task_without_a_due_date_is_on_time(commune_led_task: Task, commune_head, secretariat):
    due_on(commune_led_task, None, user=secretariat)
    confirmed(commune_led_task, head=commune_head, secretariat=secretariat, on=TODAY)
    expected = TaskState.COMPLETED_ON_TIME
    assert _states(commune_led_task, TODAY) == (expected, expected)


def test_a_confirmed_state_does_not_depend_on_the_day_it_is_seen(commune_led_task: Task, commune_head, secretariat):
    confirmed(commune_led_task, head=commune_head, secretariat=secretariat, on=DUE + DAY)
    assert {fresh(commune_led_task).state_on(day) for day in (TODAY, DUE, DUE + 365 * DAY)} == {
        TaskState.COMPLETED_LATE
    }


def test_is_overdue_on_follows_the_state(commune_led_task: Task):
    task = fresh(commune_led_task)
    assert (task.is_overdue_on(DUE), task.is_overdue_on(DUE + DAY)) == (False, True)


def test_the_seed_plans_states_agree_in_memory_and_in_the_database(seed_plan, commune_led_task: Task):
    tasks = Task.objects.filter(area__plan=seed_plan).with_state(TODAY)
    assert [(task.pk, task.state_on(TODAY)) for task in tasks] == [(task.pk, task.state) for task in tasks]
