"""The reporting calendar: each kind's data cut-off window (domain.md, "Reporting calendar")."""

from __future__ import annotations

import datetime

import pytest

from reports.models import ReportKind, report_window


@pytest.mark.parametrize(
    ("kind", "start", "end"),
    [
        (ReportKind.Q1, datetime.date(2023, 12, 15), datetime.date(2024, 3, 14)),
        (ReportKind.H1, datetime.date(2023, 12, 15), datetime.date(2024, 6, 14)),
        (ReportKind.Q3, datetime.date(2024, 6, 15), datetime.date(2024, 9, 14)),
        (ReportKind.YEAR, datetime.date(2023, 12, 15), datetime.date(2024, 12, 14)),
    ],
)
def test_each_kind_has_its_cut_off_window(kind: str, start: datetime.date, end: datetime.date) -> None:
    assert report_window(kind, 2024) == (start, end)


def test_a_window_starting_in_december_starts_in_the_previous_year() -> None:
    assert report_window("q1", 2025)[0] == datetime.date(2024, 12, 15)


def test_the_kind_may_be_given_as_its_stored_value() -> None:
    assert report_window("h1", 2024) == report_window(ReportKind.H1, 2024)


def test_every_window_ends_on_the_14th_before_the_report_is_due_on_the_20th() -> None:
    for kind in ReportKind.values:
        start, end = report_window(kind, 2024)
        assert end.day == 14 and start.day == 15 and start < end


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError):
        report_window("q2", 2024)


@pytest.mark.parametrize(
    ("kind", "year", "start", "end"),
    [
        (ReportKind.Q1, 2000, datetime.date(1999, 12, 15), datetime.date(2000, 3, 14)),
        (ReportKind.H1, 2025, datetime.date(2024, 12, 15), datetime.date(2025, 6, 14)),
        (ReportKind.Q3, 2025, datetime.date(2025, 6, 15), datetime.date(2025, 9, 14)),
        (ReportKind.YEAR, 2031, datetime.date(2030, 12, 15), datetime.date(2031, 12, 14)),
    ],
)
def test_windows_cross_the_year_boundary_in_any_year(kind: str, year: int, start, end) -> None:
    assert report_window(kind, year) == (start, end)


@pytest.mark.django_db
def test_each_report_covers_exactly_one_stored_period_of_its_plan(seed_plan) -> None:
    # The report's window is the calendar's, so its numbers add up the same periods the figures use.
    periods = {(p.start, p.end): p.frequency for p in seed_plan.periods.all()}
    covered = {kind: periods.get(report_window(kind, seed_plan.year)) for kind in ReportKind.values}
    assert covered == {"q1": "quarterly", "h1": "half_year", "q3": "quarterly", "year": "year"}
