from __future__ import annotations

import datetime

import pytest
from celery.schedules import crontab
from django.utils import timezone

from parplan.celery import app
from parplan.models import Plan
from tasks.models import Task
from tasks.tasks import mark_overdue_tasks

DAY = datetime.timedelta(days=1)


@pytest.fixture
def late_task(seed_plan: Plan) -> Task:
    Task.objects.update(due_date=None, overdue_since=None)
    task = Task.objects.get(area__plan=seed_plan, area__number=5, position=2)
    Task.objects.filter(pk=task.pk).update(due_date=datetime.date(2024, 9, 30))
    return task


def test_mark_overdue_job_returns_the_counts(late_task: Task):
    result = mark_overdue_tasks.delay("2024-10-01")
    assert result.get() == {"marked": 1, "cleared": 0}


def test_mark_overdue_job_marks_the_task_in_the_database(late_task: Task):
    mark_overdue_tasks.delay("2024-10-01")
    late_task.refresh_from_db()
    assert late_task.overdue_since == datetime.date(2024, 10, 1)


def test_mark_overdue_job_on_the_due_day_marks_nothing(late_task: Task):
    assert mark_overdue_tasks.delay("2024-09-30").get() == {"marked": 0, "cleared": 0}


def test_mark_overdue_job_without_a_day_uses_todays_local_date(seed_plan: Plan):
    Task.objects.update(due_date=None, overdue_since=None)
    task = Task.objects.get(area__plan=seed_plan, area__number=5, position=2)
    Task.objects.filter(pk=task.pk).update(due_date=timezone.localdate() - DAY)
    assert mark_overdue_tasks.delay().get() == {"marked": 1, "cleared": 0}
    task.refresh_from_db()
    assert task.overdue_since == timezone.localdate()


def test_mark_overdue_job_is_registered_under_its_scheduled_name():
    assert mark_overdue_tasks.name == "tasks.tasks.mark_overdue_tasks"
    assert mark_overdue_tasks.name in app.tasks


def test_beat_runs_the_mark_overdue_job_at_one_in_the_morning():
    entry = app.conf.beat_schedule["mark-overdue-tasks"]
    assert entry["task"] == mark_overdue_tasks.name
    assert entry["schedule"] == crontab(hour=1, minute=0)


def test_celery_keeps_time_in_vietnam():
    assert app.conf.timezone == "Asia/Ho_Chi_Minh"
