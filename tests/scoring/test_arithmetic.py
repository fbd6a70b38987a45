"""The tree's arithmetic: sums as declared, caps on bonus and penalty, nothing clipped."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from scoring.arithmetic import tree_problems, unit_total
from scoring.models import Criterion, Part, ScoringTree, UnitGroup
from scoring.services import CriterionInput, check_points, criteria_replace, tree_copy, tree_create

from .conftest import YEAR, items

D = Decimal


def test_a_tree_whose_areas_do_not_sum_to_the_declared_total_is_refused(authority):
    wrong = [item if item.code != "2" else CriterionInput("2", "Thủ tục hành chính", D(44)) for item in items()]
    with pytest.raises(ValidationError) as refused:
        tree_create(authority=authority, year=YEAR, group=UnitGroup.OFFICES, title="Sai", items=wrong)
    messages = " ".join(refused.value.messages)
    assert "Tổng điểm các lĩnh vực là 99" in messages
    assert "Tiêu chí 2 có điểm tối đa 44 nhưng các tiêu chí con cộng lại 45" in messages
    assert not ScoringTree.objects.filter(year=YEAR, group=UnitGroup.OFFICES).exists()


def test_a_tree_that_sums_is_saved_with_its_hierarchy(tree):
    assert tree_problems(tree, tree.criteria.all()) == []
    sub = tree.criteria.get(code="1.2")
    assert sub.parent.code == "1" and sub.source == "tasks"
    assert sum(c.max_points for c in tree.criteria.filter(parent=None, part=Part.BASE)) == 100


def test_choice_levels_above_the_maximum_are_refused(tree):
    wrong = [item if item.code != "1.1" else CriterionInput("1.1", "Kế hoạch", D(10), "1", method="choices",
             choices="12|Quá") for item in items()]  # fmt: skip
    with pytest.raises(ValidationError, match="mức điểm ngoài khoảng"):
        criteria_replace(tree=tree, items=wrong)


def test_bonus_and_penalty_are_capped_in_the_total(tree):
    by_code = {c.code: c for c in tree.criteria.all()}
    points = {by_code["1.1"]: D(10), by_code["2.1"]: D(40), by_code["T"]: D(5), by_code["P"]: D(4)}
    # 50 base + bonus 5 capped at 2 − penalty 4 capped at 3.
    assert unit_total(tree, points) == D(49)
    points[by_code["T"]] = D(1)
    points[by_code["P"]] = D(1)
    assert unit_total(tree, points) == D(50)


@pytest.mark.parametrize(("points", "message"), [(D("10.5"), "vượt điểm tối đa 10"), (D(-1), "không được âm"),
                                                 (D(7), "chỉ chấm theo các mức: 10, 5, 0")])  # fmt: skip
def test_points_outside_the_rules_are_refused_not_clipped(tree, points, message):
    item = Criterion.objects.get(tree=tree, code="1.1")
    with pytest.raises(ValidationError, match=message):
        check_points(item, points)


def test_last_years_tree_is_copied_unlocked(tree):
    copy = tree_copy(tree=tree, year=YEAR + 1)
    assert copy.title == "Bộ tiêu chí thử 2031" and not copy.is_locked
    assert list(copy.criteria.values_list("code", "parent__code", "max_points")) == list(
        tree.criteria.values_list("code", "parent__code", "max_points")
    )
