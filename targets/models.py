"""Targets (chỉ tiêu) as written in a plan, and the indicators measured from them."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from evidence.models import evidence_relation
from parplan.formatting import format_number
from parplan.i18n import site_language
from parplan.models import Plan, ReformArea, Unit
from targets.sources import Source, source_choices


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


class Measure(models.TextChoices):
    """Whether a value is a share of a whole (capped at 100 %) or an achievement against a plan (may pass 100 %)."""

    SHARE = "share", _("Tỷ lệ trên tổng số (tử số không vượt mẫu số, tối đa 100%)")
    ACHIEVEMENT = "achievement", _("Mức thực hiện so với kế hoạch (có thể vượt 100%)")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Hằng tháng")
    QUARTERLY = "quarterly", _("Hằng quý")
    HALF_YEAR = "half_year", _("6 tháng")
    YEAR = "year", _("Hằng năm")


class Scope(models.TextChoices):
    AUTHORITY = "authority", _("Một giá trị cho toàn cơ quan ban hành")
    UNITS = "units", _("Mỗi đơn vị một giá trị, tổng hợp theo cây đơn vị")


class Aggregation(models.TextChoices):
    RATIO_OF_SUMS = "ratio_of_sums", _("Tỷ lệ của tổng (Σ tử số / Σ mẫu số)")
    SUM = "sum", _("Tổng")
    LATEST = "latest", _("Giá trị mới nhất")
    MILESTONE = "milestone", _("Mốc đạt / không đạt")


class TargetType(models.TextChoices):
    LEVEL = "level", _("Mức duy trì (so với ngưỡng)")
    CUMULATIVE = "cumulative", _("Lũy kế đến cuối năm (so với tiến độ dự kiến)")


class IndicatorQuerySet(models.QuerySet["Indicator"]):
    def of_plan(self, plan: Plan) -> IndicatorQuerySet:
        return self.filter(area__plan=plan)

    def for_list(self) -> IndicatorQuerySet:
        return self.select_related("area", "target").order_by("area__number", "target__position", "position")

    def entered_by_units(self) -> IndicatorQuerySet:
        return self.filter(source=Source.UNITS, scope=Scope.UNITS)


class Indicator(models.Model):
    """One measurable part of a target (or of a task bullet that hides one).

    A statement may hold several. Figures are entered per unit and period;
    the evaluation rolls them up (ratios as Σ numerators / Σ denominators).
    """

    area = models.ForeignKey(
        ReformArea, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("lĩnh vực")
    )
    target = models.ForeignKey(
        Target, null=True, blank=True, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("chỉ tiêu")
    )
    # An indicator with no target hides in a task bullet ("kiểm tra trên 30% …");
    # the apps above link it (tasks.TaskIndicator), this app does not know them.
    position = models.PositiveSmallIntegerField(_("thứ tự"))
    name = models.CharField(_("tên chỉ số"), max_length=500)
    kind = models.CharField(_("loại"), max_length=12, choices=IndicatorKind.choices)
    # Dossiers on time out of dossiers resolved are a share; revenue against the province's
    # estimate is an achievement, and "hoàn thành hoặc vượt" needs it above 100 %.
    measure = models.CharField(_("cách đo"), max_length=12, choices=Measure.choices, default=Measure.SHARE)
    # Dossiers, documents, people are counted; money and days are amounts with decimals.
    parts_counted = models.BooleanField(
        _("tử số, mẫu số là số đếm"),
        default=True,
        help_text=_("Hồ sơ, văn bản, người… chỉ nhận số nguyên; bỏ chọn khi là số tiền, số ngày…"),
    )
    comparator = models.CharField(_("so sánh"), max_length=3, choices=Comparator.choices, blank=True)
    threshold = models.DecimalField(_("ngưỡng"), max_digits=14, decimal_places=2, null=True, blank=True)
    unit_of_measure = models.CharField(_("đơn vị tính"), max_length=40, blank=True)
    # The administrative level the text names ("cấp xã"); empty means the
    # indicator is one value for the whole issuing authority.
    applies_to_level = models.CharField(_("áp dụng cho cấp"), max_length=40, blank=True)
    baseline = models.DecimalField(_("giá trị cơ sở"), max_digits=14, decimal_places=2, null=True, blank=True)
    # "Hoàn thành … trước ngày 30/6/2026": a milestone not met by this day is not achieved, without waiting for
    # the year's end (targets.evaluation.window_end_of). Empty: the plan's year.
    due_date = models.DateField(
        _("hạn hoàn thành"), null=True, blank=True, help_text=_("Với chỉ tiêu mốc có hạn trong năm; để trống: cả năm.")
    )
    frequency = models.CharField(_("kỳ báo cáo"), max_length=10, choices=Frequency.choices, default=Frequency.YEAR)
    scope = models.CharField(_("phạm vi"), max_length=10, choices=Scope.choices, default=Scope.AUTHORITY)
    scope_units = models.ManyToManyField(
        Unit, blank=True, related_name="indicators_in_scope", verbose_name=_("đơn vị báo cáo")
    )
    aggregation = models.CharField(
        _("cách tổng hợp"), max_length=14, choices=Aggregation.choices, default=Aggregation.RATIO_OF_SUMS
    )
    source = models.CharField(_("nguồn số liệu"), max_length=12, choices=source_choices, default=Source.SECRETARIAT)
    target_type = models.CharField(
        _("loại mục tiêu"), max_length=10, choices=TargetType.choices, default=TargetType.LEVEL
    )
    numerator_label = models.CharField(_("tử số"), max_length=255, blank=True)
    denominator_label = models.CharField(_("mẫu số"), max_length=255, blank=True)
    risk_band = models.DecimalField(
        _("khoảng “có nguy cơ”"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_(
            "Còn thiếu không quá bấy nhiêu so với ngưỡng (hoặc tiến độ dự kiến) thì là “có nguy cơ”, xa hơn là "
            "“chậm tiến độ”: điểm phần trăm với chỉ số tỷ lệ, phần trăm của ngưỡng với chỉ số khác. "
            "Để trống: mặc định (2 điểm %; 10% ngưỡng)."
        ),
    )

    objects = IndicatorQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[scope_units])

    class Meta:
        verbose_name = _("chỉ số")
        verbose_name_plural = _("chỉ số")
        ordering = ["area", "target", "position"]
        constraints = [
            models.UniqueConstraint(fields=["target", "position"], name="one_indicator_position_per_target"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def rule(self) -> str:
        """The target as a short rule, e.g. "> 99 %"."""
        if self.threshold is None:
            return str(_("Đạt / không đạt"))
        threshold = format_number(self.threshold, grouped=True)
        return f"{self.get_comparator_display()} {threshold} {self.unit_of_measure}".strip()


# Period names, one string each: the languages name them differently ("Quý II/2024", "Q2 2024").
_PERIOD_NAMES = {
    Frequency.MONTHLY: [
        _("Tháng 01/%(year)s"), _("Tháng 02/%(year)s"), _("Tháng 03/%(year)s"), _("Tháng 04/%(year)s"),
        _("Tháng 05/%(year)s"), _("Tháng 06/%(year)s"), _("Tháng 07/%(year)s"), _("Tháng 08/%(year)s"),
        _("Tháng 09/%(year)s"), _("Tháng 10/%(year)s"), _("Tháng 11/%(year)s"), _("Tháng 12/%(year)s"),
    ],
    Frequency.QUARTERLY: [_("Quý I/%(year)s"), _("Quý II/%(year)s"), _("Quý III/%(year)s"), _("Quý IV/%(year)s")],
    Frequency.HALF_YEAR: [_("6 tháng đầu năm %(year)s"), _("6 tháng cuối năm %(year)s")],
    Frequency.YEAR: [_("Năm %(year)s")],
}  # fmt: skip


def period_label(frequency: str, number: int, year: int) -> str:
    """The name of the `number`th period of `frequency` in `year`, in the active language."""
    return str(_PERIOD_NAMES[Frequency(frequency)][number - 1]) % {"year": year}


def period_label_read(label: str) -> str:
    """A period name stored in the site's language (`Period.label`, `TaskOccurrence.label`), in the active one.

    A name this module did not write (edited by hand) is returned as it is.
    """
    year = next((int(word) for word in re.findall(r"\d{4}", label)), None)
    if year is None:
        return label
    with site_language():
        stored = {
            period_label(frequency, number, year): (frequency, number)
            for frequency, names in _PERIOD_NAMES.items()
            for number in range(1, len(names) + 1)
        }
    found = stored.get(label)
    return period_label(*found, year) if found else label


class PeriodQuerySet(models.QuerySet["Period"]):
    def ended_by(self, day: datetime.date) -> PeriodQuerySet:
        return self.filter(end__lte=day)

    def current(self, day: datetime.date) -> PeriodQuerySet:
        return self.filter(start__lte=day, end__gte=day)


class Period(models.Model):
    """A reporting period of a plan, with the official cut-off window.

    Windows run from the 15th to the 14th (the year from 15/12 of the year
    before to 14/12), so that reports due on the 20th hold settled figures.
    Periods of one frequency never overlap: sums over them never count twice.
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="periods", verbose_name=_("kế hoạch"))
    frequency = models.CharField(_("kỳ"), max_length=10, choices=Frequency.choices)
    number = models.PositiveSmallIntegerField(_("số thứ tự trong năm"))
    label = models.CharField(_("tên kỳ"), max_length=60)
    start = models.DateField(_("từ ngày"))
    end = models.DateField(_("đến ngày"))
    due_date = models.DateField(_("hạn gửi số liệu"))
    locked_at = models.DateTimeField(_("khóa lúc"), null=True, blank=True)

    history = HistoricalRecords()
    # Set before a save to say why in its history row (django-simple-history reads it).
    _change_reason: str
    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("kỳ báo cáo")
        verbose_name_plural = _("kỳ báo cáo")
        ordering = ["plan", "frequency", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "frequency", "number"], name="one_period_per_plan_frequency_number")
        ]

    def __str__(self) -> str:
        return period_label(self.frequency, self.number, self.end.year)

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None


# A milestone figure's answer, in the entry form and wherever a figure is shown.
MET_LABELS = {True: _("Đạt"), False: _("Không đạt")}


class MeasurementStatus(models.TextChoices):
    DRAFT = "draft", _("Nháp")
    SUBMITTED = "submitted", _("Đã gửi, chờ duyệt")
    APPROVED = "approved", _("Đã duyệt")
    # The figure's state; the buttons' verb is the same word in Vietnamese, not in English.
    RETURNED = "returned", pgettext_lazy("figure status", "Trả lại")

    @property
    def css(self) -> str:
        """The badge's classes; their colours are in static/css/parplan.css (.badge-*)."""
        return f"badge badge-{self.value}"


class MeasurementQuerySet(models.QuerySet["Measurement"]):
    def approved(self) -> MeasurementQuerySet:
        return self.filter(status=MeasurementStatus.APPROVED)

    def sent_on_time_by_unit(
        self, plan: Plan | int, day: datetime.date, unit_ids: list[int] | None = None
    ) -> dict[int, int]:
        """Per unit: its figures of the plan's periods ended before `day` that were sent by the period's due date.

        Sent: awaiting review or approved (a returned figure keeps its first submission time
        but is not sent until sent again). The unit's own figures, not those of units below it.
        """
        figures = self.filter(
            indicator__area__plan=plan,
            period__end__lt=day,
            submitted_at__date__lte=models.F("period__due_date"),
            status__in=[MeasurementStatus.SUBMITTED, MeasurementStatus.APPROVED],
        )
        if unit_ids is not None:
            figures = figures.filter(unit_id__in=unit_ids)
        rows = figures.values("unit_id").annotate(n=models.Count("pk")).order_by().values_list("unit_id", "n")
        return dict(rows)

    def review_queue(self) -> MeasurementQuerySet:
        return (
            self.filter(status=MeasurementStatus.SUBMITTED)
            .select_related("indicator__area", "unit", "period", "submitted_by")
            .prefetch_related("evidence")
            .order_by("period__end", "unit__path", "indicator__area__number", "indicator__position")
        )


class Measurement(models.Model):
    """A unit's figure for one indicator and one period. Only approved figures count."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measurements")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="measurements")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="measurements")
    numerator = models.DecimalField(_("tử số"), max_digits=16, decimal_places=2, null=True, blank=True)
    denominator = models.DecimalField(_("mẫu số"), max_digits=16, decimal_places=2, null=True, blank=True)
    value = models.DecimalField(_("giá trị"), max_digits=16, decimal_places=2, null=True, blank=True)
    met = models.BooleanField(_("đạt"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=MeasurementStatus.choices, default=MeasurementStatus.DRAFT
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(_("ý kiến người duyệt"), blank=True)
    # Moved by every service write: a form saved on an older version is a conflict, not an overwrite.
    version = models.PositiveIntegerField(default=1, editable=False)
    evidence = evidence_relation("measurement")

    history = HistoricalRecords()
    # Set before a save to say why and who in its history row (django-simple-history reads them).
    _change_reason: str
    _history_user: Any
    objects = MeasurementQuerySet.as_manager()

    class Meta:
        verbose_name = _("số liệu")
        verbose_name_plural = _("số liệu")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "unit", "period"], name="one_figure_per_indicator_unit_period"
            ),
        ]
        # No "numerator ≤ denominator" constraint: it holds for shares only (Indicator.measure),
        # which a row of this table cannot see; `figure_check` keeps it.
        indexes = [models.Index(fields=["indicator", "status", "unit"])]

    def __str__(self) -> str:
        return f"{self.indicator} — {self.unit} — {self.period}"

    @property
    def met_label(self) -> str:
        return "" if self.met is None else str(MET_LABELS[self.met])

    @property
    def percent(self) -> Decimal | None:
        if self.numerator is None or not self.denominator:
            return None
        return self.numerator * 100 / self.denominator


def evidence_path(instance: Any, filename: str) -> str:
    # Named by migration 0002, which created the figure evidence model (now evidence.Evidence).
    return f"evidence/{instance.measurement_id}/{filename}"


class IndicatorStatus(models.TextChoices):
    """targets/status.py decides; final statuses (achieved, not achieved) only once the outcome cannot change."""

    ACHIEVED = "achieved", _("Đạt")
    ON_TRACK = "on_track", _("Đúng tiến độ")
    AT_RISK = "at_risk", _("Có nguy cơ")
    OFF_TRACK = "off_track", _("Chậm tiến độ")
    NOT_ACHIEVED = "not_achieved", _("Không đạt")
    NOT_APPLICABLE = "not_applicable", _("Không áp dụng")
    NO_DATA = "no_data", _("Chưa có số liệu")

    @property
    def css(self) -> str:
        """The badge's classes; their colours are in static/css/parplan.css (.status-*)."""
        return f"status status-{self.value}"

    @property
    def short_label(self) -> str:
        """The label in a narrow column heading (the dashboard's)."""
        return str(_INDICATOR_STATUS_SHORT_LABELS.get(self, self.label))


_INDICATOR_STATUS_SHORT_LABELS = {IndicatorStatus.OFF_TRACK: _("Chậm")}
# An indicator with no snapshot at all has not been evaluated yet, which is not "no data".
NOT_EVALUATED_LABEL = _("Chưa đánh giá")


class SnapshotQuerySet(models.QuerySet["IndicatorSnapshot"]):
    def latest_day(self, plan: Plan) -> datetime.date | None:
        day: datetime.date | None = self.filter(indicator__area__plan=plan).aggregate(day=models.Max("day"))["day"]
        return day


class IndicatorSnapshot(models.Model):
    """An indicator's value and status for one unit on one day (the nightly evaluation).

    The authority-wide value is stored against the issuing unit itself.
    """

    # Snapshots are derived rows, rebuilt by re-running the evaluation, and the nightly run writes tens of
    # thousands a day: no database constraint or index of their own on these keys. Django's deletion
    # collector still cascades (an indicator's or unit's snapshots go with it); the unique key below
    # (indicator, unit, day) serves look-ups by indicator, and by indicator and unit. Measured at province
    # size (24,080 rows a day): the two deferred foreign-key checks per row cost 1.8 s at commit and the two
    # single-column indexes 0.36 s, against 0.4 s for the rows themselves (bench/README.md).
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="snapshots", db_constraint=False, db_index=False
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="indicator_snapshots", db_constraint=False, db_index=False
    )
    day = models.DateField(_("ngày"))
    numerator = models.DecimalField(max_digits=18, decimal_places=2, null=True)
    denominator = models.DecimalField(max_digits=18, decimal_places=2, null=True)
    value = models.DecimalField(_("giá trị"), max_digits=18, decimal_places=4, null=True)
    expected = models.DecimalField(_("tiến độ dự kiến"), max_digits=18, decimal_places=4, null=True)
    status = models.CharField(_("đánh giá"), max_length=16, choices=IndicatorStatus.choices)
    # A periodic yes/no obligation: periods reported "not met" (numerator / denominator: met / due).
    missed = models.PositiveSmallIntegerField(null=True)
    # The periods the value was computed from: the first one's start and the latest one's end
    # (targets.windows names them, "T1–T9/2024" or "đến 14/09/2024"); empty without figures.
    covered_from = models.DateField(_("số liệu từ ngày"), null=True)
    covered_to = models.DateField(_("số liệu đến ngày"), null=True)

    objects = SnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = _("kết quả đánh giá chỉ số")
        verbose_name_plural = _("kết quả đánh giá chỉ số")
        constraints = [models.UniqueConstraint(fields=["indicator", "unit", "day"], name="one_snapshot_per_day")]
        indexes = [models.Index(fields=["day", "indicator"])]

    def __str__(self) -> str:
        return f"{self.indicator} — {self.unit} — {self.day}: {self.status}"


class PendingEvaluation(models.Model):
    """An indicator whose figures changed (an approval, a reopening) and waits for its re-evaluation.

    Written in the approval's transaction and swept by beat once it is a debounce
    window old (targets.services.evaluations_run_marked): a mark in the database
    instead of a message held for a minute by a worker, which Redis and worker
    failures lost (docs/jobs.md). One row per indicator: a burst of approvals is
    one evaluation, a window after the first.
    """

    indicator = models.OneToOneField(Indicator, on_delete=models.CASCADE, primary_key=True, related_name="+")
    marked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("chỉ số chờ đánh giá lại")
        verbose_name_plural = _("chỉ số chờ đánh giá lại")

    def __str__(self) -> str:
        return f"{self.indicator_id} @ {self.marked_at:%Y-%m-%d %H:%M:%S}"


class NightlyEvaluation(models.Model):
    """A plan's nightly evaluation of one day, claimed by the worker that does it (docs/scaling.md).

    The nightly run is one job per active plan, which any worker may take; a job
    is delivered at least once, and a second beat would send the night twice. The
    job inserts this row in the transaction of its evaluation: a second worker
    handed the same plan and day waits on the unique key until the first commits,
    then finds the row and does nothing; if the first fails, its row goes with its
    rollback and the second does the work.
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    worker = models.CharField(max_length=255, blank=True)
    claimed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("lượt đánh giá hằng đêm")
        verbose_name_plural = _("lượt đánh giá hằng đêm")
        constraints = [models.UniqueConstraint(fields=["plan", "day"], name="one_nightly_evaluation_per_plan_day")]

    def __str__(self) -> str:
        return f"{self.plan_id} @ {self.day:%Y-%m-%d} ({self.worker})"


class FiguresSentOnTime(models.Model):
    """How many of a unit's figures of a plan were sent on time, as of a day (the dashboard's ranking reads it).

    Counting them from the figures took 2.1 s of a national dashboard's 3 s cold build
    (16.5 M figures, bench/README.md); these rows are that count per unit, kept by
    `targets.figure_counts.figures_on_time_keep`: for every unit of the plan by the nightly
    run (the periods that ended yesterday count from today), and again for one unit
    each time one of its figures is written (sent, returned, reopened). A plan with no
    rows of today is counted from its figures instead (`targets.selectors.figures_sent_on_time`).
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    # The count is of the periods that ended before this day.
    day = models.DateField()
    sent_on_time = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("số liệu gửi đúng hạn của đơn vị")
        verbose_name_plural = _("số liệu gửi đúng hạn của đơn vị")
        constraints = [models.UniqueConstraint(fields=["plan", "unit"], name="one_on_time_count_per_plan_unit")]

    def __str__(self) -> str:
        return f"{self.plan_id} / {self.unit_id} @ {self.day:%Y-%m-%d}: {self.sent_on_time}"
