"""Celery jobs for the scoring: thin wrappers around scoring.services."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from scoring.reminders import scoring_reminders_create
from scoring.services import steps_close_due, suggestions_refresh_open


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def close_due_steps() -> dict[str, object]:
    """Daily at 00:15 (Asia/Ho_Chi_Minh): every round whose step's deadline passed moves to the next step;
    then the suggestions of the rounds still in self-assessment, read again from the records;
    then the reminders of the steps closing soon, which the 06:30 digest e-mails.
    """
    today = timezone.localdate()
    moved = steps_close_due(today)
    return {
        "moved": moved,
        "suggestions": suggestions_refresh_open(),
        "reminders": scoring_reminders_create(today=today),
    }
