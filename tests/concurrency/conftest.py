"""A small authority for tests whose threads each hold their own database connection.

Threads see only committed rows, so these tests are transactional: they start from
an empty database (the seed is not loaded again, it takes ~10 s) and build one
district's plan through the importer: a town that reports a monthly share and
leads a task, its head, and the district's secretariat.
"""

from __future__ import annotations

import datetime
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar, cast

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from demo.management.commands.demo import SEED_PLAN
from parplan.models import Plan, Role, Unit
from parplan.services import membership_add
from planio.interchange import plan_import
from targets.models import Frequency, Indicator, Period
from tasks.models import Task
from tests.conftest import OTHER_PLAN

T = TypeVar("T")

# OTHER_PLAN's district is under the province "20", and its units of the seed's kinds,
# which an empty database lacks: both come with the plan.
_SEED = json.loads(SEED_PLAN.read_text(encoding="utf-8"))
PLAN = {
    **OTHER_PLAN,
    "unit_kinds": _SEED["unit_kinds"],
    "units": [{"code": "20", "name": "UBND tỉnh Lạng Sơn", "kind": "province"}, *cast(list[Any], OTHER_PLAN["units"])],
}
PASSWORD = "x"


@dataclass(frozen=True)
class District:
    plan: Plan
    town: Unit
    task: Task  # led by the town, due 31/10/2024
    indicator: Indicator  # the town's monthly share of dossiers filed online
    january: Period
    head: Any  # the town's head: enters and sends its figures
    secretariat: Any
    secretariat_2: Any  # a second person of the same secretariat


def _member(username: str, unit: Unit, role: Role, full_name: str) -> Any:
    user = get_user_model().objects.create_user(username, password=PASSWORD, first_name=full_name)
    membership_add(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def district(transactional_db: Any, settings: Any, tmp_path: Any) -> District:
    settings.MEDIA_ROOT = settings.SENDFILE_ROOT = tmp_path / "media"
    plan = Plan.objects.select_related("issuing_unit").get(pk=plan_import(PLAN).pk)
    town = Unit.objects.get(code="06112")
    office = Unit.objects.get(code="182-NV")
    return District(
        plan=plan,
        town=town,
        task=Task.objects.get(area__plan=plan, lead_unit=town),
        indicator=Indicator.objects.get(area__plan=plan),
        january=Period.objects.get(plan=plan, frequency=Frequency.MONTHLY, number=1),
        head=_member("nasam.lanhdao", town, Role.UNIT_HEAD, "Hoàng Văn Nam"),
        secretariat=_member("vanlang.noivu", office, Role.SECRETARIAT, "Lý Thị Hà"),
        secretariat_2=_member("vanlang.noivu2", office, Role.SECRETARIAT, "Nông Văn Khánh"),
    )


@dataclass(frozen=True)
class Outcome:
    """What one thread's call gave: its value, or the exception it raised."""

    value: Any = None
    error: BaseException | None = None


def at_once(calls: list[Callable[[], T]], timeout: float = 30) -> list[Outcome]:
    """Run each call in its own thread, all released together; each thread has its own connection."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[Outcome] = [Outcome()] * len(calls)

    def run(i: int) -> None:
        try:
            barrier.wait()
            outcomes[i] = Outcome(value=calls[i]())
        except BaseException as error:  # the test reads every outcome
            outcomes[i] = Outcome(error=error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(thread.is_alive() for thread in threads), "a call did not finish: a deadlock?"
    return outcomes


def ratio(numerator: int, denominator: int) -> Any:
    from targets.services import FigureInput

    return FigureInput(numerator=Decimal(numerator), denominator=Decimal(denominator))


TODAY = datetime.date(2024, 6, 14)
