"""Tasks (nhiệm vụ, giải pháp) of a plan, assigned to a lead unit and coordinating units."""

from __future__ import annotations

import datetime
import uuid
from typing import TYPE_CHECKING, Any, TypedDict

from django.conf import settings
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from evidence.models import evidence_relation
from parplan.models import ReformArea, Unit
from targets.models import Measurement, period_label_read

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django_stubs_ext import WithAnnotations

    from targets.models import Indicator


class ProgressStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Chưa thực hiện")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    COMPLETED = "completed", _("Đã hoàn thành")
    PAUSED = "paused", _("Tạm dừng")

    @property
    def css(self) -> str:
        """The badge's classes; their colours are in static/css/parplan.css (.badge-*)."""
        return f"badge badge-{self.value}"


class Recurrence(models.TextChoices):
    NONE = "", _("Không lặp lại")
    MONTHLY = "monthly", _("Hằng tháng")
    QUARTERLY = "quarterly", _("Hằng quý")
    YEARLY = "yearly", _("Hằng năm")


class Priority(models.TextChoices):
    LOW = "low", _("Thấp")
    NORMAL = "normal", _("Bình thường")
    HIGH = "high", _("Cao")


class TaskState(models.TextChoices):
    """Derived from dates and the completion workflow, never typed in."""

    NOT_STARTED = "not_started", _("Chưa thực hiện")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    PAUSED = "paused", _("Tạm dừng")
    OVERDUE = "overdue", _("Quá hạn")
    AWAITING_CONFIRMATION = "awaiting", _("Chờ xác nhận hoàn thành")
    COMPLETED_ON_TIME = "on_time", _("Hoàn thành đúng hạn")
    COMPLETED_LATE = "late", _("Hoàn thành trễ hạn")
    CANCELLED = "cancelled", _("Đã hủy")

    @property
    def css(self) -> str:
        """The badge's classes; their colours are in static/css/parplan.css (.state-*)."""
        return f"state state-{self.value}"

    @property
    def short_label(self) -> str:
        """The label in a narrow column heading (the dashboard's)."""
        return str(_TASK_STATE_SHORT_LABELS.get(self, self.label))


_TASK_STATE_SHORT_LABELS = {
    TaskState.COMPLETED_ON_TIME: _("Xong đúng hạn"),
    TaskState.COMPLETED_LATE: _("Xong trễ hạn"),
    TaskState.IN_PROGRESS: _("Đang làm"),
    TaskState.AWAITING_CONFIRMATION: _("Chờ xác nhận"),
}


# The derived-state rule (docs/tasks.md, "Derived states") lives here twice, once in
# SQL for lists that filter, sort and count by it, once in Python for one task:
# `state_expression` and `derive_state` are kept side by side and tested to agree
# (tests/tasks/test_states.py). Everything else asks one of them.


def state_expression(today: datetime.date) -> Case:
    """The SQL for `derive_state` on the task as recorded, so lists filter, sort and count by it."""
    confirmed = Q(confirmed_at__isnull=False)
    return Case(
        When(cancelled_at__isnull=False, then=Value(TaskState.CANCELLED)),
        When(confirmed & (Q(due_date__isnull=True) | Q(completed_on__lte=F("due_date"))),
             then=Value(TaskState.COMPLETED_ON_TIME)),
        When(confirmed, then=Value(TaskState.COMPLETED_LATE)),
        When(claimed_at__isnull=False, then=Value(TaskState.AWAITING_CONFIRMATION)),
        When(due_date__lt=today, then=Value(TaskState.OVERDUE)),
        When(status=ProgressStatus.PAUSED, then=Value(TaskState.PAUSED)),
        When(Q(status=ProgressStatus.IN_PROGRESS) | Q(progress_percent__gt=0), then=Value(TaskState.IN_PROGRESS)),
        default=Value(TaskState.NOT_STARTED),
        output_field=models.CharField(),
    )  # fmt: skip


def derive_state(
    *, day: datetime.date, cancelled: bool, claimed: bool, confirmed: bool, completed_on: datetime.date | None,
    due_date: datetime.date | None, status: str, progress_percent: int,
) -> TaskState:  # fmt: skip
    """A task's state on `day` from what is known of it then: the first rule that holds wins."""
    if cancelled:
        return TaskState.CANCELLED
    if confirmed:
        on_time = due_date is None or (completed_on is not None and completed_on <= due_date)
        return TaskState.COMPLETED_ON_TIME if on_time else TaskState.COMPLETED_LATE
    if claimed:
        return TaskState.AWAITING_CONFIRMATION
    if due_date is not None and due_date < day:
        return TaskState.OVERDUE
    if status == ProgressStatus.PAUSED:
        return TaskState.PAUSED
    if status == ProgressStatus.IN_PROGRESS or progress_percent > 0:
        return TaskState.IN_PROGRESS
    return TaskState.NOT_STARTED


class StateAnnotation(TypedDict):
    state: str


class TaskQuerySet(models.QuerySet["Task"]):
    def for_list(self) -> TaskQuerySet:
        return (
            self.select_related("area", "lead_unit")
            .prefetch_related("coordinating_units")
            .order_by("area__number", "position")
        )

    def open(self) -> TaskQuerySet:
        """Not cancelled and not yet claimed or confirmed as completed."""
        return self.filter(cancelled_at__isnull=True, claimed_at__isnull=True, confirmed_at__isnull=True)

    def past_due(self, today: datetime.date) -> TaskQuerySet:
        """Overdue on `today`, by the one state rule (`state_expression`)."""
        return self.alias(state_on_day=state_expression(today)).filter(state_on_day=TaskState.OVERDUE)

    def with_work(self) -> TaskQuerySet:
        """Tasks that deleting would lose work of: progress or completion, reports (and
        their files), extension requests, periods marked done, figures of the
        indicators their text states, a cancellation."""
        task = OuterRef("pk")
        return self.filter(
            Q(progress_percent__gt=0)
            | ~Q(status=ProgressStatus.NOT_STARTED)
            | Q(claimed_at__isnull=False)
            | Q(confirmed_at__isnull=False)
            | Q(cancelled_at__isnull=False)
            | Exists(ProgressReport.objects.filter(task=task))
            | Exists(ExtensionRequest.objects.filter(task=task))
            | Exists(TaskOccurrence.objects.filter(task=task, done_on__isnull=False))
            | Exists(Measurement.objects.filter(indicator__stated_in__task=task))
        )

    def with_state(self, today: datetime.date) -> models.QuerySet[WithAnnotations[Task, StateAnnotation]]:
        """Annotate `state` (a TaskState value) as of `today`."""
        # The plugin does not match an annotating QuerySet method's own result to its
        # declared annotations (typeddjango/django-stubs#1190); callers get them typed.
        return self.annotate(state=state_expression(today))  # type: ignore[return-value]

    def involving_unit(self, unit: Unit) -> TaskQuerySet:
        return self.filter(Q(lead_unit=unit) | Q(coordinating_units=unit)).distinct()

    def with_unit_role(self, unit: Unit) -> TaskQuerySet:
        """Annotate `unit_role`: "lead" or "coordinating" for `unit`."""
        return self.annotate(unit_role=Case(When(lead_unit=unit, then=Value("lead")), default=Value("coordinating")))


def new_task_key() -> str:
    """A short random key: unique within a plan in practice (48 bits for a few hundred tasks)."""
    return uuid.uuid4().hex[:12]


class Task(models.Model):
    area = models.ForeignKey(ReformArea, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("lĩnh vực"))
    position = models.PositiveSmallIntegerField(_("thứ tự"))
    # Given at creation, never changed, carried by plan files: a re-import finds the
    # task by it wherever the task moved, instead of by its place in a list.
    key = models.SlugField(_("mã nhiệm vụ"), max_length=40, default=new_task_key, editable=False)
    title = models.CharField(_("tên nhiệm vụ"), max_length=255, blank=True)
    text = models.TextField(_("nội dung nhiệm vụ"))
    lead_unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_tasks",
        verbose_name=_("đơn vị chủ trì"),
    )
    coordinating_units = models.ManyToManyField(
        Unit, blank=True, related_name="coordinated_tasks", verbose_name=_("đơn vị phối hợp")
    )
    # Measurable targets hidden in the task's bullet ("kiểm tra trên 30% …"). The
    # link lives here, above targets/, so that indicators need not know tasks.
    indicators: models.ManyToManyField[Indicator, TaskIndicator] = models.ManyToManyField(
        "targets.Indicator", through="TaskIndicator", blank=True, related_name="stating_tasks",
        verbose_name=_("chỉ số nêu trong nhiệm vụ"),
    )  # fmt: skip
    # The seed's bullets rarely name their units; an assignment made by
    # mandate rather than by the text is flagged until the secretariat confirms it.
    assignment_assumed = models.BooleanField(_("phân công theo suy đoán"), default=False)
    start_date = models.DateField(_("ngày bắt đầu"), null=True, blank=True)
    due_date = models.DateField(_("hạn hoàn thành"), null=True, blank=True)
    recurrence = models.CharField(_("lặp lại"), max_length=10, choices=Recurrence.choices, blank=True, default="")
    recurrence_due_day = models.PositiveSmallIntegerField(
        _("hạn vào ngày"), null=True, blank=True, help_text=_("Ngày trong tháng cuối của mỗi kỳ, ví dụ 20.")
    )
    priority = models.CharField(_("mức ưu tiên"), max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    expected_output = models.CharField(_("sản phẩm"), max_length=255, blank=True)
    assigned_by_number = models.CharField(_("số văn bản giao"), max_length=60, blank=True)
    assigned_by_date = models.DateField(_("ngày văn bản giao"), null=True, blank=True)
    status = models.CharField(
        _("tình trạng"), max_length=12, choices=ProgressStatus.choices, default=ProgressStatus.NOT_STARTED
    )
    progress_percent = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    progress_note = models.TextField(_("ghi chú tiến độ"), blank=True)
    completed_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    # The completion workflow: the lead unit's head claims, the secretariat confirms or returns.
    claimed_at = models.DateTimeField(_("báo hoàn thành lúc"), null=True, blank=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("xác nhận hoàn thành lúc"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_comment = models.TextField(_("ý kiến của Phòng Nội vụ"), blank=True)
    cancelled_at = models.DateTimeField(_("hủy lúc"), null=True, blank=True)
    cancel_reason = models.TextField(_("lý do hủy"), blank=True)
    # Bumped by every service write: a form saved on a stale version is a conflict, not an overwrite.
    version = models.PositiveIntegerField(default=1, editable=False)
    # Set by the nightly job the first day a task is found past due; cleared
    # when it is completed or its due date moves. Kept so notices say "since".
    overdue_since = models.DateField(_("quá hạn từ ngày"), null=True, blank=True, editable=False)

    history = HistoricalRecords(m2m_fields=[coordinating_units])
    # Set before a save to say why and by whom in its history row (django-simple-history
    # reads them; outside a request it knows no user).
    _change_reason: str
    _history_user: User | None
    _history_date: datetime.datetime  # when the change happened, if not now (the demo's past year)
    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ["area", "position"]
        constraints = [
            models.UniqueConstraint(fields=["area", "position"], name="one_task_position_per_area"),
            models.CheckConstraint(condition=Q(progress_percent__lte=100), name="progress_at_most_100"),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(due_date__isnull=True) | Q(due_date__gte=F("start_date")),
                name="due_not_before_start",
            ),
        ]
        permissions = [
            ("report_progress", _("Cập nhật tiến độ nhiệm vụ (đơn vị chủ trì)")),
            ("contribute_task", _("Báo cáo phần phối hợp (đơn vị phối hợp)")),
            ("claim_completion", _("Báo hoàn thành nhiệm vụ (lãnh đạo đơn vị chủ trì)")),
        ]

    def __str__(self) -> str:
        return self.title

    def state_on(self, today: datetime.date) -> TaskState:
        """The state on `today` of the task as recorded now (what its page and the lists show)."""
        return derive_state(
            day=today, cancelled=self.cancelled_at is not None, claimed=self.claimed_at is not None,
            confirmed=self.confirmed_at is not None, completed_on=self.completed_on, due_date=self.due_date,
            status=self.status, progress_percent=self.progress_percent,
        )  # fmt: skip

    def state_as_of(self, day: datetime.date) -> TaskState:
        """The state the task had at the end of `day` (a report's cut-off): later events do not count yet.

        The claim's date is `completed_on`; a cancellation counts from its local calendar
        day, since timestamps are stored in UTC and the cut-off is a day in Asia/Ho_Chi_Minh.
        """
        claimed = self.completed_on is not None and self.completed_on <= day
        cancelled = self.cancelled_at is not None and timezone.localdate(self.cancelled_at) <= day
        return derive_state(
            day=day, cancelled=cancelled, claimed=claimed, confirmed=claimed and self.confirmed_at is not None,
            completed_on=self.completed_on, due_date=self.due_date, status=self.status,
            progress_percent=self.progress_percent,
        )  # fmt: skip

    def is_overdue_on(self, today: datetime.date) -> bool:
        return self.state_on(today) == TaskState.OVERDUE

    @property
    def is_closed(self) -> bool:
        """Cancelled or confirmed: nothing more to edit."""
        return self.cancelled_at is not None or self.confirmed_at is not None


def derive_title(text: str) -> str:
    """The first clause of a task's text, short enough for lists."""
    first = text.split(";")[0].split(". ")[0].strip()
    return first if len(first) <= 120 else first[:117].rsplit(" ", 1)[0] + "…"


class TaskIndicator(models.Model):
    """An indicator stated in a task's text rather than in a target: each belongs to one task."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="stated_indicators")
    indicator = models.OneToOneField("targets.Indicator", on_delete=models.CASCADE, related_name="stated_in")

    class Meta:
        verbose_name = _("chỉ số nêu trong nhiệm vụ")
        verbose_name_plural = _("chỉ số nêu trong nhiệm vụ")

    def __str__(self) -> str:
        return f"{self.task} — {self.indicator}"


def task_field(name: str) -> models.Field[Any, Any]:
    """One of Task's own columns, for its verbose name and choices."""
    field = Task._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"Task.{name} is not a column")
    return field


class ReportRole(models.TextChoices):
    LEAD = "lead", _("Đơn vị chủ trì")
    COORDINATING = "coordinating", _("Đơn vị phối hợp")


class ProgressReport(models.Model):
    """One progress report: the lead unit's (percent, status) or a coordinating unit's contribution."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="task_reports", verbose_name=_("đơn vị"))
    role = models.CharField(_("vai trò"), max_length=12, choices=ReportRole.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # The services pass the time of the action (`at`): the demo's reports of a past year are dated in it.
    created_at = models.DateTimeField(_("thời điểm"), default=timezone.now, editable=False)
    status = models.CharField(_("tình trạng"), max_length=12, choices=ProgressStatus.choices, blank=True)
    percent = models.PositiveSmallIntegerField(_("tiến độ (%)"), null=True, blank=True)
    text = models.TextField(_("kết quả thực hiện"))
    evidence = evidence_relation("progress_report")

    history = HistoricalRecords()
    _history_date: datetime.datetime  # when the report was made, if not now (the demo's past year)

    class Meta:
        verbose_name = _("báo cáo tiến độ")
        verbose_name_plural = _("báo cáo tiến độ")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__isnull=True) | Q(percent__lte=100), name="report_percent_max_100"
            )
        ]

    def __str__(self) -> str:
        return f"{self.task} — {self.unit} — {self.created_at:%d/%m/%Y}"


def report_evidence_path(instance: Any, filename: str) -> str:
    # Named by migration 0002, which created the report evidence model (now evidence.Evidence).
    return f"tasks/{instance.report.task_id}/{filename}"


class ExtensionState(models.TextChoices):
    PENDING = "pending", _("Chờ quyết định")
    # The request's state; the decision form's choices are the same words in Vietnamese, not in English.
    APPROVED = "approved", pgettext_lazy("extension request", "Đồng ý")
    REFUSED = "refused", pgettext_lazy("extension request", "Không đồng ý")


class ExtensionRequest(models.Model):
    """The lead unit asks for a new due date; the secretariat decides. Kept as the due-date history."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="extensions")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    current_due_date = models.DateField(_("hạn hiện tại"), null=True)
    new_due_date = models.DateField(_("hạn đề nghị"))
    reason = models.TextField(_("lý do"))
    state = models.CharField(
        _("kết quả"), max_length=10, choices=ExtensionState.choices, default=ExtensionState.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("ý kiến"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("đề nghị gia hạn")
        verbose_name_plural = _("đề nghị gia hạn")
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.task}: {self.new_due_date:%d/%m/%Y}"


class TaskOccurrence(models.Model):
    """One period of a recurring task (e.g. the quarterly report due on the 20th)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="occurrences")
    number = models.PositiveSmallIntegerField()
    label = models.CharField(_("kỳ"), max_length=60)
    due_date = models.DateField(_("hạn"))
    done_on = models.DateField(_("hoàn thành ngày"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kỳ thực hiện")
        verbose_name_plural = _("kỳ thực hiện")
        ordering = ["task", "number"]
        constraints = [models.UniqueConstraint(fields=["task", "number"], name="one_occurrence_number_per_task")]

    def __str__(self) -> str:
        return period_label_read(self.label)
