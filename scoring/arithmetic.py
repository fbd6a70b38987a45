"""The tree's arithmetic: what its points must sum to, and a unit's total with the caps on bonus and penalty."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.utils.translation import gettext as _

from parplan.formatting import format_number
from scoring.models import Criterion, Part, ScoringTree

ZERO = Decimal(0)
HUNDRED = Decimal(100)


def ratio_points(criterion: Criterion, numerator: Decimal, denominator: Decimal) -> Decimal | None:
    """A ratio item's points: the maximum at `ratio_full` % or above, proportional below; None when nothing was due."""
    if denominator <= 0:
        return None
    percent = numerator * HUNDRED / denominator
    full = criterion.ratio_full or HUNDRED
    share = min(percent / full, Decimal(1))
    return (criterion.max_points * share).quantize(Decimal("0.01"))


def tree_problems(tree: ScoringTree, criteria: Iterable[Criterion]) -> list[str]:
    """Why the tree's points do not add up as declared (in Vietnamese), or [] when they do.

    The base areas sum to the declared total; every criterion's children sum to its
    maximum; bonus and penalty items each stay within their cap.
    """
    items = list(criteria)
    children: dict[int | None, list[Criterion]] = defaultdict(list)
    for item in items:
        children[item.parent_id].append(item)
    problems = []
    areas = [item for item in children[None] if item.part == Part.BASE]
    area_sum = sum((item.max_points for item in areas), ZERO)
    if area_sum != tree.declared_total:
        problems.append(
            _("Tổng điểm các lĩnh vực là %(sum)s, không bằng tổng điểm công bố %(total)s.")
            % {"sum": format_number(area_sum), "total": format_number(tree.declared_total)}
        )
    for item in items:
        kids = children.get(item.pk, [])
        if kids:
            kids_sum = sum((kid.max_points for kid in kids), ZERO)
            if kids_sum != item.max_points:
                problems.append(
                    _("Tiêu chí %(code)s có điểm tối đa %(max)s nhưng các tiêu chí con cộng lại %(sum)s.")
                    % {"code": item.code, "max": format_number(item.max_points), "sum": format_number(kids_sum)}
                )
        if item.max_points < 0:
            problems.append(_("Tiêu chí %(code)s có điểm tối đa âm.") % {"code": item.code})
        if not kids and item.method == "choices":
            levels = item.choice_points()
            if not levels:
                problems.append(_("Tiêu chí %(code)s chấm theo mức nhưng chưa có mức điểm nào.") % {"code": item.code})
            elif max(levels) > item.max_points or min(levels) < 0:
                problems.append(
                    _("Tiêu chí %(code)s có mức điểm ngoài khoảng 0 đến điểm tối đa.") % {"code": item.code}
                )
    return problems


def leaves(criteria: Iterable[Criterion]) -> list[Criterion]:
    items = list(criteria)
    parents = {item.parent_id for item in items}
    return [item for item in items if item.pk not in parents]


def unit_total(tree: ScoringTree, points: Mapping[Criterion, Decimal | None]) -> Decimal:
    """Base points, plus the bonus up to its cap, minus the penalty up to its cap. Missing points count 0."""
    base = bonus = penalty = ZERO
    for criterion, value in points.items():
        value = value or ZERO
        if criterion.part == Part.BONUS:
            bonus += value
        elif criterion.part == Part.PENALTY:
            penalty += value
        else:
            base += value
    return base + min(bonus, tree.bonus_cap) - min(penalty, tree.penalty_cap)
