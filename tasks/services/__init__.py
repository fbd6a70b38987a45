"""Writes of tasks. One module per part of the workflow; the names are re-exported here."""

from tasks.services.assignment import task_assign, task_cancel, task_create, task_update
from tasks.services.conflicts import TaskConflict
from tasks.services.definition import TaskDefinition, task_add, task_define, task_delete, tasks_place
from tasks.services.extensions import extension_decide, extension_request
from tasks.services.indicators import task_indicator_ensure, task_indicators_follow, task_indicators_trim
from tasks.services.progress import (
    occurrence_mark_done,
    task_claim_completion,
    task_confirm_completion,
    task_contribute,
    task_report_progress,
    task_return_completion,
)
from tasks.services.reminders import reminders_create, tasks_mark_overdue

__all__ = [
    "TaskConflict",
    "TaskDefinition",
    "extension_decide",
    "extension_request",
    "occurrence_mark_done",
    "reminders_create",
    "task_add",
    "task_assign",
    "task_cancel",
    "task_claim_completion",
    "task_confirm_completion",
    "task_contribute",
    "task_create",
    "task_define",
    "task_delete",
    "task_indicator_ensure",
    "task_indicators_follow",
    "task_indicators_trim",
    "task_report_progress",
    "task_return_completion",
    "task_update",
    "tasks_mark_overdue",
    "tasks_place",
]
