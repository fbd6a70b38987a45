"""The Celery app. Broker and schedule come from Django settings (CELERY_*)."""

from __future__ import annotations

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("parplan")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Times are Asia/Ho_Chi_Minh (CELERY_TIMEZONE).
app.conf.beat_schedule = {
    # /healthz says the worker is down when this has not run for PARPLAN_HEARTBEAT_STALE_SECONDS.
    "heartbeat": {
        "task": "parplan.tasks.heartbeat",
        "schedule": 60.0,
    },
    "mark-overdue-tasks": {
        "task": "tasks.tasks.mark_overdue_tasks",
        "schedule": crontab(hour=1, minute=0),
    },
    # Its notices go out in the morning digest, as the night's overdue tasks do.
    "remind-overdue-recommendations": {
        "task": "inspections.tasks.remind_overdue_recommendations",
        "schedule": crontab(hour=1, minute=0),
    },
    "send-daily-digests": {
        "task": "tasks.tasks.send_daily_digests",
        "schedule": crontab(hour=6, minute=30),
    },
    "close-due-scoring-steps": {
        "task": "scoring.tasks.close_due_steps",
        "schedule": crontab(hour=0, minute=15),
    },
    "evaluate-indicators": {
        "task": "targets.tasks.evaluate_indicators",
        "schedule": crontab(hour=1, minute=0),
    },
}
# Every minute: jobs whose hand-off failed (Redis away), indicators whose figures
# changed a debounce window ago, report versions whose job died (docs/jobs.md).
app.conf.beat_schedule |= {
    "send-pending-jobs": {"task": "parplan.tasks.send_pending_jobs", "schedule": 60.0},
    "evaluate-marked-indicators": {"task": "targets.tasks.evaluate_marked_indicators", "schedule": 60.0},
    "fail-stale-reports": {"task": "reports.tasks.fail_stale_reports", "schedule": 60.0},
}
