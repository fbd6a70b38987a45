"""Whether the reader may enter figures for a unit of a plan: a page offers "Nhập số liệu" only then."""

from __future__ import annotations

from typing import Any

from django import template

from parplan.models import Plan
from targets.access import units_for_figures

register = template.Library()


@register.simple_tag(takes_context=True)
def enters_figures(context: template.Context, plan: Plan) -> bool:
    """`{% enters_figures plan as can_enter %}`: one query. The steering committee, which reads every figure
    but enters none, was offered a link to "Bạn không có quyền nhập số liệu cho đơn vị nào."""
    user: Any = context["request"].user
    return units_for_figures(user).filter(path__startswith=plan.issuing_unit.path).exists()
