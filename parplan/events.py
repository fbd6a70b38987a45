"""Events the core sends so that apps above it can react without being imported.

Cache invalidation is the one use of signals the house allows (HackSoft's
styleguide): a lower app announces that a plan's data changed, and whoever
keeps derived copies (the dashboard's cache) drops them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, transaction
from django.dispatch import Signal

# Sent with `plan_id` after a change to a plan's figures, tasks or statuses is committed.
plan_changed = Signal()


@dataclass(frozen=True)
class _PlanChanged:
    plan_id: int

    def __call__(self) -> None:
        plan_changed.send(sender=None, plan_id=self.plan_id)


def plan_changed_on_commit(plan_id: int) -> None:
    """Announce the change once the surrounding transaction commits (at once outside one); once per plan.

    A plan's import changes thousands of records in one transaction, each of them
    calling this: a callback each held ~270 bytes to the commit (11 MB for a 20 MB
    file). One announcement still waiting is enough. It is dropped only by rolling
    back a savepoint it was registered in; one of those that is still open is open
    here too, and rolling it back would drop a new one as well; one already
    released can no longer be rolled back.
    """
    callback = _PlanChanged(plan_id)
    # Django's own list of waiting callbacks: (savepoints, callback, robust).
    if connection.in_atomic_block and any(waiting[1] == callback for waiting in connection.run_on_commit):
        return
    transaction.on_commit(callback)


def plan_changed_now(plan_id: int) -> None:
    """Announce the change at once, for work whose transaction has already committed."""
    plan_changed.send(sender=None, plan_id=plan_id)
