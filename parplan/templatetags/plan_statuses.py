"""A plan's status in templates: label and badge class from PlanStatus."""

from __future__ import annotations

from django import template

from parplan.models import PlanStatus

register = template.Library()


@register.inclusion_tag("_badge.html")
def plan_status(status: str) -> dict[str, str]:
    """`{% plan_status plan.status %}`."""
    choice = PlanStatus(status)
    return {"css": choice.css, "label": str(choice.label)}
