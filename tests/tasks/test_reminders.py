"""tasks.services.reminders: the nightly overdue mark and the due-in-7-days / due-tomorrow reminders."""

from __future__ import annotations

import pytest

from notifications.models import Notification
from parplan.models import Plan
from tasks.models import Task
from tasks.notices import TaskNotice
from tasks.services import (
    extension_decide,
    extension_request,
    reminders_create,
    task_report_progress,
    tasks_mark_overdue,
)
from tests.tasks.builders import DAY, TODAY, claimed, confirmed, due_on, fresh, new_task, notices_about

LEAD_PEOPLE = {"dongdang.lanhdao", "dongdang.canbo"}


@pytest.fixture
def no_due_dates(seed_plan: Plan) -> None:
    # The counts below are about the tasks each test dates, whatever the demo holds.
    Task.objects.update(due_date=None, overdue_since=None)


def _people(task: Task, kind: str) -> set[str]:
    return {username for username, _kind in notices_about(task, kind)}


# --- tasks_mark_overdue --------------------------------------------------------------------


def test_a_task_due_today_is_not_marked(commune_led_task: Task, secretariat, no_due_dates):
    due_on(commune_led_task, TODAY, user=secretariat)
    assert tasks_mark_overdue(today=TODAY) == (0, 0)
    assert fresh(commune_led_task).overdue_since is None


def test_a_task_due_yesterday_is_marked_overdue_since_today(commune_led_task: Task, secretariat, no_due_dates):
    due_on(commune_led_task, TODAY - DAY, user=secretariat)
    assert tasks_mark_overdue(today=TODAY) == (1, 0)
    assert fresh(commune_led_task).overdue_since == TODAY


def test_a_newly_overdue_task_tells_its_lead_units_people(commune_led_task: Task, secretariat, no_due_dates):
    due_on(commune_led_task, TODAY - DAY, user=secretariat)
    tasks_mark_overdue(today=TODAY)
    assert _people(commune_led_task, TaskNotice.OVERDUE) == LEAD_PEOPLE


def test_the_overdue_notice_is_not_repeated_on_later_nights(commune_led_task: Task, secretariat, no_due_dates):
    due_on(commune_led_task, TODAY - DAY, user=secretariat)
    tasks_mark_overdue(today=TODAY)
    tasks_mark_overdue(today=TODAY + DAY)
    assert Notification.objects.filter(kind=TaskNotice.OVERDUE, recipient__username="dongdang.canbo").count() == 1


def test_a_claimed_task_past_its_due_date_is_not_marked(
    commune_led_task: Task, secretariat, commune_head, no_due_dates
):
    due_on(commune_led_task, TODAY - 10 * DAY, user=secretariat)
    claimed(commune_led_task, head=commune_head, on=TODAY - 5 * DAY)
    assert tasks_mark_overdue(today=TODAY) == (0, 0)


def test_a_confirmed_task_past_its_due_date_is_not_marked(
    commune_led_task: Task, secretariat, commune_head, no_due_dates
):
    due_on(commune_led_task, TODAY - 10 * DAY, user=secretariat)
    confirmed(commune_led_task, head=commune_head, secretariat=secretariat, on=TODAY - 5 * DAY)
    assert tasks_mark_overdue(today=TODAY) == (0, 0)


def test_a_paused_task_past_its_due_date_is_marked(commune_led_task: Task, secretariat, commune_staff, no_due_dates):
    task_report_progress(task=commune_led_task, user=commune_staff, status="paused", percent=20, text="Tạm dừng.")
    due_on(commune_led_task, TODAY - DAY, user=secretariat)
    assert tasks_mark_overdue(today=TODAY) == (1, 0)


def test_a_task_without_a_due_date_is_never_marked(commune_led_task: Task, secretariat, no_due_dates):
    due_on(commune_led_task, None, user=secretariat)
    assert tasks_mark_overdue(today=TODAY + 3650 * DAY) == (0, 0)


def test_marking_twice_the_same_day_marks_nothing_new(commune_led_task: Task, secretariat, no_due_dates):
    due_on(commune_led_task, TODAY - DAY, user=secretariat)
    tasks_mark_overdue(today=TODAY)
    assert tasks_mark_overdue(today=TODAY) == (0, 0)


def test_later_nights_keep_the_first_overdue_day(commune_led_task: Task, secretariat, no_due_dates):
    due_on(commune_led_task, TODAY - DAY, user=secretariat)
    tasks_mark_overdue(today=TODAY)
    tasks_mark_overdue(today=TODAY + 5 * DAY)
    assert fresh(commune_led_task).overdue_since == TODAY


def test_a_due_date_moved_later_clears_the_mark(commune_led_task: Task, secretariat, no_due_dates):
    due_on(commune_led_task, TODAY - DAY, user=secretariat)
    tasks_mark_overdue(today=TODAY)
    due_on(commune_led_task, TODAY + 30 * DAY, user=secretariat)
    assert tasks_mark_overdue(today=TODAY + DAY) == (0, 1)
    assert fresh(commune_led_task).overdue_since is None


def test_a_due_date_moved_to_today_clears_the_mark(commune_led_task: Task, secretariat, no_due_dates):
    due_on(commune_led_task, TODAY - DAY, user=secretariat)
    tasks_mark_overdue(today=TODAY)
    due_on(commune_led_task, TODAY, user=secretariat)
    assert tasks_mark_overdue(today=TODAY) == (0, 1)


def test_marking_counts_every_task_marked_and_cleared(seed_plan: Plan, secretariat, dong_dang, no_due_dates):
    relieved = new_task(seed_plan, user=secretariat, lead=dong_dang, due_date=TODAY - 3 * DAY)
    tasks_mark_overdue(today=TODAY - DAY)
    due_on(relieved, TODAY + DAY, user=secretariat)
    late = [new_task(seed_plan, user=secretariat, lead=dong_dang, due_date=TODAY - 2 * DAY) for _ in range(3)]
    assert tasks_mark_overdue(today=TODAY) == (3, 1)
    assert set(Task.objects.filter(overdue_since=TODAY).values_list("pk", flat=True)) == {t.pk for t in late}


def test_marking_a_task_overdue_writes_one_history_record(commune_led_task: Task, secretariat, no_due_dates):
    due_on(commune_led_task, TODAY - DAY, user=secretariat)
    before = commune_led_task.history.count()
    tasks_mark_overdue(today=TODAY)
    assert commune_led_task.history.count() == before + 1
    assert commune_led_task.history.order_by("-history_date", "-history_id").first().overdue_since == TODAY


def test_an_approved_extension_keeps_the_task_unmarked_the_next_night(
    commune_led_task: Task, secretariat, commune_head, no_due_dates
):
    due_on(commune_led_task, TODAY - DAY, user=secretariat)
    tasks_mark_overdue(today=TODAY)
    request = extension_request(
        task=fresh(commune_led_task), user=commune_head, new_due_date=TODAY + 30 * DAY, reason="Chờ số liệu.",
        today=TODAY,
    )  # fmt: skip
    extension_decide(request=request, user=secretariat, approve=True, note="", today=TODAY)
    assert tasks_mark_overdue(today=TODAY + DAY) == (0, 0)


# --- reminders_create ---------------------------------------------------------------------


def test_a_task_due_in_7_days_reminds_its_lead_units_people(commune_led_task: Task, secretariat):
    due_on(commune_led_task, TODAY + 7 * DAY, user=secretariat)
    reminders_create(today=TODAY)
    assert _people(commune_led_task, TaskNotice.DUE_IN_7_DAYS) == LEAD_PEOPLE


def test_a_task_due_tomorrow_reminds_its_lead_units_people(commune_led_task: Task, secretariat):
    due_on(commune_led_task, TODAY + DAY, user=secretariat)
    reminders_create(today=TODAY)
    assert _people(commune_led_task, TaskNotice.DUE_TOMORROW) == LEAD_PEOPLE


def test_coordinating_units_are_not_reminded(commune_led_task: Task, secretariat):
    due_on(commune_led_task, TODAY + DAY, user=secretariat)
    reminders_create(today=TODAY)
    assert "baolam.lanhdao" not in _people(commune_led_task, TaskNotice.DUE_TOMORROW)


@pytest.mark.parametrize("days", [0, 2, 6, 8])
def test_a_task_due_on_another_day_is_not_reminded(commune_led_task: Task, secretariat, days: int):
    due_on(commune_led_task, TODAY + days * DAY, user=secretariat)
    reminders_create(today=TODAY)
    assert notices_about(commune_led_task) - notices_about(commune_led_task, TaskNotice.ASSIGNED) == set()


def test_reminders_are_made_once_per_day(commune_led_task: Task, secretariat):
    due_on(commune_led_task, TODAY + 7 * DAY, user=secretariat)
    reminders_create(today=TODAY)
    count = Notification.objects.count()
    assert reminders_create(today=TODAY) == 0
    assert Notification.objects.count() == count
    assert _people(commune_led_task, TaskNotice.DUE_IN_7_DAYS) == LEAD_PEOPLE


def test_reminders_returns_the_number_of_notices_made(seed_plan: Plan, secretariat, dong_dang, tu_phap):
    Task.objects.update(due_date=None)
    new_task(seed_plan, user=secretariat, lead=dong_dang, due_date=TODAY + 7 * DAY)
    new_task(seed_plan, user=secretariat, lead=tu_phap, due_date=TODAY + DAY)
    # 2 people of Thị trấn Đồng Đăng, 1 of Phòng Tư pháp.
    assert reminders_create(today=TODAY) == 3


def test_the_week_and_the_day_before_are_two_reminders(commune_led_task: Task, secretariat):
    due_on(commune_led_task, TODAY + 7 * DAY, user=secretariat)
    reminders_create(today=TODAY)
    reminders_create(today=TODAY + 6 * DAY)
    kinds = {kind for _username, kind in notices_about(commune_led_task)} - {TaskNotice.ASSIGNED}
    assert kinds == {TaskNotice.DUE_IN_7_DAYS, TaskNotice.DUE_TOMORROW}


def test_a_claimed_task_is_not_reminded(commune_led_task: Task, secretariat, commune_head):
    due_on(commune_led_task, TODAY + DAY, user=secretariat)
    claimed(commune_led_task, head=commune_head, on=TODAY)
    reminders_create(today=TODAY)
    assert _people(commune_led_task, TaskNotice.DUE_TOMORROW) == set()


def test_a_task_without_a_lead_unit_reminds_nobody(seed_plan: Plan, secretariat):
    Task.objects.update(due_date=None)
    new_task(seed_plan, user=secretariat, lead=None, due_date=TODAY + DAY)
    assert reminders_create(today=TODAY) == 0


def test_the_reminder_says_the_due_date(commune_led_task: Task, secretariat, commune_head):
    due_on(commune_led_task, TODAY + 7 * DAY, user=secretariat)
    reminders_create(today=TODAY)
    notice = commune_head.notifications.get(kind=TaskNotice.DUE_IN_7_DAYS)
    assert notice.message.endswith("đến hạn ngày 08/10/2024 (còn 7 ngày).")
