"""Derived task states: `Task.state_on` (one task) and `with_state` (SQL) agree, at every date boundary.

`Task.state_as_of` (a report's cut-off) is the same rule applied to what was known on the day.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from parplan.models import Plan
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


# --- As of a report's cut-off (`state_as_of`) ---------------------------------------


CUTOFF = datetime.date(2024, 12, 14)


def _task(**fields: Any) -> Task:
    """A task in memory: `state_as_of` reads fields only."""
    return Task(**{"due_date": datetime.date(2024, 6, 30), "progress_percent": 0, **fields})


def test_a_task_confirmed_by_its_due_date_is_completed_on_time() -> None:
    task = _task(completed_on=datetime.date(2024, 6, 1), confirmed_at=timezone.now())
    assert task.state_as_of(CUTOFF) == TaskState.COMPLETED_ON_TIME


def test_a_task_confirmed_after_its_due_date_is_completed_late() -> None:
    task = _task(completed_on=datetime.date(2024, 7, 1), confirmed_at=timezone.now())
    assert task.state_as_of(CUTOFF) == TaskState.COMPLETED_LATE


def test_a_completion_after_the_cut_off_does_not_count_yet() -> None:
    task = _task(completed_on=datetime.date(2024, 12, 20), confirmed_at=timezone.now())
    assert task.state_as_of(CUTOFF) == TaskState.OVERDUE


def test_a_claimed_completion_not_yet_confirmed_awaits_confirmation() -> None:
    task = _task(completed_on=datetime.date(2024, 6, 1))
    assert task.state_as_of(CUTOFF) == TaskState.AWAITING_CONFIRMATION


def test_an_open_task_is_in_progress_not_started_or_overdue_by_its_dates_and_progress() -> None:
    assert _task(due_date=datetime.date(2024, 12, 31)).state_as_of(CUTOFF) == TaskState.NOT_STARTED
    started = _task(due_date=datetime.date(2024, 12, 31), progress_percent=40)
    assert started.state_as_of(CUTOFF) == TaskState.IN_PROGRESS
    assert _task(due_date=datetime.date(2024, 12, 13)).state_as_of(CUTOFF) == TaskState.OVERDUE
    assert _task(due_date=CUTOFF).state_as_of(CUTOFF) == TaskState.NOT_STARTED


def test_a_cancellation_counts_by_the_local_day_not_the_utc_day() -> None:
    # 15/12/2024 01:00 in Hà Nội is still 14/12 in UTC: cancelled after the cut-off.
    after_cutoff = datetime.datetime(2024, 12, 14, 18, 0, tzinfo=datetime.UTC)
    assert _task(cancelled_at=after_cutoff).state_as_of(CUTOFF) == TaskState.OVERDUE
    on_cutoff = datetime.datetime(2024, 12, 14, 16, 0, tzinfo=datetime.UTC)  # 23:00 local
    assert _task(cancelled_at=on_cutoff).state_as_of(CUTOFF) == TaskState.CANCELLED


# --- One rule, in SQL and in Python, table-driven at the date boundaries ------------------
#
# Rows written directly (not through the services) so that each case holds exactly the
# facts it names, including records the services never write (confirmed without a date).

BOUNDARY_DAY = datetime.date(2024, 10, 1)
_NOW = datetime.datetime(2024, 9, 1, 3, 0, tzinfo=datetime.UTC)
D = datetime.timedelta

# (case, fields, expected state on BOUNDARY_DAY)
STATE_TABLE: list[tuple[str, dict[str, Any], TaskState]] = [
    ("due tomorrow", {"due_date": BOUNDARY_DAY + D(1)}, TaskState.NOT_STARTED),
    ("due today", {"due_date": BOUNDARY_DAY}, TaskState.NOT_STARTED),
    ("due yesterday", {"due_date": BOUNDARY_DAY - D(1)}, TaskState.OVERDUE),
    ("no due date", {"due_date": None}, TaskState.NOT_STARTED),
    ("in progress at 0 %", {"status": ProgressStatus.IN_PROGRESS}, TaskState.IN_PROGRESS),
    ("not started but 10 %", {"progress_percent": 10}, TaskState.IN_PROGRESS),
    ("paused, due today", {"status": ProgressStatus.PAUSED, "due_date": BOUNDARY_DAY}, TaskState.PAUSED),
    ("paused, due yesterday", {"status": ProgressStatus.PAUSED, "due_date": BOUNDARY_DAY - D(1)}, TaskState.OVERDUE),
    ("in progress, due yesterday", {"status": ProgressStatus.IN_PROGRESS, "progress_percent": 60,
                                    "due_date": BOUNDARY_DAY - D(1)}, TaskState.OVERDUE),
    ("claimed late, due yesterday", {"claimed_at": _NOW, "completed_on": BOUNDARY_DAY,
                                     "due_date": BOUNDARY_DAY - D(1)}, TaskState.AWAITING_CONFIRMATION),
    ("confirmed on the due date", {"claimed_at": _NOW, "confirmed_at": _NOW, "completed_on": BOUNDARY_DAY,
                                   "due_date": BOUNDARY_DAY}, TaskState.COMPLETED_ON_TIME),
    ("confirmed the day after", {"claimed_at": _NOW, "confirmed_at": _NOW, "completed_on": BOUNDARY_DAY,
                                 "due_date": BOUNDARY_DAY - D(1)}, TaskState.COMPLETED_LATE),
    ("confirmed, no due date", {"claimed_at": _NOW, "confirmed_at": _NOW, "completed_on": BOUNDARY_DAY,
                                "due_date": None}, TaskState.COMPLETED_ON_TIME),
    ("confirmed without a completion date", {"confirmed_at": _NOW, "due_date": BOUNDARY_DAY},
     TaskState.COMPLETED_LATE),
    ("cancelled, due yesterday", {"cancelled_at": _NOW, "due_date": BOUNDARY_DAY - D(1)}, TaskState.CANCELLED),
    ("cancelled after its confirmation", {"cancelled_at": _NOW, "claimed_at": _NOW, "confirmed_at": _NOW,
                                          "completed_on": BOUNDARY_DAY}, TaskState.CANCELLED),
]  # fmt: skip


def _rows(plan: Plan, table: list[tuple[str, dict[str, Any], TaskState]]) -> dict[str, Task]:
    area = plan.areas.get(number=3)
    defaults = {"status": ProgressStatus.NOT_STARTED, "progress_percent": 0, "due_date": BOUNDARY_DAY}
    tasks = Task.objects.bulk_create(
        Task(area=area, position=500 + i, title=case, text=case, **(defaults | fields))
        for i, (case, fields, _state) in enumerate(table)
    )
    return {task.title: task for task in tasks}


def test_the_state_table_covers_every_state():
    assert {state for _case, _fields, state in STATE_TABLE} == set(TaskState)


def test_sql_and_python_give_the_table_s_state_on_the_boundary_day(seed_plan: Plan):
    tasks = _rows(seed_plan, STATE_TABLE)
    in_sql = dict(Task.objects.filter(title__in=tasks).with_state(BOUNDARY_DAY).values_list("title", "state"))
    expected = {case: state for case, _fields, state in STATE_TABLE}
    assert {case: task.state_on(BOUNDARY_DAY) for case, task in tasks.items()} == expected
    assert in_sql == expected


@pytest.mark.parametrize("shift", [-1, 0, 1, 30], ids=["day before", "same day", "day after", "month after"])
def test_sql_and_python_agree_on_every_row_whatever_the_day(seed_plan: Plan, shift: int):
    tasks = _rows(seed_plan, STATE_TABLE)
    day = BOUNDARY_DAY + D(shift)
    in_sql = dict(Task.objects.filter(title__in=tasks).with_state(day).values_list("title", "state"))
    assert in_sql == {case: task.state_on(day) for case, task in tasks.items()}


def test_past_due_is_exactly_the_overdue_state(seed_plan: Plan):
    tasks = _rows(seed_plan, STATE_TABLE)
    past_due = set(Task.objects.filter(title__in=tasks).past_due(BOUNDARY_DAY).values_list("title", flat=True))
    assert past_due == {case for case, _fields, state in STATE_TABLE if state == TaskState.OVERDUE}


def test_as_of_a_day_after_which_nothing_happened_the_report_sees_what_the_page_shows():
    # The table's records as the services write them: a claim dates the completion, and
    # every event happened before the day. Then the cut-off view is the live one.
    consistent = [(case, fields) for case, fields, _state in STATE_TABLE if "completion date" not in case]
    for case, fields in consistent:
        task = Task(**{"status": ProgressStatus.NOT_STARTED, "progress_percent": 0, "due_date": BOUNDARY_DAY} | fields)
        assert task.state_as_of(BOUNDARY_DAY) == task.state_on(BOUNDARY_DAY), case


def test_a_paused_task_is_paused_in_a_report_as_on_its_page():
    # The report's own copy of the rule ignored the progress status and said "in progress".
    task = _task(due_date=datetime.date(2024, 12, 31), status=ProgressStatus.PAUSED, progress_percent=30)
    assert task.state_as_of(CUTOFF) == task.state_on(CUTOFF) == TaskState.PAUSED


def test_a_task_reported_in_progress_at_zero_percent_is_in_progress_in_a_report_as_on_its_page():
    task = _task(due_date=datetime.date(2024, 12, 31), status=ProgressStatus.IN_PROGRESS)
    assert task.state_as_of(CUTOFF) == task.state_on(CUTOFF) == TaskState.IN_PROGRESS


def test_a_cancellation_after_the_cut_off_leaves_the_cut_off_state_as_it_was():
    cancelled_later = timezone.make_aware(datetime.datetime(2024, 12, 20, 9, 0))
    task = _task(due_date=datetime.date(2024, 12, 31), progress_percent=50, cancelled_at=cancelled_later)
    assert (task.state_as_of(CUTOFF), task.state_on(CUTOFF)) == (TaskState.IN_PROGRESS, TaskState.CANCELLED)
