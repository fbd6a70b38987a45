"""Events the core sends so that apps above it can react without being imported.

Cache invalidation is the one use of signals the house allows (HackSoft's
styleguide): a lower app announces that a plan's data changed, and whoever
keeps derived copies (the dashboard's cache) drops them.
"""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal

# Sent with `plan_id` after a change to a plan's figures, tasks or statuses is committed.
plan_changed = Signal()


def plan_changed_on_commit(plan_id: int) -> None:
    """Announce the change once the surrounding transaction commits (at once outside one)."""
    transaction.on_commit(lambda: plan_changed.send(sender=None, plan_id=plan_id))


def plan_changed_now(plan_id: int) -> None:
    """Announce the change at once, for work whose transaction has already committed."""
    plan_changed.send(sender=None, plan_id=plan_id)
