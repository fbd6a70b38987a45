"""Notices of the recommendation workflow (issue 14, item 3): who is told of what, and the overdue reminder.

The inspected unit hears of a new recommendation and of a return; the secretariat
of an answer and of an extension request; overdue recommendations reach the unit's
people through the nightly job and the morning digest, once per deadline.
"""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.db.models import Q, QuerySet

from inspections.models import Recommendation
from inspections.notices import InspectionNotice
from inspections.services import (
    recommendation_answer,
    recommendation_decide_extension,
    recommendation_request_extension,
    recommendation_return,
    recommendations_remind_overdue,
)
from inspections.tasks import remind_overdue_recommendations
from notifications.models import Notification
from notifications.services import digests_send
from tests.inspections.builders import fresh_plan, recommendation, visit

D = datetime.date
TODAY = D(2024, 10, 1)


@pytest.fixture
def open_one(seed_plan, clock_on_today) -> Recommendation:
    """A recommendation to Thị trấn Đồng Đăng due 30/09/2024 (overdue on TODAY), the only one of the seed plan."""
    Recommendation.objects.all().delete()
    at = visit(fresh_plan(seed_plan), "06184", D(2024, 9, 3))
    return recommendation(at, D(2024, 9, 30))


def _notices(kind: str, about: Recommendation) -> QuerySet[Notification]:
    """The notices of `kind` about one recommendation (the demo's own recommendations have theirs)."""
    subject = f"recommendation:{about.pk}"
    return Notification.objects.filter(Q(subject_key=subject) | Q(subject_key__startswith=f"{subject}:"), kind=kind)


def _told(kind: str, about: Recommendation) -> set[str]:
    return set(_notices(kind, about).values_list("recipient__username", flat=True))


def test_the_inspected_units_people_are_told_of_a_new_recommendation_and_no_one_else(open_one):
    assert _told(InspectionNotice.NEW_RECOMMENDATION, open_one) == {"dongdang.lanhdao", "dongdang.canbo"}
    notice = _notices(InspectionNotice.NEW_RECOMMENDATION, open_one).get(recipient__username="dongdang.canbo")
    assert notice.message == ("Đoàn kiểm tra có kiến nghị với Thị trấn Đồng Đăng, hạn 30/09/2024: Niêm yết đủ TTHC.")
    assert notice.url == f"/inspections/visits/{open_one.visit_id}/#recommendations"


def test_the_secretariat_is_told_of_an_answer_and_the_unit_of_a_return_with_its_reason(
    open_one, commune_head, secretariat
):
    answered = recommendation_answer(recommendation=open_one, user=commune_head, text="Đã niêm yết.")
    assert "noivu" in _told(InspectionNotice.ANSWERED, open_one)
    assert not {"dongdang.lanhdao", "dongdang.canbo"} & _told(InspectionNotice.ANSWERED, open_one)
    recommendation_return(recommendation=answered, user=secretariat, comment="Thiếu ảnh chụp.")
    assert _told(InspectionNotice.RETURNED, open_one) == {"dongdang.lanhdao", "dongdang.canbo"}
    assert _notices(InspectionNotice.RETURNED, open_one).first().message == (
        "Kiến nghị “Niêm yết đủ TTHC.” bị trả lại: Thiếu ảnh chụp."
    )


def test_the_secretariat_is_told_of_an_extension_request(open_one, commune_head):
    recommendation_request_extension(recommendation=open_one, user=commune_head, new_deadline=D(2024, 10, 31),
                                     reason="Chờ kinh phí.")  # fmt: skip
    assert "noivu" in _told(InspectionNotice.EXTENSION_REQUESTED, open_one)
    notice = _notices(InspectionNotice.EXTENSION_REQUESTED, open_one).first()
    assert notice.message == "Thị trấn Đồng Đăng đề nghị gia hạn kiến nghị “Niêm yết đủ TTHC.” đến 31/10/2024."


def test_an_overdue_recommendation_is_told_to_its_unit_once_per_deadline(open_one, commune_head, secretariat):
    assert recommendations_remind_overdue(today=D(2024, 9, 30)) == 0  # due today: not yet overdue
    assert recommendations_remind_overdue(today=TODAY) == 2  # the head and the staff member
    assert _told(InspectionNotice.OVERDUE, open_one) == {"dongdang.lanhdao", "dongdang.canbo"}
    assert recommendations_remind_overdue(today=TODAY + datetime.timedelta(days=1)) == 0  # once, not every day
    # Extended to 31/10 and still not done by 01/11: told again, of the new deadline.
    recommendation_request_extension(recommendation=open_one, user=commune_head, new_deadline=D(2024, 10, 31),
                                     reason="Chờ kinh phí.")  # fmt: skip
    recommendation_decide_extension(recommendation=open_one, user=secretariat, approve=True)
    assert recommendations_remind_overdue(today=D(2024, 10, 15)) == 0
    assert recommendations_remind_overdue(today=D(2024, 11, 1)) == 2
    assert _notices(InspectionNotice.OVERDUE, open_one).latest("pk").message == (
        "Kiến nghị “Niêm yết đủ TTHC.” đã quá hạn (hạn 31/10/2024)."
    )


def test_a_confirmed_recommendation_is_not_told_overdue(open_one, commune_head, secretariat):
    from inspections.services import recommendation_confirm

    answered = recommendation_answer(recommendation=open_one, user=commune_head, text="Đã niêm yết.")
    recommendation_confirm(recommendation=answered, user=secretariat, today=TODAY)
    assert recommendations_remind_overdue(today=TODAY) == 0


def test_the_nightly_job_makes_the_overdue_notices_that_the_morning_digest_mails(open_one, commune_head):
    commune_head.email = "dongdang@example.vn"
    commune_head.save()
    Notification.objects.update(emailed_at=datetime.datetime(2024, 9, 30, tzinfo=datetime.UTC))
    assert remind_overdue_recommendations.delay("2024-10-01").get() == {"notices": 2}
    digests_send(day=TODAY)
    mine = [message for message in mail.outbox if message.to == ["dongdang@example.vn"]]
    assert len(mine) == 1
    assert "Kiến nghị “Niêm yết đủ TTHC.” đã quá hạn (hạn 30/09/2024)." in mine[0].body
