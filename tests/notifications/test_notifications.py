"""notifications.services: notices in the portal, and one e-mail digest per person per day."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from notifications.models import Notification
from notifications.services import digests_send, notifications_mark_read, notify
from parplan.models import Plan, Unit
from tasks.models import Task
from tasks.notices import TaskNotice
from tasks.services import (
    extension_decide,
    extension_request,
    reminders_create,
    task_claim_completion,
    task_return_completion,
)
from tests.tasks.builders import DAY, TODAY, due_on, fresh, new_task, nothing_pending

BASE_URL = "https://cchc.caoloc.gov.vn"


@pytest.fixture
def office_task(seed_plan: Plan, secretariat: Any) -> Task:
    """Led by Phòng Tư pháp, whose only person is office_head; nothing pending for anyone."""
    task = new_task(seed_plan, user=secretariat, lead=Unit.objects.get(code="183-TP"))
    nothing_pending()
    return task


@pytest.fixture
def busy_day(office_task: Task, secretariat: Any, office_head: Any) -> Task:
    """Five events on TODAY: three for the office's head, two for the secretariat."""
    due_on(office_task, TODAY + 7 * DAY, user=secretariat)
    reminders_create(today=TODAY)  # office_head: due in 7 days
    task_claim_completion(
        task=office_task, user=office_head, today=TODAY, text="Đã hoàn thành."
    )  # secretariat: claimed
    task_return_completion(task=office_task, user=secretariat, comment="Thiếu biên bản.", today=TODAY)  # head
    request = extension_request(
        task=fresh(office_task), user=office_head, new_due_date=TODAY + 30 * DAY, reason="Chờ số liệu.", today=TODAY
    )  # secretariat: extension requested
    extension_decide(request=request, user=secretariat, approve=True, note="", today=TODAY)  # head: decided
    return office_task


def _mail_to(address: str) -> mail.EmailMessage:
    [message] = [m for m in mail.outbox if m.to == [address]]
    return message


def _items(message: mail.EmailMessage) -> list[str]:
    return [line for line in message.body.splitlines() if line.startswith("- [")]


# --- notify ---------------------------------------------------------------------------------


def test_notify_makes_one_notice_per_person_even_when_named_twice(db, office_head, secretariat):
    created = notify(users=[office_head, secretariat, office_head], kind=TaskNotice.ASSIGNED, message="X", day=TODAY)
    assert created == 2


def test_a_notice_with_a_subject_is_made_once_per_person_kind_and_day(db, office_head):
    arguments: dict[str, Any] = {
        "users": [office_head],
        "kind": TaskNotice.DUE_TOMORROW,
        "message": "X",
        "subject_key": "task:1",
    }
    assert (notify(**arguments, day=TODAY), notify(**arguments, day=TODAY), notify(**arguments, day=TODAY + DAY)) == (
        1, 0, 1,
    )  # fmt: skip


def test_marking_read_leaves_other_peoples_notices_unread(db, office_head, secretariat):
    unread = secretariat.notifications.unread().count()
    notify(users=[office_head, secretariat], kind=TaskNotice.ASSIGNED, message="X", day=TODAY)
    notifications_mark_read(user=office_head)
    assert (office_head.notifications.unread().count(), secretariat.notifications.unread().count()) == (0, unread + 1)


# --- digests_send ---------------------------------------------------------------------------


def test_a_busy_day_sends_one_mail_to_each_person_concerned(busy_day: Task):
    assert digests_send(day=TODAY, base_url=BASE_URL) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["noivu@parplan.local", "tuphap.lanhdao@parplan.local"]


def test_the_lead_units_head_gets_their_three_notices_in_order(busy_day: Task):
    digests_send(day=TODAY, base_url=BASE_URL)
    message = _mail_to("tuphap.lanhdao@parplan.local")
    assert message.subject == "[ParPlan] 3 thông báo ngày 01/10/2024"
    assert [item.split("]")[0] for item in _items(message)] == [
        "- [Còn 7 ngày đến hạn",
        "- [Bị trả lại",
        "- [Đề nghị gia hạn đã có kết quả",
    ]


def test_the_secretariat_gets_its_two_notices(busy_day: Task):
    digests_send(day=TODAY, base_url=BASE_URL)
    message = _mail_to("noivu@parplan.local")
    assert [item.split("]")[0] for item in _items(message)] == [
        "- [Đơn vị báo hoàn thành",
        "- [Đơn vị đề nghị gia hạn",
    ]


def test_a_digest_item_carries_the_message_and_a_full_link(busy_day: Task):
    digests_send(day=TODAY, base_url=BASE_URL)
    body = _mail_to("tuphap.lanhdao@parplan.local").body
    assert "bị trả lại: Thiếu biên bản." in body
    assert f"{BASE_URL}{reverse('task-detail', args=[busy_day.pk])}" in body


def test_a_second_run_the_same_day_sends_nothing(busy_day: Task):
    digests_send(day=TODAY, base_url=BASE_URL)
    sent = len(mail.outbox)
    assert digests_send(day=TODAY, base_url=BASE_URL) == 0
    assert len(mail.outbox) == sent


def test_sent_notices_are_marked_as_e_mailed(busy_day: Task):
    digests_send(day=TODAY, base_url=BASE_URL)
    assert not Notification.objects.not_emailed().exists()


def test_a_person_without_an_e_mail_address_gets_no_mail(busy_day: Task, office_head):
    type(office_head).objects.filter(pk=office_head.pk).update(email="")
    assert digests_send(day=TODAY, base_url=BASE_URL) == 1
    assert [m.to for m in mail.outbox] == [["noivu@parplan.local"]]


def test_a_person_without_an_e_mail_address_keeps_their_notices_in_the_portal(busy_day: Task, office_head):
    type(office_head).objects.filter(pk=office_head.pk).update(email="")
    digests_send(day=TODAY, base_url=BASE_URL)
    assert office_head.notifications.not_emailed().count() == 3


def test_an_inactive_person_gets_no_mail(busy_day: Task, office_head):
    type(office_head).objects.filter(pk=office_head.pk).update(is_active=False)
    digests_send(day=TODAY, base_url=BASE_URL)
    assert [m.to for m in mail.outbox] == [["noivu@parplan.local"]]


def test_a_notice_of_a_later_day_waits_for_that_days_digest(office_task: Task, office_head):
    notify(users=[office_head], kind=TaskNotice.DUE_TOMORROW, message="Ngày mai đến hạn.", day=TODAY + DAY)
    assert (digests_send(day=TODAY), digests_send(day=TODAY + DAY)) == (0, 1)


def test_a_notice_left_from_an_earlier_day_goes_in_todays_digest(office_task: Task, office_head):
    notify(users=[office_head], kind=TaskNotice.OVERDUE, message="Đã quá hạn.", day=TODAY - 3 * DAY)
    notify(users=[office_head], kind=TaskNotice.DUE_TOMORROW, message="Ngày mai đến hạn.", day=TODAY)
    digests_send(day=TODAY)
    assert [item.split("]")[0] for item in _items(_mail_to("tuphap.lanhdao@parplan.local"))] == [
        "- [Quá hạn",
        "- [Ngày mai đến hạn",
    ]


def test_a_day_without_notices_sends_nothing(office_task: Task):
    assert digests_send(day=TODAY) == 0
    assert mail.outbox == []
