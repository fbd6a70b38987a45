"""One writer of a task's version: every change of a task row goes through bump().

The version is what makes a form saved on a stale task a conflict rather than
an overwrite; a write that does not raise it is invisible to that check.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from parplan.models import Plan, Unit
from parplan.services import save_if_changed
from tasks.models import Recurrence, Task
from tasks.services import (
    TaskDefinition,
    extension_decide,
    extension_request,
    occurrence_mark_done,
    task_assign,
    task_cancel,
    task_confirm_completion,
    task_define,
    task_report_progress,
    task_return_completion,
    task_update,
    tasks_mark_overdue,
    tasks_place,
)
from tasks.services.common import bump
from tests.tasks.builders import DAY, DUE, TODAY, claimed, due_on, fresh, new_task
from tests.tasks.version_guard import TaskVersionNotBumped


@dataclass(frozen=True)
class Cast:
    secretariat: Any
    head: Any
    staff: Any
    dong_dang: Unit
    bao_lam: Unit
    tu_phap: Unit


@pytest.fixture
def cast(secretariat, commune_head, commune_staff, dong_dang, bao_lam, tu_phap) -> Cast:
    return Cast(secretariat, commune_head, commune_staff, dong_dang, bao_lam, tu_phap)


def _latest_record(task: Task) -> Any:
    return task.history.order_by("-history_date", "-history_id").first()


def _edit(task: Task, cast: Cast) -> None:
    opened = fresh(task)
    task_update(task=opened, expected_version=opened.version, user=cast.secretariat, title="Tên đã sửa")


def _new_lead(task: Task, cast: Cast) -> None:
    task_assign(task=fresh(task), lead_unit=cast.tu_phap, coordinating_units=[cast.bao_lam], user=cast.secretariat)


def _new_coordinating_units(task: Task, cast: Cast) -> None:
    task_assign(task=fresh(task), lead_unit=cast.dong_dang, coordinating_units=[cast.tu_phap], user=cast.secretariat)


def _cancel(task: Task, cast: Cast) -> None:
    task_cancel(task=fresh(task), user=cast.secretariat, reason="Trùng nhiệm vụ khác.")


def _report(task: Task, cast: Cast) -> None:
    task_report_progress(task=fresh(task), user=cast.staff, status="in_progress", percent=30, text="Đã rà soát.")


def _claim(task: Task, cast: Cast) -> None:
    claimed(fresh(task), head=cast.head, on=TODAY)


def _confirm(task: Task, cast: Cast) -> None:
    task_confirm_completion(task=fresh(task), user=cast.secretariat, today=TODAY)


def _return(task: Task, cast: Cast) -> None:
    task_return_completion(task=fresh(task), user=cast.secretariat, comment="Thiếu biên bản.", today=TODAY)


def _extend(task: Task, cast: Cast) -> None:
    request = extension_request(
        task=fresh(task), user=cast.head, new_due_date=DUE + 30 * DAY, reason="Chờ hướng dẫn.", today=TODAY
    )
    extension_decide(request=request, user=cast.secretariat, approve=True, note="", today=TODAY)


def _mark_overdue(task: Task, cast: Cast) -> None:
    tasks_mark_overdue(today=DUE + DAY)


def _define(task: Task, cast: Cast) -> None:
    current = fresh(task)
    task_define(
        task=current,
        definition=TaskDefinition(text="Nội dung theo kế hoạch mới.", start_date=current.start_date, due_date=DUE),
        user=cast.secretariat,
    )


def _place(task: Task, cast: Cast) -> None:
    current = fresh(task)
    tasks_place(places=[(current, current.area, current.position + 10)], user=cast.secretariat)


# (what happens first, the step): the first part sets the task up and is not measured.
STEPS: dict[str, tuple[Callable[[Task, Cast], None] | None, Callable[[Task, Cast], None]]] = {
    "task_update": (None, _edit),
    "task_assign: a new lead unit": (None, _new_lead),
    "task_assign: new coordinating units only": (None, _new_coordinating_units),
    "task_cancel": (None, _cancel),
    "task_report_progress": (None, _report),
    "task_claim_completion": (None, _claim),
    "task_confirm_completion": (_claim, _confirm),
    "task_return_completion": (_claim, _return),
    "extension_decide": (None, _extend),
    "tasks_mark_overdue": (None, _mark_overdue),
    "task_define": (None, _define),
    "tasks_place": (None, _place),
}


@pytest.mark.parametrize("name", STEPS)
def test_each_workflow_step_writes_a_new_version_with_its_own_history_record(
    commune_led_task: Task, cast: Cast, name: str
):
    before_step, step = STEPS[name]
    if before_step:
        before_step(commune_led_task, cast)
    before = fresh(commune_led_task).version
    step(commune_led_task, cast)
    after = fresh(commune_led_task)
    assert after.version > before
    # The newest history record is of the new version: a conflict can say what changed.
    assert _latest_record(after).version == after.version


def test_a_new_coordinating_unit_alone_is_recorded_at_the_new_version_naming_who(commune_led_task: Task, cast: Cast):
    _new_coordinating_units(commune_led_task, cast)
    latest = _latest_record(commune_led_task)
    assert (latest.version, latest.history_user) == (fresh(commune_led_task).version, cast.secretariat)


def test_the_nightly_overdue_mark_and_its_clearing_each_write_a_version(commune_led_task: Task, cast: Cast):
    marked_on = DUE + DAY
    before = fresh(commune_led_task).version
    tasks_mark_overdue(today=marked_on)
    assert (fresh(commune_led_task).overdue_since, fresh(commune_led_task).version) == (marked_on, before + 1)
    due_on(commune_led_task, DUE + 60 * DAY, user=cast.secretariat)
    tasks_mark_overdue(today=marked_on + DAY)
    assert fresh(commune_led_task).overdue_since is None
    assert fresh(commune_led_task).version == before + 3  # the due date, then the cleared mark


def test_a_due_date_moved_by_a_marked_period_has_a_version_of_its_own(seed_plan: Plan, cast: Cast):
    quarterly = new_task(
        seed_plan, user=cast.secretariat, lead=cast.dong_dang, start_date=datetime.date(2024, 1, 1), due_date=None,
        recurrence=Recurrence.QUARTERLY, recurrence_due_day=20,
    )  # fmt: skip
    occurrence_mark_done(occurrence=quarterly.occurrences.get(number=1), user=cast.staff, today=TODAY)
    newest, previous = quarterly.history.order_by("-history_date", "-history_id")[:2]
    assert newest.due_date == datetime.date(2024, 6, 20)
    assert (newest.version, newest.history_user) == (fresh(quarterly).version, cast.staff)
    assert previous.version < newest.version


def test_the_watch_fails_a_task_saved_without_a_new_version(commune_led_task: Task):
    task = fresh(commune_led_task)
    with pytest.raises(TaskVersionNotBumped):
        save_if_changed(task, title="Sửa thẳng, không qua bump()")


def test_the_watch_lets_bump_through(commune_led_task: Task):
    task = fresh(commune_led_task)
    bump(task, title="Sửa qua bump()")
    assert fresh(commune_led_task).title == "Sửa qua bump()"
