"""A watch on task writes for the test suite: every save of a stored task carries the next version.

`bump()` (tasks/services/common.py) is the one writer of a task's version, the
optimistic-concurrency check of every task form. A save that leaves the version
as stored (`task.save()`, `save_if_changed(task, …)`, a ModelAdmin's own save)
is a change that check cannot see: while the watch is on, it fails the test
that makes it. `tests/conftest.py` turns it on for every test.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db.models.signals import pre_save

from tasks.models import Task


class TaskVersionNotBumped(AssertionError):
    pass


def _check_version(sender: type[Task], instance: Task, raw: bool = False, **kwargs: Any) -> None:
    if raw or instance._state.adding:
        return
    stored = Task.objects.filter(pk=instance.pk).values_list("version", flat=True).first()
    if stored is not None and instance.version != stored + 1:
        raise TaskVersionNotBumped(
            f"Task {instance.pk} saved at version {instance.version} over stored version {stored}: "
            "change a task through bump() (tasks/services/common.py)."
        )


@contextmanager
def task_versions_watched() -> Iterator[None]:
    pre_save.connect(_check_version, sender=Task, dispatch_uid="task-version-guard")
    try:
        yield
    finally:
        pre_save.disconnect(sender=Task, dispatch_uid="task-version-guard")
