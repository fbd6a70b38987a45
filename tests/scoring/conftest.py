"""A small tree and round for scoring tests: two areas, a bonus and a penalty, two communes."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from parplan.models import Unit
from scoring.models import Method, Part, ScoringRound, ScoringTree, UnitGroup
from scoring.services import CriterionInput, round_open, tree_create

D = Decimal
YEAR = 2030
SELF_UNTIL = datetime.date(2031, 1, 15)
APPRAISAL_UNTIL = datetime.date(2031, 1, 31)
EXPLANATION_UNTIL = datetime.date(2031, 2, 10)
FINAL_UNTIL = datetime.date(2031, 2, 20)


def items() -> list[CriterionInput]:
    c = CriterionInput
    return [
        c("1", "Chỉ đạo, điều hành", D(40)),
        c("1.1", "Kế hoạch CCHC", D(10), "1", method=Method.CHOICES, choices="10|Đúng hạn\n5|Chậm\n0|Không có",
          evidence_required=True),
        c("1.2", "Nhiệm vụ hoàn thành đúng hạn", D(30), "1", method=Method.RATIO, ratio_full=D(90),
          source="tasks"),
        c("2", "Thủ tục hành chính", D(45)),
        c("2.1", "Công khai thủ tục", D(45), "2"),
        c("3", "Điều tra xã hội học", D(15)),
        c("3.1", "Hài lòng", D(15), "3", is_survey=True),
        c("T", "Điểm thưởng", D(5), part=Part.BONUS),
        c("P", "Điểm trừ", D(5), part=Part.PENALTY),
    ]  # fmt: skip


@pytest.fixture
def authority(db: Any) -> Unit:
    return Unit.objects.get(code="183")


@pytest.fixture
def two_communes(db: Any) -> list[Unit]:
    """Thị trấn Đồng Đăng (commune_head's) and Xã Bảo Lâm (other_commune_head's)."""
    dongdang = Unit.objects.get(memberships__user__username="dongdang.lanhdao")
    baolam = Unit.objects.get(memberships__user__username="baolam.lanhdao")
    return [dongdang, baolam]


@pytest.fixture
def tree(authority: Unit) -> ScoringTree:
    return tree_create(
        authority=authority, year=YEAR, group=UnitGroup.COMMUNES, title="Bộ tiêu chí thử 2030", items=items(),
        bonus_cap=D(2), penalty_cap=D(3),
    )  # fmt: skip


@pytest.fixture
def scoring_round(tree: ScoringTree, two_communes: list[Unit]) -> ScoringRound:
    return round_open(
        tree=tree, self_until=SELF_UNTIL, appraisal_until=APPRAISAL_UNTIL, explanation_until=EXPLANATION_UNTIL,
        final_until=FINAL_UNTIL, units=two_communes,
    )  # fmt: skip


@pytest.fixture
def on_day(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Freeze `timezone.localdate()` on a chosen day: `on_day(date)`."""
    real = timezone.localdate

    def freeze(day: datetime.date) -> None:
        monkeypatch.setattr(
            timezone, "localdate", lambda value=None, tz=None: day if value is None else real(value, tz)
        )

    freeze(datetime.date(2031, 1, 10))
    return freeze
