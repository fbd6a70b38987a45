"""Celery jobs for indicators: the nightly evaluation and the debounced re-evaluation after approvals."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from celery.schedules import crontab
from django.core.cache import cache
from django.utils import timezone

import targets.tasks
from config.celery import app
from targets.models import IndicatorSnapshot
from targets.services import measurement_approve, measurement_reopen
from tests.targets.builders import approved, ratio, submitted
from tests.targets.conftest import seed_period

pytestmark = pytest.mark.django_db


def test_the_nightly_evaluation_is_scheduled_at_one_in_the_morning_vietnam_time():
    entries = [
        entry for entry in app.conf.beat_schedule.values() if entry["task"] == "targets.tasks.evaluate_indicators"
    ]
    assert len(entries) == 1
    schedule = entries[0]["schedule"]
    assert isinstance(schedule, crontab)
    # celery-types does not declare the fields crontab parses its arguments into.
    assert (schedule.hour, schedule.minute) == ({1}, {0})  # type: ignore[attr-defined]
    assert str(schedule.tz) == "Asia/Ho_Chi_Minh"
    assert app.conf.timezone == "Asia/Ho_Chi_Minh"


def test_the_scheduled_name_is_the_registered_task():
    assert targets.tasks.evaluate_indicators.name in app.tasks


def test_the_nightly_task_evaluates_the_active_plans_for_the_given_day(seed_plan):
    lines = targets.tasks.evaluate_indicators.delay(day="2024-10-21").get()
    assert len(lines) == 1 and lines[0].startswith("21/10/2024: đã đánh giá 27 chỉ số")
    assert IndicatorSnapshot.objects.filter(day=datetime.date(2024, 10, 21), unit=seed_plan.issuing_unit).count() == 27


# --- Re-evaluation after approvals ---------------------------------------------------------


@pytest.fixture
def queued(monkeypatch) -> list[tuple[Any, dict[str, Any]]]:
    """Calls to `evaluate_indicator.apply_async`, instead of running them."""
    calls: list[tuple[Any, dict[str, Any]]] = []
    monkeypatch.setattr(
        targets.tasks.evaluate_indicator, "apply_async", lambda args=None, **kw: calls.append((args, kw))
    )
    return calls


def _approve_submitted(indicator, unit, period, user, capture) -> None:
    figure = submitted(indicator, unit, period, ratio(98, 100), user)
    with capture(execute=True):
        measurement_approve(measurement=figure, user=user)


def test_approving_a_figure_re_evaluates_its_indicator_today(
    on_time, dong_dang, november, secretariat, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    IndicatorSnapshot.objects.filter(indicator=on_time, day=today).delete()
    _approve_submitted(on_time, dong_dang, november, secretariat, django_capture_on_commit_callbacks)
    own = IndicatorSnapshot.objects.get(indicator=on_time, unit=dong_dang, day=today)
    approved_sum = sum(m.numerator for m in on_time.measurements.filter(unit=dong_dang, status="approved"))
    assert own.numerator == approved_sum
    assert on_time.measurements.filter(unit=dong_dang, period=november, status="approved").exists()
    assert IndicatorSnapshot.objects.filter(indicator=on_time, day=today, unit=on_time.area.plan.issuing_unit).exists()


def test_the_re_evaluation_waits_for_the_debounce_window(
    on_time, dong_dang, november, secretariat, queued, settings, django_capture_on_commit_callbacks
):
    settings.PARPLAN_EVALUATION_DEBOUNCE_SECONDS = 45
    _approve_submitted(on_time, dong_dang, november, secretariat, django_capture_on_commit_callbacks)
    assert queued == [((on_time.pk,), {"countdown": 45})]


def test_approvals_within_the_window_queue_one_evaluation(
    on_time, dong_dang, bao_lam, november, secretariat, queued, django_capture_on_commit_callbacks
):
    _approve_submitted(on_time, dong_dang, november, secretariat, django_capture_on_commit_callbacks)
    _approve_submitted(on_time, bao_lam, november, secretariat, django_capture_on_commit_callbacks)
    assert len(queued) == 1


def test_each_indicator_gets_its_own_evaluation(
    on_time, apologised, dong_dang, november, secretariat, queued, django_capture_on_commit_callbacks
):
    _approve_submitted(on_time, dong_dang, november, secretariat, django_capture_on_commit_callbacks)
    _approve_submitted(apologised, dong_dang, november, secretariat, django_capture_on_commit_callbacks)
    assert sorted(args for args, _kw in queued) == sorted([(on_time.pk,), (apologised.pk,)])


def test_an_approval_after_the_window_queues_again(
    on_time, dong_dang, bao_lam, november, secretariat, queued, django_capture_on_commit_callbacks
):
    _approve_submitted(on_time, dong_dang, november, secretariat, django_capture_on_commit_callbacks)
    cache.clear()  # the window has passed: its key expired
    _approve_submitted(on_time, bao_lam, november, secretariat, django_capture_on_commit_callbacks)
    assert len(queued) == 2


def test_nothing_is_queued_before_the_approval_commits(on_time, dong_dang, november, secretariat, queued):
    figure = submitted(on_time, dong_dang, november, ratio(98, 100), secretariat)
    measurement_approve(measurement=figure, user=secretariat)
    # The test's transaction never commits: no evaluation of a figure that may yet roll back.
    assert queued == []


def test_reopening_an_approved_figure_re_evaluates_its_indicator(
    seed_plan, on_time, dong_dang, secretariat, queued, django_capture_on_commit_callbacks
):
    figure = approved(on_time, dong_dang, seed_period(seed_plan, "monthly", 11), ratio(98, 100), secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        measurement_reopen(measurement=figure, user=secretariat, reason="Sai mẫu số.")
    assert queued == [((on_time.pk,), {"countdown": 60})]


def test_the_evaluation_of_a_deleted_indicator_does_nothing(on_time):
    pk = on_time.pk
    on_time.delete()
    assert targets.tasks.evaluate_indicator(pk) is None
