"""Indicator statuses and figures' review statuses in templates: labels and badge classes from targets.models."""

from __future__ import annotations

from django import template

from targets.models import NOT_EVALUATED_LABEL, IndicatorStatus, MeasurementStatus

register = template.Library()


@register.inclusion_tag("_badge.html")
def indicator_status(status: str | None) -> dict[str, str]:
    """The status badge: `{% indicator_status snapshot.status %}`; no status is an indicator not evaluated yet."""
    if not status:
        return {"css": IndicatorStatus.NO_DATA.css, "label": str(NOT_EVALUATED_LABEL)}
    choice = IndicatorStatus(status)
    return {"css": choice.css, "label": str(choice.label)}


@register.simple_tag
def indicator_status_label(status: str, *, short: bool = False) -> str:
    """A status's name for a column heading: `{% indicator_status_label "at_risk" short=True %}`."""
    choice = IndicatorStatus(status)
    return choice.short_label if short else str(choice.label)


@register.inclusion_tag("_badge.html")
def figure_status(status: str) -> dict[str, str]:
    """A figure's place in the review, as a badge: `{% figure_status figure.status %}`."""
    choice = MeasurementStatus(status)
    return {"css": choice.css, "label": str(choice.label)}
