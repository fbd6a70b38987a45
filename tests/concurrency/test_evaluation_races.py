"""Two evaluations of one plan's new day at once (the nightly run and the approvals' sweep, or two workers).

Before, both found the day empty and inserted its rows; the second failed on the
unique key (indicator, unit, day) when the first committed, and its job went to
retry as an error. Now the second waits for the first, sees its rows and writes
only what differs: both succeed and the day holds one row per (indicator, unit).
"""

from __future__ import annotations

import datetime
import threading
import time
from functools import partial

import pytest
from django.db import connection, transaction

from targets.evaluation import evaluate_plan, evaluate_plan_once
from targets.models import IndicatorSnapshot, NightlyEvaluation
from tests.concurrency.conftest import District, Outcome, at_once

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

DAY = datetime.date(2024, 6, 14)


def test_a_second_evaluation_of_a_new_day_waits_for_the_first_and_both_succeed(district: District) -> None:
    first_wrote, release = threading.Event(), threading.Event()
    outcomes: dict[str, Outcome] = {}

    def first() -> None:
        try:
            with transaction.atomic():  # holds its rows uncommitted until released
                outcomes["first"] = Outcome(value=evaluate_plan(plan=district.plan, day=DAY).snapshots)
                first_wrote.set()
                release.wait(30)
        except BaseException as error:
            outcomes["first"] = Outcome(error=error)
            first_wrote.set()
        finally:
            connection.close()

    def second() -> None:
        try:
            first_wrote.wait(30)
            outcomes["second"] = Outcome(value=evaluate_plan(plan=district.plan, day=DAY).snapshots)
        except BaseException as error:
            outcomes["second"] = Outcome(error=error)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    first_wrote.wait(30)
    time.sleep(1)  # the second is now inside its evaluation, waiting on the first's transaction
    release.set()
    for thread in threads:
        thread.join(60)
    assert not any(thread.is_alive() for thread in threads), "an evaluation did not finish: a deadlock?"

    assert outcomes["first"].error is None, outcomes["first"].error
    assert outcomes["second"].error is None, outcomes["second"].error
    written = outcomes["first"].value
    assert written > 0 and outcomes["second"].value == written
    day_rows = IndicatorSnapshot.objects.filter(indicator__area__plan=district.plan, day=DAY)
    assert day_rows.count() == written


def test_two_workers_handed_the_same_plan_of_the_night_evaluate_it_once(district: District) -> None:
    # A job is delivered at least once, and two beats would hand the night out twice: the claim
    # (targets.NightlyEvaluation) makes the second wait for the first's commit and then do nothing.
    outcomes = at_once([partial(evaluate_plan_once, plan_id=district.plan.pk, day=DAY, worker=worker)
                        for worker in ("worker-a", "worker-b")])  # fmt: skip
    assert [outcome.error for outcome in outcomes] == [None, None]
    done = [outcome.value for outcome in outcomes if outcome.value is not None]
    assert len(done) == 1 and done[0].snapshots > 0
    claim = NightlyEvaluation.objects.get(plan=district.plan, day=DAY)
    assert claim.worker in ("worker-a", "worker-b")
    assert IndicatorSnapshot.objects.filter(indicator__area__plan=district.plan, day=DAY).count() == done[0].snapshots


def test_a_claim_rolled_back_with_its_failed_evaluation_leaves_the_plan_to_the_next_worker(
    district: District, monkeypatch: pytest.MonkeyPatch
) -> None:
    import targets.evaluation

    real = targets.evaluation.evaluate_plan

    def failing(**kwargs: object) -> None:
        raise RuntimeError("the worker's evaluation failed")

    monkeypatch.setattr(targets.evaluation, "evaluate_plan", failing)
    with pytest.raises(RuntimeError):
        evaluate_plan_once(plan_id=district.plan.pk, day=DAY, worker="worker-a")
    assert not NightlyEvaluation.objects.filter(plan=district.plan, day=DAY).exists()
    monkeypatch.setattr(targets.evaluation, "evaluate_plan", real)
    summary = evaluate_plan_once(plan_id=district.plan.pk, day=DAY, worker="worker-b")
    assert summary is not None and summary.snapshots > 0
    assert NightlyEvaluation.objects.get(plan=district.plan, day=DAY).worker == "worker-b"
