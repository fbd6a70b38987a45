"""Tasks (nhiệm vụ, giải pháp) of a plan, assigned to a lead unit and coordinating units."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from parplan.models import ReformArea, Unit


class ProgressStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Chưa thực hiện")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    COMPLETED = "completed", _("Đã hoàn thành")
    PAUSED = "paused", _("Tạm dừng")


class TaskQuerySet(models.QuerySet["Task"]):
    def for_list(self) -> TaskQuerySet:
        return (
            self.select_related("area", "lead_unit")
            .prefetch_related("coordinating_units")
            .order_by("area__number", "position")
        )

    def open(self) -> TaskQuerySet:
        return self.exclude(status=ProgressStatus.COMPLETED)

    def past_due(self, today: datetime.date) -> TaskQuerySet:
        """Not completed and due before `today`: the definition of overdue."""
        return self.open().filter(due_date__lt=today)

    def involving_unit(self, unit: Unit) -> TaskQuerySet:
        return self.filter(Q(lead_unit=unit) | Q(coordinating_units=unit)).distinct()

    def with_unit_role(self, unit: Unit) -> TaskQuerySet:
        """Annotate `unit_role`: "lead" or "coordinating" for `unit`."""
        return self.annotate(unit_role=Case(When(lead_unit=unit, then=Value("lead")), default=Value("coordinating")))


class Task(models.Model):
    area = models.ForeignKey(ReformArea, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("lĩnh vực"))
    position = models.PositiveSmallIntegerField(_("thứ tự"))
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
    # The seed's bullets rarely name their units; an assignment made by
    # mandate rather than by the text is flagged until the secretariat confirms it.
    assignment_assumed = models.BooleanField(_("phân công theo suy đoán"), default=False)
    due_date = models.DateField(_("hạn hoàn thành"), null=True, blank=True)
    expected_output = models.CharField(_("sản phẩm"), max_length=255, blank=True)
    status = models.CharField(
        _("tình trạng"), max_length=12, choices=ProgressStatus.choices, default=ProgressStatus.NOT_STARTED
    )
    progress_percent = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    progress_note = models.TextField(_("ghi chú tiến độ"), blank=True)
    completed_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    # Set by the nightly job the first day a task is found past due; cleared
    # when it is completed or its due date moves. Kept so notices say "since".
    overdue_since = models.DateField(_("quá hạn từ ngày"), null=True, blank=True, editable=False)

    history = HistoricalRecords(m2m_fields=[coordinating_units])
    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ["area", "position"]
        constraints = [
            models.UniqueConstraint(fields=["area", "position"], name="one_task_position_per_area"),
            models.CheckConstraint(condition=Q(progress_percent__lte=100), name="progress_at_most_100"),
        ]
        permissions = [
            ("report_progress", _("Cập nhật tiến độ nhiệm vụ (đơn vị chủ trì)")),
            ("contribute_task", _("Báo cáo phần phối hợp (đơn vị phối hợp)")),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        """The first clause of the text, short enough for lists."""
        first = self.text.split(";")[0].split(". ")[0]
        return first if len(first) <= 120 else first[:117].rsplit(" ", 1)[0] + "…"

    def is_overdue_on(self, today: datetime.date) -> bool:
        return self.status != ProgressStatus.COMPLETED and self.due_date is not None and self.due_date < today
