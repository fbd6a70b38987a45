"""Celery jobs for indicators: thin wrappers around targets.evaluation."""

from __future__ import annotations

import datetime
from typing import Any

from celery import Task, shared_task
from django.db import OperationalError
from django.utils import timezone

from targets.evaluation import evaluate_plan, evaluate_plan_once, nightly_evaluations_hand_out
from targets.models import Indicator
from targets.services import evaluations_run_marked


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def evaluate_indicators(day: str | None = None, plan_id: int | None = None) -> list[int]:
    """Nightly at 01:00 (Asia/Ho_Chi_Minh): one job per active plan, for any worker; the plans handed out."""
    when = datetime.date.fromisoformat(day) if day else timezone.localdate()
    return nightly_evaluations_hand_out(day=when, plan_id=plan_id)


@shared_task(bind=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def evaluate_plan_of_the_night(self: Task[Any, Any], plan_id: int, day: str) -> str | None:
    """One plan's nightly evaluation, done once whichever workers it reaches (None: done already)."""
    summary = evaluate_plan_once(
        plan_id=plan_id, day=datetime.date.fromisoformat(day), worker=self.request.hostname or ""
    )
    return summary.line() if summary else None


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def evaluate_marked_indicators() -> list[str]:
    """Every minute: the indicators whose figures were approved or reopened a debounce window ago."""
    return evaluations_run_marked()


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def evaluate_indicator(indicator_id: int) -> str | None:
    """Today's snapshot of one indicator (by hand; approvals mark their indicator for the sweep instead)."""
    indicator = Indicator.objects.select_related("area__plan__issuing_unit").filter(pk=indicator_id).first()
    if indicator is None:
        return None
    plan = indicator.area.plan
    return evaluate_plan(plan=plan, day=timezone.localdate(), indicator_ids=[indicator.pk]).line()
