"""A plan's status in templates: label and badge class from PlanStatus."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from parplan.badges import badge
from parplan.models import PlanStatus

register = template.Library()


@register.simple_tag
def plan_status(status: str) -> SafeString:
    """`{% plan_status plan.status %}`."""
    choice = PlanStatus(status)
    return badge(choice.css, str(choice.label))
