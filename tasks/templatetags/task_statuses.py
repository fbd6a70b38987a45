"""Task states and progress statuses in templates: labels and badge classes from tasks.models, never typed in."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from parplan.badges import badge
from tasks.models import ProgressStatus, TaskState

register = template.Library()


@register.simple_tag
def task_state(state: str) -> SafeString:
    """The derived state's badge: `{% task_state task.state %}`."""
    choice = TaskState(state)
    return badge(choice.css, str(choice.label))


@register.simple_tag
def task_state_label(state: str, *, short: bool = False) -> str:
    """A state's name for a column heading: `{% task_state_label "overdue" %}` (short=True where narrow)."""
    choice = TaskState(state)
    return choice.short_label if short else str(choice.label)


@register.simple_tag
def progress_status(status: str) -> SafeString:
    """The last report's status, as a badge: `{% progress_status task.status %}`."""
    choice = ProgressStatus(status)
    return badge(choice.css, str(choice.label))
