"""Events the core sends so that apps above it can react without being imported.

Cache invalidation is the one use of signals the house allows (HackSoft's
styleguide): a lower app announces that a plan's data changed, and whoever
keeps derived copies (the dashboard's cache) drops them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.dispatch import Signal

# Sent with `plan_id` after a change to a plan's figures, tasks or statuses is committed.
plan_changed = Signal()


# The plans changed inside `plan_changes_batched()`, announced when it ends.
_BATCHED: ContextVar[set[int] | None] = ContextVar("parplan_plan_changes_batched", default=None)


def plan_changed_on_commit(plan_id: int) -> None:
    """Announce the change once the surrounding transaction commits (at once outside one)."""
    batched = _BATCHED.get()
    if batched is not None:
        batched.add(plan_id)
        return
    transaction.on_commit(lambda: plan_changed.send(sender=None, plan_id=plan_id))


@contextmanager
def plan_changes_batched() -> Iterator[None]:
    """Inside, each plan's changes are announced once, on commit, when the block ends without an error.

    For writes of thousands of records in one transaction (a plan's import): one
    waiting callback per record held ~270 bytes each until the commit (17,000 for
    8,400 tasks). A block inside another adds to the outer one's plans.
    """
    if _BATCHED.get() is not None:
        yield
        return
    plans: set[int] = set()
    token = _BATCHED.set(plans)
    try:
        yield
    finally:
        _BATCHED.reset(token)
    for plan_id in sorted(plans):  # not reached when the block raised: its transaction rolls back
        plan_changed_on_commit(plan_id)


def plan_changed_now(plan_id: int) -> None:
    """Announce the change at once, for work whose transaction has already committed."""
    plan_changed.send(sender=None, plan_id=plan_id)
