"""The dashboard's inspection panel: `{% inspection_board plan %}` (coverage against its threshold, overdue
recommendations by unit), for those who read the plan's inspections by role (the secretariat, the steering
committee, administrators).

Like the dashboard's own numbers, the panel is built once and cached, per plan, day and language, until
the plan changes (`parplan.events.plan_changed`, sent by the inspection services among others): a warm
dashboard costs no query for it, and a person without the right costs none at all.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language

from inspections.access import READ
from inspections.models import InspectionKind, InspectionPlan
from inspections.selectors import overdue_by_unit, plan_progress
from parplan.access import has_plan_perm
from parplan.models import Plan

register = template.Library()
CACHE_SECONDS = 600


def generation_key(plan_id: int) -> str:
    return f"inspection-board-generation-{plan_id}"


def board_invalidate(plan_id: int, **_: Any) -> None:
    """A receiver of `plan_changed`: the next dashboard builds the panel again."""
    key = generation_key(plan_id)
    cache.add(key, 1, timeout=None)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 2, timeout=None)


@register.inclusion_tag("inspections/_dashboard.html", takes_context=True)
def inspection_board(context: template.Context, plan: Plan) -> dict[str, Any]:
    user = getattr(context.get("request"), "user", None)
    if user is None or not has_plan_perm(user, READ, plan):
        return {"shown": False}
    today = timezone.localdate()
    generation = cache.get_or_set(generation_key(plan.pk), 1, timeout=None)
    key = f"inspection-board-{plan.pk}-{generation}-{today.isoformat()}-{get_language()}"
    board: dict[str, Any] | None = cache.get(key)
    if board is None:
        board = _build(plan, today)
        cache.set(key, board, CACHE_SECONDS)
    return board


def _build(plan: Plan, today: Any) -> dict[str, Any]:
    par = InspectionPlan.objects.filter(plan=plan, kind=InspectionKind.PAR).select_related("plan__issuing_unit").first()
    if par is None:
        return {"shown": False}
    return {"shown": True, "inspection_plan": par, "progress": plan_progress(par, today),
            "overdue": overdue_by_unit(plan, today)}  # fmt: skip
