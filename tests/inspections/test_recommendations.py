"""The recommendation workflow, on a frozen day (TODAY, 01/10/2024): answer, return, confirm, extension."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from inspections.models import Recommendation, RecommendationState
from inspections.services import (
    recommendation_answer,
    recommendation_confirm,
    recommendation_decide_extension,
    recommendation_request_extension,
    recommendation_return,
)
from tests.files import pdf_bytes
from tests.inspections.builders import finding, fresh_plan, recommendation, visit

D = datetime.date


@pytest.fixture
def open_one(seed_plan, clock_on_today, media_root):
    at = visit(fresh_plan(seed_plan), "06184", D(2024, 9, 3))
    return recommendation(at, D(2024, 9, 30), finding(at, D(2024, 10, 15)))


def test_overdue_once_its_deadline_has_passed_until_confirmed(open_one, clock_on_today):
    assert open_one.is_overdue(clock_on_today)
    assert list(Recommendation.objects.overdue_on(clock_on_today)) != []
    assert open_one in Recommendation.objects.overdue_on(clock_on_today)
    assert open_one not in Recommendation.objects.overdue_on(D(2024, 9, 30))


def test_answer_return_answer_confirm_and_the_finding_is_handled_that_day(
    open_one, commune_head, secretariat, clock_on_today
):
    upload = SimpleUploadedFile("Báo cáo khắc phục.pdf", pdf_bytes(), content_type="application/pdf")
    answered = recommendation_answer(recommendation=open_one, user=commune_head, text="Đã niêm yết.", files=[upload])
    assert answered.state == RecommendationState.ANSWERED
    assert [e.original_name for e in answered.evidence.all()] == ["Báo cáo khắc phục.pdf"]
    with pytest.raises(ValidationError) as no_reason:
        recommendation_return(recommendation=answered, user=secretariat, comment="  ")
    assert no_reason.value.message_dict == {"comment": ["Cần ghi lý do trả lại."]}
    returned = recommendation_return(recommendation=answered, user=secretariat, comment="Thiếu ảnh chụp bảng niêm yết.")
    assert (returned.state, returned.review_comment) == (RecommendationState.OPEN, "Thiếu ảnh chụp bảng niêm yết.")
    again = recommendation_answer(recommendation=returned, user=commune_head, text="Đã bổ sung ảnh.")
    done = recommendation_confirm(recommendation=again, user=secretariat, today=clock_on_today)
    assert (done.state, done.confirmed_on, done.review_comment) == (RecommendationState.CONFIRMED, clock_on_today, "")
    assert (done.finding.outcome, done.finding.outcome_on) == ("handled", clock_on_today)
    assert not done.is_overdue(clock_on_today)
    # Each step is in the history, with who did it.
    assert list(done.history.order_by("history_id").values_list("history_change_reason", flat=True)) == [
        None, "answered", "returned", "answered", "confirmed",
    ]  # fmt: skip


def test_an_answer_is_dated_when_it_was_given(open_one, commune_head):
    # The demo records a past year's answers on their own days, history included.
    at = timezone.make_aware(datetime.datetime(2024, 9, 20, 9))
    answered = recommendation_answer(recommendation=open_one, user=commune_head, text="Đã niêm yết.", at=at)
    assert answered.responded_at == at
    assert answered.history.latest("history_id").history_date == at


def test_a_confirmed_recommendation_takes_no_further_answer(open_one, commune_head, secretariat, clock_on_today):
    answered = recommendation_answer(recommendation=open_one, user=commune_head, text="Đã làm.")
    recommendation_confirm(recommendation=answered, user=secretariat, today=clock_on_today)
    with pytest.raises(ValidationError) as refused:
        recommendation_answer(recommendation=open_one, user=commune_head, text="Lần nữa.")
    assert refused.value.messages == [
        "Kiến nghị đang ở trạng thái “Đã xác nhận hoàn thành”, không thực hiện được thao tác này."
    ]
    with pytest.raises(ValidationError):
        recommendation_confirm(recommendation=open_one, user=secretariat, today=clock_on_today)


def test_an_extension_moves_the_deadline_only_when_approved(open_one, commune_head, secretariat):
    with pytest.raises(ValidationError) as earlier:
        recommendation_request_extension(recommendation=open_one, user=commune_head, new_deadline=D(2024, 9, 1),
                                         reason="Chờ kinh phí.")  # fmt: skip
    assert earlier.value.message_dict == {"new_deadline": ["Hạn mới phải sau hạn hiện tại."]}
    asked = recommendation_request_extension(recommendation=open_one, user=commune_head, new_deadline=D(2024, 10, 31),
                                             reason="Chờ kinh phí.")  # fmt: skip
    with pytest.raises(ValidationError):
        recommendation_request_extension(recommendation=asked, user=commune_head, new_deadline=D(2024, 11, 30),
                                         reason="Lần hai.")  # fmt: skip
    refused = recommendation_decide_extension(recommendation=asked, user=secretariat, approve=False)
    assert (refused.deadline, refused.requested_deadline) == (D(2024, 9, 30), None)
    recommendation_request_extension(recommendation=refused, user=commune_head, new_deadline=D(2024, 10, 31),
                                     reason="Chờ kinh phí.")  # fmt: skip
    approved = recommendation_decide_extension(recommendation=refused, user=secretariat, approve=True)
    assert (approved.deadline, approved.requested_deadline) == (D(2024, 10, 31), None)
    assert not approved.is_overdue(D(2024, 10, 1))
