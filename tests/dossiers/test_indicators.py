"""The indicators computed from dossier rows, against hand-worked numbers, with statuses like any other."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from dossiers.indicators import APOLOGY, DIGITISED, ON_TIME, ONLINE, dossier_figures_write, fraction
from dossiers.services import dossier_rows_import
from parplan.models import Unit
from targets.evaluation import evaluate_plan
from targets.models import Frequency, Indicator, IndicatorSnapshot, Measurement, Period
from targets.services import FigureInput, indicator_define, measurement_save
from tests.dossiers.builders import parsed
from tests.dossiers.sql_sums import unit_sums

pytestmark = pytest.mark.django_db
JAN_DUE = datetime.date(2024, 1, 20)


def _switch(plan, area, target, source):
    """The seed's indicator fed by `source` from now on; the figures typed into it before are dropped."""
    indicator = Indicator.objects.get(area__plan=plan, area__number=area, target__position=target, position=1)
    indicator_define(indicator=indicator, source=source)
    Measurement.objects.filter(indicator=indicator).delete()
    return indicator


def _rows(plan):
    dossier_rows_import(
        plan=plan,
        rows=[
            parsed("06184", 1),  # 20 early + 22 on time of 45 resolved; 2 of 3 late apologised
            # 10 + 5 of 20, 5 late and none apologised; 31 still in progress so that the month adds up.
            parsed(
                "06190",
                1,
                resolved_early=10,
                resolved_on_time=5,
                resolved_late=5,
                apologised=0,
                pending_on_time=31,
                results_digitised=15,
            ),
            # Nothing late: 25 + 20 of 45.
            parsed("06193", 1, resolved_early=25, resolved_on_time=20, resolved_late=0, apologised=0),
        ],
        source="test",
        user=None,
    )


def _snapshot(indicator, unit, day=JAN_DUE):
    return IndicatorSnapshot.objects.get(indicator=indicator, unit=unit, day=day)


def test_on_time_is_early_plus_on_time_over_resolved_and_rolls_up_as_a_ratio_of_sums(seed_plan):
    indicator = _switch(seed_plan, 3, 3, ON_TIME)
    _rows(seed_plan)
    evaluate_plan(plan=seed_plan, day=JAN_DUE)
    january = Period.objects.get(plan=seed_plan, frequency=Frequency.MONTHLY, number=1)
    figures = {
        f.unit.code: (f.numerator, f.denominator, f.status)
        for f in Measurement.objects.filter(indicator=indicator, period=january).select_related("unit")
    }
    assert figures == {"06184": (42, 45, "approved"), "06190": (15, 20, "approved"), "06193": (45, 45, "approved")}
    authority = _snapshot(indicator, seed_plan.issuing_unit)
    assert (authority.numerator, authority.denominator) == (102, 110)  # Σ / Σ, not the mean of 93,3 %, 75 %, 100 %
    assert authority.value.quantize(Decimal("0.01")) == Decimal("92.73")
    assert authority.status in ("off_track", "at_risk")  # under the seed's > 99 %


def test_a_months_row_counts_in_the_period_ending_on_the_14th_of_that_month(seed_plan):
    indicator = _switch(seed_plan, 3, 3, ON_TIME)
    dossier_rows_import(plan=seed_plan, rows=[parsed("06184", 2)], source="test", user=None)
    dossier_figures_write(seed_plan, datetime.date(2024, 2, 20))
    figures = Measurement.objects.filter(indicator=indicator, period__frequency="monthly")
    assert list(figures.values_list("period__number", "numerator")) == [(2, 42)]
    quarter = Indicator.objects.get(pk=indicator.pk)
    indicator_define(indicator=quarter, frequency=Frequency.QUARTERLY)
    dossier_figures_write(seed_plan, datetime.date(2024, 2, 20))
    assert not Measurement.objects.filter(indicator=indicator, period__frequency="quarterly").exists()  # not over
    dossier_figures_write(seed_plan, datetime.date(2024, 3, 20))
    assert Measurement.objects.get(indicator=indicator, period__frequency="quarterly").period.number == 1


def test_apology_is_apologised_over_late_and_not_applicable_without_late_dossiers(seed_plan):
    indicator = _switch(seed_plan, 3, 4, APOLOGY)
    _rows(seed_plan)
    evaluate_plan(plan=seed_plan, day=JAN_DUE)
    assert _snapshot(indicator, Unit.objects.get(code="06193")).status == "not_applicable"
    own = _snapshot(indicator, Unit.objects.get(code="06190"))
    assert (own.numerator, own.denominator) == (0, 5)
    authority = _snapshot(indicator, seed_plan.issuing_unit)
    assert (authority.numerator, authority.denominator) == (2, 8)
    assert authority.value == 25


def test_a_reimport_changes_the_figure_at_the_next_evaluation_and_keeps_its_history(seed_plan):
    indicator = _switch(seed_plan, 3, 3, ON_TIME)
    _rows(seed_plan)
    evaluate_plan(plan=seed_plan, day=JAN_DUE)
    faster = parsed("06184", 1, resolved_early=45, resolved_on_time=0, resolved_late=0, apologised=0)
    dossier_rows_import(plan=seed_plan, rows=[faster], source="again", user=None)
    evaluate_plan(plan=seed_plan, day=JAN_DUE)
    figure = Measurement.objects.get(
        indicator=indicator, unit__code="06184", period__number=1, period__frequency="monthly"
    )
    assert (figure.numerator, figure.denominator) == (45, 45)
    assert [h.numerator for h in figure.history.order_by("history_date")] == [42, 45]


def test_the_writer_writes_nothing_again_when_nothing_changed(seed_plan):
    _switch(seed_plan, 3, 3, ON_TIME)
    _rows(seed_plan)
    assert dossier_figures_write(seed_plan, JAN_DUE) == 3
    assert dossier_figures_write(seed_plan, JAN_DUE) == 0


def test_online_and_digitisation_shares_from_hand_worked_counts(seed_plan):
    _rows(seed_plan)
    unit = Unit.objects.get(code="06184")
    sums = unit_sums([unit.pk], datetime.date(2023, 12, 15), datetime.date(2024, 1, 14))[unit.pk]
    assert fraction(ONLINE, sums) == (30, 50)  # 30 online of 50 received
    assert fraction(DIGITISED, sums) == (40, 50)


def test_digitisation_is_not_reported_where_the_system_gives_no_count(seed_plan):
    dossier_rows_import(plan=seed_plan, rows=[parsed("06184", 3, dossiers_digitised=None, results_digitised=None)],
                        source="test", user=None)  # fmt: skip
    unit = Unit.objects.get(code="06184")
    sums = unit_sums([unit.pk], datetime.date(2024, 2, 15), datetime.date(2024, 3, 14))[unit.pk]
    assert fraction(DIGITISED, sums) is None
    assert fraction(ON_TIME, sums) == (42, 45)


def test_a_typed_figure_is_refused_once_a_source_feeds_the_indicator(seed_plan, commune_head):
    indicator = _switch(seed_plan, 3, 3, ON_TIME)
    january = Period.objects.get(plan=seed_plan, frequency=Frequency.MONTHLY, number=1)
    with pytest.raises(ValidationError) as refused:
        typed = FigureInput(numerator=Decimal(9), denominator=Decimal(10))
        unit = Unit.objects.get(code="06184")
        measurement_save(indicator=indicator, unit=unit, period=january, figure=typed, user=commune_head)
    assert "được tính tự động" in str(refused.value)
    assert not Measurement.objects.filter(indicator=indicator).exists()


def _write_queries(plan, day=JAN_DUE) -> tuple[int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        written = dossier_figures_write(plan, day)
    return written, len(queries)


def test_the_figures_are_written_in_as_many_statements_for_one_unit_as_for_many(seed_plan):
    """A province's communes × months × indicators are written in bulk, each with its history row."""
    indicator = _switch(seed_plan, 3, 3, ON_TIME)
    dossier_rows_import(plan=seed_plan, rows=[parsed("06184", 1)], source="one", user=None)
    one = _write_queries(seed_plan)
    Measurement.objects.filter(indicator=indicator).delete()
    dossier_rows_import(plan=seed_plan, rows=[parsed("06190", 1), parsed("06193", 1)], source="two", user=None)
    three = _write_queries(seed_plan)
    assert (one[0], three[0]) == (1, 3) and one[1] == three[1]
    # Changed figures: updated in one statement for one unit or three, history kept, version counted.
    faster = {"resolved_early": 45, "resolved_on_time": 0, "resolved_late": 0, "apologised": 0}
    dossier_rows_import(plan=seed_plan, rows=[parsed("06184", 1, **faster)], source="again", user=None)
    changed_one = _write_queries(seed_plan)
    again = [parsed(code, 1, **faster) for code in ("06184", "06190", "06193")]
    dossier_rows_import(plan=seed_plan, rows=[again[0]], source="same", user=None)  # unchanged: not rewritten
    dossier_rows_import(plan=seed_plan, rows=again[1:], source="again", user=None)
    changed_two = _write_queries(seed_plan)
    assert (changed_one[0], changed_two[0]) == (1, 2) and changed_one[1] == changed_two[1]
    figure = Measurement.objects.get(indicator=indicator, unit__code="06190", period__number=1,
                                     period__frequency="monthly")  # fmt: skip
    assert (figure.numerator, figure.version) == (45, 2)
    reasons = list(figure.history.order_by("history_date").values_list("numerator", "history_change_reason"))
    assert reasons == [
        (42, "computed from the one-stop dossier rows"),
        (45, "recomputed from the one-stop dossier rows"),
    ]


def test_the_years_rows_read_once_sum_per_period_as_the_aggregate_of_each_period_does(seed_plan):
    """`period_sums` (one read, added up per period) against `unit_sums` (one SQL aggregate per period)."""
    from dossiers.indicators import period_sums

    rows = [parsed("06184", month) for month in (1, 2, 3, 4)]
    rows += [parsed("06190", 2, dossiers_digitised=None), parsed("06190", 3, results_digitised=None)]
    rows += [parsed("06193", 12, resolved_early=25, resolved_on_time=20, resolved_late=0, apologised=0)]
    dossier_rows_import(plan=seed_plan, rows=rows, source="test", user=None)
    units = list(Unit.objects.filter(code__in=["06184", "06190", "06193"]).values_list("pk", flat=True))
    for frequency in (Frequency.MONTHLY, Frequency.QUARTERLY, Frequency.YEAR):
        periods = list(Period.objects.filter(plan=seed_plan, frequency=frequency))
        read = period_sums(units, periods)
        for period in periods:
            assert read.get(period.pk, {}) == unit_sums(units, period.start, period.end), (frequency, period.number)
    assert len(period_sums(units, list(Period.objects.filter(plan=seed_plan, frequency=Frequency.MONTHLY)))) == 5


def test_a_row_on_a_periods_first_or_last_day_counts_where_the_aggregate_counts_it(seed_plan):
    """Periods from the 1st (row excluded: after the start only) and to the 1st (row included: by the end)."""
    from dossiers.indicators import period_sums

    dossier_rows_import(plan=seed_plan, rows=[parsed("06184", 2), parsed("06184", 3)], source="test", user=None)
    unit = Unit.objects.get(code="06184").pk
    periods = [
        Period(pk=-1, start=datetime.date(2024, 1, 20), end=datetime.date(2024, 2, 1)),  # ends on February's row
        Period(pk=-2, start=datetime.date(2024, 2, 1), end=datetime.date(2024, 3, 1)),  # starts on it, ends on March's
    ]
    read = period_sums([unit], periods)
    for period in periods:
        assert read.get(period.pk, {}) == unit_sums([unit], period.start, period.end)
    assert read[-1][unit]["resolved_early"] == read[-2][unit]["resolved_early"] == 20  # one row each, never both
