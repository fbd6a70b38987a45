"""targets.windows: every number names the periods it covers ("T1–T9/2024", "đến 14/09/2024")."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from parplan.models import Plan
from targets.evaluation import evaluate_plan, evaluate_window, missing_figures
from targets.models import Aggregation, Frequency, Indicator, IndicatorSnapshot, Measurement, MeasurementStatus
from targets.periods import period_spec
from targets.windows import as_of_label, covered_label, periods_label

D = datetime.date


@pytest.mark.parametrize(
    ("frequency", "first", "last", "label"),
    [
        (Frequency.MONTHLY, (Frequency.MONTHLY, 1), (Frequency.MONTHLY, 9), "T1–T9/2024"),
        (Frequency.MONTHLY, (Frequency.MONTHLY, 7), (Frequency.MONTHLY, 9), "T7–T9/2024"),
        (Frequency.MONTHLY, (Frequency.MONTHLY, 12), (Frequency.MONTHLY, 12), "T12/2024"),
        (Frequency.QUARTERLY, (Frequency.QUARTERLY, 1), (Frequency.QUARTERLY, 3), "Q1–Q3/2024"),
        (Frequency.QUARTERLY, (Frequency.QUARTERLY, 3), (Frequency.QUARTERLY, 3), "Q3/2024"),
        (Frequency.HALF_YEAR, (Frequency.HALF_YEAR, 1), (Frequency.HALF_YEAR, 1), "6 tháng đầu năm 2024"),
        (Frequency.HALF_YEAR, (Frequency.HALF_YEAR, 2), (Frequency.HALF_YEAR, 2), "6 tháng cuối năm 2024"),
        (Frequency.YEAR, (Frequency.YEAR, 1), (Frequency.YEAR, 1), "năm 2024"),
        # Months of a quarterly indicator that are not a whole quarter are named as months.
        (Frequency.QUARTERLY, (Frequency.MONTHLY, 2), (Frequency.MONTHLY, 9), "T2–T9/2024"),
    ],
)
def test_the_periods_a_flow_covers_are_named_the_portal_s_way(
    frequency: str, first: tuple[str, int], last: tuple[str, int], label: str
) -> None:
    start, end = period_spec(*first, 2024).start, period_spec(*last, 2024).end
    with translation.override("vi"):
        assert periods_label(frequency, start, end) == label


def test_a_level_reading_names_the_end_of_its_latest_period() -> None:
    with translation.override("vi"):
        assert as_of_label(D(2024, 9, 14)) == "đến 14/09/2024"
    with translation.override("en"):
        assert as_of_label(D(2024, 9, 14)) == "to 14/09/2024"
        assert periods_label(Frequency.MONTHLY, D(2023, 12, 15), D(2024, 9, 14)) == "M1–M9/2024"


def test_a_latest_value_is_labelled_by_its_end_and_a_sum_by_its_periods() -> None:
    latest = Indicator(aggregation=Aggregation.LATEST, frequency=Frequency.MONTHLY, kind="ratio")
    summed = Indicator(aggregation=Aggregation.SUM, frequency=Frequency.MONTHLY, kind="count")
    with translation.override("vi"):
        assert covered_label(latest, D(2023, 12, 15), D(2024, 6, 14)) == "đến 14/06/2024"
        assert covered_label(summed, D(2023, 12, 15), D(2024, 6, 14)) == "T1–T6/2024"
        assert covered_label(summed, None, None) == ""


# --- The evaluation records the periods it covered ---------------------------------------


def _dossier_indicator(plan: Plan) -> Indicator:
    return Indicator.objects.of_plan(plan).get(numerator_label__icontains="hồ sơ giải quyết", kind="ratio")


def _approved_bounds(indicator: Indicator, **period: datetime.date) -> tuple[datetime.date, datetime.date]:
    ends = Measurement.objects.filter(
        indicator=indicator, status=MeasurementStatus.APPROVED, **{f"period__{k}": v for k, v in period.items()}
    ).values_list("period__start", "period__end")
    return min(s for s, _e in ends), max(e for _s, e in ends)


@pytest.mark.django_db
def test_a_stored_evaluation_knows_the_first_and_last_periods_of_its_figures(seed_plan: Plan) -> None:
    day = D(2024, 9, 20)
    evaluate_plan(plan=seed_plan, day=day)
    indicator = _dossier_indicator(seed_plan)
    snapshot = IndicatorSnapshot.objects.get(indicator=indicator, unit=seed_plan.issuing_unit, day=day)
    assert (snapshot.covered_from, snapshot.covered_to) == _approved_bounds(indicator, start__lte=day)


@pytest.mark.django_db
def test_a_window_takes_only_the_periods_lying_wholly_inside_it(seed_plan: Plan) -> None:
    # The half-year's figure (15/12–14/6) is none of the first quarter's; main counted it on 14/3.
    q1 = period_spec(Frequency.QUARTERLY, 1, 2024)
    start_lte = Measurement.objects.filter(
        indicator__area__plan=seed_plan, status=MeasurementStatus.APPROVED, period__start__lte=q1.end,
        period__end__gt=q1.end,
    )  # fmt: skip
    assert start_lte.exists(), "the demo holds a figure of a period running past the first quarter"
    outside = {m.indicator_id for m in start_lte}
    snapshots = evaluate_window(plan=seed_plan, window=(q1.start, q1.end), day=q1.end)
    for snapshot in snapshots.values():
        assert snapshot.covered_to is None or snapshot.covered_to <= q1.end
        assert snapshot.covered_from is None or snapshot.covered_from >= q1.start
    inside = set(
        Measurement.objects.filter(
            indicator__in=outside, status=MeasurementStatus.APPROVED, period__start__gte=q1.start,
            period__end__lte=q1.end,
        ).values_list("indicator_id", flat=True)
    )  # fmt: skip
    for indicator_id in outside - inside:
        assert snapshots[indicator_id].value is None


@pytest.mark.django_db
def test_a_unit_without_a_figure_for_a_period_is_listed_as_missing_it(seed_plan: Plan) -> None:
    indicator = _dossier_indicator(seed_plan)
    year = period_spec(Frequency.YEAR, 1, 2024)
    unit = indicator.scope_units.order_by("path").first()
    assert unit is not None
    approved = Measurement.objects.filter(indicator=indicator, unit=unit, status=MeasurementStatus.APPROVED)
    had = set(approved.values_list("period__number", flat=True))
    december = approved.filter(period__number=max(had)).get()
    december.delete()  # one more month without a figure
    gaps = {
        (gap.unit.pk, tuple(p.number for p in gap.periods))
        for gap in missing_figures(plan=seed_plan, window=(year.start, year.end))
        if gap.indicator.pk == indicator.pk
    }
    expected = tuple(n for n in range(1, 13) if n not in had or n == max(had))
    assert (unit.pk, expected) in gaps
