"""Inspections (kiểm tra CCHC, kiểm tra thi hành pháp luật): the yearly plan, visits, findings, recommendations.

Writes go through `inspections.services`; reads through `inspections.selectors`.
The figures the two computed indicators take from these records are written by
`inspections.indicators` (docs/inspections.md).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from evidence.models import evidence_relation
from parplan.models import Plan, ReformArea, Unit, UnitKind
from parplan.workflow import WorkState


class InspectionKind(models.TextChoices):
    """Who inspects what: the secretariat the PAR work, the justice office the enforcement of the law."""

    PAR = "par", _("Kiểm tra công tác CCHC")
    LAW = "law", _("Theo dõi, kiểm tra thi hành pháp luật")


class InspectionPlanQuerySet(models.QuerySet["InspectionPlan"]):
    def for_list(self) -> InspectionPlanQuerySet:
        return self.select_related("plan__issuing_unit", "conducting_unit").order_by("-plan__year", "kind")


class InspectionPlan(models.Model):
    """The yearly inspection plan of one issuing authority, of one kind (its PAR plan gives issuer and year)."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="inspection_plans", verbose_name=_("kế hoạch CCHC")
    )
    kind = models.CharField(_("loại kiểm tra"), max_length=10, choices=InspectionKind.choices)
    conducting_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan thực hiện kiểm tra")
    )
    decision_number = models.CharField(_("số quyết định"), max_length=40)
    decision_date = models.DateField(_("ngày quyết định"))
    topics = models.TextField(_("nội dung kiểm tra"), blank=True)
    areas = models.ManyToManyField(ReformArea, blank=True, related_name="+", verbose_name=_("lĩnh vực kiểm tra"))
    # The kinds of unit the coverage target counts ("cơ quan chuyên môn, UBND xã, thị trấn").
    scope_kinds = models.ManyToManyField(UnitKind, related_name="+", verbose_name=_("loại đơn vị thuộc phạm vi"))
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("đoàn kiểm tra")
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("trưởng đoàn"),
    )

    history = HistoricalRecords(m2m_fields=[areas, scope_kinds, team])
    objects = InspectionPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("kế hoạch kiểm tra")
        verbose_name_plural = _("kế hoạch kiểm tra")
        constraints = [models.UniqueConstraint(fields=["plan", "kind"], name="one_inspection_plan_per_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.plan.year}"


class PlannedUnit(models.Model):
    """A unit the plan will inspect, in which month, announced or not (đột xuất)."""

    inspection_plan = models.ForeignKey(InspectionPlan, on_delete=models.CASCADE, related_name="planned")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị"))
    month = models.PositiveSmallIntegerField(_("tháng dự kiến"))
    unannounced = models.BooleanField(_("kiểm tra đột xuất"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("đơn vị trong kế hoạch kiểm tra")
        verbose_name_plural = _("đơn vị trong kế hoạch kiểm tra")
        ordering = ["month", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["inspection_plan", "unit"], name="one_planned_row_per_unit"),
            models.CheckConstraint(condition=models.Q(month__gte=1, month__lte=12), name="planned_month_1_12"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.month:02d}"


class Visit(models.Model):
    """One inspection of one unit (đợt kiểm tra): who went, what they checked, what they concluded."""

    inspection_plan = models.ForeignKey(InspectionPlan, on_delete=models.CASCADE, related_name="visits")
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="inspection_visits", verbose_name=_("đơn vị được kiểm tra")
    )
    start_date = models.DateField(_("từ ngày"))
    end_date = models.DateField(_("đến ngày"))
    unannounced = models.BooleanField(_("kiểm tra đột xuất"), default=False)
    # Only a direct inspection (at the unit) counts toward the coverage target; one through the unit's reports does not.
    direct = models.BooleanField(_("kiểm tra trực tiếp"), default=True)
    team = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("thành viên"))
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("trưởng đoàn")
    )
    conclusion = models.TextField(_("kết luận"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[team])

    class Meta:
        verbose_name = _("đợt kiểm tra")
        verbose_name_plural = _("đợt kiểm tra")
        ordering = ["-start_date", "unit__path"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end_date__gte=models.F("start_date")), name="visit_dates_ordered")
        ]
        indexes = [models.Index(fields=["inspection_plan", "start_date"])]

    def __str__(self) -> str:
        return f"{self.unit} — {self.start_date:%d/%m/%Y}"


class AreaCheck(models.Model):
    """What the team checked in one reform area at the visit."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="checks")
    area = models.ForeignKey(ReformArea, on_delete=models.CASCADE, related_name="+", verbose_name=_("lĩnh vực"))
    notes = models.TextField(_("nội dung đã kiểm tra"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nội dung kiểm tra theo lĩnh vực")
        verbose_name_plural = _("nội dung kiểm tra theo lĩnh vực")
        ordering = ["area__number"]
        constraints = [models.UniqueConstraint(fields=["visit", "area"], name="one_check_per_visit_area")]

    def __str__(self) -> str:
        return f"{self.visit} — {self.area}"


class Severity(models.TextChoices):
    LOW = "low", _("Nhẹ")
    MEDIUM = "medium", _("Trung bình")
    HIGH = "high", _("Nghiêm trọng")


class FindingOutcome(models.TextChoices):
    OPEN = "open", _("Chưa xử lý")
    HANDLED = "handled", _("Đã xử lý")
    REFERRED = "referred", _("Đã kiến nghị xử lý")


class Finding(models.Model):
    """A problem the team found (tồn tại, hạn chế), to be handled or referred by its deadline."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="findings")
    area = models.ForeignKey(ReformArea, on_delete=models.CASCADE, related_name="+", verbose_name=_("lĩnh vực"))
    severity = models.CharField(_("mức độ"), max_length=10, choices=Severity.choices, default=Severity.MEDIUM)
    text = models.TextField(_("nội dung phát hiện"))
    deadline = models.DateField(_("hạn xử lý"))
    outcome = models.CharField(_("kết quả xử lý"), max_length=10, choices=FindingOutcome.choices, default="open")
    outcome_on = models.DateField(_("ngày xử lý"), null=True, blank=True)
    outcome_note = models.TextField(_("ghi chú xử lý"), blank=True)
    evidence = evidence_relation("finding")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("vấn đề phát hiện")
        verbose_name_plural = _("vấn đề phát hiện")
        ordering = ["visit", "pk"]

    def __str__(self) -> str:
        return self.text[:80]

    def handled_in_time(self) -> bool:
        return self.outcome != FindingOutcome.OPEN and self.outcome_on is not None and self.outcome_on <= self.deadline


# The completion workflow a task follows too (parplan.workflow; docs/inspections.md says why it is shared).
RecommendationState = WorkState


class RecommendationQuerySet(models.QuerySet["Recommendation"]):
    def for_list(self) -> RecommendationQuerySet:
        return self.select_related("unit", "visit__inspection_plan__plan", "finding").order_by("deadline", "pk")

    def overdue_on(self, day: datetime.date) -> RecommendationQuerySet:
        return self.exclude(state=RecommendationState.CONFIRMED).filter(deadline__lt=day)


class Recommendation(models.Model):
    """A kiến nghị to the inspected unit, followed until the secretariat confirms it done."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="recommendations")
    finding = models.ForeignKey(
        Finding,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recommendations",
        verbose_name=_("vấn đề phát hiện"),
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="recommendations", verbose_name=_("đơn vị"))
    text = models.TextField(_("nội dung kiến nghị"))
    deadline = models.DateField(_("hạn thực hiện"))
    state = models.CharField(
        _("trạng thái"), max_length=10, choices=RecommendationState.choices, default=RecommendationState.OPEN
    )
    response = models.TextField(_("kết quả thực hiện của đơn vị"), blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_comment = models.TextField(_("ý kiến Phòng Nội vụ"), blank=True)
    confirmed_on = models.DateField(_("ngày xác nhận"), null=True, blank=True)
    requested_deadline = models.DateField(_("hạn mới đề nghị"), null=True, blank=True)
    extension_reason = models.TextField(_("lý do đề nghị gia hạn"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    evidence = evidence_relation("recommendation")

    history = HistoricalRecords()
    _history_user: Any
    _change_reason: str
    _history_date: datetime.datetime  # when the change happened, if not now (the demo's past year)
    objects = RecommendationQuerySet.as_manager()

    class Meta:
        verbose_name = _("kiến nghị")
        verbose_name_plural = _("kiến nghị")
        ordering = ["deadline", "pk"]
        indexes = [models.Index(fields=["unit", "state"])]

    def __str__(self) -> str:
        return self.text[:80]

    def state_label(self) -> str:
        return str(RecommendationState(self.state).label)

    @property
    def state_css(self) -> str:
        return RecommendationState(self.state).css

    def is_overdue(self, day: datetime.date) -> bool:
        return self.state != RecommendationState.CONFIRMED and self.deadline < day
