"""Celery jobs for tasks: thin wrappers that call a service."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.conf import settings
from django.db import OperationalError
from django.utils import timezone

from notifications.services import digests_send
from tasks.services import reminders_create, tasks_mark_overdue


def _day(day: str | None) -> datetime.date:
    return datetime.date.fromisoformat(day) if day else timezone.localdate()


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def mark_overdue_tasks(day: str | None = None) -> dict[str, int]:
    """Nightly at 01:00: mark tasks that are past due today (Asia/Ho_Chi_Minh)."""
    marked, cleared = tasks_mark_overdue(today=_day(day))
    return {"marked": marked, "cleared": cleared}


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def send_daily_digests(day: str | None = None) -> dict[str, int]:
    """Every morning at 06:30: today's reminders, then one e-mail per person with everything unsent."""
    today = _day(day)
    reminders = reminders_create(today=today)
    mails = digests_send(day=today, base_url=settings.PARPLAN_BASE_URL)
    return {"reminders": reminders, "mails": mails}
