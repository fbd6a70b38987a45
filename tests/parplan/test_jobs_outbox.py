"""Jobs recorded with their action and sent after commit (parplan/jobs.py), and pages while Redis is down.

"Redis down" is a broker and a cache at a closed port (127.0.0.1:1), with Celery
not eager: what the portal meets when its Redis has stopped. Before the outbox
an approval, a progress report and a report request answered 500 after they
had committed, and the dashboard answered 500.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from config.celery import app
from parplan.jobs import SWEEP_GRACE, enqueue_on_commit, jobs_send_pending
from parplan.models import Job, Unit
from reports.models import GeneratedReport, GenerationState
from targets.models import Frequency, Measurement, MeasurementStatus, PendingEvaluation
from targets.services import FigureInput, measurement_save
from tasks.models import ProgressReport, Task
from tasks.services import task_assign
from tests.targets.conftest import seed_indicator, seed_period

pytestmark = pytest.mark.django_db

DEAD = "redis://127.0.0.1:1/0"
QUEUE_AWAY = "Hàng đợi công việc nền tạm thời không kết nối được"


@pytest.fixture
def redis_down(settings: Any) -> Iterator[None]:
    settings.CACHES = {
        "default": {
            "BACKEND": "parplan.cache.ForgivingRedisCache",
            "LOCATION": DEAD,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    names = ("task_always_eager", "broker_url", "result_backend")
    saved = {name: app.conf[name] for name in names}
    app.conf.update(task_always_eager=False, broker_url=DEAD, result_backend=DEAD)
    try:
        yield
    finally:
        app.conf.update(saved)


def _messages(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _later(delta: datetime.timedelta = SWEEP_GRACE) -> datetime.datetime:
    return timezone.now() + delta + datetime.timedelta(seconds=1)


# --- The outbox itself -------------------------------------------------------------------


def test_a_job_is_recorded_in_the_transaction_and_sent_after_commit(django_capture_on_commit_callbacks, monkeypatch):
    sent: list[tuple[str, tuple[Any, ...]]] = []
    monkeypatch.setattr("parplan.jobs.enqueue", lambda name, *args: sent.append((name, args)))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = enqueue_on_commit("parplan.tasks.send_pending_jobs", 7, key="probe")
        assert Job.objects.get(pk=job.pk).sent_at is None
        assert sent == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert sent == [("parplan.tasks.send_pending_jobs", (7,))]
    assert job.sent_at is not None and job.attempts == 1 and job.last_error == ""


def test_a_job_asked_twice_while_unsent_is_one_job(django_capture_on_commit_callbacks):
    first = enqueue_on_commit("reports.tasks.generate_report", 1, key="generate-report-1")
    second = enqueue_on_commit("reports.tasks.generate_report", 1, key="generate-report-1")
    assert first.pk == second.pk
    assert Job.objects.filter(key="generate-report-1").count() == 1


def test_a_job_that_could_not_be_sent_stays_unsent_with_its_error(redis_down, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = enqueue_on_commit("parplan.tasks.send_pending_jobs")
    job.refresh_from_db()
    assert job.sent_at is None
    assert job.attempts == 1
    assert "127.0.0.1:1" in job.last_error


def test_the_sweep_sends_what_was_not_sent_once_the_broker_is_back(redis_down, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = enqueue_on_commit("parplan.tasks.send_pending_jobs")
    assert jobs_send_pending(now=_later())["failed"] == 1  # still down: left for the next sweep
    app.conf.update(task_always_eager=True)  # the broker is back (jobs run inline in tests)

    assert jobs_send_pending(now=_later())["sent"] == 1

    job.refresh_from_db()
    assert job.sent_at is not None and job.attempts == 3
    assert jobs_send_pending(now=_later())["sent"] == 0  # sent once, not again


def test_the_sweep_leaves_a_fresh_job_to_its_own_hand_off(monkeypatch):
    sent: list[str] = []
    monkeypatch.setattr("parplan.jobs.enqueue", lambda name, *args: sent.append(name))
    Job.objects.create(name="parplan.tasks.send_pending_jobs")
    assert jobs_send_pending()["sent"] == 0
    assert jobs_send_pending(now=_later())["sent"] == 1
    assert sent == ["parplan.tasks.send_pending_jobs"]


def test_the_sweep_forgets_jobs_sent_long_ago(monkeypatch):
    old = Job.objects.create(name="x", sent_at=timezone.now() - datetime.timedelta(days=8))
    recent = Job.objects.create(name="y", sent_at=timezone.now())
    assert jobs_send_pending()["forgotten"] == 1
    assert list(Job.objects.filter(pk__in=[old.pk, recent.pk]).values_list("name", flat=True)) == ["y"]


def test_the_sweeps_are_scheduled_every_minute():
    # As a worker does at start: every app's tasks module imported (an earlier test may have finalized
    # the app before reports.tasks was imported, which made this test depend on the order of the run).
    app.loader.import_default_modules()
    schedule = {entry["task"]: entry["schedule"] for entry in app.conf.beat_schedule.values()}
    for name in ("parplan.tasks.send_pending_jobs", "reports.tasks.fail_stale_reports"):
        assert schedule[name] == 60.0
        assert name in app.tasks


# --- Pages and actions while Redis is down --------------------------------------------------


def test_the_dashboard_reads_without_redis(redis_down, client_for, steering, secretariat):
    for user in (steering, secretariat):
        response = client_for(user).get(reverse("dashboard"))
        assert response.status_code == 200


def test_an_approval_succeeds_without_redis_and_its_evaluation_is_marked(
    redis_down, client_for, secretariat, commune_head, seed_plan, django_capture_on_commit_callbacks
):
    indicator = seed_indicator(seed_plan, 3, 3)
    town = Unit.objects.get(code="06184")
    november = seed_period(seed_plan, Frequency.MONTHLY, 11)
    figure = FigureInput(numerator=Decimal(98), denominator=Decimal(100))
    sent = measurement_save(
        indicator=indicator, unit=town, period=november, figure=figure, user=commune_head, submit=True
    )
    PendingEvaluation.objects.filter(indicator=indicator).delete()

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(secretariat).post(
            reverse("figures-review", args=[seed_plan.pk]), {"action": "approve", "measurement": [sent.pk]}
        )

    assert response.status_code == 302
    assert Measurement.objects.get(pk=sent.pk).status == MeasurementStatus.APPROVED
    assert PendingEvaluation.objects.filter(indicator=indicator).exists()


def test_a_progress_report_succeeds_without_redis(
    redis_down, client_for, commune_head, secretariat, seed_plan, media_root, django_capture_on_commit_callbacks
):
    # An open task an office leads, given to Đồng Đăng (the demo's 4.2 is Bảo Lâm's and done).
    task = Task.objects.get(area__plan=seed_plan, area__number=4, position=4)
    task_assign(task=task, lead_unit=Unit.objects.get(code="06184"), coordinating_units=[])
    task = Task.objects.get(pk=task.pk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(commune_head).post(
            reverse("task-progress", args=[task.pk]),
            {"status": "in_progress", "percent": 60, "text": "Đã rà soát thêm 5 thủ tục.", "version": task.version},
        )
    assert response.status_code == 302
    assert ProgressReport.objects.filter(task=task, percent=60).exists()


@pytest.fixture
def sent_at_commit(monkeypatch: pytest.MonkeyPatch) -> None:
    """The hand-off runs when the service's transaction ends, inside the request, as outside tests.

    (The test's own transaction never commits, and captured callbacks run after the request.)
    """
    monkeypatch.setattr("parplan.jobs.transaction.on_commit", lambda callback: callback())


def test_a_report_request_without_redis_is_kept_and_says_it_waits_for_the_queue(
    redis_down, sent_at_commit, client_for, secretariat, seed_plan, media_root
):
    client = client_for(secretariat)
    response = client.post(reverse("report-generate", args=[seed_plan.pk, "q1"]))

    assert response.status_code == 302
    report = GeneratedReport.objects.filter(plan=seed_plan, kind="q1").latest("pk")
    assert response["Location"] == reverse("report-detail", args=[report.pk])
    job = Job.objects.get(key=f"generate-report-{report.pk}")
    assert job.sent_at is None and job.args == [report.pk]
    assert any(QUEUE_AWAY in message for message in _messages(response))
    assert client.get(response["Location"]).status_code == 200

    # Redis is back: the next sweep sends the job, and the version is generated.
    app.conf.update(task_always_eager=True)
    assert jobs_send_pending(now=_later())["sent"] == 1
    report.refresh_from_db()
    assert report.state == GenerationState.DONE and report.progress == 100


def test_an_action_with_redis_up_says_nothing_about_the_queue(
    sent_at_commit, client_for, secretariat, seed_plan, media_root
):
    response = client_for(secretariat).post(reverse("report-generate", args=[seed_plan.pk, "q1"]))
    assert response.status_code == 302
    assert not any(QUEUE_AWAY in message for message in _messages(response))
    report = GeneratedReport.objects.filter(plan=seed_plan, kind="q1").latest("pk")
    assert Job.objects.get(key=f"generate-report-{report.pk}").sent_at is not None
