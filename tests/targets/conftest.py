"""Fixtures for indicator tests: the seed's indicators and periods, a clean cache."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache

from parplan.models import Plan, Unit
from targets.models import Frequency, Indicator, Period


@pytest.fixture(autouse=True)
def clean_cache() -> Iterator[None]:
    # Approvals debounce re-evaluation through the cache; the session's demo load
    # (and every earlier test) leaves keys behind that would swallow the next one.
    cache.clear()
    yield
    cache.clear()


def seed_indicator(plan: Plan, area: int, target: int, position: int = 1) -> Indicator:
    return Indicator.objects.select_related("area__plan").get(
        area__plan=plan, area__number=area, target__position=target, position=position
    )


def without_demo_figures(indicator: Indicator) -> Indicator:
    """The indicator with the demo's figures removed (in the test's transaction): the test enters its own.

    The demo has figures for every typed-in indicator, approved and locked; a test of how a figure is
    entered, or judged alone, starts from none.
    """
    from targets.models import Measurement

    Measurement.objects.filter(indicator=indicator).delete()
    return indicator


def seed_period(plan: Plan, frequency: str, number: int) -> Period:
    return Period.objects.get(plan=plan, frequency=frequency, number=number)


@pytest.fixture
def on_time(seed_plan: Plan) -> Indicator:
    """3.3.1 "Trên 99% hồ sơ … giải quyết trước và đúng hạn": monthly, per unit, > 99 %."""
    return seed_indicator(seed_plan, 3, 3)


@pytest.fixture
def apologised(seed_plan: Plan) -> Indicator:
    """3.4.1 "100% hồ sơ … chậm, muộn … xin lỗi": monthly, per unit, ≥ 100 %."""
    return seed_indicator(seed_plan, 3, 4)


@pytest.fixture
def disbursement(seed_plan: Plan) -> Indicator:
    """6.1.1 disbursement to date: quarterly, the authority's latest figure, cumulative ≥ 70 %."""
    return seed_indicator(seed_plan, 6, 1)


@pytest.fixture
def office_online(seed_plan: Plan) -> Indicator:
    """7.3.1 "85% hồ sơ công việc tại cấp huyện": reported by offices only."""
    return seed_indicator(seed_plan, 7, 3, 1)


@pytest.fixture
def november(seed_plan: Plan) -> Period:
    """Tháng 11/2024: no demo figures of the on-time and apology indicators (theirs stop at October)."""
    return seed_period(seed_plan, Frequency.MONTHLY, 11)


@pytest.fixture
def december(seed_plan: Plan) -> Period:
    return seed_period(seed_plan, Frequency.MONTHLY, 12)


@pytest.fixture
def dong_dang(db: Any) -> Unit:
    return Unit.objects.get(code="06184")


@pytest.fixture
def bao_lam(db: Any) -> Unit:
    return Unit.objects.get(code="06190")


@pytest.fixture
def district(seed_plan: Plan) -> Unit:
    return seed_plan.issuing_unit
