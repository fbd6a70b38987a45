"""A real round trip through Redis: message out, a real worker runs the job, result back.

Everywhere else Celery runs eagerly (tests/conftest.py); this test switches that
off, points the app at REDIS_URL and starts an in-process worker thread, so the
broker, serialisation and result backend are the real ones. The no-Redis default
(kombu's filesystem transport) is covered in tests/parplan/test_settings.py.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterator
from typing import Any

import pytest
from celery.contrib.testing.worker import start_worker
from celery.result import EagerResult
from celery.signals import task_postrun
from django.contrib.auth import get_user_model
from django.db import connection

from config.celery import app
from parplan.models import Plan, Unit
from tasks.models import Task
from tasks.services import task_claim_completion, task_confirm_completion
from tasks.tasks import mark_overdue_tasks
from tests.builders import add_tasks
from tests.demo_copy import demo_restore

REDIS_URL = os.environ.get("REDIS_URL", "")

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(
        not REDIS_URL, reason="REDIS_URL is not set: no Redis to talk to (e.g. redis://127.0.0.1:6379/15)"
    ),
]

_SWITCHED = ("task_always_eager", "broker_url", "result_backend")


@pytest.fixture
def redis_worker() -> Iterator[Any]:
    saved = {name: app.conf[name] for name in _SWITCHED}
    app.conf.update(task_always_eager=False, broker_url=REDIS_URL, result_backend=REDIS_URL)
    # The worker thread's own database connection would outlive the test and block
    # the test database's teardown: close it after each job, in that thread.
    task_postrun.connect(_close_connection, weak=False)
    try:
        # Solo pool in a thread of this process: it shares the test database.
        with start_worker(app, perform_ping_check=False, shutdown_timeout=10) as worker:
            yield worker
    finally:
        task_postrun.disconnect(_close_connection)
        app.conf.update(saved)


def _close_connection(**_kwargs: Any) -> None:
    connection.close()


@pytest.mark.django_db(transaction=True)
def test_mark_overdue_runs_on_a_real_worker_through_redis(redis_worker):
    # A transactional test may start on an emptied database: load the seed again.
    demo_restore()
    plan = Plan.objects.get(issuing_unit__code="183", year=2024)
    lead = Unit.objects.get(code="06184")
    late, also_late, done = add_tasks(plan=plan, count=3, lead_units=[lead], coordinating_units=[])
    head, secretariat = (get_user_model().objects.get(username=name) for name in ("dongdang.lanhdao", "noivu"))
    task_claim_completion(task=done, user=head, today=datetime.date(2024, 12, 20), text="Đã hoàn thành.")
    task_confirm_completion(task=done, user=secretariat, today=datetime.date(2024, 12, 20))
    day = datetime.date(2025, 1, 15)  # the three were due on 2024-12-31
    expected = Task.objects.past_due(day).filter(overdue_since__isnull=True).count()

    result = mark_overdue_tasks.delay(day.isoformat())

    assert not isinstance(result, EagerResult)  # sent to Redis, not run inline
    assert result.get(timeout=30) == {"marked": expected, "cleared": 0}
    assert expected >= 2
    assert result.successful()
    assert set(Task.objects.filter(overdue_since=day).values_list("pk", flat=True)) >= {late.pk, also_late.pk}
    done.refresh_from_db()
    assert done.overdue_since is None


@pytest.mark.django_db(transaction=True)
def test_the_worker_clears_a_mark_that_no_longer_holds(redis_worker):
    demo_restore()
    plan = Plan.objects.get(issuing_unit__code="183", year=2024)
    (task,) = add_tasks(plan=plan, count=1, lead_units=[Unit.objects.get(code="06184")], coordinating_units=[])
    assert mark_overdue_tasks.delay("2025-01-15").get(timeout=30)["marked"] >= 1
    task.refresh_from_db()
    assert task.overdue_since == datetime.date(2025, 1, 15)

    # Seen from a day before the due date the task is no longer late: the mark goes.
    result = mark_overdue_tasks.delay("2024-12-01").get(timeout=30)

    assert result["cleared"] >= 1
    task.refresh_from_db()
    assert task.overdue_since is None
