"""Fixtures for evidence tests: one owner of each kind (a figure, a task's progress report)."""

from __future__ import annotations

from typing import Any

import pytest

from parplan.models import Plan, Unit
from targets.models import Frequency, Measurement
from tasks.models import ProgressReport, ProgressStatus, Task
from tasks.services import task_report_progress
from tests.targets.builders import ratio, submitted
from tests.targets.conftest import seed_indicator, seed_period
from tests.tasks.builders import new_task


@pytest.fixture
def dong_dang(db: Any) -> Unit:
    return Unit.objects.get(code="06184")


@pytest.fixture
def figure(seed_plan: Plan, dong_dang: Unit, commune_head: Any) -> Measurement:
    """Thị trấn Đồng Đăng's November figure for 3.3.1, sent without files."""
    november = seed_period(seed_plan, Frequency.MONTHLY, 11)
    return submitted(seed_indicator(seed_plan, 3, 3), dong_dang, november, ratio(98, 100), commune_head)


@pytest.fixture
def report(seed_plan: Plan, secretariat: Any, commune_staff: Any, dong_dang: Unit) -> ProgressReport:
    """A progress report on a task Thị trấn Đồng Đăng leads, sent without files."""
    task = new_task(seed_plan, user=secretariat, lead=dong_dang)
    return task_report_progress(
        task=task, user=commune_staff, status=ProgressStatus.IN_PROGRESS, percent=40, text="Đã rà soát 12 thủ tục."
    )


@pytest.fixture
def bao_lam(db: Any) -> Unit:
    return Unit.objects.get(code="06190")


@pytest.fixture
def coordinated_task(seed_plan: Plan, secretariat: Any, dong_dang: Unit, bao_lam: Unit) -> Task:
    """Led by Thị trấn Đồng Đăng, coordinated by Xã Bảo Lâm (other_commune_head)."""
    return new_task(seed_plan, user=secretariat, lead=dong_dang, coordinating=[bao_lam])
