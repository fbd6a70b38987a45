"""Celery jobs of the core: the heartbeat /healthz reads, and the sweep of the job outbox (parplan/jobs.py)."""

from __future__ import annotations

from typing import Any

from celery import Task, shared_task

from parplan.health import heartbeat_record
from parplan.jobs import jobs_send_pending


@shared_task(bind=True, ignore_result=True)
def heartbeat(self: Task[Any, Any]) -> None:
    """Every minute from the beat: /healthz reads it to know a worker runs the scheduled jobs."""
    heartbeat_record(worker=self.request.hostname or "")


@shared_task
def send_pending_jobs() -> dict[str, int]:
    """Every minute: send the jobs that could not be handed to Celery when their action committed."""
    return jobs_send_pending()
