"""What the task workflow writes for others is in the site's language, whoever reads the page in English.

A secretariat clerk who switched to English still sends a commune Vietnamese
notices and leaves Vietnamese reasons in the task's history (parplan.i18n.site_language);
the errors shown to the clerk are in the clerk's language.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from notifications.models import Notification
from tasks.models import Task
from tasks.notices import TaskNotice
from tasks.services import extension_decide, extension_request, task_assign, task_claim_completion
from tests.tasks.builders import TODAY, fresh

LATER = datetime.date(2024, 12, 20)

pytestmark = pytest.mark.django_db


def _messages(task: Task, kind: str) -> set[str]:
    notices = Notification.objects.filter(url=reverse("task-detail", args=[task.pk]), kind=kind)
    return set(notices.values_list("message", flat=True))


def _ask(task: Task, head):
    return extension_request(task=fresh(task), user=head, new_due_date=LATER, reason="Chờ hướng dẫn.", today=TODAY)


def test_an_assignment_made_in_english_tells_the_unit_in_vietnamese(commune_led_task, secretariat, tu_phap):
    with translation.override("en"):
        task_assign(task=fresh(commune_led_task), lead_unit=tu_phap, coordinating_units=[], notify_day=TODAY,
                    user=secretariat)  # fmt: skip
    task = fresh(commune_led_task)
    assert _messages(task, TaskNotice.ASSIGNED) == {
        f"Đơn vị được giao nhiệm vụ {task.area.number}.{task.position} {task.title}."
    }


def test_an_extension_decided_in_english_is_told_and_recorded_in_vietnamese(
    commune_led_task, commune_head, secretariat
):
    request = _ask(commune_led_task, commune_head)
    with translation.override("en"):
        extension_decide(request=request, user=secretariat, approve=True, note="", today=TODAY)
    task = fresh(commune_led_task)
    label = f"{task.area.number}.{task.position} {task.title}"
    assert _messages(task, TaskNotice.EXTENSION_DECIDED) == {f"Đề nghị gia hạn nhiệm vụ {label} được đồng ý."}
    reason = task.history.order_by("-history_date").values_list("history_change_reason", flat=True).first()
    assert reason is not None and reason.startswith("Gia hạn theo đề nghị ngày ")


def test_a_completion_claimed_in_english_tells_the_secretariat_in_vietnamese(commune_led_task, commune_head):
    # A claim states its result now (no default text); the notice it sends is still the site's language.
    with translation.override("en"):
        task_claim_completion(task=fresh(commune_led_task), user=commune_head, today=TODAY, text="Đã ban hành.")
    messages = _messages(commune_led_task, TaskNotice.CLAIMED)
    assert messages and all("báo hoàn thành nhiệm vụ" in message for message in messages)


def test_an_error_is_shown_in_the_language_of_the_person_who_made_it(commune_led_task, commune_head, secretariat):
    request = _ask(commune_led_task, commune_head)
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        extension_decide(request=request, user=secretariat, approve=False, note=" ", today=TODAY)
    assert raised.value.message_dict == {"note": ["Give a reason for refusing the extension."]}
