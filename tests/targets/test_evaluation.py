"""The evaluation: the status rule (pure), and values rolled up over units and periods."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db.models import Sum

from parplan.models import Unit, UnitKind
from parplan.services import unit_upsert
from targets.evaluation import evaluate_plan
from targets.models import (
    Aggregation,
    Comparator,
    Frequency,
    Indicator,
    IndicatorKind,
    IndicatorSnapshot,
    IndicatorStatus,
    Measurement,
    Scope,
    TargetType,
)
from targets.services import FigureInput, indicator_define
from tests.targets.builders import approved, new_indicator, ratio, submitted
from tests.targets.conftest import seed_period, without_demo_figures

D = datetime.date
ACHIEVED, ON_TRACK, AT_RISK, OFF_TRACK, NO_DATA = (
    IndicatorStatus.ACHIEVED,
    IndicatorStatus.ON_TRACK,
    IndicatorStatus.AT_RISK,
    IndicatorStatus.OFF_TRACK,
    IndicatorStatus.NO_DATA,
)
MID_YEAR, YEAR_OVER = 0.5, 1.0


# The status rule itself (targets.status.judge) is tested table by table in test_status_rule.py.


# --- Roll-up: ratio of sums ---------------------------------------------------------------

EVALUATED = D(2024, 12, 20)


@pytest.fixture
def two_communes(dong_dang: Unit, bao_lam: Unit) -> list[Unit]:
    return [dong_dang, bao_lam]


@pytest.fixture
def fresh_ratio(seed_plan, two_communes) -> Indicator:
    """A monthly "> 99 %" ratio reported only by Đồng Đăng and Bảo Lâm."""
    return new_indicator(
        seed_plan, name="Tỷ lệ hồ sơ đúng hạn (thử)", comparator=Comparator.GT, threshold=99, scope_units=two_communes
    )


def _snapshots(indicator: Indicator, day: datetime.date = EVALUATED) -> dict[str, IndicatorSnapshot]:
    return {
        s.unit.code: s for s in IndicatorSnapshot.objects.filter(indicator=indicator, day=day).select_related("unit")
    }


def _evaluate(plan, indicator: Indicator, day: datetime.date = EVALUATED) -> dict[str, IndicatorSnapshot]:
    evaluate_plan(plan=plan, day=day, indicator_ids=[indicator.pk])
    return _snapshots(indicator, day)


def test_the_authority_value_is_the_ratio_of_sums_not_the_average_of_percentages(
    seed_plan, fresh_ratio, dong_dang, bao_lam, secretariat
):
    january = seed_period(seed_plan, Frequency.MONTHLY, 1)
    approved(fresh_ratio, dong_dang, january, ratio(99, 100), secretariat)
    approved(fresh_ratio, bao_lam, january, ratio(1, 10), secretariat)
    authority = _evaluate(seed_plan, fresh_ratio)["183"]
    # Σ 100 / Σ 110 = 90.91 %, where the average of 99 % and 10 % would be 54.5 %.
    assert (authority.numerator, authority.denominator) == (100, 110)
    assert authority.value == Decimal("90.9091")
    # Evaluated on 20/12, after the window's end (14/12): final.
    assert authority.status == IndicatorStatus.NOT_ACHIEVED


def test_each_unit_keeps_its_own_value(seed_plan, fresh_ratio, dong_dang, bao_lam, secretariat):
    january = seed_period(seed_plan, Frequency.MONTHLY, 1)
    approved(fresh_ratio, dong_dang, january, ratio(99, 100), secretariat)
    approved(fresh_ratio, bao_lam, january, ratio(1, 10), secretariat)
    snapshots = _evaluate(seed_plan, fresh_ratio)
    assert (snapshots["06184"].value, snapshots["06184"].numerator, snapshots["06184"].denominator) == (99, 99, 100)
    assert (snapshots["06190"].value, snapshots["06190"].numerator, snapshots["06190"].denominator) == (10, 1, 10)
    assert set(snapshots) == {"183", "06184", "06190"}


def test_a_unit_value_over_several_periods_is_the_ratio_of_sums(seed_plan, fresh_ratio, dong_dang, secretariat):
    approved(fresh_ratio, dong_dang, seed_period(seed_plan, Frequency.MONTHLY, 1), ratio(99, 100), secretariat)
    approved(fresh_ratio, dong_dang, seed_period(seed_plan, Frequency.MONTHLY, 2), ratio(1, 10), secretariat)
    own = _evaluate(seed_plan, fresh_ratio)["06184"]
    assert (own.numerator, own.denominator, own.value) == (100, 110, Decimal("90.9091"))


def test_units_and_periods_roll_up_together(seed_plan, fresh_ratio, dong_dang, bao_lam, secretariat):
    january, february = (seed_period(seed_plan, Frequency.MONTHLY, n) for n in (1, 2))
    approved(fresh_ratio, dong_dang, january, ratio(99, 100), secretariat)
    approved(fresh_ratio, dong_dang, february, ratio(50, 50), secretariat)
    approved(fresh_ratio, bao_lam, january, ratio(1, 10), secretariat)
    approved(fresh_ratio, bao_lam, february, ratio(0, 0), secretariat)
    authority = _evaluate(seed_plan, fresh_ratio)["183"]
    assert (authority.numerator, authority.denominator) == (150, 160)
    assert authority.value == Decimal("93.75")


def test_only_approved_figures_count(seed_plan, fresh_ratio, dong_dang, bao_lam, commune_head, secretariat):
    january = seed_period(seed_plan, Frequency.MONTHLY, 1)
    approved(fresh_ratio, dong_dang, january, ratio(99, 100), secretariat)
    submitted(fresh_ratio, bao_lam, january, ratio(1, 10), secretariat)
    snapshots = _evaluate(seed_plan, fresh_ratio)
    assert (snapshots["183"].numerator, snapshots["183"].denominator) == (99, 100)
    assert snapshots["06190"].status == NO_DATA


def test_a_figure_of_a_period_not_yet_started_does_not_count(seed_plan, fresh_ratio, dong_dang, secretariat):
    approved(fresh_ratio, dong_dang, seed_period(seed_plan, Frequency.MONTHLY, 1), ratio(99, 100), secretariat)
    approved(fresh_ratio, dong_dang, seed_period(seed_plan, Frequency.MONTHLY, 3), ratio(1, 10), secretariat)
    own = _evaluate(seed_plan, fresh_ratio, D(2024, 2, 14))["06184"]
    assert (own.numerator, own.denominator) == (99, 100)


def test_a_unit_in_scope_without_figures_has_no_data(seed_plan, fresh_ratio, dong_dang, secretariat):
    approved(fresh_ratio, dong_dang, seed_period(seed_plan, Frequency.MONTHLY, 1), ratio(99, 100), secretariat)
    empty = _evaluate(seed_plan, fresh_ratio)["06190"]
    assert (empty.value, empty.numerator, empty.denominator, empty.status) == (None, None, None, NO_DATA)


def test_zero_over_zero_says_nothing_about_the_rate(seed_plan, fresh_ratio, dong_dang, secretariat):
    # Reported, with nothing to count: not applicable, not missing (and no value).
    approved(fresh_ratio, dong_dang, seed_period(seed_plan, Frequency.MONTHLY, 1), ratio(0, 0), secretariat)
    snapshot = _evaluate(seed_plan, fresh_ratio)["06184"]
    assert (snapshot.status, snapshot.value) == (IndicatorStatus.NOT_APPLICABLE, None)


def test_a_unit_below_a_commune_rolls_up_into_the_commune(seed_plan, fresh_ratio, dong_dang, bao_lam, secretariat):
    village = unit_upsert(
        code="06184-K1", name="Khối 1, Đồng Đăng", kind=UnitKind.objects.get(code="commune"), parent=dong_dang
    )
    indicator_define(indicator=fresh_ratio, scope_units=[dong_dang, bao_lam, village])
    january = seed_period(seed_plan, Frequency.MONTHLY, 1)
    approved(fresh_ratio, dong_dang, january, ratio(99, 100), secretariat)
    approved(fresh_ratio, village, january, ratio(1, 10), secretariat)
    snapshots = _evaluate(seed_plan, fresh_ratio)
    assert (snapshots["06184-K1"].numerator, snapshots["06184-K1"].denominator) == (1, 10)
    assert (snapshots["06184"].numerator, snapshots["06184"].denominator) == (100, 110)
    assert (snapshots["183"].numerator, snapshots["183"].denominator) == (100, 110)


# --- Roll-up: latest value and sum ---------------------------------------------------------


def test_year_to_date_disbursement_takes_the_last_quarter_not_the_sum(seed_plan, disbursement):
    # Demo: Q1 45 000, Q2 102 500, Q3 145 000 of 250 000 (million VND), each year to date.
    authority = _evaluate(seed_plan, disbursement, D(2024, 10, 20))["183"]
    assert authority.value == Decimal("58")
    assert (authority.numerator, authority.denominator) == (145_000, 250_000)


def test_year_to_date_disbursement_before_the_third_quarter_starts_is_the_second_quarter(seed_plan, disbursement):
    authority = _evaluate(seed_plan, disbursement, D(2024, 6, 1))["183"]
    assert authority.value == Decimal("41")
    assert (authority.numerator, authority.denominator) == (102_500, 250_000)


def test_latest_ratio_rolls_up_each_units_last_figure_as_ratio_of_sums(
    seed_plan, two_communes, dong_dang, bao_lam, secretariat
):
    staff = new_indicator(
        seed_plan, name="Tỷ lệ công chức cấp xã có trình độ đại học (thử)", frequency=Frequency.HALF_YEAR,
        aggregation=Aggregation.LATEST, threshold=80, scope_units=two_communes,
    )  # fmt: skip
    first, second = (seed_period(seed_plan, Frequency.HALF_YEAR, n) for n in (1, 2))
    approved(staff, dong_dang, first, ratio(10, 20), secretariat)
    approved(staff, dong_dang, second, ratio(18, 20), secretariat)
    approved(staff, bao_lam, first, ratio(5, 10), secretariat)
    snapshots = _evaluate(seed_plan, staff)
    assert snapshots["06184"].value == 90
    assert snapshots["06190"].value == 50
    # (18 + 5) / (20 + 10)
    assert snapshots["183"].value == Decimal("76.6667")
    assert (snapshots["183"].numerator, snapshots["183"].denominator) == (23, 30)


def test_sum_adds_values_over_units_and_periods(seed_plan, two_communes, dong_dang, bao_lam, secretariat):
    meetings = new_indicator(
        seed_plan, name="Số cuộc đối thoại với người dân (thử)", kind=IndicatorKind.COUNT, threshold=10,
        frequency=Frequency.QUARTERLY, aggregation=Aggregation.SUM, target_type=TargetType.CUMULATIVE,
        scope_units=two_communes,
    )  # fmt: skip
    q1, q2 = (seed_period(seed_plan, Frequency.QUARTERLY, n) for n in (1, 2))
    approved(meetings, dong_dang, q1, FigureInput(value=Decimal(3)), secretariat)
    approved(meetings, dong_dang, q2, FigureInput(value=Decimal(4)), secretariat)
    approved(meetings, bao_lam, q1, FigureInput(value=Decimal(5)), secretariat)
    snapshots = _evaluate(seed_plan, meetings)
    assert (snapshots["06184"].value, snapshots["06190"].value, snapshots["183"].value) == (7, 5, 12)
    assert snapshots["183"].status == ACHIEVED
    # A count has no numerator and denominator to show beside its value.
    assert (snapshots["183"].numerator, snapshots["183"].denominator) == (None, None)


def test_a_rank_entered_once_for_the_year_is_judged_against_its_limit(seed_plan, secretariat, district):
    rank = without_demo_figures(Indicator.objects.get(area__plan=seed_plan, area__number=1, target__position=1))
    year = seed_period(seed_plan, Frequency.YEAR, 1)
    approved(rank, district, year, FigureInput(value=Decimal(5)), secretariat)
    authority = _evaluate(seed_plan, rank)["183"]
    assert (authority.value, authority.status) == (5, ACHIEVED)


def test_a_quarterly_obligation_counts_every_quarter(seed_plan, secretariat, district):
    reporting = Indicator.objects.get(area__plan=seed_plan, area__number=6, target__position=2)
    # Demo: Q1–Q3 met; Q4 not met.
    approved(reporting, district, seed_period(seed_plan, Frequency.QUARTERLY, 4), FigureInput(met=False), secretariat)
    # Before the year is out, every quarter so far met: on track (not yet achieved).
    assert _evaluate(seed_plan, reporting, D(2024, 9, 14))["183"].status == ON_TRACK
    # Q4's miss is a miss for the year, whatever came before.
    assert _evaluate(seed_plan, reporting, D(2024, 11, 20))["183"].status == IndicatorStatus.NOT_ACHIEVED


def test_a_milestone_across_units_is_met_only_when_every_reporting_unit_met_it(
    seed_plan, two_communes, dong_dang, bao_lam, secretariat
):
    done = new_indicator(
        seed_plan, name="Niêm yết công khai TTHC (thử)", kind=IndicatorKind.MILESTONE, comparator="",
        threshold=None, frequency=Frequency.YEAR, aggregation=Aggregation.MILESTONE, scope_units=two_communes,
    )  # fmt: skip
    year = seed_period(seed_plan, Frequency.YEAR, 1)
    approved(done, dong_dang, year, FigureInput(met=True), secretariat)
    approved(done, bao_lam, year, FigureInput(met=False), secretariat)
    snapshots = _evaluate(seed_plan, done)
    not_achieved = IndicatorStatus.NOT_ACHIEVED  # evaluated after the year's window: final
    assert (snapshots["06184"].status, snapshots["06190"].status) == (ACHIEVED, not_achieved)
    assert snapshots["183"].status == not_achieved


@pytest.mark.parametrize(
    ("due_date", "met", "status"),
    [
        (D(2024, 6, 30), False, IndicatorStatus.NOT_ACHIEVED),  # past its own deadline: final, not "at risk"
        (None, False, AT_RISK),  # the same figure, the year still running
        (D(2024, 9, 30), False, AT_RISK),  # its deadline not reached yet
        (D(2024, 6, 30), True, ACHIEVED),
    ],
)
def test_a_milestone_with_a_deadline_in_the_year_is_judged_on_that_day(
    seed_plan, dong_dang, secretariat, due_date, met, status
):
    # "Hoàn thành sắp xếp thôn, tổ dân phố trước ngày 30/6": not done by July is not achieved.
    done = new_indicator(
        seed_plan, name="Sắp xếp thôn (thử)", kind=IndicatorKind.MILESTONE, comparator="", threshold=None,
        frequency=Frequency.YEAR, aggregation=Aggregation.MILESTONE, scope_units=[dong_dang],
    )  # fmt: skip
    indicator_define(indicator=done, due_date=due_date)
    approved(done, dong_dang, seed_period(seed_plan, Frequency.YEAR, 1), FigureInput(met=met), secretariat)
    assert _evaluate(seed_plan, done, D(2024, 7, 15))["06184"].status == status


# --- The whole plan ----------------------------------------------------------------------


def test_every_indicator_of_the_demo_plan_gets_a_status_for_the_day(seed_plan):
    day = D(2024, 10, 21)
    summary = evaluate_plan(plan=seed_plan, day=day)
    indicators = list(Indicator.objects.of_plan(seed_plan).prefetch_related("scope_units"))
    authority = IndicatorSnapshot.objects.filter(day=day, unit=seed_plan.issuing_unit)
    assert sorted(authority.values_list("indicator_id", flat=True)) == sorted(i.pk for i in indicators)
    assert not authority.filter(status="").exists()
    for indicator in indicators:
        if indicator.scope == Scope.UNITS:
            units = set(IndicatorSnapshot.objects.filter(indicator=indicator, day=day).values_list("unit", flat=True))
            assert units == {seed_plan.issuing_unit_id, *(u.pk for u in indicator.scope_units.all())}
    assert summary.indicators == len(indicators)
    assert sum(summary.statuses.values()) == len(indicators)


def test_the_demo_on_time_rate_is_the_sum_of_every_approved_figure_to_date(seed_plan, on_time):
    day = D(2024, 10, 20)
    figures = Measurement.objects.filter(indicator=on_time, status="approved", period__start__lte=day)
    totals = figures.aggregate(n=Sum("numerator"), d=Sum("denominator"))
    authority = _evaluate(seed_plan, on_time, day)["183"]
    assert figures.values("unit").distinct().count() == on_time.scope_units.count()
    assert (authority.numerator, authority.denominator) == (totals["n"], totals["d"])
    assert authority.value == (totals["n"] * 100 / totals["d"]).quantize(Decimal("0.0001"))


@pytest.mark.parametrize(
    ("plan_status", "expected"),
    [
        # Active: the 14/9 year-to-date figure does not settle the year, even on 31/12.
        ("active", {OFF_TRACK}),
        # Closed by the secretariat: the year is settled on the figures it has.
        ("closed", {IndicatorStatus.NOT_ACHIEVED}),
    ],
)
def test_a_closed_plans_latest_figures_are_final_after_the_window_whatever_their_period(
    seed_plan, secretariat, plan_status, expected
):
    disbursed = new_indicator(
        seed_plan, name="Tỷ lệ giải ngân lũy kế (thử)", frequency=Frequency.QUARTERLY,
        aggregation=Aggregation.LATEST, target_type=TargetType.CUMULATIVE, threshold=70, scope=Scope.AUTHORITY,
    )  # fmt: skip
    third_quarter = seed_period(seed_plan, Frequency.QUARTERLY, 3)
    approved(disbursed, seed_plan.issuing_unit, third_quarter, ratio(40, 100), secretariat)
    seed_plan.status = plan_status
    seed_plan.save(update_fields=["status"])
    snapshots = _evaluate(seed_plan, disbursed, day=D(2024, 12, 31))
    assert {snapshots["183"].status} == expected
    assert snapshots["183"].value == 40
