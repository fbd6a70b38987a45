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
    assert answered.state == RecommendationState.CLAIMED
    assert [e.original_name for e in answered.evidence.all()] == ["Báo cáo khắc phục.pdf"]
    with pytest.raises(ValidationError) as no_reason:
        recommendation_return(recommendation=answered, user=secretariat, comment="  ")
    assert no_reason.value.message_dict == {"comment": ["Cần ghi rõ lý do trả lại để đơn vị bổ sung."]}
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
    assert earlier.value.message_dict == {"new_deadline": ["Hạn mới phải sau ngày hôm nay."]}
    asked = recommendation_request_extension(recommendation=open_one, user=commune_head, new_deadline=D(2024, 10, 31),
                                             reason="Chờ kinh phí.")  # fmt: skip
    with pytest.raises(ValidationError):
        recommendation_request_extension(recommendation=asked, user=commune_head, new_deadline=D(2024, 11, 30),
                                         reason="Lần hai.")  # fmt: skip
    refused = recommendation_decide_extension(recommendation=asked, user=secretariat, approve=False,
                                              note="Hạn đã đủ.")  # fmt: skip
    assert (refused.deadline, refused.requested_deadline) == (D(2024, 9, 30), None)
    recommendation_request_extension(recommendation=refused, user=commune_head, new_deadline=D(2024, 10, 31),
                                     reason="Chờ kinh phí.")  # fmt: skip
    approved = recommendation_decide_extension(recommendation=refused, user=secretariat, approve=True)
    assert (approved.deadline, approved.requested_deadline) == (D(2024, 10, 31), None)
    assert not approved.is_overdue(D(2024, 10, 1))


# --- One state machine with the tasks (parplan.workflow) ------------------------------------


def test_recommendations_store_the_states_of_the_shared_workflow():
    from parplan.workflow import WorkState

    assert RecommendationState is WorkState
    assert Recommendation._meta.get_field("state").choices == WorkState.choices


def test_a_claimed_recommendation_may_still_ask_for_more_time_as_a_claimed_task_may(open_one, commune_head):
    answered = recommendation_answer(recommendation=open_one, user=commune_head, text="Đã làm một phần.")
    asked = recommendation_request_extension(recommendation=answered, user=commune_head,
                                             new_deadline=D(2024, 10, 31), reason="Chờ kinh phí.")  # fmt: skip
    assert (asked.state, asked.requested_deadline) == (RecommendationState.CLAIMED, D(2024, 10, 31))


def test_no_extension_is_decided_on_a_confirmed_recommendation(open_one, commune_head, secretariat, clock_on_today):
    asked = recommendation_request_extension(recommendation=open_one, user=commune_head, new_deadline=D(2024, 10, 31),
                                             reason="Chờ kinh phí.")  # fmt: skip
    answered = recommendation_answer(recommendation=asked, user=commune_head, text="Đã làm.")
    recommendation_confirm(recommendation=answered, user=secretariat, today=clock_on_today)
    with pytest.raises(ValidationError) as refused:
        recommendation_decide_extension(recommendation=open_one, user=secretariat, approve=True)
    assert refused.value.messages == [
        "Kiến nghị đang ở trạng thái “Đã xác nhận hoàn thành”, không thực hiện được thao tác này."
    ]
    assert Recommendation.objects.get(pk=open_one.pk).deadline == D(2024, 9, 30)


def test_a_refused_extension_says_why_as_a_tasks_does(open_one, commune_head, secretariat):
    recommendation_request_extension(recommendation=open_one, user=commune_head, new_deadline=D(2024, 10, 31),
                                     reason="Chờ kinh phí.")  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        recommendation_decide_extension(recommendation=open_one, user=secretariat, approve=False, note=" ")
    assert refused.value.message_dict == {"note": ["Cần ghi lý do không đồng ý gia hạn."]}
    assert Recommendation.objects.get(pk=open_one.pk).requested_deadline == D(2024, 10, 31)
    decided = recommendation_decide_extension(recommendation=open_one, user=secretariat, approve=False,
                                              note="Đủ thời gian.")  # fmt: skip
    assert (decided.requested_deadline, decided.review_comment) == (None, "Đủ thời gian.")


def test_an_extension_outside_the_plans_years_gets_the_plan_message(open_one, commune_head):
    with pytest.raises(ValidationError) as refused:
        recommendation_request_extension(recommendation=open_one, user=commune_head, new_deadline=D(1900, 1, 1),
                                         reason="Chờ kinh phí.")  # fmt: skip
    assert list(refused.value.message_dict) == ["new_deadline"]
    assert "2023" in refused.value.message_dict["new_deadline"][0]


def test_a_step_taken_on_an_older_version_is_refused_and_writes_nothing(open_one, commune_head, secretariat,
                                                                       clock_on_today):  # fmt: skip
    answered = recommendation_answer(recommendation=open_one, user=commune_head, text="Đã làm.")
    seen = answered.version  # the secretariat opens the page here
    recommendation_request_extension(recommendation=answered, user=commune_head, new_deadline=D(2024, 10, 31),
                                     reason="Chờ kinh phí.")  # fmt: skip
    with pytest.raises(ValidationError) as stale:
        recommendation_confirm(recommendation=answered, user=secretariat, today=clock_on_today, expected_version=seen)
    assert stale.value.messages == [
        "Kiến nghị vừa được người khác cập nhật. Mở lại trang để xem thay đổi rồi thao tác lại."
    ]
    assert Recommendation.objects.get(pk=open_one.pk).state == RecommendationState.CLAIMED
    done = recommendation_confirm(recommendation=answered, user=secretariat, today=clock_on_today,
                                  expected_version=seen + 1)  # fmt: skip
    assert done.state == RecommendationState.CONFIRMED


def test_the_visit_page_sends_the_version_it_showed_and_a_stale_confirmation_is_refused(
    open_one, client_for, commune_head, secretariat
):
    answered = recommendation_answer(recommendation=open_one, user=commune_head, text="Đã làm.")
    page = client_for(secretariat).get(f"/inspections/visits/{open_one.visit_id}/").content.decode()
    assert f'name="version" value="{answered.version}"' in page
    recommendation_request_extension(recommendation=answered, user=commune_head, new_deadline=D(2024, 10, 31),
                                     reason="Chờ kinh phí.")  # fmt: skip
    response = client_for(secretariat).post(f"/inspections/recommendations/{open_one.pk}/confirm/",
                                            {"version": answered.version}, follow=True)  # fmt: skip
    assert "Kiến nghị vừa được người khác cập nhật." in response.content.decode()
    assert Recommendation.objects.get(pk=open_one.pk).state == RecommendationState.CLAIMED
