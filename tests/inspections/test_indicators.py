"""The two seed indicators take their figures from the inspection records, with statuses like any other."""

from __future__ import annotations

import datetime
from decimal import Decimal

from inspections.indicators import COVERAGE, FINDINGS_HANDLED
from targets.evaluation import evaluate_plan
from targets.models import Indicator, IndicatorSnapshot
from tests.inspections.builders import fresh_plan, visit

D = datetime.date


def _snapshot(plan, source, day):
    indicator = Indicator.objects.get(area__plan=plan, source=source)
    return IndicatorSnapshot.objects.get(indicator=indicator, unit=plan.issuing_unit, day=day)


def test_after_demo_both_indicators_have_values_and_statuses(seed_plan):
    """On main, neither could be computed or typed in: "no data" for ever."""
    coverage = _snapshot(seed_plan, COVERAGE, D(2024, 12, 20))
    assert (coverage.numerator, coverage.denominator) == (12, 35)
    assert coverage.status == "achieved"  # 34,3 % > 30 %, the window closed
    handled = _snapshot(seed_plan, FINDINGS_HANDLED, D(2024, 12, 20))
    assert (handled.numerator, handled.denominator) == (4, 6)  # of six found, one handled late, one still open
    assert handled.status == "not_achieved"
    # A history, month by month, like the other indicators.
    assert _snapshot(seed_plan, COVERAGE, D(2024, 4, 20)).value < coverage.value


def test_a_new_visit_moves_the_coverage_at_the_next_evaluation(seed_plan):
    par = fresh_plan(seed_plan)
    evaluate_plan(plan=seed_plan, day=D(2024, 5, 20))
    assert _snapshot(seed_plan, COVERAGE, D(2024, 5, 20)).status in ("off_track", "at_risk")
    assert _snapshot(seed_plan, COVERAGE, D(2024, 5, 20)).value == 0
    visit(par, "06184", D(2024, 5, 2))
    evaluate_plan(plan=seed_plan, day=D(2024, 5, 20))
    moved = _snapshot(seed_plan, COVERAGE, D(2024, 5, 20))
    assert (moved.numerator, moved.denominator) == (1, 35)
    assert moved.value.quantize(Decimal("0.01")) == Decimal("2.86")
