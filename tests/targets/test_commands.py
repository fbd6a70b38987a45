"""`manage.py evaluate_indicators`: one summary line, idempotent, all-or-nothing, strict about its input."""

from __future__ import annotations

import datetime
import io
import re
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

import targets.evaluation
import targets.status
from parplan.models import Plan, PlanStatus
from targets.models import Indicator, IndicatorSnapshot, IndicatorStatus
from tests.targets.builders import second_plan

pytestmark = pytest.mark.django_db

D = datetime.date
DAY = D(2024, 10, 20)
SUMMARY = re.compile(
    r"^(?P<day>\d\d/\d\d/\d{4}): đã đánh giá (?P<indicators>\d+) chỉ số \((?P<snapshots>\d+) kết quả\) — "
    r"Đạt: (?P<achieved>\d+), Đúng tiến độ: (?P<on_track>\d+), Có nguy cơ: (?P<at_risk>\d+), "
    r"Chậm tiến độ: (?P<off_track>\d+), Không đạt: (?P<not_achieved>\d+), Không áp dụng: (?P<not_applicable>\d+), "
    r"Chưa có số liệu: (?P<no_data>\d+)\.$"
)


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("evaluate_indicators", *args, stdout=out)
    return out.getvalue()


def _rows(day: datetime.date) -> list[tuple]:
    return sorted(
        IndicatorSnapshot.objects.filter(day=day).values_list(
            "indicator_id", "unit_id", "day", "numerator", "denominator", "value", "expected", "status"
        )
    )


def _rows_with_ids(day: datetime.date) -> list[tuple]:
    return sorted(IndicatorSnapshot.objects.filter(day=day).values_list("pk", "indicator_id", "unit_id", "value"))


def test_the_command_prints_exactly_one_summary_line(seed_plan):
    output = _run("--date", "2024-10-20")
    lines = output.splitlines()
    assert len(lines) == 1
    assert SUMMARY.match(lines[0]), lines[0]


def test_the_summary_counts_are_those_of_the_stored_snapshots(seed_plan: Plan):
    # The 2024 plan by name: the active plan the command takes by default is this year's copy.
    summary = SUMMARY.match(_run("--plan", str(seed_plan.pk), "--date", "2024-10-20").strip())
    authority = IndicatorSnapshot.objects.filter(day=DAY, unit=seed_plan.issuing_unit)
    statuses = Counter(authority.values_list("status", flat=True))
    assert summary["day"] == "20/10/2024"
    assert int(summary["indicators"]) == Indicator.objects.of_plan(seed_plan).count() == authority.count()
    assert (
        int(summary["snapshots"]) == IndicatorSnapshot.objects.filter(day=DAY, indicator__area__plan=seed_plan).count()
    )
    for status in IndicatorStatus.values:
        assert int(summary[status]) == statuses[status], status
    assert sum(int(summary[status]) for status in IndicatorStatus.values) == int(summary["indicators"])


def test_the_demo_plan_on_the_twentieth_of_october_has_more_than_one_status(seed_plan):
    # Guards the test above: counts that are all in one column would prove little.
    summary = SUMMARY.match(_run("--plan", str(seed_plan.pk), "--date", "2024-10-20").strip())
    assert sum(1 for status in IndicatorStatus.values if int(summary[status])) >= 3


def test_running_twice_leaves_the_same_rows(seed_plan):
    _run("--date", "2024-10-20")
    first = _rows(DAY)
    second_line = _run("--date", "2024-10-20")
    assert _rows(DAY) == first
    assert IndicatorSnapshot.objects.filter(day=DAY).count() == len(first)
    assert second_line == _run("--date", "2024-10-20")


def test_a_new_day_adds_rows_without_touching_earlier_days(seed_plan):
    before = _rows_with_ids(DAY)
    summary = SUMMARY.match(_run("--date", "2024-10-21").strip())
    assert _rows_with_ids(DAY) == before
    # The active plan's (this year's: 2024's is closed) rows of the new day, one per (indicator, unit).
    assert IndicatorSnapshot.objects.filter(day=D(2024, 10, 21)).count() == int(summary["snapshots"]) > 0


@pytest.fixture
def judge_failing_on_call(monkeypatch):
    """Make the status rule raise on its `n`th call, part-way through the plan."""

    def install(n: int) -> None:
        real = targets.status.judge
        calls: Counter[str] = Counter()

        def failing(*args, **kwargs):
            calls["judge"] += 1
            if calls["judge"] == n:
                raise RuntimeError("hỏng giữa chừng")
            return real(*args, **kwargs)

        monkeypatch.setattr(targets.evaluation, "judge", failing)

    return install


def test_a_failure_part_way_leaves_the_previous_days_snapshots_intact(seed_plan, judge_failing_on_call):
    previous = _rows_with_ids(DAY)
    judge_failing_on_call(100)  # of about 190 judgements
    with pytest.raises(RuntimeError):
        _run("--date", "2024-10-21")
    assert _rows_with_ids(DAY) == previous
    assert not IndicatorSnapshot.objects.filter(day=D(2024, 10, 21)).exists()


def test_a_failure_part_way_leaves_the_same_days_earlier_rows_untouched(seed_plan, judge_failing_on_call):
    earlier = _rows_with_ids(DAY)
    assert earlier
    judge_failing_on_call(100)  # of about 190 judgements
    with pytest.raises(RuntimeError):
        _run("--date", "2024-10-20")
    assert _rows_with_ids(DAY) == earlier


@pytest.mark.parametrize("bad", ["2024-13-01", "20/10/2024", "hôm qua", "2024-02-30"])
def test_a_bad_date_is_a_command_error_and_writes_nothing(seed_plan, bad):
    before = IndicatorSnapshot.objects.count()
    with pytest.raises(CommandError, match="--date phải có dạng YYYY-MM-DD"):
        _run("--date", bad)
    assert IndicatorSnapshot.objects.count() == before


def test_an_unknown_plan_is_a_command_error():
    with pytest.raises(CommandError, match="Không có kế hoạch mã 999999"):
        _run("--plan", "999999", "--date", "2024-10-20")


def test_without_a_plan_only_active_plans_are_evaluated(seed_plan):
    draft = second_plan(seed_plan)
    assert draft.status == PlanStatus.DRAFT
    summary = SUMMARY.match(_run("--date", "2025-03-01").strip())
    (active,) = Plan.objects.filter(status=PlanStatus.ACTIVE)  # the demo's this year's plan
    assert int(summary["indicators"]) == Indicator.objects.of_plan(active).count()
    assert not IndicatorSnapshot.objects.filter(indicator__area__plan=draft).exists()


def test_a_named_plan_is_evaluated_alone_even_as_a_draft(seed_plan):
    draft = second_plan(seed_plan)
    summary = SUMMARY.match(_run("--plan", str(draft.pk), "--date", "2025-03-01").strip())
    day = D(2025, 3, 1)
    assert int(summary["indicators"]) == Indicator.objects.of_plan(draft).count()
    assert IndicatorSnapshot.objects.filter(day=day, indicator__area__plan=draft, unit=draft.issuing_unit).count() == (
        Indicator.objects.of_plan(draft).count()
    )
    assert not IndicatorSnapshot.objects.filter(day=day, indicator__area__plan=seed_plan).exists()
    # A new plan has no approved figure yet.
    assert int(summary["no_data"]) == int(summary["indicators"])


def test_without_a_date_the_command_evaluates_today_in_vietnam(seed_plan):
    today = timezone.localdate()
    summary = SUMMARY.match(_run().strip())
    assert summary["day"] == f"{today:%d/%m/%Y}"
    assert IndicatorSnapshot.objects.filter(day=today, unit=seed_plan.issuing_unit).count() == int(
        summary["indicators"]
    )
