"""`{% official_ranking %}`: the dashboard's official ranking partial, without a change to the dashboard's view."""

from __future__ import annotations

from typing import Any

from django import template

from dashboard.official_ranking import official_rankings

register = template.Library()


@register.inclusion_tag("dashboard/_official_ranking.html", takes_context=True)
def official_ranking(context: dict[str, Any]) -> dict[str, Any]:
    request = context["request"]
    return {"rankings": official_rankings(request.user, context["plan"])}
