"""The status rule, in one place (docs/indicators.md, "Status rule", with worked examples).

`judge` turns what an indicator asks (`Rule`) and what its figures say on a day
(`Reading`) into a status and the value expected to date. `status_reason` says
why in one line, from the indicator and its stored snapshot, in the active
language — computed when shown, so a reason is never frozen in the language of
the night it was evaluated.

The principles:

- a level target is graded by its distance to the threshold in the indicator's
  own terms: percentage points for a rate, a share of the threshold for a count
  or an amount; the "at risk" band is the indicator's `risk_band`, or
  PARPLAN_RISK_BAND_POINTS / PARPLAN_RISK_BAND_PERCENT;
- a target judged over its window is final (achieved / not achieved) only once
  the window has closed or the outcome can no longer change; before that it is
  on track / at risk / behind;
- a yes/no obligation over periods counts compliance per period, and one miss
  stays a miss;
- lower-is-better comparators are judged the right way for level and cumulative
  targets;
- a rate with nothing to count (0 late dossiers for "100 % apologised") is not
  applicable, not missing data.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple

from django.conf import settings
from django.utils.translation import gettext as _

from parplan.formatting import format_number, machine_number
from targets.models import MET_LABELS, Comparator, Frequency, IndicatorKind, IndicatorStatus, TargetType

if TYPE_CHECKING:
    from targets.models import Indicator, IndicatorSnapshot

_HUNDRED = Decimal(100)
LOWER_IS_BETTER = (Comparator.LT, Comparator.LTE)


@dataclass(frozen=True)
class Rule:
    """What the indicator asks."""

    kind: str
    comparator: str
    threshold: Decimal | None
    target_type: str = TargetType.LEVEL
    risk_band: Decimal | None = None
    periodic: bool = False  # a yes/no obligation due every period (a quarterly report), not once

    @property
    def lower_is_better(self) -> bool:
        return self.comparator in LOWER_IS_BETTER


class Reading(NamedTuple):
    """What the figures say on the day (a named tuple: one is made for every indicator and unit each night)."""

    value: Decimal | None
    fraction: float = 0.5  # share of the window elapsed
    closed: bool = False  # the window is over and its last figures are in: the outcome is final
    not_applicable: bool = False  # figures exist, but a rate has nothing to count (0 / 0)
    # A periodic obligation: periods met, periods missed (approved "not met"), periods due by the day.
    met: int = 0
    missed: int = 0
    due: int = 0


def rule_of(indicator: Indicator) -> Rule:
    """What an indicator asks; a yes/no indicator reported more often than yearly is due every period."""
    return Rule(
        kind=indicator.kind,
        comparator=indicator.comparator,
        threshold=indicator.threshold,
        target_type=indicator.target_type,
        risk_band=indicator.risk_band,
        periodic=indicator.kind == IndicatorKind.MILESTONE and indicator.frequency != Frequency.YEAR,
    )


def band(rule: Rule) -> Decimal:
    """How far short of the mark is still "at risk", in the indicator's own terms."""
    if rule.risk_band is not None:
        width = rule.risk_band
    elif rule.kind == IndicatorKind.RATIO:
        width = Decimal(str(settings.PARPLAN_RISK_BAND_POINTS))
    else:
        width = Decimal(str(settings.PARPLAN_RISK_BAND_PERCENT))
    if rule.kind == IndicatorKind.RATIO or rule.threshold is None:
        return width  # percentage points
    return abs(rule.threshold) * width / _HUNDRED  # a share of the threshold


_COMPARISONS: dict[str, Callable[[Decimal, Decimal], bool]] = {
    Comparator.GTE: operator.ge,
    Comparator.GT: operator.gt,
    Comparator.LTE: operator.le,
    Comparator.LT: operator.lt,
    Comparator.EQ: operator.eq,
}


def meets(value: Decimal, comparator: str, threshold: Decimal) -> bool:
    # A table lookup, not a dict of all five comparisons and Comparator(comparator) on every call:
    # this runs for every unit of every indicator each night.
    compare = _COMPARISONS.get(comparator)
    if compare is None:
        raise ValueError(f"{comparator!r} is not a valid Comparator")  # as Comparator(comparator) raised
    return compare(value, threshold)


def shortfall(value: Decimal, mark: Decimal, rule: Rule) -> Decimal:
    """How far `value` is on the wrong side of `mark` (0 or less: on the right side)."""
    return value - mark if rule.lower_is_better else mark - value


class _Is:
    """The statuses the rule returns, as plain strings (`IndicatorStatus`'s values).

    Why not the enum's members here: on Python 3.11 each look-up of a member on its class
    costs about 80 ns, ten times a plain attribute, and the nightly run judges every
    indicator for every unit (24,000 a night at province size, several look-ups each).
    """

    ACHIEVED: str = IndicatorStatus.ACHIEVED.value
    NOT_ACHIEVED: str = IndicatorStatus.NOT_ACHIEVED.value
    ON_TRACK: str = IndicatorStatus.ON_TRACK.value
    AT_RISK: str = IndicatorStatus.AT_RISK.value
    OFF_TRACK: str = IndicatorStatus.OFF_TRACK.value
    NO_DATA: str = IndicatorStatus.NO_DATA.value
    NOT_APPLICABLE: str = IndicatorStatus.NOT_APPLICABLE.value


# The other choices `judge` compares, plain for the same reason.
_MILESTONE: str = IndicatorKind.MILESTONE.value
_CUMULATIVE: str = TargetType.CUMULATIVE.value
_EQ: str = Comparator.EQ.value


def _graded(short: Decimal, rule: Rule, width: Decimal | None) -> str:
    if short <= 0:
        return _Is.ON_TRACK
    return _Is.AT_RISK if short <= (band(rule) if width is None else width) else _Is.OFF_TRACK


def judge(rule: Rule, reading: Reading, *, width: Decimal | None = None) -> tuple[str, Decimal | None]:
    """(status, value expected to date) for one indicator and unit on one day.

    `width` is `band(rule)` when the caller has it: the evaluation judges every
    unit by one rule and computes it once (reading the settings costs more than
    the rest of the rule).
    """
    if rule.periodic and rule.kind == _MILESTONE:
        return _judge_periodic(reading), None
    if reading.not_applicable:
        return _Is.NOT_APPLICABLE, None
    value = reading.value
    if value is None:
        return _Is.NO_DATA, None
    if rule.kind == _MILESTONE:
        if value >= 1:
            return _Is.ACHIEVED, None
        return (_Is.NOT_ACHIEVED if reading.closed else _Is.AT_RISK), None
    threshold = rule.threshold
    if threshold is None or not rule.comparator:
        # Measured but without a rule: nothing to judge against, so not flagged.
        return _Is.ON_TRACK, None
    if rule.target_type == _CUMULATIVE:
        return _judge_cumulative(rule, reading, value, threshold, width)
    return _judge_level(rule, reading, value, threshold, width), threshold


def _judge_level(rule: Rule, reading: Reading, value: Decimal, threshold: Decimal, width: Decimal | None) -> str:
    """Kept all through the window (> 99 % on time): final only once the window is over."""
    if meets(value, rule.comparator, threshold):
        return _Is.ACHIEVED if reading.closed else _Is.ON_TRACK
    if reading.closed:
        return _Is.NOT_ACHIEVED
    if rule.comparator == _EQ:
        return _graded(abs(value - threshold), rule, width)
    # Strict comparators: exactly on the threshold is a miss by the smallest amount, still "at risk".
    return _graded(max(shortfall(value, threshold, rule), Decimal("0.0001")), rule, width)


def _judge_cumulative(
    rule: Rule, reading: Reading, value: Decimal, threshold: Decimal, width: Decimal | None
) -> tuple[str, Decimal | None]:
    """Reached by the window's end (≥ 70 % disbursed; ≤ 5 incidents in the year)."""
    expected = threshold * Decimal(str(reading.fraction))
    met = meets(value, rule.comparator, threshold)
    if rule.lower_is_better:
        # A running count only grows: over the limit can no longer change; under it is final at the end.
        if not met:
            return _Is.NOT_ACHIEVED, expected
        if reading.closed:
            return _Is.ACHIEVED, expected
        return (_Is.ON_TRACK if value <= expected else _Is.AT_RISK), expected
    if met:
        return _Is.ACHIEVED, expected  # reached: later figures only add to it
    if reading.closed:
        return _Is.NOT_ACHIEVED, expected
    return _graded(shortfall(value, expected, rule), rule, width), expected


def _judge_periodic(reading: Reading) -> str:
    """Every period's obligation counts; one period missed stays missed."""
    if reading.missed:
        return _Is.NOT_ACHIEVED
    due = max(reading.due, reading.met)
    if due == 0:
        return _Is.NO_DATA
    if reading.met < due:
        return _Is.NOT_ACHIEVED if reading.closed else _Is.OFF_TRACK
    return _Is.ACHIEVED if reading.closed else _Is.ON_TRACK


# --- The one-line reason -------------------------------------------------------------


def value_written(indicator: Indicator, value: Decimal | None) -> str:
    """An indicator's value as its pages write it: "Đạt" / "Không đạt" for a yes/no one (not "1,0"), else one
    decimal, more when one would make it read as its threshold ("99,02%", never "99,0%" under "> 99 %")."""
    return written_value(indicator.kind, indicator.threshold, value)


def written_value(kind: str, threshold: Decimal | None, value: Decimal | None) -> str:
    """`value_written` from an indicator's kind and threshold alone (the dashboard's rows carry no indicator)."""
    if value is None:
        return "—"
    if kind == _MILESTONE:
        return str(MET_LABELS[value >= 1])
    shown = format_number(value, 1, grouped=True)
    if threshold is not None and value != threshold and Decimal(machine_number(value, 1)) == threshold:
        shown = _number(value, apart_from=threshold)
    return f"{shown}%" if kind == IndicatorKind.RATIO else shown


def _number(value: Decimal, *, apart_from: Decimal | None = None) -> str:
    """One decimal, none when whole (98,7 and 99, never 99,0); more when one would hide a difference.

    98,96 against 99 is "98,96", not "99": a reason must never read "99%, chưa đạt > 99%".
    """
    for places in (1, 2, 3):
        shown = Decimal(machine_number(value, places))
        if apart_from is None or value == apart_from or shown != Decimal(machine_number(apart_from, places)):
            if shown != 0 or value == 0:
                return format_number(shown, grouped=True)
    return format_number(Decimal(machine_number(value, 4)), grouped=True)


def _shown(value: Decimal, indicator: Indicator, *, apart_from: Decimal | None = None) -> str:
    unit = "%" if indicator.kind == IndicatorKind.RATIO else f" {indicator.unit_of_measure}".rstrip()
    return f"{_number(value, apart_from=apart_from)}{unit}"


def _gap(value: Decimal, indicator: Indicator) -> str:
    amount = _number(abs(value))
    if indicator.kind == IndicatorKind.RATIO:
        return _("%(amount)s điểm %%") % {"amount": amount}
    return f"{amount} {indicator.unit_of_measure}".rstrip()


def status_reason(indicator: Indicator, snapshot: IndicatorSnapshot | None) -> str:
    """Why the status is what it is, e.g. "98,7% < 99%: thiếu 0,3 điểm %"."""
    if snapshot is None or snapshot.status == IndicatorStatus.NO_DATA:
        return _("Chưa có số liệu được duyệt.")
    if snapshot.status == IndicatorStatus.NOT_APPLICABLE:
        return _("Không có trường hợp nào để tính tỷ lệ (mẫu số bằng 0): không áp dụng trong kỳ.")
    if indicator.kind == IndicatorKind.MILESTONE:
        return _milestone_reason(indicator, snapshot)
    value = snapshot.value
    if value is None:
        return _("Chưa có số liệu được duyệt.")
    if indicator.threshold is None or not indicator.comparator:
        return _("Giá trị %(value)s; chỉ số không có ngưỡng để so sánh.") % {"value": _shown(value, indicator)}
    rule = rule_of(indicator)
    threshold, sign = indicator.threshold, indicator.get_comparator_display()
    facts = {
        "value": _shown(value, indicator, apart_from=threshold),
        "sign": sign,
        "threshold": _shown(threshold, indicator),
    }
    if meets(value, indicator.comparator, threshold):
        return _("%(value)s, đạt ngưỡng %(sign)s %(threshold)s.") % facts
    expected = snapshot.expected
    if indicator.target_type == TargetType.CUMULATIVE and expected is not None:
        facts["expected"] = _shown(expected, indicator)
        if snapshot.status == IndicatorStatus.NOT_ACHIEVED:
            if rule.lower_is_better:
                return _("%(value)s, vượt giới hạn %(sign)s %(threshold)s: %(gap)s.") % {
                    **facts,
                    "gap": _gap(shortfall(value, threshold, rule), indicator),
                }
            return _("%(value)s khi kết thúc kỳ, chưa đạt %(sign)s %(threshold)s: thiếu %(gap)s.") % {
                **facts,
                "gap": _gap(shortfall(value, threshold, rule), indicator),
            }
        gap = shortfall(value, expected, rule)
        if gap <= 0:
            return _("%(value)s, theo kịp tiến độ dự kiến %(expected)s (mục tiêu %(sign)s %(threshold)s).") % facts
        return _("%(value)s so với tiến độ dự kiến %(expected)s (mục tiêu %(sign)s %(threshold)s): thiếu %(gap)s.") % {
            **facts,
            "gap": _gap(gap, indicator),
        }
    gap = shortfall(value, threshold, rule) if indicator.comparator != Comparator.EQ else abs(value - threshold)
    if rule.lower_is_better:
        return _("%(value)s, chưa đạt %(sign)s %(threshold)s: vượt %(gap)s.") % {**facts, "gap": _gap(gap, indicator)}
    return _("%(value)s, chưa đạt %(sign)s %(threshold)s: thiếu %(gap)s.") % {**facts, "gap": _gap(gap, indicator)}


def _milestone_reason(indicator: Indicator, snapshot: IndicatorSnapshot) -> str:
    if snapshot.denominator is not None and rule_of(indicator).periodic:
        met, due = int(snapshot.numerator or 0), int(snapshot.denominator)
        missed = snapshot.missed or 0
        facts = {"met": met, "due": due, "missed": missed}
        if missed:
            return _("%(met)s/%(due)s kỳ đạt; %(missed)s kỳ không đạt (không thể bù lại).") % facts
        if met < due:
            return _("%(met)s/%(due)s kỳ đạt; còn kỳ đã đến hạn chưa có số liệu.") % facts
        return _("%(met)s/%(due)s kỳ đạt.") % facts
    if snapshot.status == IndicatorStatus.ACHIEVED:
        return _("Đã hoàn thành.")
    if snapshot.status == IndicatorStatus.NOT_ACHIEVED:
        return _("Không hoàn thành trong kỳ.")
    return _("Chưa hoàn thành.")
