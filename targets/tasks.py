"""Celery jobs for indicators: thin wrappers around targets.evaluation."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from targets.evaluation import evaluate_active_plans, evaluate_plan
from targets.models import Indicator
from targets.services import evaluations_run_marked


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def evaluate_indicators(day: str | None = None, plan_id: int | None = None) -> list[str]:
    """Nightly at 01:00 (Asia/Ho_Chi_Minh): every indicator of every active plan."""
    when = datetime.date.fromisoformat(day) if day else timezone.localdate()
    return [summary.line() for summary in evaluate_active_plans(day=when, plan_id=plan_id)]


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
