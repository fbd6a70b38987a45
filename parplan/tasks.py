"""Celery jobs of the core: the sweep of the job outbox (parplan/jobs.py)."""

from __future__ import annotations

from celery import shared_task

from parplan.jobs import jobs_send_pending


@shared_task
def send_pending_jobs() -> dict[str, int]:
    """Every minute: send the jobs that could not be handed to Celery when their action committed."""
    return jobs_send_pending()
