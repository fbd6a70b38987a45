"""Celery jobs for the scoring: thin wrappers around scoring.services."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from scoring.services import steps_close_due


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def close_due_steps() -> list[str]:
    """Daily at 00:15 (Asia/Ho_Chi_Minh): every round whose step's deadline passed moves to the next step."""
    return steps_close_due()
