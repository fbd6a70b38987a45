"""Task states and progress statuses in templates: labels and badge classes from tasks.models, never typed in."""

from __future__ import annotations

from django import template

from tasks.models import ProgressStatus, TaskState

register = template.Library()


@register.inclusion_tag("_badge.html")
def task_state(state: str) -> dict[str, str]:
    """The derived state's badge: `{% task_state task.state %}`."""
    choice = TaskState(state)
    return {"css": choice.css, "label": str(choice.label)}


@register.simple_tag
def task_state_label(state: str, *, short: bool = False) -> str:
    """A state's name for a column heading: `{% task_state_label "overdue" %}` (short=True where narrow)."""
    choice = TaskState(state)
    return choice.short_label if short else str(choice.label)


@register.inclusion_tag("_badge.html")
def progress_status(status: str) -> dict[str, str]:
    """The last report's status, as a badge: `{% progress_status task.status %}`."""
    choice = ProgressStatus(status)
    return {"css": choice.css, "label": str(choice.label)}
