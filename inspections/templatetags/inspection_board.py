"""The dashboard's inspection panel: `{% inspection_board plan %}` (coverage against its threshold, overdue
recommendations by unit), shown to those who read the plan's inspections (inspections.access)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from inspections.access import can_read_plan
from inspections.models import InspectionKind, InspectionPlan
from inspections.selectors import overdue_by_unit, plan_progress
from parplan.models import Plan

register = template.Library()


@register.inclusion_tag("inspections/_dashboard.html", takes_context=True)
def inspection_board(context: template.Context, plan: Plan) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    par = InspectionPlan.objects.select_related("plan__issuing_unit").filter(plan=plan, kind=InspectionKind.PAR).first()
    if user is None or par is None or not can_read_plan(user, par):
        return {"shown": False}
    today = timezone.localdate()
    return {"shown": True, "inspection_plan": par, "progress": plan_progress(par, today),
            "overdue": overdue_by_unit(plan, today)}  # fmt: skip
