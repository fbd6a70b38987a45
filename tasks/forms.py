"""Task forms. Plain forms: the services do every write."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import F, Q, QuerySet
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

from evidence.forms import MultipleFileField
from parplan.forms import PortalForm, WholeNumberField, bound_dates, form_field
from parplan.models import Plan, ReformArea, Unit
from tasks.models import Priority, ProgressStatus, Recurrence, Task, TaskState
from tasks.services.progress import REPORTABLE_STATUSES, evidence_required

_DATE = forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"})
# The task's own dates, kept within its plan's years (parplan.validators.plan_date_range).
_TASK_DATES = ("start_date", "due_date", "assigned_by_date")


def _version_field(*, required: bool) -> forms.IntegerField:
    """The task's version when the form was opened; a save over a newer one is a conflict."""
    return forms.IntegerField(
        label=_("Phiên bản"),
        widget=forms.HiddenInput,
        required=required,
        error_messages={
            "required": _("Trang thiếu phiên bản của nhiệm vụ; hãy mở lại trang nhiệm vụ rồi nhập lại."),
            "invalid": _("Phiên bản của nhiệm vụ không hợp lệ; hãy mở lại trang nhiệm vụ rồi nhập lại."),
        },
    )


class TaskProgressForm(PortalForm):
    """The lead unit's report. Completion is claimed with its own button, not chosen here."""

    status = forms.ChoiceField(
        label=_("Tình trạng"), choices=[(s.value, s.label) for s in ProgressStatus if s in REPORTABLE_STATUSES]
    )
    # Whole percent: "50,5" is refused, never read as 505 (a thousands mark) nor rounded.
    percent = WholeNumberField(
        label=_("Tiến độ (%)"),
        min_value=0,
        max_value=99,
        # These messages are %-formatted with the limit, so a literal % is written %%.
        error_messages={
            "negative": _("Tiến độ không được nhỏ hơn %(limit_value)s%%."),
            "max_value": _("Tiến độ tối đa %(limit_value)s%%; đã xong thì dùng nút “Báo hoàn thành”."),
            "whole": _("Tiến độ ghi bằng số nguyên phần trăm, ví dụ 50 (đã nhập “%(value)s”)."),
        },
    )
    text = forms.CharField(label=_("Kết quả thực hiện"), widget=forms.Textarea(attrs={"rows": 4}))
    # Django's form metaclass takes fields off the class: `form.files` stays the request's files.
    files = MultipleFileField(label=_("Tài liệu kiểm chứng"), required=False)  # type: ignore[assignment]
    version = _version_field(required=True)

    @classmethod
    def for_task(
        cls,
        task: Task,
        data: Mapping[str, Any] | None = None,
        files: MultiValueDict[str, UploadedFile] | None = None,
    ) -> TaskProgressForm:
        status = task.status if task.status in REPORTABLE_STATUSES else ProgressStatus.IN_PROGRESS
        initial = {"status": status, "percent": min(task.progress_percent, 99), "version": task.version}
        return cls(data, files, initial=initial)


class ContributionForm(PortalForm):
    unit = forms.ModelChoiceField(label=_("Đơn vị phối hợp"), queryset=Unit.objects.none(), empty_label=None)
    text = forms.CharField(label=_("Nội dung đã phối hợp thực hiện"), widget=forms.Textarea(attrs={"rows": 4}))
    # Django's form metaclass takes fields off the class: `form.files` stays the request's files.
    files = MultipleFileField(label=_("Tài liệu kiểm chứng"), required=False)  # type: ignore[assignment]

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "unit", forms.ModelChoiceField).queryset = units


class CommentForm(PortalForm):
    comment = forms.CharField(label=_("Ý kiến"), widget=forms.Textarea(attrs={"rows": 3}))


class ClaimForm(PortalForm):
    """What was achieved, and the files that show it (required when the task names its output)."""

    text = forms.CharField(
        label=_("Kết quả, sản phẩm"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Cần ghi kết quả, sản phẩm của nhiệm vụ khi báo hoàn thành.")},
    )
    # Django's form metaclass takes fields off the class: `form.files` stays the request's files.
    files = MultipleFileField(label=_("Tài liệu kiểm chứng"), required=False)  # type: ignore[assignment]

    @classmethod
    def for_task(
        cls,
        task: Task,
        data: Mapping[str, Any] | None = None,
        files: MultiValueDict[str, UploadedFile] | None = None,
    ) -> ClaimForm:
        form = cls(data, files)
        if evidence_required(task):
            form.fields["files"].help_text = _(
                "Nhiệm vụ có sản phẩm “%(output)s”: đính kèm tệp sản phẩm, nếu chưa gửi kèm báo cáo tiến độ."
            ) % {"output": task.expected_output.strip()}
        return form


class CancelForm(PortalForm):
    reason = forms.CharField(label=_("Lý do hủy"), widget=forms.Textarea(attrs={"rows": 3}))


class ExtensionRequestForm(PortalForm):
    new_due_date = forms.DateField(label=_("Hạn mới đề nghị"), widget=_DATE)
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bound_dates(self, year, "new_due_date")


class ExtensionDecisionForm(PortalForm):
    decision = forms.ChoiceField(
        label=_("Quyết định"), choices=[("approve", _("Đồng ý gia hạn")), ("refuse", _("Không đồng ý"))]
    )
    note = forms.CharField(label=_("Ý kiến"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class TaskEditForm(PortalForm):
    """The secretariat's form for a task's own fields (assignment has its own page)."""

    title = forms.CharField(
        label=_("Tên nhiệm vụ"), max_length=255, required=False, help_text=_("Để trống thì lấy câu đầu của nội dung.")
    )
    text = forms.CharField(label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 5}))
    start_date = forms.DateField(label=_("Ngày bắt đầu"), required=False, widget=_DATE)
    due_date = forms.DateField(label=_("Hạn hoàn thành"), required=False, widget=_DATE)
    recurrence = forms.ChoiceField(label=_("Lặp lại"), choices=Recurrence.choices, required=False)
    recurrence_due_day = WholeNumberField(label=_("Hạn vào ngày (trong tháng cuối kỳ)"), required=False)
    priority = forms.ChoiceField(label=_("Mức ưu tiên"), choices=Priority.choices, initial=Priority.NORMAL)
    expected_output = forms.CharField(
        label=_("Sản phẩm"),
        max_length=255,
        required=False,
        help_text=_("Khi ghi sản phẩm, đơn vị báo hoàn thành phải kèm tệp sản phẩm làm tài liệu kiểm chứng."),
    )
    assigned_by_number = forms.CharField(label=_("Số văn bản giao"), max_length=60, required=False)
    assigned_by_date = forms.DateField(label=_("Ngày văn bản giao"), required=False, widget=_DATE)
    version = _version_field(required=False)

    def __init__(self, *args: Any, year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bound_dates(self, year, *_TASK_DATES)

    @classmethod
    def for_task(cls, task: Task, data: Mapping[str, Any] | None = None) -> TaskEditForm:
        from tasks.services.assignment import EDITABLE_FIELDS

        initial = {name: getattr(task, name) for name in EDITABLE_FIELDS} | {"version": task.version}
        return cls(data, initial=initial, year=task.area.plan.year)


class TaskCreateForm(TaskEditForm):
    area = forms.ModelChoiceField(label=_("Lĩnh vực"), queryset=ReformArea.objects.none())
    lead_unit = forms.ModelChoiceField(label=_("Đơn vị chủ trì"), queryset=Unit.objects.none(), required=False)
    coordinating_units = forms.ModelMultipleChoiceField(
        label=_("Đơn vị phối hợp"), queryset=Unit.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    # A new task has no version to check.
    version = None  # type: ignore[assignment]
    field_order = ["area", "title", "text", "lead_unit", "coordinating_units"]

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, year=plan.year, **kwargs)
        units = Unit.objects.below(plan.issuing_unit).current().select_related("kind").order_by("path")
        form_field(self, "area", forms.ModelChoiceField).queryset = plan.areas.order_by("number")
        form_field(self, "lead_unit", forms.ModelChoiceField).queryset = units
        form_field(self, "coordinating_units", forms.ModelMultipleChoiceField).queryset = units


class TaskAssignForm(PortalForm):
    lead_unit = forms.ModelChoiceField(label=_("Đơn vị chủ trì"), queryset=Unit.objects.none())
    coordinating_units = forms.ModelMultipleChoiceField(
        label=_("Đơn vị phối hợp"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "lead_unit", forms.ModelChoiceField).queryset = units
        form_field(self, "coordinating_units", forms.ModelMultipleChoiceField).queryset = units

    @classmethod
    def for_task(cls, task: Task, data: Mapping[str, Any] | None = None) -> TaskAssignForm:
        # Units in operation, and those the task already names (a unit ended since keeps its place until changed).
        named = [task.lead_unit_id, *task.coordinating_units.values_list("pk", flat=True)]
        below = Unit.objects.below(task.area.plan.issuing_unit)
        units = below.filter(Q(active=True) | Q(pk__in=named)).select_related("kind").order_by("path")
        return cls(
            data,
            units=units,
            initial={"lead_unit": task.lead_unit, "coordinating_units": list(task.coordinating_units.all())},
        )


# Tasks without a due date go last either way: databases disagree on where NULL sorts
# (first in SQLite, last in PostgreSQL), and "due soonest" must not open on undated tasks.
SORTS = {
    "number": ("area__number", "position"),
    "due": (F("due_date").asc(nulls_last=True), "area__number", "position"),
    "-due": (F("due_date").desc(nulls_last=True), "area__number", "position"),
    "unit": ("lead_unit__name", "area__number", "position"),
    "progress": ("progress_percent", "area__number", "position"),
}


class TaskFilterForm(PortalForm):
    area = forms.TypedChoiceField(label=_("Lĩnh vực"), coerce=int, required=False, empty_value=None)
    unit = forms.ModelChoiceField(label=_("Đơn vị"), queryset=Unit.objects.none(), required=False)
    state = forms.ChoiceField(label=_("Tình trạng"), choices=[("", _("Tất cả")), *TaskState.choices], required=False)
    overdue = forms.BooleanField(label=_("Chỉ nhiệm vụ quá hạn"), required=False)
    due_before = forms.DateField(label=_("Hạn trước ngày"), required=False, widget=_DATE)
    sort = forms.ChoiceField(
        label=_("Sắp xếp"),
        required=False,
        choices=[("number", _("Theo số thứ tự")), ("due", _("Hạn sớm trước")), ("-due", _("Hạn muộn trước")),
                 ("unit", _("Theo đơn vị chủ trì")), ("progress", _("Tiến độ thấp trước"))],
    )  # fmt: skip

    def __init__(self, *args: Any, plan: Plan, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        areas = [(a.number, str(a)) for a in plan.areas.order_by("number")]
        form_field(self, "area", forms.ChoiceField).choices = [("", _("Tất cả")), *areas]
        form_field(self, "unit", forms.ModelChoiceField).queryset = units
