"""Targets (chỉ tiêu) as written in a plan, and the indicators measured from them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from parplan.models import ReformArea


class TargetQuerySet(models.QuerySet["Target"]):
    def with_indicators(self) -> TargetQuerySet:
        return self.prefetch_related("indicators")


class Target(models.Model):
    """A target statement exactly as the plan writes it."""

    area = models.ForeignKey(ReformArea, on_delete=models.CASCADE, related_name="targets", verbose_name=_("lĩnh vực"))
    position = models.PositiveSmallIntegerField(_("thứ tự"))
    text = models.TextField(_("nội dung chỉ tiêu"))
    # What the parser could not read cleanly (e.g. three rates for two levels),
    # shown to the secretariat rather than silently guessed away.
    parse_warnings = models.TextField(_("cảnh báo khi đọc chỉ tiêu"), blank=True)

    history = HistoricalRecords()
    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["area", "position"]
        constraints = [models.UniqueConstraint(fields=["area", "position"], name="one_target_position_per_area")]

    def __str__(self) -> str:
        return self.text[:80]


class Comparator(models.TextChoices):
    GTE = "gte", "≥"
    GT = "gt", ">"
    LTE = "lte", "≤"
    LT = "lt", "<"
    EQ = "eq", "="


class IndicatorKind(models.TextChoices):
    RATIO = "ratio", _("Tỷ lệ (%)")
    COUNT = "count", _("Số lượng")
    AMOUNT = "amount", _("Giá trị")
    MILESTONE = "milestone", _("Mốc hoàn thành (đạt / không đạt)")
    RANK = "rank", _("Thứ hạng")


class Indicator(models.Model):
    """One measurable part of a target. A statement may hold several."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("chỉ tiêu"))
    position = models.PositiveSmallIntegerField(_("thứ tự"))
    name = models.CharField(_("tên chỉ số"), max_length=500)
    kind = models.CharField(_("loại"), max_length=12, choices=IndicatorKind.choices)
    comparator = models.CharField(_("so sánh"), max_length=3, choices=Comparator.choices, blank=True)
    threshold = models.DecimalField(_("ngưỡng"), max_digits=14, decimal_places=2, null=True, blank=True)
    unit_of_measure = models.CharField(_("đơn vị tính"), max_length=40, blank=True)
    # The administrative level the text names ("cấp xã"); empty means the
    # indicator is one value for the whole issuing authority.
    applies_to_level = models.CharField(_("áp dụng cho cấp"), max_length=40, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chỉ số")
        verbose_name_plural = _("chỉ số")
        ordering = ["target", "position"]
        constraints = [models.UniqueConstraint(fields=["target", "position"], name="one_indicator_position_per_target")]

    def __str__(self) -> str:
        return self.name

    @property
    def rule(self) -> str:
        """The target as a short rule, e.g. "> 99 %"."""
        if self.threshold is None:
            return str(_("Đạt / không đạt"))
        threshold = f"{self.threshold.normalize():f}"
        return f"{self.get_comparator_display()} {threshold} {self.unit_of_measure}".strip()
