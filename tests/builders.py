"""Plain builders that grow the seed plan, for query budgets at two data sizes.

Every write goes through a service: tasks are created by `task_create` (which
assigns them), progress is reported by `task_report_progress`, targets and
memberships by their own services.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Max

from parplan.models import Plan, ReformArea, Role, Unit
from parplan.services import membership_add
from targets.models import Target
from targets.parsing import ParsedIndicator
from targets.services import target_upsert
from tasks.models import ProgressStatus, Task
from tasks.services import task_create, task_report_progress


def _next_position(area: ReformArea, model: type[Task] | type[Target]) -> int:
    return (model.objects.filter(area=area).aggregate(top=Max("position"))["top"] or 0) + 1


def add_tasks(*, plan: Plan, count: int, lead_units: list[Unit], coordinating_units: list[Unit]) -> list[Task]:
    """`count` tasks spread over the plan's areas, leads taken in turn, all coordinated by the same units."""
    areas = list(plan.areas.order_by("number"))
    tasks = []
    for i in range(count):
        area = areas[i % len(areas)]
        task = task_create(
            area=area,
            user=None,
            text=f"Nhiệm vụ bổ sung số {i + 1}; dùng để đo số truy vấn.",
            due_date=datetime.date(2024, 12, 31),
            lead_unit=lead_units[i % len(lead_units)],
            coordinating_units=coordinating_units,
        )
        tasks.append(task)
    return tasks


def add_targets(*, plan: Plan, count: int) -> list[Target]:
    """`count` targets, each with one commune-level and one district-level indicator."""
    areas = list(plan.areas.order_by("number"))
    targets = []
    for i in range(count):
        area = areas[i % len(areas)]
        indicators = [
            ParsedIndicator(
                name=f"Tỷ lệ bổ sung {i + 1} cấp xã",
                kind="ratio",
                comparator="gte",
                threshold=Decimal(90),
                unit_of_measure="%",
                applies_to_level="cấp xã",
            ),
            ParsedIndicator(
                name=f"Tỷ lệ bổ sung {i + 1} cấp huyện",
                kind="ratio",
                comparator="gte",
                threshold=Decimal(95),
                unit_of_measure="%",
                applies_to_level="cấp huyện",
            ),
        ]
        targets.append(
            target_upsert(
                area=area,
                position=_next_position(area, Target),
                text=f"Chỉ tiêu bổ sung số {i + 1}: 90% cấp xã, 95% cấp huyện.",
                indicators=indicators,
            )
        )
    return targets


def add_progress_history(*, task: Task, count: int, user: Any = None) -> None:
    """`count` progress reports of the lead unit on `task`, each one a history record."""
    for i in range(count):
        task_report_progress(
            task=task,
            user=user,
            status=ProgressStatus.IN_PROGRESS,
            percent=(i * 7) % 100,
            text=f"Báo cáo lần {i + 1}.",
        )


def add_members(*, unit: Unit, count: int) -> list[Any]:
    users = []
    for i in range(count):
        user = get_user_model().objects.create_user(f"{unit.code}.canbo{i}", password="x", first_name=f"Cán bộ {i}")
        membership_add(user=user, unit=unit, role=Role.UNIT_STAFF)
        users.append(user)
    return users
