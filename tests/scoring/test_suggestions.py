"""Suggestions from the portal's records, and the reminders of a step's deadline in the daily digest."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import F, Q

from inspections.models import Finding, FindingOutcome
from notifications.models import Notification
from parplan.models import Unit
from scoring.models import Method, Score, ScoringRound, Step, UnitGroup
from scoring.reminders import scoring_reminders_create
from scoring.services import CriterionInput, round_open, step_advance, tree_create
from targets.models import Indicator, IndicatorSnapshot, Measurement
from targets.periods import year_window

from .conftest import APPRAISAL_UNTIL, SELF_UNTIL

pytestmark = pytest.mark.django_db
D = Decimal


def _round_on(authority, source: str, units: list[Unit]) -> ScoringRound:
    c = CriterionInput
    items = [
        c("1", "Dữ liệu của cổng", D(100)),
        c("1.1", "Theo dữ liệu", D(10), "1", method=Method.RATIO, source=source),
        c("1.2", "Còn lại", D(90), "1"),
    ]
    tree = tree_create(authority=authority, year=2024, group=UnitGroup.SERVICE_UNITS, title="Thử 2024", items=items)
    return round_open(
        tree=tree, self_until=datetime.date(2025, 1, 15), appraisal_until=datetime.date(2025, 1, 31),
        explanation_until=datetime.date(2025, 2, 10), final_until=datetime.date(2025, 2, 20), units=units,
    )  # fmt: skip


def test_suggestions_come_from_the_inspection_findings_at_the_unit(authority):
    start, end = year_window(2024)
    findings = Finding.objects.filter(deadline__gte=start, deadline__lte=end)
    unit = Unit.objects.get(pk=findings.values_list("visit__unit", flat=True).order_by("visit__unit").first())
    due = findings.filter(visit__unit=unit)
    handled = due.filter(~Q(outcome=FindingOutcome.OPEN), outcome_on__isnull=False, outcome_on__lte=F("deadline"))
    scoring_round = _round_on(authority, "insp_law", [unit])
    score = Score.objects.get(round=scoring_round, unit=unit, criterion__code="1.1")
    assert score.suggested_points == (D(10) * D(handled.count()) / D(due.count())).quantize(D("0.01"))
    assert f"{handled.count()}/{due.count()}" in score.suggestion_note


def test_suggestions_come_from_the_units_figures_sent_on_time(authority):
    figures = Measurement.objects.filter(period__end__year=2024, unit__parent=authority)  # a round scores these
    unit = Unit.objects.get(pk=figures.values_list("unit", flat=True).order_by("unit").first())
    due = figures.filter(unit=unit)
    on_time = due.filter(submitted_at__date__lte=F("period__due_date")).count()
    scoring_round = _round_on(authority, "units", [unit])
    score = Score.objects.get(round=scoring_round, unit=unit, criterion__code="1.1")
    assert score.suggested_points == (D(10) * D(on_time) / D(due.count())).quantize(D("0.01"))


def test_a_unit_with_nothing_on_record_gets_no_suggestion(authority):
    unit = Unit.objects.filter(parent=authority).exclude(pk__in=Finding.objects.values("visit__unit")).first()
    scoring_round = _round_on(authority, "insp_law", [unit])
    score = Score.objects.get(round=scoring_round, unit=unit, criterion__code="1.1")
    assert (score.suggested_points, score.suggestion_note) == (None, "")


def test_the_units_are_reminded_a_week_and_a_day_before_their_step_closes(scoring_round, two_communes):
    dongdang, _baolam = two_communes
    assert scoring_reminders_create(today=SELF_UNTIL - datetime.timedelta(days=3)) == 0
    week_before = SELF_UNTIL - datetime.timedelta(days=7)
    made = scoring_reminders_create(today=week_before)
    notices = Notification.objects.filter(kind="scoring_due", day=week_before)
    assert made == notices.count() > 0
    assert set(notices.values_list("recipient__memberships__unit", flat=True)) >= {u.pk for u in two_communes}
    assert "hết hạn ngày 15/01/2031" in notices.first().message
    assert notices.filter(recipient__username="dongdang.lanhdao", url__contains=f"/units/{dongdang.code}/").exists()
    assert scoring_reminders_create(today=week_before) == 0  # once a day


def test_the_secretariat_is_reminded_of_the_appraisal(scoring_round):
    step_advance(scoring_round=scoring_round)
    scoring_round.refresh_from_db()
    assert scoring_round.step == Step.APPRAISAL
    day = APPRAISAL_UNTIL - datetime.timedelta(days=1)
    assert scoring_reminders_create(today=day) > 0
    recipients = set(
        Notification.objects.filter(kind="scoring_due", day=day).values_list("recipient__username", flat=True)
    )
    assert "noivu" in recipients and "dongdang.lanhdao" not in recipients


def test_suggestions_come_from_an_indicators_latest_evaluation_of_the_unit(authority):
    """The one-stop dossiers resolved on time: an indicator the units report, read from its evaluations."""
    indicator = Indicator.objects.get(
        area__plan__issuing_unit=authority, area__plan__year=2024, numerator_label="hồ sơ giải quyết trước và đúng hạn"
    )
    latest = IndicatorSnapshot.objects.filter(indicator=indicator, denominator__gt=0).exclude(unit=authority)
    snapshot = latest.order_by("unit__code", "-day").first()
    snapshot = latest.filter(unit=snapshot.unit).order_by("-day").first()
    c = CriterionInput
    items = [
        c("1", "Thủ tục hành chính", D(100)),
        c("1.1", "Hồ sơ đúng hạn", D(6), "1", method=Method.RATIO, ratio_full=D(99), indicator_id=indicator.pk),
        c("1.2", "Còn lại", D(94), "1"),
    ]
    tree = tree_create(authority=authority, year=2024, group=UnitGroup.SERVICE_UNITS, title="Thử 2024", items=items)
    scoring_round = round_open(
        tree=tree, self_until=datetime.date(2025, 1, 15), appraisal_until=datetime.date(2025, 1, 31),
        explanation_until=datetime.date(2025, 2, 10), final_until=datetime.date(2025, 2, 20), units=[snapshot.unit],
    )  # fmt: skip
    score = Score.objects.get(round=scoring_round, criterion__code="1.1")
    share = min(snapshot.numerator * 100 / snapshot.denominator / 99, D(1))
    assert score.suggested_points == (D(6) * share).quantize(D("0.01"))
    assert indicator.name in score.suggestion_note


def test_an_indicator_of_another_year_or_authority_is_refused_as_a_suggestion(authority):
    indicator = Indicator.objects.filter(area__plan__year=2024, scope="units").first()
    c = CriterionInput
    items = [c("1", "Một", D(100)), c("1.1", "Một", D(100), "1", indicator_id=indicator.pk)]
    with pytest.raises(ValidationError, match="không thuộc kế hoạch năm 2030"):
        tree_create(authority=authority, year=2030, group=UnitGroup.SERVICE_UNITS, title="Thử 2030", items=items)
