from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from parplan.models import Plan
from tasks.models import ProgressStatus, Task
from tasks.services import task_record_progress, tasks_mark_overdue

TODAY = datetime.date(2024, 10, 1)
DAY = datetime.timedelta(days=1)


def _task(plan: Plan, area: int, position: int) -> Task:
    return Task.objects.get(area__plan=plan, area__number=area, position=position)


def _due(task: Task, day: datetime.date | None) -> Task:
    # Due dates come from the plan file (or the admin); set directly, as a builder.
    Task.objects.filter(pk=task.pk).update(due_date=day)
    task.refresh_from_db()
    return task


@pytest.fixture
def open_task(seed_plan: Plan) -> Task:
    task = _task(seed_plan, 4, 1)
    assert task.status != ProgressStatus.COMPLETED
    return task


@pytest.fixture
def no_due_dates(seed_plan: Plan) -> None:
    # Counts below are about the tasks each test dates, whatever the demo data holds.
    Task.objects.update(due_date=None, overdue_since=None)


# --- task_record_progress ------------------------------------------------------------


@pytest.mark.parametrize("percent", [101, -1])
def test_progress_outside_0_to_100_is_refused_in_vietnamese(open_task: Task, percent: int):
    with pytest.raises(ValidationError) as raised:
        task_record_progress(task=open_task, status=ProgressStatus.IN_PROGRESS, percent=percent, today=TODAY)
    assert raised.value.message_dict == {"progress_percent": ["Tiến độ phải từ 0 đến 100%."]}


def test_refused_progress_leaves_the_task_unchanged(open_task: Task):
    before = Task.objects.filter(pk=open_task.pk).values().get()
    with pytest.raises(ValidationError):
        task_record_progress(task=open_task, status=ProgressStatus.IN_PROGRESS, percent=150, today=TODAY)
    assert Task.objects.filter(pk=open_task.pk).values().get() == before


def test_progress_at_the_bounds_is_accepted(open_task: Task):
    task_record_progress(task=open_task, status=ProgressStatus.NOT_STARTED, percent=0, today=TODAY)
    task_record_progress(task=open_task, status=ProgressStatus.COMPLETED, percent=100, today=TODAY)
    open_task.refresh_from_db()
    assert open_task.progress_percent == 100


def test_one_hundred_percent_without_completion_is_refused(open_task: Task):
    with pytest.raises(ValidationError) as raised:
        task_record_progress(task=open_task, status=ProgressStatus.IN_PROGRESS, percent=100, today=TODAY)
    assert "status" in raised.value.message_dict


def test_completion_sets_progress_to_100_percent(open_task: Task):
    task_record_progress(task=open_task, status=ProgressStatus.COMPLETED, percent=40, today=TODAY)
    open_task.refresh_from_db()
    assert (open_task.status, open_task.progress_percent) == (ProgressStatus.COMPLETED, 100)


def test_completion_is_dated_the_given_day(open_task: Task):
    task_record_progress(task=open_task, status=ProgressStatus.COMPLETED, percent=100, today=TODAY)
    open_task.refresh_from_db()
    assert open_task.completed_on == TODAY


def test_recording_a_completed_task_again_keeps_its_completion_day(open_task: Task):
    task_record_progress(task=open_task, status=ProgressStatus.COMPLETED, percent=100, today=TODAY)
    task_record_progress(
        task=open_task, status=ProgressStatus.COMPLETED, percent=100, note="Bổ sung", today=TODAY + DAY
    )
    open_task.refresh_from_db()
    assert open_task.completed_on == TODAY


def test_reopening_a_completed_task_clears_its_completion_day(open_task: Task):
    task_record_progress(task=open_task, status=ProgressStatus.COMPLETED, percent=100, today=TODAY)
    task_record_progress(task=open_task, status=ProgressStatus.IN_PROGRESS, percent=90, today=TODAY + DAY)
    open_task.refresh_from_db()
    assert (open_task.completed_on, open_task.progress_percent) == (None, 90)


def test_completion_clears_the_overdue_mark(open_task: Task, no_due_dates: None):
    _due(open_task, TODAY - DAY)
    tasks_mark_overdue(today=TODAY)
    task_record_progress(task=open_task, status=ProgressStatus.COMPLETED, percent=100, today=TODAY)
    open_task.refresh_from_db()
    assert open_task.overdue_since is None


def test_recording_the_same_progress_again_writes_no_history(open_task: Task):
    task_record_progress(task=open_task, status=ProgressStatus.IN_PROGRESS, percent=30, note="Đang làm", today=TODAY)
    before = open_task.history.count()
    task_record_progress(task=open_task, status=ProgressStatus.IN_PROGRESS, percent=30, note="Đang làm", today=TODAY)
    assert open_task.history.count() == before


# --- tasks_mark_overdue ---------------------------------------------------------------------


def test_a_task_due_today_is_not_overdue(open_task: Task, no_due_dates: None):
    _due(open_task, TODAY)
    assert tasks_mark_overdue(today=TODAY) == (0, 0)
    open_task.refresh_from_db()
    assert open_task.overdue_since is None


def test_a_task_due_yesterday_is_overdue_since_today(open_task: Task, no_due_dates: None):
    _due(open_task, TODAY - DAY)
    assert tasks_mark_overdue(today=TODAY) == (1, 0)
    open_task.refresh_from_db()
    assert open_task.overdue_since == TODAY


def test_a_completed_task_past_its_due_date_is_never_overdue(open_task: Task, no_due_dates: None):
    task_record_progress(task=open_task, status=ProgressStatus.COMPLETED, percent=100, today=TODAY - 30 * DAY)
    _due(open_task, TODAY - 10 * DAY)
    assert tasks_mark_overdue(today=TODAY) == (0, 0)
    open_task.refresh_from_db()
    assert open_task.overdue_since is None


def test_a_paused_task_past_its_due_date_is_overdue(open_task: Task, no_due_dates: None):
    task_record_progress(task=open_task, status=ProgressStatus.PAUSED, percent=20, today=TODAY)
    _due(open_task, TODAY - DAY)
    assert tasks_mark_overdue(today=TODAY) == (1, 0)


def test_a_task_without_due_date_is_never_overdue(open_task: Task, no_due_dates: None):
    assert tasks_mark_overdue(today=datetime.date(2099, 12, 31)) == (0, 0)


def test_marking_twice_the_same_day_marks_nothing_new(open_task: Task, no_due_dates: None):
    _due(open_task, TODAY - DAY)
    tasks_mark_overdue(today=TODAY)
    assert tasks_mark_overdue(today=TODAY) == (0, 0)


def test_marking_on_later_days_keeps_the_first_overdue_day(open_task: Task, no_due_dates: None):
    _due(open_task, TODAY - DAY)
    tasks_mark_overdue(today=TODAY)
    assert tasks_mark_overdue(today=TODAY + 5 * DAY) == (0, 0)
    open_task.refresh_from_db()
    assert open_task.overdue_since == TODAY


def test_moving_the_due_date_later_clears_the_mark(open_task: Task, no_due_dates: None):
    _due(open_task, TODAY - DAY)
    tasks_mark_overdue(today=TODAY)
    _due(open_task, TODAY + 30 * DAY)
    assert tasks_mark_overdue(today=TODAY + DAY) == (0, 1)
    open_task.refresh_from_db()
    assert open_task.overdue_since is None


def test_moving_the_due_date_to_today_clears_the_mark(open_task: Task, no_due_dates: None):
    _due(open_task, TODAY - DAY)
    tasks_mark_overdue(today=TODAY)
    _due(open_task, TODAY)
    assert tasks_mark_overdue(today=TODAY) == (0, 1)


def test_mark_overdue_returns_the_numbers_marked_and_cleared(seed_plan: Plan, no_due_dates: None):
    late = [_task(seed_plan, 5, position) for position in (1, 2, 4)]
    relieved = _task(seed_plan, 6, 2)
    _due(relieved, TODAY - 3 * DAY)
    tasks_mark_overdue(today=TODAY - DAY)
    _due(relieved, TODAY + DAY)
    for task in late:
        _due(task, TODAY - 2 * DAY)
    assert tasks_mark_overdue(today=TODAY) == (3, 1)
    assert set(Task.objects.filter(overdue_since=TODAY).values_list("pk", flat=True)) == {t.pk for t in late}


def test_marking_a_task_overdue_writes_one_history_record(open_task: Task, no_due_dates: None):
    _due(open_task, TODAY - DAY)
    before = open_task.history.count()
    tasks_mark_overdue(today=TODAY)
    assert open_task.history.count() == before + 1
    assert open_task.history.first().overdue_since == TODAY
