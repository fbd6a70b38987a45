"""The plan-changed announcement: on commit, and once per plan for a batch of writes."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection, transaction

from parplan.events import plan_changed, plan_changed_on_commit, plan_changes_batched

pytestmark = pytest.mark.django_db


@pytest.fixture
def announced() -> Iterator[list[int]]:
    seen: list[int] = []

    def receiver(sender: Any, plan_id: int, **kwargs: Any) -> None:
        seen.append(plan_id)

    plan_changed.connect(receiver, dispatch_uid="test-events")
    yield seen
    plan_changed.disconnect(dispatch_uid="test-events")


def test_a_batch_of_changes_waits_as_one_callback_per_plan(
    announced: list[int], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        with plan_changes_batched():
            for _ in range(500):
                with transaction.atomic():  # each service call is its own savepoint
                    plan_changed_on_commit(8)
                    plan_changed_on_commit(7)
            with plan_changes_batched():  # a batch inside another adds to it
                plan_changed_on_commit(9)
            assert announced == []
        assert announced == []  # waiting for the commit
    assert len(callbacks) == 3 and announced == [7, 8, 9]


def test_a_batch_that_fails_announces_nothing(announced: list[int], django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), plan_changes_batched():
            plan_changed_on_commit(7)
            raise RuntimeError("the import failed")
    assert callbacks == [] and announced == []


def test_without_a_batch_each_change_is_announced_on_commit(
    announced: list[int], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        plan_changed_on_commit(7)
    with django_capture_on_commit_callbacks(execute=True):
        plan_changed_on_commit(7)
    assert announced == [7, 7]
    assert connection.in_atomic_block  # the test's own transaction: nothing above was committed


def test_the_unit_services_announce_a_change_to_every_plan_issued_at_or_above_the_unit(
    announced: list[int], django_capture_on_commit_callbacks: Any
) -> None:
    """A renamed, moved, created or ended unit changes what the plans above it show (the dashboard keeps
    names with each plan's board); plans issued elsewhere, or below the unit, are not told."""
    from parplan.models import Unit, UnitKind
    from parplan.services import plan_upsert, unit_end, unit_update, unit_upsert

    kind = UnitKind.objects.create(code="t-kind", name="Loại thử")
    province = unit_upsert(code="P", name="Tỉnh", kind=kind, parent=None)
    district = unit_upsert(code="D", name="Huyện", kind=kind, parent=province)
    other = unit_upsert(code="D2", name="Huyện khác", kind=kind, parent=province)
    commune = unit_upsert(code="C", name="Xã", kind=kind, parent=district)
    plans = {
        unit.code: plan_upsert(issuing_unit=unit, year=2026, title=f"Kế hoạch {unit.code}").pk
        for unit in (province, district, other, commune)
    }
    with django_capture_on_commit_callbacks(execute=True):
        unit_update(unit=commune, code="C", name="Xã đổi tên", kind=kind, parent=district)
    assert sorted(announced) == sorted([plans["P"], plans["D"], plans["C"]])
    announced.clear()
    with django_capture_on_commit_callbacks(execute=True):
        unit_update(unit=commune, code="C", name="Xã đổi tên", kind=kind, parent=district)  # nothing changed
    assert announced == []
    with django_capture_on_commit_callbacks(execute=True):
        unit_update(unit=commune, code="C", name="Xã đổi tên", kind=kind, parent=other)  # moved
    assert sorted(announced) == sorted([plans["P"], plans["D"], plans["D2"], plans["C"]])
    announced.clear()
    with django_capture_on_commit_callbacks(execute=True):
        unit_upsert(code="C3", name="Xã mới", kind=kind, parent=other)
    assert sorted(announced) == sorted([plans["P"], plans["D2"]])
    announced.clear()
    with django_capture_on_commit_callbacks(execute=True):
        unit_end(unit=Unit.objects.get(code="C3"), on=datetime.date(2026, 7, 1), user=None, reason="Nghị quyết")
    assert sorted(announced) == sorted([plans["P"], plans["D2"]])
