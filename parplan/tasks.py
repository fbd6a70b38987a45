"""Celery jobs of the core: thin wrappers around parplan services."""

from __future__ import annotations

from typing import Any

from celery import Task, shared_task

from parplan.health import heartbeat_record


@shared_task(bind=True, ignore_result=True)
def heartbeat(self: Task[Any, Any]) -> None:
    """Every minute from the beat: /healthz reads it to know a worker runs the scheduled jobs."""
    heartbeat_record(worker=self.request.hostname or "")
