"""tasks.services.extensions: the lead unit asks for a new due date, the secretariat decides."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from tasks.models import ExtensionRequest, ExtensionState, Task, TaskState
from tasks.notices import TaskNotice
from tasks.services import extension_decide, extension_request, task_cancel, tasks_mark_overdue
from tests.tasks.builders import DAY, DUE, START, TODAY, confirmed, due_on, fresh, notices_about, row_counts

LATER = datetime.date(2024, 11, 30)
REASON = "Chờ hướng dẫn của tỉnh về mẫu báo cáo."


def _ask(task: Task, user, new_due_date: datetime.date = LATER, reason: str = REASON, today=TODAY):
    return extension_request(task=fresh(task), user=user, new_due_date=new_due_date, reason=reason, today=today)


# --- extension_request ---------------------------------------------------------------------


def test_a_request_keeps_the_current_and_the_asked_due_date(commune_led_task: Task, commune_head):
    request = _ask(commune_led_task, commune_head, reason=f"  {REASON} ")
    assert (request.current_due_date, request.new_due_date, request.reason, request.state) == (
        DUE, LATER, REASON, ExtensionState.PENDING,
    )  # fmt: skip


def test_a_request_leaves_the_due_date_until_decided(commune_led_task: Task, commune_head):
    _ask(commune_led_task, commune_head)
    assert fresh(commune_led_task).due_date == DUE


def test_a_request_tells_the_secretariat(commune_led_task: Task, commune_head):
    _ask(commune_led_task, commune_head)
    assert notices_about(commune_led_task, TaskNotice.EXTENSION_REQUESTED) == {
        ("noivu", TaskNotice.EXTENSION_REQUESTED)
    }


@pytest.mark.parametrize("new_due_date", [TODAY - DAY, TODAY], ids=["yesterday", "today"])
def test_a_new_due_date_not_after_today_is_refused_in_vietnamese(
    commune_led_task: Task, commune_head, secretariat, new_due_date
):
    due_on(commune_led_task, START, user=secretariat)
    with pytest.raises(ValidationError) as raised:
        _ask(commune_led_task, commune_head, new_due_date=new_due_date)
    assert raised.value.message_dict == {"new_due_date": ["Hạn mới phải sau ngày hôm nay."]}


@pytest.mark.parametrize("new_due_date", [DUE - DAY, DUE], ids=["before", "same"])
def test_a_new_due_date_not_after_the_current_one_is_refused(commune_led_task: Task, commune_head, new_due_date):
    with pytest.raises(ValidationError) as raised:
        _ask(commune_led_task, commune_head, new_due_date=new_due_date)
    assert raised.value.message_dict == {"new_due_date": ["Hạn mới phải sau hạn hiện tại (31/10/2024)."]}


def test_a_request_without_a_reason_is_refused(commune_led_task: Task, commune_head):
    with pytest.raises(ValidationError) as raised:
        _ask(commune_led_task, commune_head, reason="   ")
    assert raised.value.message_dict == {"reason": ["Cần ghi lý do đề nghị gia hạn."]}


def test_a_refused_request_writes_no_row(commune_led_task: Task, commune_head):
    before = row_counts()
    with pytest.raises(ValidationError):
        _ask(commune_led_task, commune_head, new_due_date=TODAY - DAY)
    assert row_counts() == before


def test_only_one_request_may_be_pending(commune_led_task: Task, commune_head):
    _ask(commune_led_task, commune_head)
    with pytest.raises(ValidationError) as raised:
        _ask(commune_led_task, commune_head, new_due_date=LATER + DAY)
    assert raised.value.message_dict == {"__all__": ["Đã có một đề nghị gia hạn đang chờ quyết định."]}
    assert commune_led_task.extensions.count() == 1


def test_after_a_decision_a_new_request_may_be_made(commune_led_task: Task, commune_head, secretariat):
    first = _ask(commune_led_task, commune_head)
    extension_decide(request=first, user=secretariat, approve=False, note="Chưa đủ căn cứ.", today=TODAY)
    second = _ask(commune_led_task, commune_head, new_due_date=LATER + DAY)
    assert second.state == ExtensionState.PENDING


def test_a_request_on_a_confirmed_task_is_refused(commune_led_task: Task, commune_head, secretariat):
    confirmed(commune_led_task, head=commune_head, secretariat=secretariat, on=TODAY)
    with pytest.raises(ValidationError) as raised:
        _ask(commune_led_task, commune_head)
    assert raised.value.messages == ["Nhiệm vụ đã được xác nhận hoàn thành, không thể thay đổi."]


# --- extension_decide ----------------------------------------------------------------------


def test_approval_moves_the_due_date(commune_led_task: Task, commune_head, secretariat):
    request = _ask(commune_led_task, commune_head)
    extension_decide(request=request, user=secretariat, approve=True, note="", today=TODAY)
    assert fresh(commune_led_task).due_date == LATER


def test_approval_clears_the_overdue_mark_and_state(commune_led_task: Task, commune_head, secretariat):
    due_on(commune_led_task, TODAY - DAY, user=secretariat)
    tasks_mark_overdue(today=TODAY)
    request = _ask(commune_led_task, commune_head)
    extension_decide(request=request, user=secretariat, approve=True, note="", today=TODAY)
    task = fresh(commune_led_task)
    assert (task.overdue_since, task.state_on(TODAY)) == (None, TaskState.NOT_STARTED)


def test_approval_is_recorded_on_the_request(commune_led_task: Task, commune_head, secretariat):
    request = _ask(commune_led_task, commune_head)
    extension_decide(request=request, user=secretariat, approve=True, note="Đồng ý.", today=TODAY)
    request.refresh_from_db()
    assert (request.state, request.decided_by, request.decision_note) == (
        ExtensionState.APPROVED, secretariat, "Đồng ý.",
    )  # fmt: skip


def test_the_approved_due_date_change_names_the_request_in_the_tasks_history(
    commune_led_task: Task, commune_head, secretariat
):
    request = _ask(commune_led_task, commune_head)
    extension_decide(request=request, user=secretariat, approve=True, note="", today=TODAY)
    latest = commune_led_task.history.order_by("-history_date", "-history_id").first()
    assert (latest.due_date, latest.history_user) == (LATER, secretariat)
    assert latest.history_change_reason.startswith("Gia hạn theo đề nghị ngày ")


def test_refusal_needs_a_note(commune_led_task: Task, commune_head, secretariat):
    request = _ask(commune_led_task, commune_head)
    before = row_counts()
    with pytest.raises(ValidationError) as raised:
        extension_decide(request=request, user=secretariat, approve=False, note=" ", today=TODAY)
    assert raised.value.message_dict == {"note": ["Cần ghi lý do không đồng ý gia hạn."]}
    assert row_counts() == before


def test_refusal_keeps_the_due_date(commune_led_task: Task, commune_head, secretariat):
    request = _ask(commune_led_task, commune_head)
    extension_decide(request=request, user=secretariat, approve=False, note="Chưa đủ căn cứ.", today=TODAY)
    request.refresh_from_db()
    assert (request.state, fresh(commune_led_task).due_date) == (ExtensionState.REFUSED, DUE)


@pytest.mark.parametrize("approve", [True, False], ids=["approved", "refused"])
def test_a_decision_tells_the_lead_units_people(commune_led_task: Task, commune_head, secretariat, approve: bool):
    request = _ask(commune_led_task, commune_head)
    extension_decide(request=request, user=secretariat, approve=approve, note="Ý kiến.", today=TODAY)
    assert notices_about(commune_led_task, TaskNotice.EXTENSION_DECIDED) == {
        ("dongdang.lanhdao", TaskNotice.EXTENSION_DECIDED),
        ("dongdang.canbo", TaskNotice.EXTENSION_DECIDED),
    }


def test_a_request_cannot_be_decided_twice(commune_led_task: Task, commune_head, secretariat):
    request = _ask(commune_led_task, commune_head)
    extension_decide(request=request, user=secretariat, approve=True, note="", today=TODAY)
    with pytest.raises(ValidationError) as raised:
        extension_decide(request=request, user=secretariat, approve=False, note="Đổi ý.", today=TODAY)
    # Who decided first, and what: the second decision is not a silent no-op.
    [message] = raised.value.messages
    assert message.startswith("Đề nghị này đã được Hoàng Thị Lan (Thường trực CCHC) đồng ý gia hạn lúc ")


def test_a_pending_request_of_a_cancelled_task_cannot_be_approved(commune_led_task: Task, commune_head, secretariat):
    request = _ask(commune_led_task, commune_head)
    task_cancel(task=commune_led_task, user=secretariat, reason="Không còn phù hợp.")
    with pytest.raises(ValidationError):
        extension_decide(request=request, user=secretariat, approve=True, note="", today=TODAY)
    request.refresh_from_db()
    assert (request.state, fresh(commune_led_task).due_date) == (ExtensionState.PENDING, DUE)


def test_the_requests_keep_the_due_date_history_newest_first(commune_led_task: Task, commune_head, secretariat):
    first = _ask(commune_led_task, commune_head)
    extension_decide(request=first, user=secretariat, approve=True, note="", today=TODAY)
    second = _ask(commune_led_task, commune_head, new_due_date=LATER + 15 * DAY, today=TODAY + DAY)
    extension_decide(request=second, user=secretariat, approve=False, note="Không gia hạn thêm.", today=TODAY + DAY)
    rows = ExtensionRequest.objects.filter(task=commune_led_task)
    assert [(r.current_due_date, r.new_due_date, r.state) for r in rows] == [
        (LATER, LATER + 15 * DAY, ExtensionState.REFUSED),
        (DUE, LATER, ExtensionState.APPROVED),
    ]
