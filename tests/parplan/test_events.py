"""The plan-changed announcement: once per plan and transaction, never lost to a rolled-back savepoint."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection, transaction

from parplan.events import plan_changed, plan_changed_on_commit

pytestmark = pytest.mark.django_db


@pytest.fixture
def announced() -> Iterator[list[int]]:
    seen: list[int] = []

    def receiver(sender: Any, plan_id: int, **kwargs: Any) -> None:
        seen.append(plan_id)

    plan_changed.connect(receiver, dispatch_uid="test-events")
    yield seen
    plan_changed.disconnect(dispatch_uid="test-events")


def test_many_changes_in_one_transaction_wait_as_one_callback_per_plan(
    announced: list[int], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for _ in range(500):
            with transaction.atomic():  # each service call is its own savepoint
                plan_changed_on_commit(7)
                plan_changed_on_commit(8)
        assert len(connection.run_on_commit) == 2
        assert announced == []
    assert sorted(announced) == [7, 8]


def test_an_announcement_dropped_with_its_savepoint_is_made_again(
    announced: list[int], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        try:
            with transaction.atomic():
                plan_changed_on_commit(7)
                raise RuntimeError("the savepoint is rolled back")
        except RuntimeError:
            pass
        plan_changed_on_commit(7)
    assert announced == [7]


def test_an_announcement_inside_a_savepoint_that_is_later_rolled_back_is_not_counted(
    announced: list[int], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        plan_changed_on_commit(7)  # outside the savepoint: survives its rollback
        try:
            with transaction.atomic():
                plan_changed_on_commit(7)
                raise RuntimeError
        except RuntimeError:
            pass
    assert announced == [7]
