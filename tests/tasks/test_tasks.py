"""tasks.tasks (Celery, eager in tests) and the beat schedule that runs them."""

from __future__ import annotations

import datetime

import pytest
from celery.schedules import crontab
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from config.celery import app
from parplan.models import Plan
from targets.tasks import evaluate_indicators
from tasks.models import Task
from tasks.tasks import mark_overdue_tasks, send_daily_digests
from tests.tasks.builders import DAY, TODAY, due_on, new_task, nothing_pending


@pytest.fixture
def late_task(seed_plan: Plan, secretariat, dong_dang) -> Task:
    """The only dated task: due 30/09/2024."""
    Task.objects.update(due_date=None, overdue_since=None)
    return new_task(seed_plan, user=secretariat, lead=dong_dang, due_date=datetime.date(2024, 9, 30))


@pytest.fixture
def due_next_week(commune_led_task: Task, secretariat) -> Task:
    """Due on 08/10/2024, seven days after TODAY, with nothing else pending for anyone."""
    due_on(commune_led_task, TODAY + 7 * DAY, user=secretariat)
    nothing_pending()
    return commune_led_task


# --- mark_overdue_tasks ---------------------------------------------------------------------


def test_mark_overdue_job_returns_the_counts(late_task: Task):
    assert mark_overdue_tasks.delay("2024-10-01").get() == {"marked": 1, "cleared": 0}


def test_mark_overdue_job_marks_the_task_in_the_database(late_task: Task):
    mark_overdue_tasks.delay("2024-10-01")
    late_task.refresh_from_db()
    assert late_task.overdue_since == datetime.date(2024, 10, 1)


def test_mark_overdue_job_on_the_due_day_marks_nothing(late_task: Task):
    assert mark_overdue_tasks.delay("2024-09-30").get() == {"marked": 0, "cleared": 0}


def test_mark_overdue_job_without_a_day_uses_todays_local_date(late_task: Task, secretariat, clock_on_today):
    due_on(late_task, timezone.localdate() - DAY, user=secretariat)
    assert mark_overdue_tasks.delay().get() == {"marked": 1, "cleared": 0}
    late_task.refresh_from_db()
    assert late_task.overdue_since == timezone.localdate()


# --- send_daily_digests ---------------------------------------------------------------------


def test_digest_job_makes_the_days_reminders_and_mails_them(due_next_week: Task):
    # Thị trấn Đồng Đăng's head and staff: one reminder and one mail each.
    assert send_daily_digests.delay(TODAY.isoformat()).get() == {"reminders": 2, "mails": 2}


def test_digest_job_reports_as_many_mails_as_it_sent(due_next_week: Task):
    result = send_daily_digests.delay(TODAY.isoformat()).get()
    assert result["mails"] == len(mail.outbox)
    assert sorted(m.to[0] for m in mail.outbox) == ["dongdang.canbo@parplan.local", "dongdang.lanhdao@parplan.local"]


def test_digest_job_run_twice_the_same_day_sends_nothing_more(due_next_week: Task):
    send_daily_digests.delay(TODAY.isoformat())
    assert send_daily_digests.delay(TODAY.isoformat()).get() == {"reminders": 0, "mails": 0}


def test_digest_job_links_to_the_configured_site(due_next_week: Task, settings):
    settings.PARPLAN_BASE_URL = "https://cchc.caoloc.gov.vn"
    send_daily_digests.delay(TODAY.isoformat())
    link = "https://cchc.caoloc.gov.vn" + reverse("task-detail", args=[due_next_week.pk])
    assert all(link in message.body for message in mail.outbox)
    assert len(mail.outbox) == 2


def test_digest_job_without_a_day_uses_todays_local_date(commune_led_task: Task, secretariat, clock_on_today):
    Task.objects.exclude(pk=commune_led_task.pk).update(due_date=None)
    due_on(commune_led_task, timezone.localdate() + DAY, user=secretariat)
    nothing_pending()
    assert send_daily_digests.delay().get() == {"reminders": 2, "mails": 2}


# --- Registration and schedule ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("job", "name"),
    [
        (mark_overdue_tasks, "tasks.tasks.mark_overdue_tasks"),
        (send_daily_digests, "tasks.tasks.send_daily_digests"),
        (evaluate_indicators, "targets.tasks.evaluate_indicators"),
    ],
)
def test_each_scheduled_job_is_registered_under_its_scheduled_name(job, name: str):
    assert (job.name, name in app.tasks) == (name, True)


@pytest.mark.parametrize(
    ("entry", "job", "hour", "minute"),
    [
        ("mark-overdue-tasks", "tasks.tasks.mark_overdue_tasks", 1, 0),
        ("evaluate-indicators", "targets.tasks.evaluate_indicators", 1, 0),
        ("send-daily-digests", "tasks.tasks.send_daily_digests", 6, 30),
    ],
)
def test_beat_runs_each_job_at_its_time(entry: str, job: str, hour: int, minute: int):
    scheduled = app.conf.beat_schedule[entry]
    assert (scheduled["task"], scheduled["schedule"]) == (job, crontab(hour=hour, minute=minute))


def test_beat_schedules_the_nightly_and_morning_jobs_the_minute_sweeps_and_the_heartbeat():
    assert sorted(entry["task"] for entry in app.conf.beat_schedule.values()) == [
        "inspections.tasks.remind_overdue_recommendations",
        "parplan.tasks.heartbeat",
        "parplan.tasks.send_pending_jobs",
        "reports.tasks.fail_stale_reports",
        "scoring.tasks.close_due_steps",
        "targets.tasks.evaluate_indicators",
        "targets.tasks.evaluate_marked_indicators",
        "tasks.tasks.mark_overdue_tasks",
        "tasks.tasks.send_daily_digests",
    ]
    # The sweeps of docs/jobs.md run every minute.
    sweeps = [e["schedule"] for e in app.conf.beat_schedule.values() if not isinstance(e["schedule"], crontab)]
    assert sweeps == [60.0] * 4  # and the heartbeat (/healthz)


def test_celery_keeps_time_in_vietnam():
    assert app.conf.timezone == "Asia/Ho_Chi_Minh"
