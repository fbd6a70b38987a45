"""The PAR-index scoring: a criteria tree per year and group of units, a round, the units' scores.

Points are Decimals with two places; nothing is ever clipped to a maximum: a
score outside its bounds is refused by the services (scoring/services.py).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from evidence.models import evidence_relation
from parplan.models import Unit
from targets.models import Indicator


class UnitGroup(models.TextChoices):
    """Groups scored on trees of their own; each names the unit kinds it holds (`GROUP_KINDS`)."""

    OFFICES = "offices", _("Cơ quan chuyên môn")
    COMMUNES = "communes", _("Xã, thị trấn")
    SERVICE_UNITS = "service_units", _("Đơn vị sự nghiệp")


GROUP_KINDS: dict[str, tuple[str, ...]] = {
    UnitGroup.OFFICES: ("office",),
    UnitGroup.COMMUNES: ("commune", "town", "ward"),
    UnitGroup.SERVICE_UNITS: ("service_unit",),
}


class ScoringTree(models.Model):
    """The criteria tree an authority (the issuer) scores one group of its units on, for one year."""

    authority = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan chấm"))
    year = models.PositiveIntegerField(_("năm"))
    group = models.CharField(_("nhóm đơn vị"), max_length=20, choices=UnitGroup.choices)
    title = models.CharField(_("tên bộ tiêu chí"), max_length=255)
    declared_total = models.DecimalField(_("tổng điểm công bố"), max_digits=6, decimal_places=2, default=Decimal(100))
    bonus_cap = models.DecimalField(_("điểm thưởng tối đa"), max_digits=6, decimal_places=2, default=Decimal(0))
    penalty_cap = models.DecimalField(_("điểm trừ tối đa"), max_digits=6, decimal_places=2, default=Decimal(0))
    locked_at = models.DateTimeField(_("khóa lúc"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bộ tiêu chí chấm điểm")
        verbose_name_plural = _("bộ tiêu chí chấm điểm")
        ordering = ["-year", "group"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "year", "group"], name="scoring_tree_one_per_group_year")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None


class Method(models.TextChoices):
    CHOICES = "choices", _("Chọn mức điểm")
    RATIO = "ratio", _("Tỷ lệ quy đổi")
    FREE = "free", _("Tự cho điểm đến tối đa")


class Part(models.TextChoices):
    """What the points of an item do to the total."""

    BASE = "base", _("Điểm chuẩn")
    BONUS = "bonus", _("Điểm thưởng")
    PENALTY = "penalty", _("Điểm trừ")


class Criterion(models.Model):
    """An area (no parent), a criterion or a sub-criterion. Only the leaves are scored."""

    tree = models.ForeignKey(ScoringTree, on_delete=models.CASCADE, related_name="criteria")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    code = models.CharField(_("mã"), max_length=20)
    position = models.PositiveIntegerField(_("thứ tự"), default=0)
    name = models.CharField(_("nội dung"), max_length=500)
    max_points = models.DecimalField(_("điểm tối đa"), max_digits=6, decimal_places=2)
    guidance = models.TextField(_("hướng dẫn chấm"), blank=True)
    evidence_required = models.BooleanField(_("bắt buộc tài liệu kiểm chứng"), default=False)
    method = models.CharField(_("cách chấm"), max_length=10, choices=Method.choices, default=Method.FREE)
    # CHOICES: one level a line, "points|label" (e.g. "1|Ban hành đúng hạn").
    choices = models.TextField(_("các mức điểm"), blank=True)
    # RATIO: full points at `ratio_full` % or more, proportional below it.
    ratio_full = models.DecimalField(
        _("tỷ lệ đạt điểm tối đa (%)"), max_digits=6, decimal_places=2, default=Decimal(100)
    )
    part = models.CharField(_("loại điểm"), max_length=10, choices=Part.choices, default=Part.BASE)
    is_survey = models.BooleanField(_("điểm điều tra xã hội học"), default=False)
    # A source whose share per unit (targets.sources.unit_rates) suggests the unit's points (scoring/suggestions.py).
    source = models.CharField(_("gợi ý từ dữ liệu"), max_length=12, blank=True)
    # Or an indicator of the year's plan whose figures the units report (the one-stop dossiers on time):
    # its latest evaluation for the unit suggests the points. Kept when the indicator is gone, without a link.
    indicator = models.ForeignKey(
        Indicator, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("gợi ý từ chỉ số")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")
        ordering = ["tree", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["tree", "code"], name="scoring_criterion_code_unique")]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"

    def choice_levels(self) -> list[tuple[Decimal, str]]:
        """The levels as (points, label): the "points|label" lines, read as the points are."""
        levels = []
        for line in self.choices.splitlines():
            points, _bar, label = line.partition("|")
            if points.strip():
                levels.append((Decimal(points.strip().replace(",", ".")), label.strip()))
        return levels

    def choice_points(self) -> list[Decimal]:
        return [points for points, _label in self.choice_levels()]


class Step(models.TextChoices):
    SELF = "self", _("Đơn vị tự chấm")
    APPRAISAL = "appraisal", _("Thẩm định")
    EXPLANATION = "explanation", _("Giải trình")
    FINAL = "final", _("Thẩm định lần cuối")
    DONE = "done", _("Đã công bố kết quả")


STEP_ORDER = [Step.SELF, Step.APPRAISAL, Step.EXPLANATION, Step.FINAL, Step.DONE]


class ScoringRound(models.Model):
    """One year's scoring of a group on its tree: the steps, each closing on its deadline."""

    tree = models.OneToOneField(ScoringTree, on_delete=models.PROTECT, related_name="round")
    step = models.CharField(_("bước"), max_length=12, choices=Step.choices, default=Step.SELF)
    self_until = models.DateField(_("hạn tự chấm"))
    appraisal_until = models.DateField(_("hạn thẩm định"))
    explanation_until = models.DateField(_("hạn giải trình"))
    final_until = models.DateField(_("hạn thẩm định lần cuối"))
    # Bands by share of the declared total (%): at or above each threshold.
    band_excellent = models.DecimalField(_("ngưỡng xuất sắc (%)"), max_digits=5, decimal_places=2, default=Decimal(90))
    band_good = models.DecimalField(_("ngưỡng tốt (%)"), max_digits=5, decimal_places=2, default=Decimal(80))
    band_fair = models.DecimalField(_("ngưỡng khá (%)"), max_digits=5, decimal_places=2, default=Decimal(70))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    finished_at = models.DateTimeField(_("công bố lúc"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("đợt chấm điểm")
        verbose_name_plural = _("đợt chấm điểm")

    def __str__(self) -> str:
        return str(self.tree)

    def deadline(self, step: str | None = None) -> object:
        return {
            Step.SELF: self.self_until,
            Step.APPRAISAL: self.appraisal_until,
            Step.EXPLANATION: self.explanation_until,
            Step.FINAL: self.final_until,
        }.get(Step(step or self.step))


class Score(models.Model):
    """One unit's points on one scored item, through every step of the round."""

    round = models.ForeignKey(ScoringRound, on_delete=models.CASCADE, related_name="scores")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    suggested_points = models.DecimalField(_("điểm gợi ý"), max_digits=6, decimal_places=2, null=True, blank=True)
    suggestion_note = models.CharField(_("căn cứ gợi ý"), max_length=255, blank=True)
    # The records' figures behind a ratio item's suggestion (3 of 4 tasks on time): taken with it when accepted.
    suggested_numerator = models.DecimalField(
        _("số đạt yêu cầu theo dữ liệu"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    suggested_denominator = models.DecimalField(
        _("tổng số theo dữ liệu"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    self_points = models.DecimalField(_("điểm tự chấm"), max_digits=6, decimal_places=2, null=True, blank=True)
    self_comment = models.TextField(_("thuyết minh"), blank=True)
    # A ratio item's figures as the unit typed them (8 of 10 documents on time): its points were computed
    # from them (scoring.arithmetic.ratio_points), and the appraisal reads both.
    self_numerator = models.DecimalField(_("số đạt yêu cầu"), max_digits=14, decimal_places=2, null=True, blank=True)
    self_denominator = models.DecimalField(
        _("tổng số phải thực hiện"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    appraised_points = models.DecimalField(_("điểm thẩm định"), max_digits=6, decimal_places=2, null=True, blank=True)
    appraisal_comment = models.TextField(_("ý kiến thẩm định"), blank=True)
    explanation = models.TextField(_("giải trình"), blank=True)
    final_points = models.DecimalField(_("điểm cuối cùng"), max_digits=6, decimal_places=2, null=True, blank=True)
    final_comment = models.TextField(_("ý kiến thẩm định lần cuối"), blank=True)
    evidence = evidence_relation("score")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("điểm")
        verbose_name_plural = _("điểm")
        ordering = ["round", "unit", "criterion__position"]
        constraints = [
            models.UniqueConstraint(fields=["round", "unit", "criterion"], name="scoring_score_one_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.criterion.code}"
