"""What an indicator shows of itself: its rule."""

from __future__ import annotations

from decimal import Decimal

import pytest

from targets.models import Indicator


@pytest.mark.parametrize(
    ("comparator", "threshold", "unit", "rule"),
    [
        ("gt", Decimal("99.50"), "%", "> 99,5 %"),  # as the plan writes it: "Trên 99,5%"
        ("gte", Decimal("95.00"), "%", "≥ 95 %"),
        ("lte", Decimal("6"), "hạng", "≤ 6 hạng"),
        ("gte", Decimal("250000.00"), "triệu đồng", "≥ 250.000 triệu đồng"),  # grouped, as every page writes it
        ("eq", Decimal("0.25"), "", "= 0,25"),
    ],
)
def test_the_rule_writes_its_threshold_as_entered_with_a_decimal_comma(comparator, threshold, unit, rule):
    assert Indicator(comparator=comparator, threshold=threshold, unit_of_measure=unit).rule == rule


def test_a_milestone_has_a_rule_in_words():
    assert Indicator(kind="milestone", threshold=None).rule == "Đạt / không đạt"
