"""Writes of targets and their indicators."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from evidence.services import evidence_attach
from evidence.uploads import validate_uploads
from parplan.events import plan_changed_on_commit
from parplan.formatting import format_number
from parplan.i18n import site_language
from parplan.models import Plan, ReformArea, Unit
from parplan.numbers import number_problems
from parplan.services import Saved, save_if_changed, set_m2m_if_changed
from targets.models import (
    Indicator,
    IndicatorKind,
    Measurement,
    MeasurementStatus,
    PendingEvaluation,
    Period,
    Scope,
    Target,
)
from targets.number_rules import figure_rule, share_exceeded
from targets.parsing import ParsedIndicator, parse_target
from targets.periods import periods_for_year


@transaction.atomic
def target_upsert(
    *, area: ReformArea, position: int, text: str, indicators: Sequence[ParsedIndicator] | None = None
) -> Target:
    """Create or update a target; without explicit indicators, read them from the text."""
    target = Target.objects.filter(area=area, position=position).first() or Target(area=area, position=position)
    warnings = ""
    if indicators is None:
        with site_language():  # the names and warnings it writes are stored
            parsed = parse_target(text)
        indicators, warnings = parsed.indicators, "\n".join(parsed.warnings)
    elif target.pk and target.text == text:
        warnings = target.parse_warnings
    save_if_changed(target, text=text, parse_warnings=warnings)
    target_set_indicators(target=target, indicators=indicators)
    return target


def target_set_indicators(*, target: Target, indicators: Sequence[ParsedIndicator]) -> None:
    existing = {indicator.position: indicator for indicator in target.indicators.all()}
    for position, parsed in enumerate(indicators, start=1):
        indicator = existing.pop(position, None) or Indicator(target=target, area=target.area, position=position)
        indicator_apply_parsed(indicator=indicator, parsed=parsed)
    for stale in existing.values():
        stale.delete()


@transaction.atomic
def targets_trim(*, area: ReformArea, keep: int) -> int:
    """Delete the area's targets after position `keep` (a re-import with fewer), with their indicators and figures."""
    stale = area.targets.filter(position__gt=keep)
    count = stale.count()
    stale.delete()
    return count


def indicator_apply_parsed(*, indicator: Indicator, parsed: ParsedIndicator) -> Indicator:
    """Save what the statement says (name, kind, rule, level); the definition fields are left as they are."""
    save_if_changed(
        indicator,
        name=parsed.name,
        kind=parsed.kind,
        comparator=parsed.comparator,
        threshold=parsed.threshold,
        unit_of_measure=parsed.unit_of_measure,
        applies_to_level=parsed.applies_to_level,
    )
    return indicator


# --- Indicator definitions ----------------------------------------------------


@transaction.atomic
def indicator_define(
    *, indicator: Indicator, scope_units: Sequence[Unit] | None = None, **fields: object
) -> Saved[Indicator]:
    """Change an indicator's definition (secretariat); unknown field names are an error."""
    allowed = {
        "name", "kind", "measure", "parts_counted", "comparator", "threshold", "unit_of_measure",
        "applies_to_level", "baseline", "frequency", "scope", "aggregation", "source", "target_type",
        "numerator_label", "denominator_label",
    }  # fmt: skip
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"Unknown indicator fields: {sorted(unknown)}")
    changed = save_if_changed(indicator, **fields)
    if scope_units is not None:
        changed = set_m2m_if_changed(indicator.scope_units, scope_units) or changed
    return Saved(indicator, changed)


@transaction.atomic
def plan_generate_periods(*, plan: Plan) -> list[Period]:
    """Create the plan year's periods (idempotent; existing periods keep their lock)."""
    periods = []
    for spec in periods_for_year(plan.year):
        period = Period.objects.filter(plan=plan, frequency=spec.frequency, number=spec.number).first() or Period(
            plan=plan, frequency=spec.frequency, number=spec.number
        )
        save_if_changed(period, label=spec.label, start=spec.start, end=spec.end, due_date=spec.due_date)
        periods.append(period)
    return periods


# --- Figures ------------------------------------------------------------------


@dataclass(frozen=True)
class FigureInput:
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    value: Decimal | None = None
    met: bool | None = None
    note: str = ""


def figure_check(*, indicator: Indicator, unit: Unit, period: Period, figure: FigureInput) -> None:
    """Every rule a figure must meet before anything is written (targets.number_rules); errors in the UI language."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if period.plan_id != indicator.area.plan_id:
        add("__all__", _("Kỳ báo cáo “%(period)s” không thuộc kế hoạch của chỉ số.") % {"period": period})
    elif period.frequency != indicator.frequency:
        add("__all__", _("Chỉ số này báo cáo %(freq)s, không theo kỳ “%(period)s”.") % {
            "freq": indicator.get_frequency_display().lower(), "period": period})  # fmt: skip
    if not indicator_covers_unit(indicator, unit):
        add("__all__", _("“%(unit)s” không thuộc phạm vi báo cáo của chỉ số này.") % {"unit": unit})
    if period.is_locked:
        add("__all__", _("Kỳ “%(period)s” đã khóa; cần Phòng Nội vụ mở lại.") % {"period": period})
    rule = figure_rule(indicator)
    for field in ("numerator", "denominator", "value"):
        number = getattr(figure, field)
        for problem in [] if number is None else number_problems(number, rule):
            add(field, problem)
    if indicator.kind == IndicatorKind.RATIO:
        if figure.numerator is None:
            add("numerator", _("Cần nhập tử số."))
        if figure.denominator is None:
            add("denominator", _("Cần nhập mẫu số."))
        if figure.numerator is not None and figure.denominator is not None:
            if share_exceeded(indicator, figure.numerator, figure.denominator):
                add("numerator", _("Tử số (%(n)s) không được lớn hơn mẫu số (%(d)s).") % {
                    "n": format_number(figure.numerator), "d": format_number(figure.denominator)})  # fmt: skip
    elif indicator.kind == IndicatorKind.MILESTONE:
        if figure.met is None:
            add("met", _("Cần chọn đạt hoặc không đạt."))
    elif figure.value is None:
        add("value", _("Cần nhập giá trị."))
    if errors:
        raise ValidationError(errors)


def indicator_covers_unit(indicator: Indicator, unit: Unit) -> bool:
    if indicator.scope == Scope.AUTHORITY:
        return unit.pk == indicator.area.plan.issuing_unit_id
    return indicator.scope_units.filter(pk=unit.pk).exists()


@transaction.atomic
def measurement_save(
    *,
    indicator: Indicator,
    unit: Unit,
    period: Period,
    figure: FigureInput,
    user: User,
    submit: bool = False,
    files: Sequence[UploadedFile] = (),
) -> Measurement:
    """Save a unit's figure as a draft, or submit it for review; all or nothing."""
    figure_check(indicator=indicator, unit=unit, period=period, figure=figure)
    names = validate_uploads(files)
    measurement = Measurement.objects.select_for_update().filter(
        indicator=indicator, unit=unit, period=period
    ).first() or Measurement(indicator=indicator, unit=unit, period=period)
    if measurement.status == MeasurementStatus.APPROVED:
        raise ValidationError(_("Số liệu đã được duyệt và khóa; cần Phòng Nội vụ mở lại kèm lý do."))
    if measurement.status == MeasurementStatus.SUBMITTED and not submit:
        raise ValidationError(_("Số liệu đang chờ duyệt, không sửa được; chờ Phòng Nội vụ duyệt hoặc trả lại."))
    values: dict[str, object] = {
        "numerator": figure.numerator, "denominator": figure.denominator, "value": figure.value,
        "met": figure.met, "note": figure.note,
    }  # fmt: skip
    if submit:
        values |= {"status": MeasurementStatus.SUBMITTED, "submitted_by": user, "submitted_at": timezone.now()}
        # Sent figures leave the dashboard's "not submitted" list at once.
        plan_id = period.plan_id
        plan_changed_on_commit(plan_id)
    save_if_changed(measurement, **values)
    evidence_attach(owner=measurement, uploads=files, names=names, user=user)
    return measurement


@transaction.atomic
def measurement_approve(*, measurement: Measurement, user: User) -> Measurement:
    if measurement.status != MeasurementStatus.SUBMITTED:
        raise ValidationError(_("Chỉ duyệt được số liệu đang chờ duyệt."))
    if measurement.period.is_locked:
        message = _("Kỳ “%(period)s” đã khóa; mở khóa kỳ trước khi duyệt.")
        raise ValidationError(message % {"period": measurement.period})
    save_if_changed(
        measurement, status=MeasurementStatus.APPROVED, reviewed_by=user, reviewed_at=timezone.now(), review_comment=""
    )
    # Dashboards must not wait for the night: re-evaluate soon, once per burst of approvals.
    indicator_mark_for_evaluation(indicator_id=measurement.indicator_id, plan_id=measurement.period.plan_id)
    return measurement


@transaction.atomic
def measurement_return(*, measurement: Measurement, user: User, comment: str) -> Measurement:
    if measurement.status != MeasurementStatus.SUBMITTED:
        raise ValidationError(_("Chỉ trả lại được số liệu đang chờ duyệt."))
    if not comment.strip():
        raise ValidationError({"comment": [_("Cần ghi rõ lý do trả lại để đơn vị sửa.")]})
    save_if_changed(
        measurement,
        status=MeasurementStatus.RETURNED,
        reviewed_by=user,
        reviewed_at=timezone.now(),
        review_comment=comment.strip(),
    )
    # No longer sent: the dashboard's missing figures and figures on time change.
    plan_id = measurement.period.plan_id
    plan_changed_on_commit(plan_id)
    return measurement


@transaction.atomic
def measurement_reopen(*, measurement: Measurement, user: User, reason: str) -> Measurement:
    """Unlock an approved figure for correction; the reason stays in its history."""
    if measurement.status != MeasurementStatus.APPROVED:
        raise ValidationError(_("Chỉ mở lại được số liệu đã duyệt."))
    if not reason.strip():
        raise ValidationError({"reason": [_("Cần ghi lý do mở lại số liệu đã duyệt.")]})
    if measurement.period.is_locked:
        raise ValidationError(_("Kỳ báo cáo đã khóa; mở khóa kỳ trước."))
    measurement._change_reason = reason.strip()
    save_if_changed(measurement, status=MeasurementStatus.RETURNED, review_comment=reason.strip(), reviewed_by=user)
    indicator_mark_for_evaluation(indicator_id=measurement.indicator_id, plan_id=measurement.period.plan_id)
    return measurement


@transaction.atomic
def period_lock(*, period: Period) -> Period:
    save_if_changed(period, locked_at=period.locked_at or timezone.now())
    return period


@transaction.atomic
def period_reopen(*, period: Period, reason: str) -> Period:
    if not reason.strip():
        raise ValidationError({"reason": [_("Cần ghi lý do mở lại kỳ báo cáo.")]})
    period._change_reason = reason.strip()
    save_if_changed(period, locked_at=None)
    return period


def indicator_mark_for_evaluation(*, indicator_id: int, plan_id: int) -> None:
    """In the caller's transaction: re-evaluate the indicator a debounce window from now, once per burst.

    The mark commits with the approval or not at all, and beat sweeps it
    (`evaluations_run_marked`); no delayed message for a worker to hold or lose.
    A mark already waiting keeps its time: the burst is evaluated a window after its first approval.
    """
    mark = PendingEvaluation(indicator_id=indicator_id, marked_at=timezone.now())
    PendingEvaluation.objects.bulk_create([mark], ignore_conflicts=True)
    # The dashboard shows the approval at once; the statuses follow with the evaluation.
    plan_changed_on_commit(plan_id)


def evaluations_run_marked(*, now: datetime.datetime | None = None) -> list[str]:
    """The sweep: evaluate today every indicator marked a debounce window ago, then drop its mark.

    Each indicator in its own transaction, its mark row-locked: a second sweep
    skips it, an approval arriving meanwhile marks it again once this commits,
    and a worker killed mid-way rolls back, leaving the mark for the next sweep.
    Re-running is harmless: the evaluation replaces the day's snapshots.
    """
    from targets.evaluation import evaluate_plan

    now = now or timezone.now()
    due = now - datetime.timedelta(seconds=settings.PARPLAN_EVALUATION_DEBOUNCE_SECONDS)
    lines = []
    for indicator_id in PendingEvaluation.objects.filter(marked_at__lte=due).values_list("pk", flat=True):
        with transaction.atomic():
            mark = PendingEvaluation.objects.select_for_update(skip_locked=True).filter(pk=indicator_id).first()
            if mark is None:
                continue  # another sweep has it, or has just done it
            plan = Indicator.objects.select_related("area__plan__issuing_unit").get(pk=indicator_id).area.plan
            lines.append(evaluate_plan(plan=plan, day=timezone.localdate(), indicator_ids=[indicator_id]).line())
            mark.delete()
            # Again after commit: a dashboard read during the evaluation may have cached the old statuses.
            plan_changed_on_commit(plan.pk)
    return lines
