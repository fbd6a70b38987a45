from __future__ import annotations

from django.contrib import admin

from parplan.admin import SCOPE_LOOKUPS, ScopedAdmin
from tasks.models import Task

SCOPE_LOOKUPS[Task] = "area__plan__issuing_unit__path"


@admin.register(Task)
class TaskAdmin(ScopedAdmin):
    list_display = ["__str__", "area", "lead_unit", "status", "due_date"]
    list_filter = [("area__plan", admin.RelatedOnlyFieldListFilter), "area__number", "status", "assignment_assumed"]
    search_fields = ["text"]
    list_select_related = ["area", "lead_unit"]
    # Assignment carries object rights: it is changed on the task's "Phân công"
    # page, whose service grants and revokes them.
    # Workflow fields change only through the task pages' services (rights, notices, versions).
    readonly_fields = [
        "lead_unit", "coordinating_units", "assignment_assumed", "overdue_since", "completed_on", "status",
        "progress_percent", "progress_note", "claimed_at", "claimed_by", "confirmed_at", "confirmed_by",
        "cancelled_at", "cancel_reason", "review_comment",
    ]  # fmt: skip
