"""The status rule (targets.status.judge), table by table, and its one-line reasons.

Each row: what the indicator asks, what its figures say, the status and the
value expected to date. The rows marked "issue 12" were wrong before this rule.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from parplan.models import Plan, PlanStatus, Unit
from targets.evaluation import evaluate_plan
from targets.models import (
    Aggregation,
    Comparator,
    Frequency,
    Indicator,
    IndicatorKind,
    IndicatorSnapshot,
    IndicatorStatus,
    Scope,
    TargetType,
)
from targets.services import FigureInput
from targets.sources import Source
from targets.status import Reading, Rule, judge, status_reason
from tests.targets.builders import approved, new_indicator, ratio
from tests.targets.conftest import seed_period

ACHIEVED, ON_TRACK, AT_RISK, BEHIND = (
    IndicatorStatus.ACHIEVED,
    IndicatorStatus.ON_TRACK,
    IndicatorStatus.AT_RISK,
    IndicatorStatus.OFF_TRACK,
)
NOT_ACHIEVED, NOT_APPLICABLE, NO_DATA = (
    IndicatorStatus.NOT_ACHIEVED,
    IndicatorStatus.NOT_APPLICABLE,
    IndicatorStatus.NO_DATA,
)
RATIO, COUNT, RANK, MILESTONE = IndicatorKind.RATIO, IndicatorKind.COUNT, IndicatorKind.RANK, IndicatorKind.MILESTONE
GT, GTE, LT, LTE, EQ = Comparator.GT, Comparator.GTE, Comparator.LT, Comparator.LTE, Comparator.EQ
LEVEL, CUMULATIVE = TargetType.LEVEL, TargetType.CUMULATIVE

ON_TIME = Rule(RATIO, GT, Decimal(99))  # "> 99 % of dossiers resolved on time"
LATE_AT_MOST_5 = Rule(RATIO, LTE, Decimal(5))
INSPECT_30 = Rule(COUNT, GTE, Decimal(30))
DISBURSE_70 = Rule(RATIO, GTE, Decimal(70), CUMULATIVE)
INCIDENTS_AT_MOST_5 = Rule(COUNT, LTE, Decimal(5), CUMULATIVE)
ONCE = Rule(MILESTONE, "", None)
QUARTERLY_REPORT = Rule(MILESTONE, "", None, periodic=True)


def _open(value: str | None, fraction: float = 0.5) -> Reading:
    return Reading(value=None if value is None else Decimal(value), fraction=fraction)


def _closed(value: str | None) -> Reading:
    return Reading(value=None if value is None else Decimal(value), fraction=1.0, closed=True)


CASES = [
    # id, rule, reading, status, expected
    # --- a level rate, higher is better: distance in percentage points (default band 2 points)
    ("on-time 99.5 mid-year", ON_TIME, _open("99.5"), ON_TRACK, Decimal(99)),
    ("on-time 99.5 window closed", ON_TIME, _closed("99.5"), ACHIEVED, Decimal(99)),
    ("issue 12: on-time 98.5 is at risk", ON_TIME, _open("98.5"), AT_RISK, Decimal(99)),
    ("issue 12: on-time 95 is behind", ON_TIME, _open("95"), BEHIND, Decimal(99)),
    ("issue 12: Mẫu Sơn 96.3 is behind, not at risk", ON_TIME, _open("96.3"), BEHIND, Decimal(99)),
    ("on-time 97 is 2 points short: at risk", ON_TIME, _open("97"), AT_RISK, Decimal(99)),
    ("on-time 98.5 once closed is not achieved", ON_TIME, _closed("98.5"), NOT_ACHIEVED, Decimal(99)),
    ("strict >: exactly 99 is a miss, at risk", ON_TIME, _open("99"), AT_RISK, Decimal(99)),
    ("≥ 90 exactly 90", Rule(RATIO, GTE, Decimal(90)), _open("90"), ON_TRACK, Decimal(90)),
    ("own band 0.5 points: 98.4 is behind", Rule(RATIO, GT, Decimal(99), risk_band=Decimal("0.5")), _open("98.4"),
     BEHIND, Decimal(99)),
    # --- a level count: distance as a share of the threshold (default 10 %)
    ("≥ 30 units inspected, 28 (3 is the band)", INSPECT_30, _open("28"), AT_RISK, Decimal(30)),
    ("≥ 30 units inspected, 26", INSPECT_30, _open("26"), BEHIND, Decimal(30)),
    ("own band 5 % of 30 = 1.5: 28 is behind", Rule(COUNT, GTE, Decimal(30), risk_band=Decimal(5)), _open("28"),
     BEHIND, Decimal(30)),
    # --- lower is better, level
    ("≤ 5 % late: 4", LATE_AT_MOST_5, _open("4"), ON_TRACK, Decimal(5)),
    ("≤ 5 % late: 6 is one point over, at risk", LATE_AT_MOST_5, _open("6"), AT_RISK, Decimal(5)),
    ("≤ 5 % late: 8 is behind", LATE_AT_MOST_5, _open("8"), BEHIND, Decimal(5)),
    ("≤ 5 % late: 6 once closed", LATE_AT_MOST_5, _closed("6"), NOT_ACHIEVED, Decimal(5)),
    ("≤ 5 % late: 5 once closed", LATE_AT_MOST_5, _closed("5"), ACHIEVED, Decimal(5)),
    ("rank ≤ 6: 6.3 within 10 % of 6", Rule(RANK, LTE, Decimal(6)), _open("6.3"), AT_RISK, Decimal(6)),
    ("strict <: exactly the limit is a miss", Rule(RANK, LT, Decimal(6)), _open("6"), AT_RISK, Decimal(6)),
    # --- equality
    ("= 100: 100", Rule(RATIO, EQ, Decimal(100)), _open("100"), ON_TRACK, Decimal(100)),
    ("= 100: 99.99 is close", Rule(RATIO, EQ, Decimal(100)), _open("99.99"), AT_RISK, Decimal(100)),
    ("= 100: 99 once closed", Rule(RATIO, EQ, Decimal(100)), _closed("99"), NOT_ACHIEVED, Decimal(100)),
    # --- cumulative, higher is better: against the progress expected to date
    ("≥ 70 % disbursed, 55 at 3/4 of the year (52.5 expected)", DISBURSE_70, _open("55", 0.75), ON_TRACK,
     Decimal("52.5")),
    ("≥ 70 % disbursed, 51 at 3/4: 1.5 points short", DISBURSE_70, _open("51", 0.75), AT_RISK, Decimal("52.5")),
    ("≥ 70 % disbursed, 45 at 3/4", DISBURSE_70, _open("45", 0.75), BEHIND, Decimal("52.5")),
    ("≥ 70 % reached early is final", DISBURSE_70, _open("70", 0.3), ACHIEVED, Decimal(21)),
    ("issue 12: 60 on 14/12, year still open, is not final", DISBURSE_70, _open("60", 1.0), BEHIND, Decimal(70)),
    ("60 once the year is closed", DISBURSE_70, _closed("60"), NOT_ACHIEVED, Decimal(70)),
    ("expected follows the share of the year", DISBURSE_70, _open("10", 0.25), BEHIND, Decimal("17.5")),
    # --- cumulative, lower is better: a running count only grows
    ("issue 12: ≤ 5 incidents, 2 at mid-year is on track, not achieved", INCIDENTS_AT_MOST_5, _open("2"), ON_TRACK,
     Decimal("2.5")),
    ("≤ 5 incidents, 4 at mid-year: ahead of the pace", INCIDENTS_AT_MOST_5, _open("4"), AT_RISK, Decimal("2.5")),
    ("≤ 5 incidents, 6 at mid-year can no longer be met", INCIDENTS_AT_MOST_5, _open("6"), NOT_ACHIEVED,
     Decimal("2.5")),
    ("≤ 5 incidents, 5 once closed", INCIDENTS_AT_MOST_5, _closed("5"), ACHIEVED, Decimal(5)),
    # --- a one-off milestone
    ("milestone met mid-year", ONCE, _open("1"), ACHIEVED, None),
    ("milestone not met mid-year", ONCE, _open("0"), AT_RISK, None),
    ("milestone not met once closed", ONCE, _closed("0"), NOT_ACHIEVED, None),
    ("milestone with no figure", ONCE, _open(None), NO_DATA, None),
    # --- a yes/no obligation every period: compliance per period
    ("issue 12: Q1 missed, Q3 met: one miss stays a miss", QUARTERLY_REPORT,
     Reading(value=Decimal(1), met=2, missed=1, due=3), NOT_ACHIEVED, None),
    ("3 of 3 due periods met", QUARTERLY_REPORT, Reading(value=Decimal(1), met=3, due=3), ON_TRACK, None),
    ("4 of 4 and the year closed", QUARTERLY_REPORT, Reading(value=Decimal(1), met=4, due=4, closed=True), ACHIEVED,
     None),
    ("a due period has no figure yet", QUARTERLY_REPORT, Reading(value=Decimal(0), met=2, due=3), BEHIND, None),
    ("a due period never reported, year closed", QUARTERLY_REPORT,
     Reading(value=Decimal(0), met=3, due=4, closed=True), NOT_ACHIEVED, None),
    ("nothing due yet, nothing reported", QUARTERLY_REPORT, Reading(value=None), NO_DATA, None),
    # --- nothing to count, no data, no rule
    ("issue 12: 0 late dossiers for '100 % apologised'", Rule(RATIO, GTE, Decimal(100)),
     Reading(value=None, not_applicable=True), NOT_APPLICABLE, None),
    ("no approved figure", ON_TIME, _open(None), NO_DATA, None),
    ("no approved figure, cumulative", DISBURSE_70, _closed(None), NO_DATA, None),
    ("a value without a rule is not flagged", Rule(COUNT, "", None), _open("3"), ON_TRACK, None),
]  # fmt: skip


@pytest.mark.parametrize(("rule", "reading", "status", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_the_status_rule(rule, reading, status, expected):
    assert judge(rule, reading) == (status, expected)


def test_the_table_covers_at_least_thirty_cases():
    assert len(CASES) >= 30


def test_the_default_bands_come_from_settings(settings):
    settings.PARPLAN_RISK_BAND_POINTS = 5
    assert judge(ON_TIME, _open("95"))[0] == AT_RISK
    settings.PARPLAN_RISK_BAND_PERCENT = 20
    assert judge(INSPECT_30, _open("25"))[0] == AT_RISK


# --- The one-line reason ---------------------------------------------------------------


def _indicator(**fields) -> Indicator:
    defaults = {"kind": RATIO, "comparator": GT, "threshold": Decimal(99), "target_type": LEVEL, "unit_of_measure": "%"}
    return Indicator(name="thử", **{**defaults, **fields})


def _snapshot(status: str, value: str | None = None, **fields) -> IndicatorSnapshot:
    return IndicatorSnapshot(status=status, value=None if value is None else Decimal(value), **fields)


REASONS = [
    (_indicator(), _snapshot(AT_RISK, "98.7"), "98,7%, chưa đạt > 99%: thiếu 0,3 điểm %."),
    (_indicator(), _snapshot(ON_TRACK, "99.4"), "99,4%, đạt ngưỡng > 99%."),
    (_indicator(comparator=LTE, threshold=Decimal(5)), _snapshot(AT_RISK, "6"), "6%, chưa đạt ≤ 5%: vượt 1 điểm %."),
    (_indicator(comparator=GTE, threshold=Decimal(70), target_type=CUMULATIVE),
     _snapshot(AT_RISK, "51", expected=Decimal("52.5")),
     "51% so với tiến độ dự kiến 52,5% (mục tiêu ≥ 70%): thiếu 1,5 điểm %."),
    (_indicator(kind=COUNT, comparator=LTE, threshold=Decimal(5), target_type=CUMULATIVE, unit_of_measure="vụ"),
     _snapshot(NOT_ACHIEVED, "7", expected=Decimal("2.5")), "7 vụ, vượt giới hạn ≤ 5 vụ: 2 vụ."),
    (_indicator(kind=MILESTONE, comparator="", threshold=None, frequency=Frequency.QUARTERLY),
     _snapshot(NOT_ACHIEVED, "0", numerator=Decimal(2), denominator=Decimal(3), missed=1),
     "2/3 kỳ đạt; 1 kỳ không đạt (không thể bù lại)."),
    (_indicator(threshold=Decimal(100), comparator=GTE), _snapshot(NOT_APPLICABLE),
     "Không có trường hợp nào để tính tỷ lệ (mẫu số bằng 0): không áp dụng trong kỳ."),
    (_indicator(), None, "Chưa có số liệu được duyệt."),
]  # fmt: skip


@pytest.mark.parametrize(("indicator", "snapshot", "reason"), REASONS)
def test_each_status_says_why_in_one_line(indicator, snapshot, reason):
    with translation.override("vi"):
        assert status_reason(indicator, snapshot) == reason


def test_the_reason_follows_the_reader_s_language():
    with translation.override("en"):
        assert status_reason(_indicator(), _snapshot(AT_RISK, "98.7")) == "98.7%, short of > 99%: short by 0.3 points."


# --- The rule inside the evaluation (PostgreSQL in CI) ------------------------------------

pytestmark_db = pytest.mark.django_db
AFTER_THE_YEAR = datetime.date(2024, 12, 20)


@pytestmark_db
def test_a_quarterly_obligation_missed_in_q1_stays_missed_after_q3_is_met(seed_plan, secretariat, dong_dang: Unit):
    indicator = new_indicator(
        seed_plan, name="Báo cáo quý đúng hạn (thử)", kind=MILESTONE, comparator="", threshold=None,
        frequency=Frequency.QUARTERLY, aggregation=Aggregation.MILESTONE, scope_units=[dong_dang],
    )  # fmt: skip
    approved(indicator, dong_dang, seed_period(seed_plan, Frequency.QUARTERLY, 1), FigureInput(met=False), secretariat)
    approved(indicator, dong_dang, seed_period(seed_plan, Frequency.QUARTERLY, 2), FigureInput(met=True), secretariat)
    approved(indicator, dong_dang, seed_period(seed_plan, Frequency.QUARTERLY, 3), FigureInput(met=True), secretariat)
    evaluate_plan(plan=seed_plan, day=datetime.date(2024, 10, 1), indicator_ids=[indicator.pk])
    snapshot = IndicatorSnapshot.objects.get(indicator=indicator, unit=dong_dang)
    # Before: the latest figure (Q3, met) made it "Đạt".
    assert snapshot.status == NOT_ACHIEVED
    assert (snapshot.numerator, snapshot.denominator, snapshot.missed) == (2, 3, 1)


@pytestmark_db
def test_a_rate_with_nothing_to_count_is_not_applicable(seed_plan, secretariat, dong_dang: Unit):
    indicator = new_indicator(
        seed_plan, name="Tỷ lệ hồ sơ trễ hạn có thư xin lỗi (thử)", threshold=100, scope_units=[dong_dang]
    )
    approved(indicator, dong_dang, seed_period(seed_plan, Frequency.MONTHLY, 1), ratio(0, 0), secretariat)
    evaluate_plan(plan=seed_plan, day=datetime.date(2024, 3, 1), indicator_ids=[indicator.pk])
    # Before: "Chưa có số liệu" though the unit reported, correctly, that no dossier was late.
    assert IndicatorSnapshot.objects.get(indicator=indicator, unit=dong_dang).status == NOT_APPLICABLE


@pytestmark_db
def test_a_year_to_date_figure_of_september_does_not_settle_the_year(seed_plan, secretariat):
    # The plan not yet closed by the secretariat (the demo closes 2024's): the Q4 figure can still come.
    Plan.objects.filter(pk=seed_plan.pk).update(status=PlanStatus.ACTIVE)
    seed_plan.refresh_from_db()
    indicator = new_indicator(
        seed_plan, name="Tỷ lệ giải ngân (thử)", comparator=GTE, threshold=70, frequency=Frequency.QUARTERLY,
        scope=Scope.AUTHORITY, aggregation=Aggregation.LATEST, source=Source.SECRETARIAT, target_type=CUMULATIVE,
    )  # fmt: skip
    issuer = seed_plan.issuing_unit
    approved(indicator, issuer, seed_period(seed_plan, Frequency.QUARTERLY, 3), ratio(600, 1000), secretariat)
    evaluate_plan(plan=seed_plan, day=AFTER_THE_YEAR, indicator_ids=[indicator.pk])
    # Before: "Chậm, không đạt" as final on the year report, from the 14/9 figure.
    assert IndicatorSnapshot.objects.get(indicator=indicator, unit=issuer).status == BEHIND
    approved(indicator, issuer, seed_period(seed_plan, Frequency.QUARTERLY, 4), ratio(650, 1000), secretariat)
    evaluate_plan(plan=seed_plan, day=AFTER_THE_YEAR, indicator_ids=[indicator.pk])
    assert IndicatorSnapshot.objects.get(indicator=indicator, unit=issuer, day=AFTER_THE_YEAR).status == NOT_ACHIEVED


def test_a_reason_never_rounds_a_miss_onto_the_threshold():
    # 765/773 = 98,965…%: one decimal would read "99%, chưa đạt > 99%: thiếu 0 điểm %".
    with translation.override("vi"):
        reason = status_reason(_indicator(), _snapshot(AT_RISK, "98.9651"))
    assert reason == "98,97%, chưa đạt > 99%: thiếu 0,03 điểm %."
