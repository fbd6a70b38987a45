"""PAR reports: the secretariat's narrative per plan and period, and each generated version."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from parplan.models import Plan
from targets.models import Frequency
from targets.periods import period_spec


class ReportKind(models.TextChoices):
    Q1 = "q1", _("Báo cáo quý I")
    H1 = "h1", _("Báo cáo 6 tháng")
    Q3 = "q3", _("Báo cáo quý III")
    YEAR = "year", _("Báo cáo năm")


# Each report covers one period of the reporting calendar (targets/periods.py):
# Q1 and H1 run from 15/12 of the previous year, Q3 is its own quarter.
_PERIODS = {
    ReportKind.Q1: (Frequency.QUARTERLY, 1),
    ReportKind.H1: (Frequency.HALF_YEAR, 1),
    ReportKind.Q3: (Frequency.QUARTERLY, 3),
    ReportKind.YEAR: (Frequency.YEAR, 1),
}


def report_window(kind: str, year: int) -> tuple[datetime.date, datetime.date]:
    spec = period_spec(*_PERIODS[ReportKind(kind)], year)
    return spec.start, spec.end


class ReportNarrative(models.Model):
    """What the secretariat writes (saved as a draft); the numbers are always generated."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="report_narratives")
    kind = models.CharField(_("loại báo cáo"), max_length=6, choices=ReportKind.choices)
    number = models.CharField(_("số"), max_length=20, blank=True)
    symbol = models.CharField(_("ký hiệu"), max_length=40, default="BC-UBND")
    report_date = models.DateField(_("ngày báo cáo"), null=True, blank=True)
    direction = models.TextField(_("I. Công tác chỉ đạo, điều hành"), blank=True)
    area_comments = models.JSONField(_("nhận xét theo lĩnh vực"), default=dict, blank=True)
    strengths = models.TextField(_("Ưu điểm"), blank=True)
    weaknesses = models.TextField(_("Hạn chế"), blank=True)
    causes = models.TextField(_("Nguyên nhân"), blank=True)
    next_tasks = models.TextField(_("IV. Phương hướng, nhiệm vụ kỳ tới"), blank=True)
    proposals = models.TextField(_("V. Kiến nghị, đề xuất"), blank=True)
    signing_authority = models.CharField(_("thẩm quyền ký"), max_length=80, default="TM. ỦY BAN NHÂN DÂN")
    signer_capacity = models.CharField(_("ký thay"), max_length=40, blank=True, default="KT. CHỦ TỊCH")
    signer_title = models.CharField(_("chức vụ"), max_length=80, default="PHÓ CHỦ TỊCH")
    signer_name = models.CharField(_("người ký"), max_length=120, blank=True)
    recipients = models.TextField(_("nơi nhận"), blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nội dung báo cáo")
        verbose_name_plural = _("nội dung báo cáo")
        constraints = [models.UniqueConstraint(fields=["plan", "kind"], name="one_narrative_per_plan_and_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.plan}"


class GenerationState(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang tạo")
    DONE = "done", _("Hoàn tất")
    FAILED = "failed", _("Lỗi")


def report_file_path(instance: GeneratedReport, filename: str) -> str:
    return f"reports/{instance.plan_id}/{filename}"


class GeneratedReport(models.Model):
    """One numbered version of a report, with its cut-off date, author and both files."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="generated_reports")
    kind = models.CharField(_("loại báo cáo"), max_length=6, choices=ReportKind.choices)
    version = models.PositiveIntegerField(_("phiên bản"))
    cutoff_date = models.DateField(_("số liệu đến ngày"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=8, choices=GenerationState.choices, default=GenerationState.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    # When the state or progress last moved: a version queued or running that has not moved
    # for PARPLAN_REPORT_STALE_MINUTES lost its job, and is marked failed (docs/jobs.md).
    progress_at = models.DateTimeField(default=timezone.now)
    error = models.TextField(blank=True)
    pdf = models.FileField(upload_to=report_file_path, blank=True, max_length=300)
    xlsx = models.FileField(upload_to=report_file_path, blank=True, max_length=300)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    # SHA-256 of the gathered data: the same data gives the same content, visibly.
    content_hash = models.CharField(max_length=64, blank=True)

    # Who asked for the version, and each change of its state (queued, running, done, failed, retried), with
    # the reason of a failure or a retry. Progress ticks are written without a save and not kept.
    history = HistoricalRecords(excluded_fields=["progress", "progress_at"])
    # Set before a save to say why in its history row (django-simple-history reads it).
    _change_reason: str

    class Meta:
        verbose_name = _("báo cáo đã tạo")
        verbose_name_plural = _("báo cáo đã tạo")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "kind", "version"], name="one_report_version_per_plan_and_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.plan.year} — v{self.version}"
