"""The evaluation: the status rule (pure), and values rolled up over units and periods."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db.models import Sum

from parplan.models import Unit, UnitKind
from parplan.services import unit_upsert
from targets.evaluation import evaluate_plan, judge
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
from tests.targets.conftest import seed_period

D = datetime.date
ACHIEVED, ON_TRACK, AT_RISK, OFF_TRACK, NO_DATA = (
    IndicatorStatus.ACHIEVED,
    IndicatorStatus.ON_TRACK,
    IndicatorStatus.AT_RISK,
    IndicatorStatus.OFF_TRACK,
    IndicatorStatus.NO_DATA,
)
MID_YEAR, YEAR_OVER = 0.5, 1.0


def _level(value: str | None, comparator: str = Comparator.GTE, threshold: str = "90", fraction: float = MID_YEAR):
    return judge(
        kind=IndicatorKind.RATIO,
        comparator=comparator,
        threshold=Decimal(threshold),
        target_type=TargetType.LEVEL,
        value=None if value is None else Decimal(value),
        fraction=fraction,
    )[0]


def _cumulative(value: str, threshold: str = "100", fraction: float = MID_YEAR, **ratios: float):
    return judge(
        kind=IndicatorKind.RATIO,
        comparator=Comparator.GTE,
        threshold=Decimal(threshold),
        target_type=TargetType.CUMULATIVE,
        value=Decimal(value),
        fraction=fraction,
        **ratios,
    )


def _milestone(value: int | None, fraction: float) -> str:
    return judge(
        kind=IndicatorKind.MILESTONE,
        comparator="",
        threshold=None,
        target_type=TargetType.CUMULATIVE,
        value=None if value is None else Decimal(value),
        fraction=fraction,
    )[0]


# --- The status rule ---------------------------------------------------------------


@pytest.mark.parametrize("target_type", [TargetType.LEVEL, TargetType.CUMULATIVE])
def test_no_value_is_no_data_whatever_the_target(target_type):
    status, expected = judge(
        kind=IndicatorKind.RATIO, comparator=Comparator.GTE, threshold=Decimal(90),
        target_type=target_type, value=None, fraction=YEAR_OVER,
    )  # fmt: skip
    assert (status, expected) == (NO_DATA, None)


def test_a_milestone_without_a_figure_is_no_data():
    assert _milestone(None, MID_YEAR) == NO_DATA


def test_a_met_milestone_is_achieved_before_and_after_year_end():
    assert (_milestone(1, MID_YEAR), _milestone(1, YEAR_OVER)) == (ACHIEVED, ACHIEVED)


def test_an_unmet_milestone_is_at_risk_during_the_year():
    assert _milestone(0, 0.99) == AT_RISK


def test_an_unmet_milestone_is_off_track_once_the_year_is_over():
    assert _milestone(0, YEAR_OVER) == OFF_TRACK


def test_a_level_exactly_at_the_threshold_is_on_track_during_the_year():
    assert _level("90") == ON_TRACK


def test_a_level_exactly_at_the_threshold_is_achieved_at_year_end():
    assert _level("90", fraction=YEAR_OVER) == ACHIEVED


def test_a_level_just_below_the_threshold_within_the_on_track_ratio_is_at_risk():
    # 0.95 × 90 = 85.5
    assert _level("89.99") == AT_RISK
    assert _level("85.5") == AT_RISK


def test_a_level_further_below_is_off_track():
    assert _level("85.49") == OFF_TRACK


def test_a_level_missed_at_year_end_is_off_track_however_close():
    assert _level("89.99", fraction=YEAR_OVER) == OFF_TRACK


def test_greater_than_is_strict_so_exactly_the_threshold_is_not_met():
    assert _level("99", Comparator.GT, "99") == AT_RISK
    assert _level("99.01", Comparator.GT, "99") == ON_TRACK


def test_a_level_judged_with_the_expected_value_being_the_threshold():
    status, expected = judge(
        kind=IndicatorKind.RATIO, comparator=Comparator.GTE, threshold=Decimal(90),
        target_type=TargetType.LEVEL, value=Decimal(50), fraction=MID_YEAR,
    )  # fmt: skip
    assert (status, expected) == (OFF_TRACK, Decimal(90))


def test_rank_at_the_limit_is_on_track():
    assert _level("6", Comparator.LTE, "6") == ON_TRACK


def test_rank_slightly_worse_than_the_limit_is_at_risk():
    # Lower is better: 6.3 × 0.95 = 5.985 ≤ 6.
    assert _level("6.3", Comparator.LTE, "6") == AT_RISK


def test_rank_well_below_the_limit_is_off_track():
    assert _level("8", Comparator.LTE, "6") == OFF_TRACK


def test_strictly_less_than_excludes_the_limit():
    assert _level("6", Comparator.LT, "6") == AT_RISK
    assert _level("5", Comparator.LT, "6") == ON_TRACK


def test_equal_to_is_off_track_as_soon_as_it_differs():
    assert _level("100", Comparator.EQ, "100") == ON_TRACK
    assert _level("99.99", Comparator.EQ, "100") == OFF_TRACK


def test_a_value_without_a_rule_is_not_flagged():
    status, expected = judge(
        kind=IndicatorKind.COUNT, comparator="", threshold=None,
        target_type=TargetType.LEVEL, value=Decimal(3), fraction=MID_YEAR,
    )  # fmt: skip
    assert (status, expected) == (ON_TRACK, None)


def test_a_cumulative_target_reached_early_is_achieved():
    assert _cumulative("100", fraction=0.3)[0] == ACHIEVED


def test_cumulative_share_exactly_at_the_on_track_ratio_is_on_track():
    # Half the year: 50 expected of 100; 47.5 / 50 = 0.95.
    assert _cumulative("47.5") == (ON_TRACK, Decimal(50))


def test_cumulative_share_just_below_the_on_track_ratio_is_at_risk():
    assert _cumulative("47.4995")[0] == AT_RISK  # share 0.94999


def test_cumulative_share_exactly_at_the_at_risk_ratio_is_at_risk():
    assert _cumulative("42.5")[0] == AT_RISK  # share 0.85


def test_cumulative_share_below_the_at_risk_ratio_is_off_track():
    assert _cumulative("42.4995")[0] == OFF_TRACK  # share 0.84999


def test_cumulative_expected_value_follows_the_elapsed_share_of_the_year():
    assert _cumulative("10", threshold="70", fraction=0.25)[1] == Decimal("17.5")


def test_cumulative_not_reached_when_the_year_is_over_is_off_track():
    assert _cumulative("99.9", fraction=YEAR_OVER)[0] == OFF_TRACK


def test_ratios_can_be_given_as_arguments():
    assert _cumulative("40", on_track=0.8, at_risk=0.5)[0] == ON_TRACK
    assert _cumulative("30", on_track=0.8, at_risk=0.5)[0] == AT_RISK
    assert _cumulative("20", on_track=0.8, at_risk=0.5)[0] == OFF_TRACK


def test_ratios_come_from_settings_by_default(settings):
    settings.PARPLAN_ON_TRACK_RATIO, settings.PARPLAN_AT_RISK_RATIO = 0.8, 0.5
    assert _cumulative("40")[0] == ON_TRACK
    assert _cumulative("30")[0] == AT_RISK
    assert _cumulative("20")[0] == OFF_TRACK


def test_the_on_track_setting_also_moves_the_level_at_risk_band(settings):
    settings.PARPLAN_ON_TRACK_RATIO = 0.5
    assert _level("45") == AT_RISK


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
    assert authority.status == OFF_TRACK


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
    approved(fresh_ratio, dong_dang, seed_period(seed_plan, Frequency.MONTHLY, 1), ratio(0, 0), secretariat)
    assert _evaluate(seed_plan, fresh_ratio)["06184"].status == NO_DATA


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
    rank = Indicator.objects.get(area__plan=seed_plan, area__number=1, target__position=1)
    year = seed_period(seed_plan, Frequency.YEAR, 1)
    approved(rank, district, year, FigureInput(value=Decimal(5)), secretariat)
    authority = _evaluate(seed_plan, rank)["183"]
    assert (authority.value, authority.status) == (5, ACHIEVED)


def test_a_milestone_counts_as_met_only_if_the_last_figure_is_met(seed_plan, secretariat, district):
    reporting = Indicator.objects.get(area__plan=seed_plan, area__number=6, target__position=2)
    # Demo: Q1–Q3 met; Q4 not met.
    approved(reporting, district, seed_period(seed_plan, Frequency.QUARTERLY, 4), FigureInput(met=False), secretariat)
    assert _evaluate(seed_plan, reporting, D(2024, 9, 14))["183"].status == ACHIEVED
    assert _evaluate(seed_plan, reporting, D(2024, 11, 20))["183"].status == AT_RISK


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
    assert (snapshots["06184"].status, snapshots["06190"].status) == (ACHIEVED, OFF_TRACK)
    assert snapshots["183"].status == OFF_TRACK


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
