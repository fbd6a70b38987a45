"""Indicator statuses and figures' review statuses in templates: labels and badge classes from targets.models."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.safestring import SafeString

from parplan.badges import badge
from targets.models import NOT_EVALUATED_LABEL, Indicator, IndicatorSnapshot, IndicatorStatus, MeasurementStatus
from targets.status import status_reason, value_written, written_value
from targets.windows import snapshot_label

register = template.Library()


@register.simple_tag
def indicator_status(status: str | None) -> SafeString:
    """The status badge: `{% indicator_status snapshot.status %}`; no status is an indicator not evaluated yet."""
    if not status:
        return badge(IndicatorStatus.NO_DATA.css, str(NOT_EVALUATED_LABEL))
    choice = IndicatorStatus(status)
    return badge(choice.css, str(choice.label))


@register.simple_tag
def indicator_status_label(status: str, *, short: bool = False) -> str:
    """A status's name for a column heading: `{% indicator_status_label "at_risk" short=True %}`."""
    choice = IndicatorStatus(status)
    return choice.short_label if short else str(choice.label)


@register.simple_tag
def figure_status(status: str) -> SafeString:
    """A figure's place in the review, as a badge: `{% figure_status figure.status %}`."""
    choice = MeasurementStatus(status)
    return badge(choice.css, str(choice.label))


@register.simple_tag
def indicator_covered(indicator: Indicator, snapshot: IndicatorSnapshot | None) -> str:
    """Which periods the value covers: `{% indicator_covered indicator snapshot %}` (targets/windows.py)."""
    return snapshot_label(indicator, snapshot)


@register.simple_tag
def indicator_reason(indicator: Indicator, snapshot: IndicatorSnapshot | None) -> str:
    """Why the status is what it is, one line: `{% indicator_reason indicator snapshot %}` (targets/status.py)."""
    return status_reason(indicator, snapshot)


@register.simple_tag
def indicator_value(indicator: Indicator, value: Decimal | None) -> str:
    """The value as written: `{% indicator_value indicator snapshot.value %}` ("Đạt", "87,3%", "99,02%")."""
    return value_written(indicator, value)


@register.simple_tag
def kind_value(kind: str, value: Decimal | None) -> str:
    """A value written by its indicator's kind alone: `{% kind_value row.kind row.value %}` ("Đạt", "87,3%")."""
    return written_value(kind, None, value)
