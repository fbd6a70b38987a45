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

import pytest
from django.db import connection, transaction

from targets.evaluation import evaluate_plan
from targets.models import IndicatorSnapshot
from tests.concurrency.conftest import District, Outcome

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
