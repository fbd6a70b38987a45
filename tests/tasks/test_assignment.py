"""tasks.services.assignment: create, edit (with conflict detection), assign, cancel."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from guardian.shortcuts import get_perms

from parplan.models import Plan, Role, Unit
from parplan.services import UNIT_ROLES
from tasks.models import Priority, Task, TaskState
from tasks.notices import TaskNotice
from tasks.services import (
    TaskConflict,
    extension_request,
    task_assign,
    task_cancel,
    task_report_progress,
    task_update,
)
from tests.tasks.builders import DUE, START, TODAY, confirmed, fresh, new_task, notices_about, row_counts


def _reloaded(user: Any) -> Any:
    # Django caches a user's permissions on the instance.
    return get_user_model().objects.get(pk=user.pk)


# --- task_create -----------------------------------------------------------------------


def test_a_created_task_keeps_every_field_given(seed_plan: Plan, secretariat, dong_dang: Unit, bao_lam: Unit):
    task = new_task(
        seed_plan,
        user=secretariat,
        lead=dong_dang,
        coordinating=[bao_lam],
        priority=Priority.HIGH,
        expected_output="Báo cáo kết quả rà soát",
        assigned_by_number="123/UBND-NV",
        assigned_by_date=datetime.date(2024, 1, 10),
    )
    task = fresh(task)
    assert (task.area.number, task.title, task.start_date, task.due_date, task.priority) == (
        3, "Rà soát thủ tục hành chính tại bộ phận một cửa", START, DUE, Priority.HIGH,
    )  # fmt: skip
    assert (task.expected_output, task.assigned_by_number, task.assigned_by_date) == (
        "Báo cáo kết quả rà soát", "123/UBND-NV", datetime.date(2024, 1, 10),
    )  # fmt: skip
    assert task.lead_unit == dong_dang
    assert list(task.coordinating_units.all()) == [bao_lam]


def test_the_creation_is_recorded_in_the_history_with_its_author(commune_led_task: Task, secretariat):
    created = commune_led_task.history.order_by("history_date", "history_id").first()
    assert (created.history_type, created.history_user) == ("+", secretariat)


def test_a_created_task_without_title_takes_the_first_clause_of_its_text(seed_plan: Plan, secretariat):
    task = new_task(seed_plan, user=secretariat, lead=None, title="", text="Kiểm tra công vụ; báo cáo kết quả.")
    assert task.title == "Kiểm tra công vụ"


def test_a_created_task_comes_last_in_its_area(seed_plan: Plan, secretariat):
    last = Task.objects.filter(area__plan=seed_plan, area__number=3).order_by("-position").first()
    task = new_task(seed_plan, user=secretariat, lead=None)
    assert task.position == last.position + 1


def test_a_due_date_before_the_start_date_is_refused_in_vietnamese(seed_plan: Plan, secretariat):
    with pytest.raises(ValidationError) as raised:
        new_task(seed_plan, user=secretariat, lead=None, start_date=DUE, due_date=START)
    assert raised.value.message_dict == {"due_date": ["Hạn hoàn thành không được trước ngày bắt đầu."]}


def test_a_refused_creation_writes_no_row(seed_plan: Plan, secretariat, dong_dang: Unit):
    before = row_counts()
    with pytest.raises(ValidationError):
        new_task(seed_plan, user=secretariat, lead=dong_dang, start_date=DUE, due_date=START)
    assert row_counts() == before


def test_a_task_may_be_due_on_its_start_date(seed_plan: Plan, secretariat):
    task = new_task(seed_plan, user=secretariat, lead=None, start_date=DUE, due_date=DUE)
    assert (task.start_date, task.due_date) == (DUE, DUE)


def test_a_recurring_task_without_a_due_day_is_refused(seed_plan: Plan, secretariat):
    with pytest.raises(ValidationError) as raised:
        new_task(seed_plan, user=secretariat, lead=None, recurrence="quarterly", recurrence_due_day=None)
    assert raised.value.message_dict == {"recurrence_due_day": ["Nhiệm vụ lặp lại cần ngày đến hạn trong kỳ (1–31)."]}


@pytest.mark.parametrize(
    ("day", "message"),
    [(0, "Nhiệm vụ lặp lại cần ngày đến hạn trong kỳ (1–31)."), (32, "Ngày đến hạn phải từ 1 đến 31.")],
)
def test_a_due_day_outside_1_to_31_is_refused(seed_plan: Plan, secretariat, day: int, message: str):
    with pytest.raises(ValidationError) as raised:
        new_task(seed_plan, user=secretariat, lead=None, recurrence="monthly", recurrence_due_day=day)
    assert raised.value.messages == [message]


def test_creating_a_task_tells_the_people_of_every_assigned_unit(commune_led_task: Task):
    assert notices_about(commune_led_task, TaskNotice.ASSIGNED) == {
        ("dongdang.lanhdao", TaskNotice.ASSIGNED),
        ("dongdang.canbo", TaskNotice.ASSIGNED),
        ("baolam.lanhdao", TaskNotice.ASSIGNED),
    }


# --- task_assign: rights and notices ---------------------------------------------------------


def test_the_lead_units_head_may_report_and_claim_completion(commune_led_task: Task, commune_head):
    head = _reloaded(commune_head)
    assert head.has_perm("tasks.report_progress", commune_led_task)
    assert head.has_perm("tasks.claim_completion", commune_led_task)


def test_the_lead_units_staff_may_report_but_not_claim_completion(commune_led_task: Task, commune_staff):
    staff = _reloaded(commune_staff)
    assert staff.has_perm("tasks.report_progress", commune_led_task)
    assert not staff.has_perm("tasks.claim_completion", commune_led_task)


def test_a_coordinating_units_head_may_contribute_but_not_report_progress(commune_led_task: Task, other_commune_head):
    head = _reloaded(other_commune_head)
    assert head.has_perm("tasks.contribute_task", commune_led_task)
    assert not head.has_perm("tasks.report_progress", commune_led_task)


def test_a_unit_outside_the_task_has_no_right_on_it(commune_led_task: Task, office_head):
    head = _reloaded(office_head)
    rights = ("tasks.report_progress", "tasks.claim_completion", "tasks.contribute_task")
    assert not any(head.has_perm(right, commune_led_task) for right in rights)


def test_moving_the_lead_revokes_the_previous_leads_rights(
    commune_led_task: Task, commune_head, office_head, tu_phap: Unit, bao_lam: Unit
):
    task_assign(task=fresh(commune_led_task), lead_unit=tu_phap, coordinating_units=[bao_lam])
    assert not _reloaded(commune_head).has_perm("tasks.report_progress", commune_led_task)
    assert not _reloaded(commune_head).has_perm("tasks.claim_completion", commune_led_task)
    assert _reloaded(office_head).has_perm("tasks.claim_completion", commune_led_task)


def test_removing_a_coordinating_unit_revokes_its_contribute_right(
    commune_led_task: Task, other_commune_head, dong_dang: Unit
):
    task_assign(task=fresh(commune_led_task), lead_unit=dong_dang, coordinating_units=[])
    assert not _reloaded(other_commune_head).has_perm("tasks.contribute_task", commune_led_task)


def test_assignment_tells_only_the_newly_assigned_units_people(
    commune_led_task: Task, dong_dang: Unit, bao_lam: Unit, tu_phap: Unit
):
    before = notices_about(commune_led_task)
    task_assign(
        task=fresh(commune_led_task), lead_unit=dong_dang, coordinating_units=[bao_lam, tu_phap], notify_day=TODAY
    )
    assert notices_about(commune_led_task) - before == {("tuphap.lanhdao", TaskNotice.ASSIGNED)}


def test_assignment_without_a_notify_day_tells_nobody(commune_led_task: Task, dong_dang: Unit, tu_phap: Unit):
    before = row_counts()["notifications"]
    task_assign(task=fresh(commune_led_task), lead_unit=tu_phap, coordinating_units=[dong_dang])
    assert row_counts()["notifications"] == before


def test_a_coordinating_unit_that_is_also_the_lead_is_kept_only_as_lead(
    commune_led_task: Task, dong_dang: Unit, bao_lam: Unit
):
    task_assign(task=fresh(commune_led_task), lead_unit=dong_dang, coordinating_units=[dong_dang, bao_lam])
    assert list(commune_led_task.coordinating_units.all()) == [bao_lam]


def test_a_changed_assignment_bumps_the_version(commune_led_task: Task, tu_phap: Unit):
    version = fresh(commune_led_task).version
    task_assign(task=fresh(commune_led_task), lead_unit=tu_phap, coordinating_units=[])
    assert fresh(commune_led_task).version == version + 1


def test_the_same_assignment_again_keeps_the_version(commune_led_task: Task, dong_dang: Unit, bao_lam: Unit):
    version = fresh(commune_led_task).version
    task_assign(task=fresh(commune_led_task), lead_unit=dong_dang, coordinating_units=[bao_lam])
    assert fresh(commune_led_task).version == version


def _assignment_queries(task: Task, lead: Unit, coordinating: list[Unit]) -> int:
    with CaptureQueriesContext(connection) as queries:
        task_assign(task=fresh(task), lead_unit=lead, coordinating_units=coordinating)
    return len(queries)


def test_assigning_every_commune_costs_the_queries_assigning_one_does(
    seed_plan: Plan, secretariat, dong_dang: Unit, bao_lam: Unit
):
    # A plan's tasks name every commune as coordinating: one query per unit's group made an import
    # of 2,000 such tasks take minutes (bench/plan_import.py).
    communes = list(Unit.objects.filter(kind__code="commune").exclude(pk=dong_dang.pk))
    assert len(communes) >= 20
    one = new_task(seed_plan, user=secretariat, lead=None)
    every = new_task(seed_plan, user=secretariat, lead=None)
    assert _assignment_queries(one, dong_dang, [bao_lam]) == _assignment_queries(every, dong_dang, communes)
    assert set(fresh(every).coordinating_units.all()) == set(communes)


def test_assigning_creates_the_groups_a_new_unit_lacks(seed_plan: Plan, secretariat, dong_dang: Unit):
    # Groups are made on first use: a unit imported with a plan has none yet.
    newcomer = Unit.objects.create(code="99999", name="Xã Mới", kind=dong_dang.kind, parent=dong_dang.parent)
    task = new_task(seed_plan, user=secretariat, lead=None)
    task_assign(task=fresh(task), lead_unit=dong_dang, coordinating_units=[newcomer])
    names = {f"unit-{newcomer.pk}-{role.value}" for role in UNIT_ROLES}
    assert set(Group.objects.filter(name__in=names).values_list("name", flat=True)) == names
    holder = Group.objects.get(name=f"unit-{newcomer.pk}-{Role.UNIT_HEAD.value}")
    assert "contribute_task" in get_perms(holder, task)


# --- task_update -----------------------------------------------------------------------


def test_an_edit_saves_the_changed_fields_and_bumps_the_version(commune_led_task: Task, secretariat):
    opened = fresh(commune_led_task)
    task_update(task=opened, expected_version=opened.version, user=secretariat, due_date=DUE + datetime.timedelta(30))
    task = fresh(commune_led_task)
    assert (task.due_date, task.version) == (datetime.date(2024, 11, 30), opened.version + 1)


def test_an_edit_changing_nothing_writes_no_history(commune_led_task: Task, secretariat):
    opened = fresh(commune_led_task)
    before = row_counts()
    task_update(task=opened, expected_version=opened.version, user=secretariat, due_date=DUE, title=opened.title)
    assert row_counts() == before


def test_an_edit_records_who_made_it(commune_led_task: Task, administrator):
    opened = fresh(commune_led_task)
    task_update(task=opened, expected_version=opened.version, user=administrator, priority=Priority.HIGH)
    assert commune_led_task.history.order_by("-history_date", "-history_id").first().history_user == administrator


def test_an_edit_with_due_before_start_is_refused_and_writes_nothing(commune_led_task: Task, secretariat):
    opened = fresh(commune_led_task)
    before = row_counts()
    with pytest.raises(ValidationError) as raised:
        task_update(
            task=opened, expected_version=opened.version, user=secretariat, due_date=START - datetime.timedelta(1)
        )
    assert raised.value.messages == ["Hạn hoàn thành không được trước ngày bắt đầu."]
    assert row_counts() == before
    assert fresh(commune_led_task).due_date == DUE


def test_an_edit_of_a_field_outside_the_edit_form_is_a_programming_error(commune_led_task: Task, secretariat):
    opened = fresh(commune_led_task)
    with pytest.raises(TypeError):
        task_update(task=opened, expected_version=opened.version, user=secretariat, progress_percent=50)


def test_an_edit_of_a_cancelled_task_is_refused_in_vietnamese(commune_led_task: Task, secretariat):
    task_cancel(task=commune_led_task, user=secretariat, reason="Trùng với nhiệm vụ 3.4.")
    opened = fresh(commune_led_task)
    with pytest.raises(ValidationError) as raised:
        task_update(task=opened, expected_version=opened.version, user=secretariat, title="Tên mới")
    assert raised.value.messages == ["Nhiệm vụ đã bị hủy, không thể thay đổi."]


def test_an_edit_of_a_confirmed_task_is_refused_in_vietnamese(commune_led_task: Task, secretariat, commune_head):
    confirmed(commune_led_task, head=commune_head, secretariat=secretariat, on=TODAY)
    opened = fresh(commune_led_task)
    with pytest.raises(ValidationError) as raised:
        task_update(task=opened, expected_version=opened.version, user=secretariat, title="Tên mới")
    assert raised.value.messages == ["Nhiệm vụ đã được xác nhận hoàn thành, không thể thay đổi."]


# --- Two people saving the same task -------------------------------------------------------


def test_saving_on_a_stale_version_lists_the_fields_the_other_person_changed(
    commune_led_task: Task, secretariat, administrator
):
    mine, theirs = fresh(commune_led_task), fresh(commune_led_task)
    task_update(
        task=theirs, expected_version=theirs.version, user=administrator,
        due_date=datetime.date(2024, 12, 15), priority=Priority.HIGH,
    )  # fmt: skip
    with pytest.raises(TaskConflict) as raised:
        task_update(task=mine, expected_version=mine.version, user=secretariat, title="Rà soát TTHC")
    changes = {change.field: (change.theirs, change.yours) for change in raised.value.changes}
    # Shown as a person reads them: dd/mm/yyyy and the choice's label.
    assert changes == {"due_date": ("15/12/2024",) * 2, "priority": (Priority.HIGH.label,) * 2}


def test_a_conflict_names_who_saved_first(commune_led_task: Task, secretariat, administrator):
    mine, theirs = fresh(commune_led_task), fresh(commune_led_task)
    task_update(task=theirs, expected_version=theirs.version, user=administrator, priority=Priority.LOW)
    with pytest.raises(TaskConflict) as raised:
        task_update(task=mine, expected_version=mine.version, user=secretariat, priority=Priority.HIGH)
    assert raised.value.by == "Quản trị hệ thống"


def test_a_conflict_shows_the_value_typed_next_to_the_value_saved(commune_led_task: Task, secretariat, administrator):
    mine, theirs = fresh(commune_led_task), fresh(commune_led_task)
    task_update(task=theirs, expected_version=theirs.version, user=administrator, title="Tên của người kia")
    with pytest.raises(TaskConflict) as raised:
        task_update(task=mine, expected_version=mine.version, user=secretariat, title="Tên của tôi")
    [change] = raised.value.changes
    assert (change.label, change.theirs, change.yours) == ("tên nhiệm vụ", "Tên của người kia", "Tên của tôi")


def test_a_conflict_writes_nothing(commune_led_task: Task, secretariat, administrator):
    mine, theirs = fresh(commune_led_task), fresh(commune_led_task)
    task_update(task=theirs, expected_version=theirs.version, user=administrator, title="Tên của người kia")
    before = row_counts()
    with pytest.raises(TaskConflict):
        task_update(task=mine, expected_version=mine.version, user=secretariat, title="Tên của tôi", due_date=START)
    assert row_counts() == before
    assert (fresh(commune_led_task).title, fresh(commune_led_task).due_date) == ("Tên của người kia", DUE)


def test_saving_again_on_the_version_the_conflict_reports_goes_through(
    commune_led_task: Task, secretariat, administrator
):
    mine, theirs = fresh(commune_led_task), fresh(commune_led_task)
    task_update(task=theirs, expected_version=theirs.version, user=administrator, title="Tên của người kia")
    with pytest.raises(TaskConflict) as raised:
        task_update(task=mine, expected_version=mine.version, user=secretariat, title="Tên của tôi")
    task_update(task=mine, expected_version=raised.value.current_version, user=secretariat, title="Tên của tôi")
    assert fresh(commune_led_task).title == "Tên của tôi"


def test_a_conflict_after_a_reassignment_lists_only_what_was_edited_since_the_form_opened(
    commune_led_task: Task, secretariat, administrator, tu_phap: Unit
):
    task_assign(task=fresh(commune_led_task), lead_unit=tu_phap, coordinating_units=[])
    mine, theirs = fresh(commune_led_task), fresh(commune_led_task)
    task_update(task=theirs, expected_version=theirs.version, user=administrator, priority=Priority.LOW)
    with pytest.raises(TaskConflict) as raised:
        task_update(task=mine, expected_version=mine.version, user=secretariat, title="Tên của tôi")
    assert [change.field for change in raised.value.changes] == ["priority"]


def test_a_progress_report_on_a_stale_version_is_a_conflict(commune_led_task: Task, secretariat, commune_staff):
    mine = fresh(commune_led_task)
    task_update(task=fresh(commune_led_task), expected_version=mine.version, user=secretariat, title="Tên mới")
    with pytest.raises(TaskConflict):
        task_report_progress(
            task=mine, user=commune_staff, status="in_progress", percent=30, text="Đã rà soát 10 thủ tục.",
            expected_version=mine.version,
        )  # fmt: skip


# --- task_cancel -----------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   "])
def test_cancelling_without_a_reason_is_refused_and_writes_nothing(commune_led_task: Task, secretariat, reason: str):
    before = row_counts()
    with pytest.raises(ValidationError) as raised:
        task_cancel(task=commune_led_task, user=secretariat, reason=reason)
    assert raised.value.message_dict == {"reason": ["Cần ghi lý do hủy nhiệm vụ."]}
    assert row_counts() == before


def test_a_cancelled_task_keeps_its_reason_and_is_in_the_cancelled_state(commune_led_task: Task, secretariat):
    task_cancel(task=commune_led_task, user=secretariat, reason="  Trùng với nhiệm vụ 3.4.  ")
    task = fresh(commune_led_task)
    assert (task.cancel_reason, task.state_on(TODAY)) == ("Trùng với nhiệm vụ 3.4.", TaskState.CANCELLED)


def test_the_cancel_reason_is_the_history_records_reason(commune_led_task: Task, secretariat):
    task_cancel(task=commune_led_task, user=secretariat, reason="Trùng với nhiệm vụ 3.4.")
    latest = commune_led_task.history.order_by("-history_date", "-history_id").first()
    assert (latest.history_change_reason, latest.history_user) == ("Trùng với nhiệm vụ 3.4.", secretariat)


def test_a_cancelled_task_cannot_be_cancelled_again(commune_led_task: Task, secretariat):
    task_cancel(task=commune_led_task, user=secretariat, reason="Trùng với nhiệm vụ 3.4.")
    with pytest.raises(ValidationError) as raised:
        task_cancel(task=commune_led_task, user=secretariat, reason="Lần nữa.")
    assert raised.value.messages == ["Nhiệm vụ đã bị hủy, không thể thay đổi."]


def test_a_cancelled_task_takes_no_progress_report(commune_led_task: Task, secretariat, commune_staff):
    task_cancel(task=commune_led_task, user=secretariat, reason="Trùng với nhiệm vụ 3.4.")
    before = row_counts()
    with pytest.raises(ValidationError) as raised:
        task_report_progress(
            task=commune_led_task, user=commune_staff, status="in_progress", percent=20, text="Đã làm một phần."
        )
    assert raised.value.messages == ["Nhiệm vụ đã bị hủy, không thể thay đổi."]
    assert row_counts() == before


def test_a_cancelled_task_takes_no_extension_request(commune_led_task: Task, secretariat, commune_head):
    task_cancel(task=commune_led_task, user=secretariat, reason="Trùng với nhiệm vụ 3.4.")
    with pytest.raises(ValidationError) as raised:
        extension_request(
            task=fresh(commune_led_task), user=commune_head, new_due_date=DUE + datetime.timedelta(30),
            reason="Chờ hướng dẫn.", today=TODAY,
        )  # fmt: skip
    assert raised.value.messages == ["Nhiệm vụ đã bị hủy, không thể thay đổi."]


def test_a_confirmed_task_cannot_be_given_to_other_units(db, secretariat):
    from django.core.exceptions import ValidationError

    from parplan.models import Unit
    from tasks.models import Task
    from tasks.services import task_assign

    confirmed = Task.objects.filter(confirmed_at__isnull=False).select_related("lead_unit").first()
    with pytest.raises(ValidationError, match="xác nhận hoàn thành"):
        task_assign(task=confirmed, lead_unit=Unit.objects.get(code="06190"), coordinating_units=[])
    assert Task.objects.get(pk=confirmed.pk).lead_unit_id == confirmed.lead_unit_id
    # Re-stating the same units (a plan re-import) is not a change and passes.
    task_assign(
        task=confirmed,
        lead_unit=confirmed.lead_unit,
        coordinating_units=list(confirmed.coordinating_units.all()),
        assumed=confirmed.assignment_assumed,
    )
