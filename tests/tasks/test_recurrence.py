"""Recurring tasks: one occurrence per period, the task due when its next open occurrence is."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from parplan.models import Plan
from tasks.models import Recurrence, Task, TaskOccurrence
from tasks.services import (
    TaskConflict,
    occurrence_mark_done,
    task_cancel,
    task_claim_completion,
    task_update,
)
from tasks.services.assignment import occurrence_due_dates
from tests.tasks.builders import TODAY, fresh, new_task, row_counts

D = datetime.date


@pytest.fixture
def quarterly(seed_plan: Plan, secretariat, dong_dang) -> Task:
    """The quarterly report, due on the 20th of each quarter's last month."""
    return new_task(
        seed_plan, user=secretariat, lead=dong_dang, title="Báo cáo CCHC hằng quý", start_date=D(2024, 1, 1),
        due_date=None, recurrence=Recurrence.QUARTERLY, recurrence_due_day=20,
    )  # fmt: skip


def _occurrences(task: Task) -> list[TaskOccurrence]:
    return list(TaskOccurrence.objects.filter(task=task).order_by("number"))


def _mark(task: Task, number: int, user, *, done: bool = True) -> None:
    occurrence_mark_done(occurrence=task.occurrences.get(number=number), user=user, today=TODAY, done=done)


def test_quarterly_due_day_20_falls_on_the_20th_of_each_quarters_last_month():
    dates = [due for _number, _label, due in occurrence_due_dates(2024, Recurrence.QUARTERLY, 20)]
    assert dates == [D(2024, 3, 20), D(2024, 6, 20), D(2024, 9, 20), D(2024, 12, 20)]


def test_quarters_are_labelled_in_roman_numerals():
    labels = [label for _number, label, _due in occurrence_due_dates(2024, Recurrence.QUARTERLY, 20)]
    assert labels == ["Quý I/2024", "Quý II/2024", "Quý III/2024", "Quý IV/2024"]


def test_monthly_due_day_31_falls_on_each_months_last_day():
    dates = [due for _number, _label, due in occurrence_due_dates(2024, Recurrence.MONTHLY, 31)]
    assert dates == [
        D(2024, 1, 31), D(2024, 2, 29), D(2024, 3, 31), D(2024, 4, 30), D(2024, 5, 31), D(2024, 6, 30),
        D(2024, 7, 31), D(2024, 8, 31), D(2024, 9, 30), D(2024, 10, 31), D(2024, 11, 30), D(2024, 12, 31),
    ]  # fmt: skip


def test_february_of_a_common_year_ends_on_the_28th():
    dates = [due for _number, _label, due in occurrence_due_dates(2025, Recurrence.MONTHLY, 30)]
    assert dates[1] == D(2025, 2, 28)


def test_a_yearly_task_has_one_occurrence_in_the_last_month():
    assert occurrence_due_dates(2024, Recurrence.YEARLY, 15) == [(1, "Năm 2024", D(2024, 12, 15))]


@pytest.mark.parametrize(
    ("recurrence", "frequency"),
    [(Recurrence.MONTHLY, "monthly"), (Recurrence.QUARTERLY, "quarterly"), (Recurrence.YEARLY, "year")],
)
def test_occurrences_due_on_the_20th_are_the_plans_reporting_periods(seed_plan: Plan, recurrence, frequency):
    periods = seed_plan.periods.filter(frequency=frequency).order_by("number")
    assert occurrence_due_dates(seed_plan.year, recurrence, 20) == [(p.number, p.label, p.due_date) for p in periods]


def test_a_created_quarterly_task_has_its_four_occurrences_in_the_plans_year(quarterly: Task):
    assert [(o.number, o.label, o.due_date, o.done_on) for o in _occurrences(quarterly)] == [
        (1, "Quý I/2024", D(2024, 3, 20), None),
        (2, "Quý II/2024", D(2024, 6, 20), None),
        (3, "Quý III/2024", D(2024, 9, 20), None),
        (4, "Quý IV/2024", D(2024, 12, 20), None),
    ]


def test_a_recurring_task_is_due_when_its_first_occurrence_is(quarterly: Task):
    assert fresh(quarterly).due_date == D(2024, 3, 20)


def test_marking_an_occurrence_done_moves_the_due_date_to_the_next_open_one(quarterly: Task, commune_staff):
    _mark(quarterly, 1, commune_staff)
    assert fresh(quarterly).due_date == D(2024, 6, 20)


def test_a_marked_occurrence_records_who_and_when(quarterly: Task, commune_staff):
    _mark(quarterly, 1, commune_staff)
    first = quarterly.occurrences.get(number=1)
    assert (first.done_on, first.done_by) == (TODAY, commune_staff)


def test_occurrences_done_out_of_order_leave_the_task_due_at_the_earliest_open_one(quarterly: Task, commune_staff):
    _mark(quarterly, 2, commune_staff)
    assert fresh(quarterly).due_date == D(2024, 3, 20)


def test_unmarking_an_occurrence_moves_the_due_date_back(quarterly: Task, commune_staff):
    _mark(quarterly, 1, commune_staff)
    _mark(quarterly, 1, commune_staff, done=False)
    assert fresh(quarterly).due_date == D(2024, 3, 20)


def test_with_every_occurrence_done_the_task_stays_due_on_the_last(quarterly: Task, commune_staff):
    for number in (1, 2, 3, 4):
        _mark(quarterly, number, commune_staff)
    assert fresh(quarterly).due_date == D(2024, 12, 20)


def test_claiming_completion_with_an_open_occurrence_is_refused(quarterly: Task, commune_staff, commune_head):
    for number in (1, 2, 3):
        _mark(quarterly, number, commune_staff)
    before = row_counts()
    with pytest.raises(ValidationError) as raised:
        task_claim_completion(task=quarterly, user=commune_head, today=TODAY, text="Đã hoàn thành.")
    assert raised.value.messages == ["Còn kỳ thực hiện chưa hoàn thành; đánh dấu từng kỳ trước khi báo hoàn thành."]
    assert row_counts() == before


def test_claiming_completion_once_every_occurrence_is_done_is_accepted(quarterly: Task, commune_staff, commune_head):
    for number in (1, 2, 3, 4):
        _mark(quarterly, number, commune_staff)
    task_claim_completion(task=quarterly, user=commune_head, today=D(2024, 12, 18), text="Đã hoàn thành.")
    assert fresh(quarterly).completed_on == D(2024, 12, 18)


def test_a_new_due_day_redates_open_occurrences_and_keeps_done_ones(quarterly: Task, secretariat, commune_staff):
    _mark(quarterly, 1, commune_staff)
    opened = fresh(quarterly)
    task_update(task=opened, expected_version=opened.version, user=secretariat, recurrence_due_day=25)
    assert [o.due_date for o in _occurrences(quarterly)] == [
        D(2024, 3, 20), D(2024, 6, 25), D(2024, 9, 25), D(2024, 12, 25),
    ]  # fmt: skip
    assert fresh(quarterly).due_date == D(2024, 6, 25)


def test_ending_the_recurrence_removes_the_open_occurrences(quarterly: Task, secretariat, commune_staff):
    _mark(quarterly, 1, commune_staff)
    opened = fresh(quarterly)
    task_update(
        task=opened, expected_version=opened.version, user=secretariat, recurrence=Recurrence.NONE,
        recurrence_due_day=None,
    )  # fmt: skip
    assert [o.number for o in _occurrences(quarterly)] == [1]


def test_a_recurring_task_starting_mid_year_has_no_occurrence_before_its_start(seed_plan: Plan, secretariat, dong_dang):
    task = new_task(
        seed_plan, user=secretariat, lead=dong_dang, start_date=D(2024, 5, 1), due_date=None,
        recurrence=Recurrence.QUARTERLY, recurrence_due_day=20,
    )  # fmt: skip
    assert [o.due_date for o in _occurrences(task)] == [D(2024, 6, 20), D(2024, 9, 20), D(2024, 12, 20)]
    assert fresh(task).due_date == D(2024, 6, 20)


def test_marking_an_occurrence_done_makes_an_edit_opened_before_it_a_conflict(
    quarterly: Task, secretariat, commune_staff
):
    # The mark moves the due date: a form opened earlier would otherwise put the old one back.
    opened = fresh(quarterly)
    _mark(quarterly, 1, commune_staff)
    with pytest.raises(TaskConflict) as raised:
        task_update(task=opened, expected_version=opened.version, user=secretariat, due_date=opened.due_date)
    assert [change.field for change in raised.value.changes] == ["due_date"]
    assert fresh(quarterly).due_date == D(2024, 6, 20)


def test_an_occurrence_of_a_cancelled_task_cannot_be_marked(quarterly: Task, secretariat, commune_staff):
    task_cancel(task=quarterly, user=secretariat, reason="Gộp vào báo cáo 6 tháng.")
    with pytest.raises(ValidationError) as raised:
        _mark(fresh(quarterly), 1, commune_staff)
    assert raised.value.messages == ["Nhiệm vụ đã bị hủy, không thể thay đổi."]
