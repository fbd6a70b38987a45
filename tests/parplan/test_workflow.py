"""parplan.workflow: the completion workflow tasks and recommendations share, without their models."""

from __future__ import annotations

import datetime

import pytest

from parplan.workflow import (
    Step,
    StepRefused,
    WorkState,
    advance,
    extension_errors,
    refusal_errors,
    return_errors,
    work_state,
)

D = datetime.date


@pytest.mark.parametrize(
    ("state", "step", "after"),
    [(WorkState.OPEN, Step.CLAIM, WorkState.CLAIMED), (WorkState.CLAIMED, Step.CONFIRM, WorkState.CONFIRMED),
     (WorkState.CLAIMED, Step.RETURN, WorkState.OPEN), (WorkState.CLAIMED, Step.REQUEST_EXTENSION, WorkState.CLAIMED),
     (WorkState.OPEN, Step.DECIDE_EXTENSION, WorkState.OPEN)],
)  # fmt: skip
def test_the_allowed_steps_lead_to_their_states(state, step, after):
    assert advance(state, step, refused="no") == after


@pytest.mark.parametrize(
    ("state", "step"),
    [(WorkState.OPEN, Step.CONFIRM), (WorkState.OPEN, Step.RETURN), (WorkState.CLAIMED, Step.CLAIM),
     *((WorkState.CONFIRMED, step) for step in Step)],
)  # fmt: skip
def test_any_other_step_is_refused_with_the_apps_message(state, step):
    with pytest.raises(StepRefused) as refused:
        advance(state, step, refused=lambda: "Không được.")
    assert refused.value.messages == ["Không được."]


def test_the_state_of_work_known_by_its_dates():
    assert work_state(claimed=False, confirmed=False) == WorkState.OPEN
    assert work_state(claimed=True, confirmed=False) == WorkState.CLAIMED
    assert work_state(claimed=True, confirmed=True) == WorkState.CONFIRMED


def test_a_return_and_a_refusal_need_their_reasons():
    assert return_errors(" ") == {"comment": ["Cần ghi rõ lý do trả lại để đơn vị bổ sung."]}
    assert return_errors("Thiếu ảnh.") == {}
    assert refusal_errors(approve=False, note="") == {"note": ["Cần ghi lý do không đồng ý gia hạn."]}
    assert refusal_errors(approve=True, note="") == {}


def test_an_extension_request_is_checked_under_the_apps_field_name():
    errors = extension_errors(year=2024, deadline=D(2024, 9, 30), new_deadline=D(2024, 9, 30), today=D(2024, 9, 1),
                              reason="", pending=True, field="new_deadline")  # fmt: skip
    assert errors == {
        "new_deadline": ["Hạn mới phải sau hạn hiện tại (30/09/2024)."],
        "reason": ["Cần ghi lý do đề nghị gia hạn."],
        "__all__": ["Đã có một đề nghị gia hạn đang chờ quyết định."],
    }
    assert extension_errors(year=2024, deadline=D(2024, 9, 30), new_deadline=D(2024, 10, 31), today=D(2024, 9, 1),
                            reason="Chờ kinh phí.", pending=False) == {}  # fmt: skip
