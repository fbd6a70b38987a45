"""planio.copying.plan_copy: next year's plan starts as a copy of this year's, without its work."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from parplan.models import Plan, PlanStatus
from planio.copying import plan_copy
from targets.models import Indicator, IndicatorSnapshot, Measurement, Period, Target
from targets.services import indicator_define
from tasks.models import ProgressReport, Task

THIS_YEAR = timezone.localdate().year
YEAR = THIS_YEAR + 1  # the demo holds 2024's plan and this year's


def _indicators(plan: Plan) -> list[tuple]:
    fields = (
        "area__number", "target__position", "position", "kind", "measure", "parts_counted", "comparator",
        "threshold", "unit_of_measure", "baseline", "frequency", "scope", "aggregation", "source", "target_type",
        "risk_band",
    )  # fmt: skip
    rows = Indicator.objects.of_plan(plan).order_by("area__number", "target__position", "position", "pk")
    return list(rows.values_list(*fields))


def _tasks(plan: Plan) -> list[tuple]:
    tasks = (
        Task.objects.filter(area__plan=plan).order_by("area__number", "position").prefetch_related("coordinating_units")
    )
    return [
        (t.area.number, t.position, t.text, t.lead_unit_id, sorted(u.pk for u in t.coordinating_units.all()))
        for t in tasks
    ]


def test_the_copy_has_the_plans_areas_targets_indicators_and_tasks(seed_plan, secretariat):
    indicator = Indicator.objects.of_plan(seed_plan).get(area__number=3, target__position=3)
    indicator_define(indicator=indicator, risk_band=5)  # a setting the interchange file does not carry
    copy = plan_copy(seed_plan, YEAR, by=secretariat)
    assert copy.year == YEAR and copy.issuing_unit == seed_plan.issuing_unit
    assert list(copy.areas.values_list("number", "name")) == list(seed_plan.areas.values_list("number", "name"))
    assert _indicators(copy) == _indicators(seed_plan)
    assert len(_indicators(copy)) == 27
    assert _tasks(copy) == [
        (*row[:2], row[2].replace("năm 2024", f"năm {YEAR}"), *row[3:]) for row in _tasks(seed_plan)
    ]
    copied = Indicator.objects.of_plan(copy).get(area__number=3, target__position=3)
    assert set(copied.scope_units.values_list("pk", flat=True)) == set(
        indicator.scope_units.values_list("pk", flat=True)
    )
    assert copied.scope_units.count() > 20
    # The indicators hidden in task bullets are copied with their task.
    assert Indicator.objects.of_plan(copy).filter(stated_in__task__area__plan=copy).count() == 2


def test_task_dates_move_to_the_new_year_and_29_february_to_28(seed_plan, secretariat):
    due = dict(Task.objects.filter(area__plan=seed_plan, due_date__isnull=False).values_list("key", "due_date"))
    assert datetime.date(2024, 2, 29) in due.values()
    copy = plan_copy(seed_plan, 2025, by=secretariat)
    moved = sorted(Task.objects.filter(area__plan=copy, due_date__isnull=False).values_list("due_date", flat=True))
    expected = sorted(
        datetime.date(2025, 2, 28) if (d.month, d.day) == (2, 29) else d.replace(year=2025) for d in due.values()
    )
    assert moved == expected
    # New tasks: their own keys, not the copied plan's.
    assert not Task.objects.filter(area__plan=copy, key__in=due.keys()).exists()


def test_the_copy_has_no_progress_no_figures_and_its_own_periods(seed_plan, secretariat):
    assert Measurement.objects.filter(period__plan=seed_plan).exists()
    assert Task.objects.filter(area__plan=seed_plan, confirmed_at__isnull=False).exists()
    copy = plan_copy(seed_plan, YEAR, by=secretariat)
    tasks = Task.objects.filter(area__plan=copy)
    assert tasks.count() == Task.objects.filter(area__plan=seed_plan).count()
    assert not tasks.exclude(progress_percent=0).exists()
    assert not tasks.filter(confirmed_at__isnull=False).exists()
    assert not tasks.filter(completed_on__isnull=False).exists()
    assert not ProgressReport.objects.filter(task__area__plan=copy).exists()
    assert not Measurement.objects.filter(period__plan=copy).exists()
    assert not IndicatorSnapshot.objects.filter(indicator__area__plan=copy).exists()
    periods = Period.objects.filter(plan=copy)
    assert periods.count() == Period.objects.filter(plan=seed_plan).count() == 19
    assert {p.end.year for p in periods} == {YEAR}


def test_the_copy_is_a_draft_not_yet_issued_named_for_its_year(seed_plan, secretariat):
    assert "năm 2024" in seed_plan.title
    copy = plan_copy(seed_plan, YEAR, by=secretariat)
    assert copy.status == PlanStatus.DRAFT
    assert copy.title == seed_plan.title.replace("năm 2024", f"năm {YEAR}")
    assert copy.number == "" and copy.issue_date is None and seed_plan.issue_date is not None
    assert copy.history.first().history_user == secretariat
    assert plan_copy(seed_plan, YEAR + 1, by=secretariat, status=PlanStatus.ACTIVE).status == PlanStatus.ACTIVE


def test_other_years_named_in_the_texts_stay(seed_plan, secretariat):
    copy = plan_copy(seed_plan, YEAR, by=secretariat)

    # The seed's area 3 still says "năm 2023" (copied from an older plan): not the copied year, so kept.
    def mentions(plan: Plan) -> list[str]:
        texts = [*Target.objects.filter(area__plan=plan).values_list("text", flat=True),
                 *Task.objects.filter(area__plan=plan).values_list("text", flat=True)]  # fmt: skip
        return [text for text in texts if "2023" in text]

    assert mentions(seed_plan)
    assert len(mentions(copy)) == len(mentions(seed_plan))


def test_copying_to_a_year_the_issuer_already_has_a_plan_for_is_refused(seed_plan, secretariat):
    current = Plan.objects.get(issuing_unit=seed_plan.issuing_unit, year=THIS_YEAR)
    tasks = Task.objects.count()
    with pytest.raises(ValidationError, match=str(THIS_YEAR)):
        plan_copy(seed_plan, current.year, by=secretariat)
    assert Task.objects.count() == tasks
