"""Tasks in the Django admin: their own fields are edited through `task_update`, the rest is read-only.

Assignment carries object rights and is changed on the task's "Phân công" page;
progress, completion, cancellation and extensions have their own pages and
services (rights, notices, versions). Tasks are created on the plan's "new
task" page or by a plan import.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parplan.admin import SCOPE_LOOKUPS, ReadOnlyAdmin, ScopedAdmin
from parplan.forms import PortalModelForm
from parplan.http import signed_in_user
from tasks.models import ExtensionRequest, ProgressReport, Task, TaskOccurrence
from tasks.services import task_delete, task_update
from tasks.services.assignment import EDITABLE_FIELDS, _check_dates, _check_recurrence
from tasks.services.conflicts import task_conflict

# claimed_by, confirmed_by and version have no Vietnamese name on the model: shown by methods below.
WORKFLOW_FIELDS = (
    "lead_unit", "coordinating_units", "assignment_assumed", "status", "progress_percent", "progress_note",
    "completed_on", "claimed_at", "claimed_by_shown", "confirmed_at", "confirmed_by_shown", "review_comment",
    "cancelled_at", "cancel_reason", "overdue_since",
)  # fmt: skip


class TaskAdminForm(PortalModelForm):
    # The version the form was opened on: a save over a newer one is refused, as on the task's own page.
    opened_version = forms.IntegerField(label=_("Phiên bản khi mở trang"), widget=forms.HiddenInput)

    class Meta:
        model = Task
        fields = EDITABLE_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["opened_version"].initial = self.instance.version

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        stored = Task.objects.filter(pk=self.instance.pk).first()
        opened = cleaned.get("opened_version")
        if stored is None or opened is None or stored.version != opened:
            raise ValidationError(_stale_message(stored, opened), code="stale")
        _check_recurrence(cleaned.get("recurrence") or "", cleaned.get("recurrence_due_day"))
        _check_dates(stored.area.plan.year, cleaned.get("start_date"), cleaned.get("due_date"),
                     cleaned.get("assigned_by_date"))  # fmt: skip
        return cleaned


def _stale_message(stored: Task | None, opened: int | None) -> str:
    """Who changed the task since the page was opened, and each field's change, as the task's own page lists them."""
    reopen = _("Mở lại trang để xem thay đổi rồi sửa lại.")
    if stored is None or opened is None:
        return _("Nhiệm vụ vừa được người khác cập nhật. %(reopen)s") % {"reopen": reopen}
    conflict = task_conflict(stored, opened, {})
    when = timezone.localtime(conflict.at).strftime("%d/%m/%Y %H:%M") if conflict.at else ""
    changes = "; ".join(
        f"{capfirst(change.label)}: {change.seen or '—'} → {change.theirs or '—'}" for change in conflict.changes
    )
    return _("Nhiệm vụ vừa được %(who)s cập nhật lúc %(when)s (%(changes)s). %(reopen)s") % {
        "who": conflict.by or _("người khác"), "when": when, "changes": changes or _("không đổi mục nào ở đây"),
        "reopen": reopen,
    }  # fmt: skip


def _person(user: Any) -> str:
    return str(user.get_full_name() or user.username) if user is not None else "—"


SCOPE_LOOKUPS[Task] = "area__plan__issuing_unit__path"
SCOPE_LOOKUPS.update(
    dict.fromkeys([ProgressReport, ExtensionRequest, TaskOccurrence], "task__area__plan__issuing_unit__path")
)


@admin.register(Task)
class TaskAdmin(ScopedAdmin):
    form = TaskAdminForm
    list_display = ["__str__", "area", "lead_unit", "status", "due_date"]
    list_filter = [("area__plan", admin.RelatedOnlyFieldListFilter), "area__number", "status", "assignment_assumed"]
    search_fields = ["text"]
    list_select_related = ["area", "lead_unit"]
    fields = ["area", "position", "key", "version_shown", *EDITABLE_FIELDS, *WORKFLOW_FIELDS, "opened_version"]
    readonly_fields = ["area", "position", "key", "version_shown", *WORKFLOW_FIELDS]
    actions = None  # no bulk delete

    @admin.display(description=gettext_lazy("phiên bản"))
    def version_shown(self, obj: Task) -> int:
        return obj.version

    @admin.display(description=gettext_lazy("người báo hoàn thành"))
    def claimed_by_shown(self, obj: Task) -> str:
        return _person(obj.claimed_by)

    @admin.display(description=gettext_lazy("người xác nhận hoàn thành"))
    def confirmed_by_shown(self, obj: Task) -> str:
        return _person(obj.confirmed_by)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        # A cancelled or confirmed task is closed: `task_update` refuses it.
        return bool(super().has_change_permission(request, obj)) and not (isinstance(obj, Task) and obj.is_closed)

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        # Deleting takes the task's reports and files with it: only a task with no work done.
        if obj is not None and Task.objects.filter(pk=obj.pk).with_work().exists():
            return False
        return bool(super().has_delete_permission(request, obj))

    def revert_disabled(self, request: HttpRequest, obj: Task | None = None) -> bool:
        return True  # an old record's version is stale: the form would refuse it anyway

    def save_model(self, request: HttpRequest, obj: Task, form: Any, change: bool) -> None:
        values = {name: form.cleaned_data[name] for name in EDITABLE_FIELDS}
        opened = form.cleaned_data["opened_version"]
        saved = task_update(task=obj, expected_version=opened, user=signed_in_user(request), **values)
        obj.version = saved.record.version

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Nothing: the form holds no relation (assignment is read-only here)."""

    def delete_model(self, request: HttpRequest, obj: Task) -> None:
        task_delete(task=obj, user=signed_in_user(request))  # with the indicators its text states


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyAdmin):
    list_display = ["task", "unit", "role", "percent", "created_at"]
    list_filter = ["role"]
    list_select_related = ["task", "unit"]


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(ReadOnlyAdmin):
    list_display = ["task", "new_due_date", "state", "requested_at"]
    list_filter = ["state"]
    list_select_related = ["task"]


@admin.register(TaskOccurrence)
class TaskOccurrenceAdmin(ReadOnlyAdmin):
    list_display = ["task", "label", "due_date", "done_on"]
    list_select_related = ["task"]
