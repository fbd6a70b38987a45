"""Fixtures for task tests: a few units of the seed and a task made for the test.

The seed plan's tasks are led by district offices; the task here is led by
Thị trấn Đồng Đăng (commune_head, commune_staff) and coordinated by Xã Bảo Lâm
(other_commune_head), so every role of the cast has a part in it.
"""

from __future__ import annotations

from typing import Any

import pytest

from parplan.models import Plan, Unit
from tasks.models import Task
from tests.tasks.builders import new_task


@pytest.fixture
def dong_dang(db: Any) -> Unit:
    return Unit.objects.get(code="06184")


@pytest.fixture
def bao_lam(db: Any) -> Unit:
    return Unit.objects.get(code="06190")


@pytest.fixture
def tu_phap(db: Any) -> Unit:
    return Unit.objects.get(code="183-TP")


@pytest.fixture
def commune_led_task(seed_plan: Plan, secretariat: Any, dong_dang: Unit, bao_lam: Unit) -> Task:
    """Led by Thị trấn Đồng Đăng, coordinated by Xã Bảo Lâm; started 15/01/2024, due 31/10/2024."""
    return new_task(seed_plan, user=secretariat, lead=dong_dang, coordinating=[bao_lam])
