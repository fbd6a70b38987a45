"""Celery jobs for tasks: thin wrappers that call a service."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from tasks.services import tasks_mark_overdue


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def mark_overdue_tasks(day: str | None = None) -> dict[str, int]:
    """Nightly at 01:00: mark tasks that are past due today (Asia/Ho_Chi_Minh)."""
    today = datetime.date.fromisoformat(day) if day else timezone.localdate()
    marked, cleared = tasks_mark_overdue(today=today)
    return {"marked": marked, "cleared": cleared}
