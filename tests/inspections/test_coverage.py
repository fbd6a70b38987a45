"""The coverage rule (docs/inspections.md): units in scope inspected directly in the window / units in scope."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from inspections.indicators import coverage, findings_handled
from inspections.models import InspectionKind
from inspections.selectors import plan_progress
from inspections.services import finding_settle
from tests.inspections.builders import finding, fresh_plan, visit

D = datetime.date
# The seed's offices (13), towns (2) and communes (20) below UBND huyện Cao Lộc.
IN_SCOPE = 35


@pytest.fixture
def par(seed_plan):
    return fresh_plan(seed_plan)


def test_a_unit_visited_twice_counts_once(par):
    visit(par, "06184", D(2024, 3, 1))
    visit(par, "06184", D(2024, 6, 1), unannounced=True)
    visit(par, "183-VP", D(2024, 6, 2))
    assert coverage(par, D(2024, 12, 14)).numerator == 2
    assert coverage(par, D(2024, 12, 14)).denominator == IN_SCOPE


def test_units_out_of_scope_count_neither_above_nor_below_the_line(par):
    # A public service unit is not of the kinds in scope; a visit through reports is not a direct inspection.
    visit(par, "183-TTVHTTTT", D(2024, 3, 1))
    visit(par, "06190", D(2024, 3, 2), direct=False)
    assert (coverage(par, D(2024, 12, 14)).numerator, coverage(par, D(2024, 12, 14)).denominator) == (0, IN_SCOPE)


def test_unannounced_and_scheduled_visits_both_count_and_are_told_apart(par):
    visit(par, "06184", D(2024, 3, 1))
    visit(par, "06190", D(2024, 3, 2), unannounced=True)
    progress = plan_progress(par, D(2024, 12, 14))
    assert progress.total.inspected == 2
    assert (progress.scheduled, progress.unannounced) == (1, 1)
    by_kind = {kind.name: (kind.in_scope, kind.inspected) for kind in progress.kinds}
    assert by_kind == {"Cơ quan chuyên môn": (13, 0), "Thị trấn": (2, 1), "Xã": (20, 1)}


def test_the_window_ends_on_its_cut_off_day(par):
    """Q1 runs 15/12/2023–14/03/2024: a visit on 14/03 is in Q1's figure, one on 15/03 only from Q2's."""
    visit(par, "06184", D(2024, 3, 14))
    visit(par, "06190", D(2024, 3, 15))
    assert coverage(par, D(2024, 3, 14)).numerator == 1
    assert coverage(par, D(2024, 6, 14)).numerator == 2


def test_a_visit_outside_the_plan_year_is_refused_at_the_window_edges(par):
    with pytest.raises(ValidationError) as refused:
        visit(par, "06184", D(2023, 12, 14))
    assert "Ngày phải trong năm kế hoạch 2024 (từ 15/12/2023 đến 14/12/2024)." in refused.value.messages
    visit(par, "06184", D(2023, 12, 15))
    with pytest.raises(ValidationError):
        visit(par, "06190", D(2024, 12, 15))
    assert coverage(par, D(2024, 12, 14)).numerator == 1


def test_above_the_threshold_only_past_thirty_percent(par):
    codes = ["183-VP", "183-TP", "183-TCKH", "183-TNMT", "183-YT", "183-GDDT", "183-KTHT", "183-LDTBXH", "183-DT",
             "183-VHTT"]  # fmt: skip
    for number, code in enumerate(codes, start=1):
        visit(par, code, D(2024, 4, number))
    progress = plan_progress(par, D(2024, 12, 14))
    assert progress.threshold == 30
    assert not progress.meets_threshold  # 10/35 = 28,6 %
    visit(par, "183-VP", D(2024, 5, 2))  # a second visit to the same office changes nothing
    assert not plan_progress(par, D(2024, 12, 14)).meets_threshold
    visit(par, "06190", D(2024, 5, 4))
    assert plan_progress(par, D(2024, 12, 14)).meets_threshold  # 11/35 = 31,4 %


def test_findings_handled_counts_those_due_handled_or_referred_by_their_deadline(seed_plan, secretariat):
    law = fresh_plan(seed_plan, InspectionKind.LAW, conducting="183-TP")
    at = visit(law, "183-TNMT", D(2024, 2, 1))
    on_time, referred, late, still_open = (finding(at, D(2024, 3, day)) for day in (1, 2, 3, 4))
    not_due = finding(at, D(2024, 9, 1))
    finding_settle(finding=on_time, outcome="handled", on=D(2024, 2, 20), note="", user=secretariat)
    finding_settle(finding=referred, outcome="referred", on=D(2024, 3, 2), note="", user=secretariat)
    finding_settle(finding=late, outcome="handled", on=D(2024, 3, 10), note="", user=secretariat)
    finding_settle(finding=not_due, outcome="handled", on=D(2024, 3, 1), note="", user=secretariat)
    assert still_open.outcome == "open"
    q1 = findings_handled(seed_plan, D(2023, 12, 15), D(2024, 3, 14), D(2024, 3, 14))
    assert (q1.numerator, q1.denominator) == (2, 4)
    # Before the deadlines of 03/03 and 04/03 only two were due.
    early = findings_handled(seed_plan, D(2023, 12, 15), D(2024, 3, 14), D(2024, 3, 2))
    assert (early.numerator, early.denominator) == (2, 2)
