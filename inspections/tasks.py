"""Celery jobs for inspections: thin wrappers that call a service."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from inspections.services import recommendations_remind_overdue


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def remind_overdue_recommendations(day: str | None = None) -> dict[str, int]:
    """Nightly at 01:00, before the morning digest mails them: notices of the recommendations past their deadline."""
    today = datetime.date.fromisoformat(day) if day else timezone.localdate()
    return {"notices": recommendations_remind_overdue(today=today)}
