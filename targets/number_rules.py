"""Which numbers an indicator takes: one home for the entry form, the definition form, the services and imports.

Counts and ranks are whole numbers (a rank from 1); a share of a whole is at
most 100 % and its numerator at most its denominator (that check needs both
numbers: `targets.services.figure_check`); an achievement against a plan may
pass 100 %. Numbers are never negative. docs/indicators.md states the rule.
"""

from __future__ import annotations

from decimal import Decimal

from parplan.numbers import NumberRule
from targets.models import Indicator, IndicatorKind, Measure

_HUNDRED = Decimal(100)
# The columns: figures are DecimalField(16, 2), thresholds and baselines DecimalField(14, 2).
_FIGURE_DIGITS, _DEFINITION_DIGITS = 16, 14


def figure_rule(indicator: Indicator) -> NumberRule:
    """The rule of a figure's numbers: its numerator and denominator, or its value."""
    if indicator.kind == IndicatorKind.RATIO:
        return NumberRule(whole=indicator.parts_counted, digits=_FIGURE_DIGITS)
    return _value_rule(indicator.kind, indicator.measure, indicator.unit_of_measure, _FIGURE_DIGITS)


def definition_rule(*, kind: str, measure: str, unit_of_measure: str) -> NumberRule:
    """The rule of a threshold or a baseline: a ratio's are percentages, other kinds' are values."""
    if kind == IndicatorKind.RATIO:
        share = measure == Measure.SHARE
        return NumberRule(maximum=_HUNDRED if share else None, digits=_DEFINITION_DIGITS)
    return _value_rule(kind, measure, unit_of_measure, _DEFINITION_DIGITS)


def _value_rule(kind: str, measure: str, unit_of_measure: str, digits: int) -> NumberRule:
    if kind == IndicatorKind.COUNT:
        return NumberRule(whole=True, digits=digits)
    if kind == IndicatorKind.RANK:
        return NumberRule(whole=True, minimum=Decimal(1), digits=digits)
    # A value typed as a percentage (unit "%") that is a share of a whole, e.g. a coverage rate.
    share_percent = measure == Measure.SHARE and unit_of_measure.strip() == "%"
    return NumberRule(maximum=_HUNDRED if share_percent else None, digits=digits)


def share_exceeded(indicator: Indicator, numerator: Decimal, denominator: Decimal) -> bool:
    """A share's part cannot be more than its whole; an achievement's may."""
    return indicator.measure == Measure.SHARE and numerator > denominator
