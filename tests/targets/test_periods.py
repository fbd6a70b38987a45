"""The reporting calendar: periods, their cut-off windows and due dates (domain.md)."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest
from django.utils import translation

from parplan.models import Plan
from targets.models import Frequency, Period, period_label_read
from targets.periods import elapsed_fraction, period_spec, periods_for_year, periods_of, year_window
from targets.services import period_lock, plan_generate_periods
from tests.targets.builders import second_plan

D = datetime.date


def _spec(frequency: str, number: int, year: int = 2024):
    return next(s for s in periods_for_year(year) if s.frequency == frequency and s.number == number)


# --- The calendar (pure) ----------------------------------------------------------


def test_a_year_has_twelve_months_four_quarters_two_halves_and_one_year():
    counts = Counter(spec.frequency for spec in periods_for_year(2024))
    assert counts == {Frequency.MONTHLY: 12, Frequency.QUARTERLY: 4, Frequency.HALF_YEAR: 2, Frequency.YEAR: 1}


def test_january_runs_from_the_fifteenth_of_december_to_the_fourteenth_of_january():
    january = _spec(Frequency.MONTHLY, 1)
    assert (january.start, january.end, january.due_date) == (D(2023, 12, 15), D(2024, 1, 14), D(2024, 1, 20))
    assert january.label == "Tháng 01/2024"


def test_march_starts_the_day_after_february_ends_in_a_leap_year():
    february, march = _spec(Frequency.MONTHLY, 2), _spec(Frequency.MONTHLY, 3)
    assert (february.start, february.end) == (D(2024, 1, 15), D(2024, 2, 14))
    assert march.start == D(2024, 2, 15)


def test_december_runs_from_the_fifteenth_of_november_to_the_fourteenth_of_december():
    december = _spec(Frequency.MONTHLY, 12)
    assert (december.start, december.end, december.due_date) == (D(2024, 11, 15), D(2024, 12, 14), D(2024, 12, 20))


def test_first_quarter_window_is_fifteenth_of_december_to_fourteenth_of_march_due_on_the_twentieth():
    q1 = _spec(Frequency.QUARTERLY, 1)
    assert (q1.start, q1.end, q1.due_date) == (D(2023, 12, 15), D(2024, 3, 14), D(2024, 3, 20))
    assert q1.label == "Quý I/2024"


def test_third_quarter_window_is_fifteenth_of_june_to_fourteenth_of_september():
    q3 = _spec(Frequency.QUARTERLY, 3)
    assert (q3.start, q3.end, q3.due_date) == (D(2024, 6, 15), D(2024, 9, 14), D(2024, 9, 20))


def test_first_half_year_window_is_fifteenth_of_december_to_fourteenth_of_june():
    h1 = _spec(Frequency.HALF_YEAR, 1)
    assert (h1.start, h1.end, h1.due_date) == (D(2023, 12, 15), D(2024, 6, 14), D(2024, 6, 20))


def test_second_half_year_window_is_fifteenth_of_june_to_fourteenth_of_december():
    h2 = _spec(Frequency.HALF_YEAR, 2)
    assert (h2.start, h2.end, h2.due_date) == (D(2024, 6, 15), D(2024, 12, 14), D(2024, 12, 20))


def test_year_window_is_fifteenth_of_december_before_to_fourteenth_of_december_due_on_the_twentieth():
    year = _spec(Frequency.YEAR, 1)
    assert (year.start, year.end, year.due_date) == (D(2023, 12, 15), D(2024, 12, 14), D(2024, 12, 20))
    assert year_window(2024) == (D(2023, 12, 15), D(2024, 12, 14))


@pytest.mark.parametrize("frequency", [Frequency.MONTHLY, Frequency.QUARTERLY, Frequency.HALF_YEAR])
def test_periods_of_one_frequency_tile_the_year_without_gap_or_overlap(frequency):
    specs = sorted((s for s in periods_for_year(2024) if s.frequency == frequency), key=lambda s: s.number)
    assert specs[0].start == D(2023, 12, 15)
    assert specs[-1].end == D(2024, 12, 14)
    for before, after in zip(specs, specs[1:], strict=False):
        assert after.start == before.end + datetime.timedelta(days=1)


def test_every_period_is_due_on_the_twentieth_of_its_last_month():
    for spec in periods_for_year(2024):
        assert (spec.due_date.day, spec.due_date.month) == (20, spec.end.month)
        assert spec.due_date > spec.end


# --- The calendar as one table: every window, across year boundaries ---------------------

M, Q, H, Y = Frequency.MONTHLY, Frequency.QUARTERLY, Frequency.HALF_YEAR, Frequency.YEAR

# (frequency, number, plan year) → (start, end, due date, label)
CALENDAR = [
    (M, 1, 2024, D(2023, 12, 15), D(2024, 1, 14), D(2024, 1, 20), "Tháng 01/2024"),
    (M, 1, 2025, D(2024, 12, 15), D(2025, 1, 14), D(2025, 1, 20), "Tháng 01/2025"),
    (M, 2, 2024, D(2024, 1, 15), D(2024, 2, 14), D(2024, 2, 20), "Tháng 02/2024"),
    (M, 3, 2025, D(2025, 2, 15), D(2025, 3, 14), D(2025, 3, 20), "Tháng 03/2025"),
    (M, 12, 2024, D(2024, 11, 15), D(2024, 12, 14), D(2024, 12, 20), "Tháng 12/2024"),
    (Q, 1, 2024, D(2023, 12, 15), D(2024, 3, 14), D(2024, 3, 20), "Quý I/2024"),
    (Q, 2, 2024, D(2024, 3, 15), D(2024, 6, 14), D(2024, 6, 20), "Quý II/2024"),
    (Q, 3, 2024, D(2024, 6, 15), D(2024, 9, 14), D(2024, 9, 20), "Quý III/2024"),
    (Q, 4, 2024, D(2024, 9, 15), D(2024, 12, 14), D(2024, 12, 20), "Quý IV/2024"),
    (Q, 1, 2030, D(2029, 12, 15), D(2030, 3, 14), D(2030, 3, 20), "Quý I/2030"),
    (H, 1, 2024, D(2023, 12, 15), D(2024, 6, 14), D(2024, 6, 20), "6 tháng đầu năm 2024"),
    (H, 2, 2024, D(2024, 6, 15), D(2024, 12, 14), D(2024, 12, 20), "6 tháng cuối năm 2024"),
    (Y, 1, 2024, D(2023, 12, 15), D(2024, 12, 14), D(2024, 12, 20), "Năm 2024"),
    (Y, 1, 2000, D(1999, 12, 15), D(2000, 12, 14), D(2000, 12, 20), "Năm 2000"),
]


@pytest.mark.parametrize(("frequency", "number", "year", "start", "end", "due", "label"), CALENDAR)
def test_each_period_has_its_window_due_date_and_label(frequency, number, year, start, end, due, label):
    spec = period_spec(frequency, number, year)
    assert (spec.start, spec.end, spec.due_date, spec.label) == (start, end, due, label)
    assert spec in periods_of(frequency, year) and spec in periods_for_year(year)


@pytest.mark.parametrize("year", [2023, 2024, 2025, 2100])
def test_the_year_after_starts_the_day_after_this_year_ends(year):
    assert year_window(year + 1)[0] == year_window(year)[1] + datetime.timedelta(days=1)
    assert periods_of(M, year + 1)[0].start == periods_of(M, year)[-1].end + datetime.timedelta(days=1)


@pytest.mark.parametrize(
    ("frequency", "number", "year", "day", "due"),
    [
        (M, 2, 2024, 31, D(2024, 2, 29)),  # leap year
        (M, 2, 2025, 30, D(2025, 2, 28)),
        (M, 2, 2100, 29, D(2100, 2, 28)),  # a century is not a leap year
        (Q, 2, 2024, 31, D(2024, 6, 30)),
        (Q, 4, 2024, 31, D(2024, 12, 31)),
        (Y, 1, 2024, 20, D(2024, 12, 20)),
        (M, 1, 2024, 1, D(2024, 1, 1)),
    ],
)
def test_a_period_due_on_another_day_is_due_that_day_of_its_last_month_or_on_its_last_day(
    frequency, number, year, day, due
):
    assert period_spec(frequency, number, year).due_on_day(day) == due


@pytest.mark.parametrize(("frequency", "number"), [(M, 0), (M, 13), (Q, 5), (H, 3), (Y, 2), ("weekly", 1)])
def test_a_period_the_calendar_does_not_have_is_refused(frequency, number):
    with pytest.raises(ValueError):
        period_spec(frequency, number, 2024)


# --- Elapsed share of the year ------------------------------------------------------


def test_nothing_of_the_year_has_elapsed_before_its_window_opens():
    assert elapsed_fraction(2024, D(2023, 12, 14)) == 0.0


def test_the_first_day_of_the_window_counts_as_one_day_elapsed():
    # 15/12/2023–14/12/2024 is 366 days (2024 is a leap year).
    assert elapsed_fraction(2024, D(2023, 12, 15)) == pytest.approx(1 / 366)


def test_the_day_before_the_cut_off_leaves_one_day_to_go():
    assert elapsed_fraction(2024, D(2024, 12, 13)) == pytest.approx(365 / 366)


def test_the_year_is_over_on_its_cut_off_day_and_after():
    assert elapsed_fraction(2024, D(2024, 12, 14)) == 1.0
    assert elapsed_fraction(2024, D(2025, 3, 1)) == 1.0


def test_half_the_year_has_elapsed_mid_june():
    # Day 183 of 366 is 14/6/2024, the first half-year's cut-off.
    assert elapsed_fraction(2024, D(2024, 6, 14)) == pytest.approx(0.5)


# --- Stored periods ----------------------------------------------------------------


@pytest.mark.django_db
def test_the_seed_plan_has_the_nineteen_periods_of_its_year(seed_plan: Plan):
    stored = {(p.frequency, p.number): (p.start, p.end, p.due_date, p.label) for p in seed_plan.periods.all()}
    expected = {(s.frequency, s.number): (s.start, s.end, s.due_date, s.label) for s in periods_for_year(2024)}
    assert stored == expected
    assert len(stored) == 19


@pytest.mark.django_db
def test_generating_periods_twice_creates_nothing_and_writes_no_history(seed_plan: Plan):
    before = (Period.objects.count(), Period.history.count())
    plan_generate_periods(plan=seed_plan)
    assert (Period.objects.count(), Period.history.count()) == before


@pytest.mark.django_db
def test_generating_periods_again_keeps_a_locked_period_locked(seed_plan: Plan):
    march = seed_plan.periods.get(frequency=Frequency.MONTHLY, number=3)
    period_lock(period=march)
    plan_generate_periods(plan=seed_plan)
    march.refresh_from_db()
    assert march.is_locked


@pytest.mark.django_db
def test_an_imported_plan_comes_with_its_years_periods(seed_plan: Plan):
    copied = second_plan(seed_plan, year=2025)
    stored = {(p.frequency, p.number): (p.start, p.end, p.due_date) for p in copied.periods.all()}
    assert stored == {(s.frequency, s.number): (s.start, s.end, s.due_date) for s in periods_for_year(2025)}
    assert stored[(Frequency.MONTHLY, 1)] == (D(2024, 12, 15), D(2025, 1, 14), D(2025, 1, 20))


@pytest.mark.django_db
def test_importing_a_plan_again_keeps_its_periods_and_their_locks(seed_plan: Plan):
    copied = second_plan(seed_plan, year=2025)
    period_lock(period=copied.periods.get(frequency=Frequency.QUARTERLY, number=1))
    before = (Period.objects.count(), Period.history.count())
    second_plan(seed_plan, year=2025)
    assert (Period.objects.count(), Period.history.count()) == before
    assert copied.periods.get(frequency=Frequency.QUARTERLY, number=1).is_locked


@pytest.mark.django_db
def test_a_period_is_named_in_the_readers_language_and_stored_in_the_sites(seed_plan):
    second_quarter = Period.objects.get(plan=seed_plan, frequency=Frequency.QUARTERLY, number=2)
    january = Period.objects.get(plan=seed_plan, frequency=Frequency.MONTHLY, number=1)
    with translation.override("en"):
        assert (str(second_quarter), str(january)) == ("Q2 2024", "January 2024")
        assert period_spec(Frequency.HALF_YEAR, 1, 2024).label == "6 tháng đầu năm 2024"  # as stored
        assert period_label_read("Quý II/2024") == "Q2 2024"  # a stored name, read in English
        assert period_label_read("Đợt đặc biệt 2024") == "Đợt đặc biệt 2024"  # one it did not write
    with translation.override("vi"):
        assert (str(second_quarter), second_quarter.label) == ("Quý II/2024", "Quý II/2024")
