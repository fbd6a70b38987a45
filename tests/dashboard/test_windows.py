"""The dashboard and the indicator pages say which periods a value covers (targets/windows.py)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from dashboard.selectors import build_dashboard
from parplan.models import Plan
from targets.evaluation import evaluate_plan
from targets.models import Indicator, Measurement, MeasurementStatus

pytestmark = pytest.mark.django_db

# Later than any evaluation the demo stores: the latest snapshot is this day's.
DAY = datetime.date(2025, 1, 5)


def _dossiers(plan: Plan) -> tuple[Indicator, str]:
    """The on-time dossiers indicator and the label its figures should carry: T1–T<last approved month>/2024."""
    indicator = Indicator.objects.of_plan(plan).get(numerator_label__icontains="hồ sơ giải quyết", kind="ratio")
    numbers = Measurement.objects.filter(indicator=indicator, status=MeasurementStatus.APPROVED).values_list(
        "period__number", flat=True
    )
    return indicator, f"T{min(numbers)}–T{max(numbers)}/2024"


def test_the_dashboard_names_the_periods_beside_each_value(seed_plan: Plan, client_for: Any, secretariat: Any) -> None:
    evaluate_plan(plan=seed_plan, day=DAY)
    indicator, label = _dossiers(seed_plan)
    board = build_dashboard(plan=seed_plan, unit=None, today=DAY)
    row = next(r for r in board.indicators if r.pk == indicator.pk)
    assert row.covered == label
    page = client_for(secretariat).get(reverse("dashboard"), {"plan": seed_plan.pk}).content.decode()
    assert f'<small class="muted covered">{label}</small>' in page


def test_the_indicator_page_and_list_name_the_periods(seed_plan: Plan, client_for: Any, secretariat: Any) -> None:
    evaluate_plan(plan=seed_plan, day=DAY)
    indicator, label = _dossiers(seed_plan)
    client = client_for(secretariat)
    detail = client.get(reverse("indicator-detail", args=[indicator.pk])).content.decode()
    assert f'<small class="muted covered">{label}</small>' in detail
    listing = client.get(reverse("indicator-list", args=[seed_plan.pk])).content.decode()
    assert f'<small class="muted covered">{label}</small>' in listing


def test_a_level_value_is_named_by_the_end_of_its_latest_period(
    seed_plan: Plan, client_for: Any, secretariat: Any
) -> None:
    evaluate_plan(plan=seed_plan, day=DAY)
    latest = [i for i in Indicator.objects.of_plan(seed_plan) if i.aggregation == "latest"]
    board = build_dashboard(plan=seed_plan, unit=None, today=DAY)
    rows = {r.pk: r for r in board.indicators}
    shown = [rows[i.pk].covered for i in latest if rows.get(i.pk) and rows[i.pk].value is not None]
    assert shown and all(label.startswith("đến ") and label.endswith("/2024") for label in shown)
