"""One-stop dossier statistics (thống kê hồ sơ TTHC tại bộ phận một cửa): one row per unit and month.

The counts and the arithmetic they must satisfy are in docs/dossiers.md and in
`dossiers.arithmetic`; rows are written only by `dossiers.services`.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from parplan.models import Plan, Unit

# The counts every row carries, in the template's column order.
REQUIRED_COUNTS = (
    "carried_over",
    "received_online",
    "received_in_person",
    "received_by_post",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "pending_on_time",
    "pending_overdue",
    "awaiting_supplements",
    "paused",
    "withdrawn",
    "apologised",
)
# Counts the one-stop system reports only in some places: blank means "not reported", not 0.
OPTIONAL_COUNTS = ("dossiers_digitised", "results_digitised")
COUNTS = REQUIRED_COUNTS + OPTIONAL_COUNTS


class DossierMonthQuerySet(models.QuerySet["DossierMonth"]):
    def of_units(self, units: models.QuerySet[Unit] | list[Unit]) -> DossierMonthQuerySet:
        return self.filter(unit__in=units)

    def in_year(self, year: int) -> DossierMonthQuerySet:
        return self.filter(month__year=year)


class DossierMonth(models.Model):
    """What the one-stop system reported for one unit and one month."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="dossier_months", verbose_name=_("đơn vị"))
    month = models.DateField(_("tháng"), help_text=_("Ngày đầu tháng."))
    carried_over = models.PositiveIntegerField(_("từ kỳ trước chuyển sang"))
    received_online = models.PositiveIntegerField(_("tiếp nhận trực tuyến"))
    received_in_person = models.PositiveIntegerField(_("tiếp nhận trực tiếp"))
    received_by_post = models.PositiveIntegerField(_("tiếp nhận qua bưu chính"))
    resolved_early = models.PositiveIntegerField(_("giải quyết trước hạn"))
    resolved_on_time = models.PositiveIntegerField(_("giải quyết đúng hạn"))
    resolved_late = models.PositiveIntegerField(_("giải quyết quá hạn"))
    pending_on_time = models.PositiveIntegerField(_("đang giải quyết trong hạn"))
    pending_overdue = models.PositiveIntegerField(_("đang giải quyết quá hạn"))
    awaiting_supplements = models.PositiveIntegerField(_("chờ bổ sung"))
    paused = models.PositiveIntegerField(_("tạm dừng"))
    withdrawn = models.PositiveIntegerField(_("rút hồ sơ"))
    apologised = models.PositiveIntegerField(_("quá hạn có phiếu xin lỗi"))
    dossiers_digitised = models.PositiveIntegerField(_("hồ sơ được số hóa"), null=True, blank=True)
    results_digitised = models.PositiveIntegerField(_("kết quả được số hóa"), null=True, blank=True)
    batch = models.ForeignKey(
        "DossierImport",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rows",
        verbose_name=_("lần nhập"),
    )

    history = HistoricalRecords()
    objects = DossierMonthQuerySet.as_manager()

    class Meta:
        verbose_name = _("số liệu hồ sơ tháng")
        verbose_name_plural = _("số liệu hồ sơ tháng")
        ordering = ["month", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "month"], name="one_dossier_row_per_unit_and_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="dossier_month_is_first_day"),
            models.CheckConstraint(condition=Q(apologised__lte=models.F("resolved_late")), name="apologised_le_late"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.month:%m/%Y}"

    @property
    def received(self) -> int:
        return self.received_online + self.received_in_person + self.received_by_post

    @property
    def resolved(self) -> int:
        return self.resolved_early + self.resolved_on_time + self.resolved_late

    @property
    def pending(self) -> int:
        return self.pending_on_time + self.pending_overdue


class ImportState(models.TextChoices):
    CHECKING = "checking", _("Đang kiểm tra")
    CHECKED = "checked", _("Đã kiểm tra, chờ xác nhận")
    INVALID = "invalid", _("Có lỗi, không nhập")
    RUNNING = "running", _("Đang nhập")
    IMPORTED = "imported", _("Đã nhập")
    FAILED = "failed", _("Nhập không thành công")


def import_file_path(instance: DossierImport, filename: str) -> str:
    return f"dossiers/{instance.plan_id}/{datetime.date.today():%Y%m%d}-{filename}"


class DossierImport(models.Model):
    """One file from the one-stop system: checked, previewed, then imported whole or not at all."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="dossier_imports", verbose_name=_("kế hoạch"))
    # Blank for rows imported without a file (the demo).
    file = models.FileField(_("tệp"), upload_to=import_file_path, max_length=300, blank=True)
    file_name = models.CharField(_("tên tệp"), max_length=255)
    # The month given for rows without a month column (the form's, or --period).
    default_month = models.DateField(_("tháng mặc định"), null=True, blank=True)
    state = models.CharField(_("trạng thái"), max_length=12, choices=ImportState.choices)
    row_count = models.PositiveIntegerField(_("số dòng"), default=0)
    done_rows = models.PositiveIntegerField(_("số dòng đã nhập"), default=0)
    errors = models.JSONField(_("lỗi"), default=list, blank=True)
    # The rest of the check the import's page shows (preview, months' totals, names not matched:
    # dossiers.reading.CheckResult.summary), kept so that opening the page never reads the file again.
    check_summary = models.JSONField(_("kết quả kiểm tra"), default=dict, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("người nhập")
    )
    uploaded_at = models.DateTimeField(_("thời điểm tải lên"), auto_now_add=True)
    imported_at = models.DateTimeField(_("thời điểm nhập"), null=True, blank=True)

    class Meta:
        verbose_name = _("lần nhập số liệu hồ sơ")
        verbose_name_plural = _("lần nhập số liệu hồ sơ")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.file_name

    @property
    def percent_done(self) -> int:
        return self.done_rows * 100 // self.row_count if self.row_count else 0


class UnitNameMapping(models.Model):
    """A unit name as the one-stop system writes it, saved by the secretariat, and the unit it means."""

    authority = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+", verbose_name=_("cơ quan ban hành"))
    # Normalised (dossiers.headers.normalise): case, diacritics and spacing do not matter.
    name = models.CharField(_("tên trong tệp"), max_length=255)
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+", verbose_name=_("đơn vị"))

    class Meta:
        verbose_name = _("tên đơn vị trong tệp")
        verbose_name_plural = _("tên đơn vị trong tệp")
        constraints = [models.UniqueConstraint(fields=["authority", "name"], name="one_mapping_per_name")]

    def __str__(self) -> str:
        return f"{self.name} → {self.unit}"
