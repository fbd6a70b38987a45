"""`manage.py send_digests`: the morning job by hand, saying what it did."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from tasks.models import Task
from tasks.services import tasks_mark_overdue
from tests.tasks.builders import DAY, TODAY, due_on, nothing_pending


def _run(*arguments: str) -> str:
    out = io.StringIO()
    call_command("send_digests", *arguments, stdout=out)
    return out.getvalue().strip()


@pytest.fixture
def due_tomorrow(commune_led_task: Task, secretariat) -> Task:
    due_on(commune_led_task, TODAY + DAY, user=secretariat)
    nothing_pending()
    return commune_led_task


def test_send_digests_says_the_reminders_made_and_the_mails_sent(due_tomorrow: Task):
    output = _run("--date", "2024-10-01")
    assert output == f"01/10/2024: 2 nhắc việc mới, đã gửi {len(mail.outbox)} thư."
    assert len(mail.outbox) == 2


def test_send_digests_run_again_the_same_day_makes_and_sends_nothing(due_tomorrow: Task):
    _run("--date", "2024-10-01")
    assert _run("--date", "2024-10-01") == "01/10/2024: 0 nhắc việc mới, đã gửi 0 thư."


def test_send_digests_mails_the_nights_overdue_notices_without_new_reminders(commune_led_task: Task, secretariat):
    Task.objects.exclude(pk=commune_led_task.pk).update(due_date=None, overdue_since=None)
    due_on(commune_led_task, TODAY - DAY, user=secretariat)
    nothing_pending()
    tasks_mark_overdue(today=TODAY)
    assert _run("--date", "2024-10-01") == "01/10/2024: 0 nhắc việc mới, đã gửi 2 thư."
    assert all("[Quá hạn]" in message.body for message in mail.outbox)


def test_send_digests_refuses_a_date_in_another_format(db):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_digests", "--date", "01/10/2024")
