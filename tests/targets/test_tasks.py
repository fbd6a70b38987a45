"""Celery jobs for indicators: the nightly evaluation and the debounced re-evaluation after approvals."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from celery.schedules import crontab
from django.db import transaction
from django.utils import timezone

import targets.tasks
from config.celery import app
from parplan.models import Job, Plan, PlanStatus
from targets.evaluation import evaluate_active_plans, nightly_evaluations_hand_out
from targets.models import IndicatorSnapshot, NightlyEvaluation, PendingEvaluation
from targets.services import evaluations_run_marked, measurement_approve, measurement_reopen
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


def test_the_nightly_task_evaluates_the_active_plans_for_the_given_day(seed_plan, django_capture_on_commit_callbacks):
    # The demo's active plan is this year's (2024's is closed), of the same authority.
    active = list(Plan.objects.filter(status=PlanStatus.ACTIVE).order_by("pk").values_list("pk", flat=True))
    assert len(active) == 1
    with django_capture_on_commit_callbacks(execute=True):  # the jobs are sent once the hand-out commits
        handed_out = targets.tasks.evaluate_indicators.delay(day="2024-10-21").get()
    assert handed_out == active
    assert IndicatorSnapshot.objects.filter(day=datetime.date(2024, 10, 21), unit=seed_plan.issuing_unit).count() == 28
    claims = NightlyEvaluation.objects.filter(day=datetime.date(2024, 10, 21))
    assert sorted(claims.values_list("plan_id", flat=True)) == active


def test_the_night_is_one_recorded_job_per_active_plan_and_handing_it_out_twice_records_it_once(seed_plan):
    day = datetime.date(2024, 10, 21)
    first = nightly_evaluations_hand_out(day=day)
    again = nightly_evaluations_hand_out(day=day)  # a second beat, or the job delivered twice
    assert first == again == list(Plan.objects.filter(status=PlanStatus.ACTIVE).values_list("pk", flat=True))
    jobs = Job.objects.filter(name="targets.tasks.evaluate_plan_of_the_night")
    assert sorted(jobs.values_list("args", flat=True)) == sorted([pk, "2024-10-21"] for pk in first)
    assert not IndicatorSnapshot.objects.filter(day=day).exists()  # nothing evaluated until a worker takes a job


def test_a_plan_of_the_night_evaluated_already_is_not_evaluated_again(seed_plan):
    day = datetime.date(2024, 10, 21)
    line = targets.tasks.evaluate_plan_of_the_night.delay(seed_plan.pk, day.isoformat()).get()
    assert line.startswith("21/10/2024: đã đánh giá 27 chỉ số")
    IndicatorSnapshot.objects.filter(day=day).delete()
    assert targets.tasks.evaluate_plan_of_the_night.delay(seed_plan.pk, day.isoformat()).get() is None
    assert not IndicatorSnapshot.objects.filter(day=day).exists()
    # By hand (the command, an indicator's button) the day is evaluated whatever the night did.
    assert evaluate_active_plans(day=day, plan_id=seed_plan.pk)[0].snapshots > 0


def test_old_claims_are_forgotten_when_a_night_is_handed_out(seed_plan):
    day = datetime.date(2024, 10, 21)
    NightlyEvaluation.objects.create(plan=seed_plan, day=day - datetime.timedelta(days=61), worker="old")
    NightlyEvaluation.objects.create(plan=seed_plan, day=day - datetime.timedelta(days=59), worker="recent")
    nightly_evaluations_hand_out(day=day)
    assert list(NightlyEvaluation.objects.values_list("worker", flat=True)) == ["recent"]


# --- Re-evaluation after approvals: a mark in the database, swept by beat -------------------
# (before: a message with a 60 s countdown that a worker held, and lost with Redis)


@pytest.fixture(autouse=True)
def _no_marks_from_the_demo() -> None:
    # The demo's own approvals leave marks that a sweep would also evaluate.
    PendingEvaluation.objects.all().delete()


def _approve_submitted(indicator, unit, period, user) -> None:
    figure = submitted(indicator, unit, period, ratio(98, 100), user)
    measurement_approve(measurement=figure, user=user)


def _later(seconds: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(seconds=seconds)


def test_approving_a_figure_re_evaluates_its_indicator_today_a_window_later(
    on_time, dong_dang, november, secretariat, settings
):
    today = timezone.localdate()
    IndicatorSnapshot.objects.filter(indicator=on_time, day=today).delete()
    _approve_submitted(on_time, dong_dang, november, secretariat)

    assert PendingEvaluation.objects.filter(indicator=on_time).exists()
    assert evaluations_run_marked(now=_later(settings.PARPLAN_EVALUATION_DEBOUNCE_SECONDS - 5)) == []
    assert not IndicatorSnapshot.objects.filter(indicator=on_time, day=today).exists()

    lines = evaluations_run_marked(now=_later(settings.PARPLAN_EVALUATION_DEBOUNCE_SECONDS + 1))

    assert len(lines) == 1
    own = IndicatorSnapshot.objects.get(indicator=on_time, unit=dong_dang, day=today)
    approved_sum = sum(m.numerator for m in on_time.measurements.filter(unit=dong_dang, status="approved"))
    assert own.numerator == approved_sum
    assert IndicatorSnapshot.objects.filter(indicator=on_time, day=today, unit=on_time.area.plan.issuing_unit).exists()
    assert not PendingEvaluation.objects.filter(indicator=on_time).exists()


def test_a_second_sweep_does_nothing_and_a_re_run_gives_the_same_snapshots(on_time, dong_dang, november, secretariat):
    _approve_submitted(on_time, dong_dang, november, secretariat)
    evaluations_run_marked(now=_later(3600))
    first = set(IndicatorSnapshot.objects.filter(indicator=on_time, day=timezone.localdate()).values_list())

    assert evaluations_run_marked(now=_later(3600)) == []
    PendingEvaluation.objects.create(indicator=on_time)  # as if a killed worker left the mark
    assert len(evaluations_run_marked(now=_later(3600))) == 1

    again = set(IndicatorSnapshot.objects.filter(indicator=on_time, day=timezone.localdate()).values_list())
    assert {row[1:] for row in again} == {row[1:] for row in first}  # the same rows, new primary keys


def test_approvals_within_the_window_make_one_evaluation_timed_from_the_first(
    on_time, dong_dang, bao_lam, november, secretariat
):
    _approve_submitted(on_time, dong_dang, november, secretariat)
    first_mark = PendingEvaluation.objects.get(indicator=on_time).marked_at
    _approve_submitted(on_time, bao_lam, november, secretariat)
    assert list(PendingEvaluation.objects.filter(indicator=on_time).values_list("marked_at", flat=True)) == [first_mark]
    assert len(evaluations_run_marked(now=_later(3600))) == 1


def test_each_indicator_gets_its_own_evaluation(on_time, apologised, dong_dang, november, secretariat):
    _approve_submitted(on_time, dong_dang, november, secretariat)
    _approve_submitted(apologised, dong_dang, november, secretariat)
    assert set(PendingEvaluation.objects.values_list("pk", flat=True)) == {on_time.pk, apologised.pk}
    assert len(evaluations_run_marked(now=_later(3600))) == 2


def test_an_approval_after_the_sweep_marks_again(on_time, dong_dang, bao_lam, november, secretariat):
    _approve_submitted(on_time, dong_dang, november, secretariat)
    evaluations_run_marked(now=_later(3600))
    _approve_submitted(on_time, bao_lam, november, secretariat)
    assert PendingEvaluation.objects.filter(indicator=on_time).exists()


def test_an_approval_sends_no_delayed_message(on_time, dong_dang, november, secretariat, monkeypatch):
    sent: list[Any] = []
    monkeypatch.setattr(app, "send_task", lambda *a, **kw: sent.append((a, kw)))
    monkeypatch.setattr(targets.tasks.evaluate_indicator, "apply_async", lambda *a, **kw: sent.append((a, kw)))
    _approve_submitted(on_time, dong_dang, november, secretariat)
    assert sent == []


def test_the_mark_rolls_back_with_the_approval(on_time, dong_dang, november, secretariat):
    figure = submitted(on_time, dong_dang, november, ratio(98, 100), secretariat)
    with pytest.raises(RuntimeError), transaction.atomic():
        measurement_approve(measurement=figure, user=secretariat)
        raise RuntimeError("the request failed after the approval")
    assert not PendingEvaluation.objects.filter(indicator=on_time).exists()


def test_reopening_an_approved_figure_re_evaluates_its_indicator(seed_plan, on_time, dong_dang, secretariat):
    figure = approved(on_time, dong_dang, seed_period(seed_plan, "monthly", 11), ratio(98, 100), secretariat)
    PendingEvaluation.objects.filter(indicator=on_time).delete()
    measurement_reopen(measurement=figure, user=secretariat, reason="Sai mẫu số.")
    assert PendingEvaluation.objects.filter(indicator=on_time).exists()


def test_the_sweep_is_scheduled_every_minute():
    entries = [e for e in app.conf.beat_schedule.values() if e["task"] == "targets.tasks.evaluate_marked_indicators"]
    assert [e["schedule"] for e in entries] == [60.0]
    assert targets.tasks.evaluate_marked_indicators.name in app.tasks


def test_the_evaluation_of_a_deleted_indicator_does_nothing(on_time):
    pk = on_time.pk
    on_time.delete()
    assert targets.tasks.evaluate_indicator(pk) is None
