"""Handing work to Celery: recorded with the action, sent after commit, swept when Redis was away (docs/jobs.md).

A service calls `enqueue_on_commit("<app>.tasks.<job>", *args)` inside its
transaction. That writes a `parplan.Job` row in the same transaction, so the job
exists exactly when the action does; after commit the job is sent to the broker.
When the broker cannot be reached the action still succeeds: the row stays
unsent, the page says the job will run when the queue is back
(`JobQueueNoticeMiddleware`), and `jobs_send_pending`, run by beat every
minute, sends it later. Delivery is at least once: every job must be idempotent.

Jobs are named as Celery registers them, so a service need not import the
module that defines the job (a service and its app's `tasks.py` would import
each other).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from typing import Any

import redis.exceptions
from asgiref.local import Local
from celery import current_app
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerError

from parplan.models import Job

log = logging.getLogger(__name__)

# What a broker that is down or unreachable raises on publish (kombu wraps most
# connection errors in its OperationalError; the Redis client's own may pass through).
BROKER_DOWN_ERRORS: tuple[type[BaseException], ...] = (BrokerError, redis.exceptions.RedisError, OSError)

# Sent jobs are kept this long, to see what ran; then the sweep deletes them.
KEEP_SENT = datetime.timedelta(days=7)
# An unsent job younger than this is left to its own after-commit hand-off.
SWEEP_GRACE = datetime.timedelta(seconds=30)

_request_state = Local()


def enqueue(name: str, *args: Any) -> None:
    """Send the job `name` now (honours eager mode in tests); raises BROKER_DOWN_ERRORS when Redis is away."""
    if name not in current_app.tasks:
        # Celery discovers the apps' jobs lazily; a web process may not have imported them yet.
        current_app.loader.import_default_modules()
    signature = current_app.signature(name, args=args)
    # No result: what a job did is in the database (a report's state), and keeping a result
    # subscribes to Redis, which retries for 20 s and raises RuntimeError while it is down.
    if current_app.conf.task_always_eager:
        signature.apply_async(ignore_result=True)
        return
    # A connection of its own, tried twice at once: a page must not wait seconds for a dead
    # broker (the pool's connection retries for broker_connection_timeout); the sweep retries later.
    with current_app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0)
        signature.apply_async(connection=connection, retry=False, ignore_result=True)


def enqueue_on_commit(name: str, *args: Any, key: str = "") -> Job:
    """Record the job in the current transaction and send it once that commits.

    With `key`, a second request while a job with that key is still unsent is
    the same job (e.g. "generate a report" asked twice while Redis was down).
    """
    job = _job_record(name, list(args), key)
    transaction.on_commit(lambda: job_send(job))
    return job


def _job_record(name: str, args: list[Any], key: str) -> Job:
    if key:
        existing = Job.objects.unsent().filter(key=key).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            return Job.objects.create(name=name, args=args, key=key)
    except IntegrityError:
        # Another request recorded the same key between our look and our write; its hand-off may have
        # sent it since (the night handed out twice at once): the same job, sent or not.
        return Job.objects.filter(key=key).order_by("-created_at", "-pk")[0]


def job_send(job: Job) -> bool:
    """Hand one recorded job to Celery; False (and the row left unsent) when the broker is away."""
    attempts = job.attempts + 1
    try:
        enqueue(job.name, *job.args)
    except BROKER_DOWN_ERRORS as error:
        if current_app.conf.task_always_eager:
            raise  # the job itself failed, inline (tests): not a broker that is away
        log.warning("Job %s (%s) not sent, the sweep will retry: %r", job.pk, job.name, error)
        Job.objects.filter(pk=job.pk).update(attempts=attempts, last_error=f"{type(error).__name__}: {error}")
        _note_unsent(job)
        return False
    Job.objects.filter(pk=job.pk).update(sent_at=timezone.now(), attempts=attempts, last_error="")
    return True


def jobs_send_pending(*, now: datetime.datetime | None = None, limit: int = 500) -> dict[str, int]:
    """The sweep: send the jobs whose hand-off failed, oldest first; forget old sent ones."""
    now = now or timezone.now()
    sent = failed = 0
    pending = Job.objects.unsent().filter(created_at__lte=now - SWEEP_GRACE).order_by("created_at", "pk")
    for job in pending[:limit]:
        if job_send(job):
            sent += 1
        else:
            failed += 1
            break  # the broker is still away: the next sweep tries the rest
    forgotten, _by_model = Job.objects.filter(sent_at__lt=now - KEEP_SENT).delete()
    return {"sent": sent, "failed": failed, "forgotten": forgotten}


def _note_unsent(job: Job) -> None:
    unsent = getattr(_request_state, "unsent", None)
    if unsent is not None:
        unsent.append(job.name)


class JobQueueNoticeMiddleware:
    """Tells the person when their action's job waits for the queue (Redis down), instead of failing the page.

    After MessageMiddleware in MIDDLEWARE, so its message is stored with the response.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        _request_state.unsent = []
        try:
            response = self.get_response(request)
            if _request_state.unsent and hasattr(request, "_messages"):
                messages.warning(
                    request,
                    _(
                        "Đã lưu. Hàng đợi công việc nền tạm thời không kết nối được; "
                        "phần việc chạy nền (tạo báo cáo, cập nhật đánh giá) sẽ tự chạy khi hàng đợi hoạt động lại."
                    ),
                )
        finally:
            _request_state.unsent = None
        return response
