"""Handing work to Celery from a service without importing the module that defines the job.

A service module and its app's `tasks.py` would otherwise import each other
(the job calls the service, the service queues the job). Jobs are named as
Celery registers them, "<app>.tasks.<function>".
"""

from __future__ import annotations

from typing import Any

from celery import current_app
from django.db import transaction


def enqueue(name: str, *args: Any, countdown: float = 0) -> None:
    """Queue the job `name` now (honours eager mode in tests)."""
    if name not in current_app.tasks:
        # Celery discovers the apps' jobs lazily; a web process may not have imported them yet.
        current_app.loader.import_default_modules()
    current_app.signature(name, args=args).apply_async(countdown=countdown)


def enqueue_on_commit(name: str, *args: Any) -> None:
    """Queue the job once the surrounding transaction commits, so it never sees rows that were rolled back."""
    transaction.on_commit(lambda: enqueue(name, *args))
