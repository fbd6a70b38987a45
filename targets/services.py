"""Writes of targets and their indicators."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Field, Max, Model
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from evidence.services import evidence_attach
from evidence.uploads import validate_uploads
from notifications.services import notify, people_of
from parplan.events import plan_changed_on_commit
from parplan.formatting import format_number
from parplan.i18n import site_language
from parplan.models import Plan, PlanStatus, ReformArea, Unit
from parplan.numbers import number_problems
from parplan.services import (
    Saved,
    attribute_change,
    plan_change_reason_check,
    save_if_changed,
    set_m2m_if_changed,
)
from targets.conflicts import decided_message, figure_conflict
from targets.figure_counts import figures_on_time_recount
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
from targets.notices import FigureNotice
from targets.number_rules import figure_rule, share_exceeded
from targets.parsing import ParsedIndicator, parse_target
from targets.periods import periods_for_year
from targets.sources import is_computed


@transaction.atomic
def target_upsert(
    *,
    area: ReformArea,
    position: int,
    text: str,
    indicators: Sequence[ParsedIndicator] | None = None,
    user: Any = None,
    reason: str = "",
) -> Target:
    """Create or update a target; without explicit indicators, read them from the text."""
    # Two imports at once would both find no target at this place and the second fail (unique): they queue.
    ReformArea.objects.select_for_update(no_key=True).get(pk=area.pk)
    target = Target.objects.filter(area=area, position=position).first() or Target(area=area, position=position)
    attribute_change(target, user, reason)
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
def target_edit(*, area: ReformArea, position: int | None, text: str, user: Any, reason: str = "") -> Target:
    """Change a target's statement, or add one after the last (`position` None); its indicators are read again.

    A target with figures keeps them only if the statement still states as many indicators (each keeps its
    place and figures, its rule read again): otherwise the change is refused, nothing is lost.
    """
    plan_change_reason_check(Plan.objects.select_for_update().get(pk=area.plan_id), reason)
    if position is None:
        position = (area.targets.aggregate(last=Max("position"))["last"] or 0) + 1
    target = Target.objects.filter(area=area, position=position).first()
    if target is not None and Measurement.objects.filter(indicator__target=target).exists():
        _keeps_its_figures(target, text)
    saved = target_upsert(area=area, position=position, text=text, user=user, reason=reason)
    for indicator_id in saved.indicators.values_list("pk", flat=True):
        # A new threshold or comparator changes what the figures mean: evaluated again, not left stale.
        indicator_mark_for_evaluation(indicator_id=indicator_id, plan_id=area.plan_id)
    return saved


def _keeps_its_figures(target: Target, text: str) -> None:
    """Refuse a new statement under which a target's figures would no longer mean what they were entered as."""
    with site_language():
        stated = parse_target(text).indicators
    held = list(target.indicators.order_by("position"))
    if len(stated) != len(held):
        raise ValidationError(
            _(
                "Chỉ tiêu này đã có số liệu cho %(held)s chỉ số, nội dung mới nêu %(stated)s chỉ số: sửa sao cho "
                "giữ đủ %(held)s chỉ số, hoặc thêm chỉ tiêu mới."
            )
            % {"held": len(held), "stated": len(stated)}
        )
    for indicator, parsed in zip(held, stated, strict=True):
        if (indicator.kind, indicator.unit_of_measure) != (parsed.kind, parsed.unit_of_measure):
            raise ValidationError(
                _(
                    "Chỉ số “%(name)s” đã có số liệu dạng %(old)s; nội dung mới làm nó thành dạng %(new)s. Số liệu đã "
                    "nhập sẽ không còn đúng nghĩa: thêm chỉ tiêu mới thay vì sửa."
                )
                % {
                    "name": indicator.name[:80],
                    "old": IndicatorKind(indicator.kind).label,
                    "new": IndicatorKind(parsed.kind).label,
                }
            )


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
        "numerator_label", "denominator_label", "risk_band", "due_date",
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
    # Two generations at once would both find no period and the second fail (unique): they queue.
    Plan.objects.select_for_update(no_key=True).get(pk=plan.pk)
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

    def values(self) -> dict[str, object]:
        """The figure's columns, by name."""
        return {"numerator": self.numerator, "denominator": self.denominator, "value": self.value,
                "met": self.met, "note": self.note}  # fmt: skip


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
    if is_computed(indicator.source):
        # The source's writer would overwrite a typed figure at the next evaluation, silently.
        message = _("Số liệu của chỉ số này được tính tự động (%(source)s); không nhập tay được.")
        add("__all__", message % {"source": indicator.get_source_display()})
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
    expected_version: int | None = None,
    at: datetime.datetime | None = None,
) -> Measurement:
    """Save a unit's figure as a draft, or submit it for review; all or nothing.

    `expected_version` is the figure's version when the form was opened (0: there
    was none yet); another version raises FigureConflict and writes nothing.
    None (a caller with no form: the demo, scripts) saves without that check.
    `at` is when it was sent (default now): the demo sends a past year's figures in that year.
    """
    figure_check(indicator=indicator, unit=unit, period=period, figure=figure)
    names = validate_uploads(files)
    typed = figure.values()
    values = dict(typed)
    if submit:
        values |= {"status": MeasurementStatus.SUBMITTED, "submitted_by": user, "submitted_at": at or timezone.now()}
        # Sent figures leave the dashboard's "not submitted" list at once.
        plan_changed_on_commit(period.plan_id)
    measurement, inserted = _figure_locked(indicator, unit, period), False
    if measurement is None:
        measurement, inserted = _figure_insert(indicator, unit, period, values, typed, expected_version, user)
    if not inserted:
        if expected_version is not None and measurement.version != expected_version:
            raise figure_conflict(measurement, typed)
        if measurement.status == MeasurementStatus.APPROVED:
            raise ValidationError(_("Số liệu đã được duyệt và khóa; cần Phòng Nội vụ mở lại kèm lý do."))
        if measurement.status == MeasurementStatus.SUBMITTED and not submit:
            raise ValidationError(_("Số liệu đang chờ duyệt, không sửa được; chờ Phòng Nội vụ duyệt hoặc trả lại."))
        _figure_write(measurement, by=user, **values)
    if submit:
        figures_on_time_recount(plan_id=period.plan_id, unit_id=unit.pk)
    evidence_attach(owner=measurement, uploads=files, names=names, user=user)
    return measurement


def _figure_locked(indicator: Indicator, unit: Unit, period: Period) -> Measurement | None:
    """The stored figure under a row lock: two savers of one figure queue instead of racing."""
    figures = Measurement.objects.select_for_update().filter(indicator=indicator, unit=unit, period=period)
    return figures.first()


def _figure_insert(
    indicator: Indicator,
    unit: Unit,
    period: Period,
    values: dict[str, object],
    typed: dict[str, object],
    expected_version: int | None,
    user: User,
) -> tuple[Measurement, bool]:
    """The first save of a figure, at version 1; False with the stored figure when another came first.

    Two first saves of one figure race past `_figure_locked` (no row to lock yet):
    the database's unique constraint makes the later one wait for the earlier and
    fail; it then finds the earlier one's figure, which its form did not see.
    """
    measurement = Measurement(indicator=indicator, unit=unit, period=period, version=0)
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction outlives a failed insert
            _figure_write(measurement, by=user, **values)
    except IntegrityError:
        current = _figure_locked(indicator, unit, period)
        if current is None:
            raise  # another constraint than the one figure per indicator, unit and period
        if expected_version is not None:
            raise figure_conflict(current, typed) from None
        return current, False
    return measurement, True


def _figure_write(measurement: Measurement, *, by: User, **values: object) -> bool:
    """Save the values that differ, with the next version; the same values write nothing.

    `by` is the history's user: outside a request (the demo, jobs) the history middleware knows
    nobody, and a conflict would say "người khác" instead of who saved.
    """
    if not measurement._state.adding and not any(_differs(measurement, k, v) for k, v in values.items()):
        return False
    measurement._history_user = by
    return save_if_changed(measurement, version=measurement.version + 1, **values)


def _differs(measurement: Measurement, name: str, value: object) -> bool:
    field = Measurement._meta.get_field(name)
    assert isinstance(field, Field)  # the services name columns only
    # A user is compared by id: reading the relation would cost a query.
    return bool(getattr(measurement, field.attname) != (value.pk if isinstance(value, Model) else value))


def _figure_for_review(measurement: Measurement) -> Period:
    """Re-read the figure (in place) under a row lock, and its period as it is now.

    Of two reviewers deciding at once, the later waits for the earlier and sees its step.
    """
    measurement.refresh_from_db(from_queryset=Measurement.objects.select_for_update())
    return Period.objects.get(pk=measurement.period_id)


@transaction.atomic
def measurement_approve(*, measurement: Measurement, user: User, at: datetime.datetime | None = None) -> Measurement:
    """Approve a sent figure; `at` is when (default now; the demo approves a past year's figures in it)."""
    period = _figure_for_review(measurement)
    if measurement.status != MeasurementStatus.SUBMITTED:
        raise ValidationError(_("Chỉ duyệt được số liệu đang chờ duyệt.") + " " + decided_message(measurement))
    if period.is_locked:
        message = _("Kỳ “%(period)s” đã khóa; mở khóa kỳ trước khi duyệt.")
        raise ValidationError(message % {"period": period})
    _figure_write(
        measurement,
        by=user,
        status=MeasurementStatus.APPROVED,
        reviewed_by=user,
        reviewed_at=at or timezone.now(),
        review_comment="",
    )
    # Dashboards must not wait for the night: re-evaluate soon, once per burst of approvals.
    indicator_mark_for_evaluation(indicator_id=measurement.indicator_id, plan_id=measurement.period.plan_id)
    return measurement


@transaction.atomic
def measurements_return(*, measurements: Sequence[Measurement], user: User, comment: str) -> int:
    """Send the figures back with one comment, all or none; each unit is told once per period, not per figure.

    The review queue returns a unit's whole month at once: thirty figures made thirty notices for
    each of its people, which buried the one line they needed (what to mend, and where).
    """
    returned: dict[tuple[int, int], list[Measurement]] = {}
    for measurement in measurements:
        measurement_return(measurement=measurement, user=user, comment=comment, notify_unit=False)
        returned.setdefault((measurement.unit_id, measurement.period_id), []).append(measurement)
    for figures in returned.values():
        _returned_notify(figures, figures[0].period, comment.strip())
    return len(measurements)


@transaction.atomic
def measurement_return(
    *, measurement: Measurement, user: User, comment: str, at: datetime.datetime | None = None, notify_unit: bool = True
) -> Measurement:
    """Send a figure back for correction with the reviewer's comment; `at` is when (default now).

    `notify_unit`: False when the caller tells the unit itself (`measurements_return`, once for many).
    """
    if not comment.strip():
        raise ValidationError({"comment": [_("Cần ghi rõ lý do trả lại để đơn vị sửa.")]})
    period = _figure_for_review(measurement)
    if measurement.status != MeasurementStatus.SUBMITTED:
        raise ValidationError(_("Chỉ trả lại được số liệu đang chờ duyệt.") + " " + decided_message(measurement))
    _figure_write(
        measurement,
        by=user,
        status=MeasurementStatus.RETURNED,
        reviewed_by=user,
        reviewed_at=at or timezone.now(),
        review_comment=comment.strip(),
    )
    # No longer sent: the dashboard's missing figures and figures on time change.
    plan_changed_on_commit(period.plan_id)
    figures_on_time_recount(plan_id=period.plan_id, unit_id=measurement.unit_id)
    if notify_unit:
        _returned_notify([measurement], period, comment.strip())
    return measurement


def _returned_notify(figures: Sequence[Measurement], period: Period, comment: str) -> None:
    """The unit's people are told, with the reason, where it waited unseen on the entry page: one notice."""
    first = figures[0]
    with site_language():  # the portal's language, whoever returned it: the notice waits for someone else
        # Cut at a word, the ellipsis inside the quotes: the notice holds 500 characters, the reason first.
        name = Truncator(first.indicator.name).words(12)
        if len(figures) == 1:
            message = _("Số liệu “%(indicator)s” kỳ %(period)s bị trả lại: %(comment)s") % {
                "indicator": name, "period": period, "comment": comment,
            }  # fmt: skip
        else:
            message = _("%(count)d số liệu kỳ %(period)s bị trả lại (“%(indicator)s” và %(others)d số liệu khác): "
                        "%(comment)s") % {
                "count": len(figures), "period": period, "indicator": name, "others": len(figures) - 1,
                "comment": comment,
            }  # fmt: skip
    url = reverse("figures-entry", args=[period.plan_id, first.unit.code]) + f"?period={period.pk}"
    notify(
        users=people_of([first.unit]), kind=FigureNotice.RETURNED, message=message, url=url,
        subject_key=_returned_key(figures), day=timezone.localdate(),
    )  # fmt: skip


def _returned_key(figures: Sequence[Measurement]) -> str:
    """The notice's key (60 characters at most): the first figure's version changes with every return of it."""
    first = figures[0]
    more = f"+{len(figures) - 1}" if len(figures) > 1 else ""
    return f"figure-{first.pk}-v{first.version}{more}"


@transaction.atomic
def measurement_reopen(*, measurement: Measurement, user: User, reason: str) -> Measurement:
    """Unlock an approved figure for correction; the reason stays in its history."""
    if not reason.strip():
        raise ValidationError({"reason": [_("Cần ghi lý do mở lại số liệu đã duyệt.")]})
    period = _figure_for_review(measurement)
    if measurement.status != MeasurementStatus.APPROVED:
        raise ValidationError(_("Chỉ mở lại được số liệu đã duyệt.") + " " + decided_message(measurement))
    if period.is_locked:
        raise ValidationError(_("Kỳ báo cáo đã khóa; mở khóa kỳ trước."))
    measurement._change_reason = reason.strip()
    _figure_write(
        measurement, by=user, status=MeasurementStatus.RETURNED, review_comment=reason.strip(), reviewed_by=user
    )
    figures_on_time_recount(plan_id=period.plan_id, unit_id=measurement.unit_id)
    indicator_mark_for_evaluation(indicator_id=measurement.indicator_id, plan_id=measurement.period.plan_id)
    return measurement


def _period_locked(period: Period) -> Period:
    return Period.objects.select_for_update().get(pk=period.pk)


@transaction.atomic
def period_lock(*, period: Period) -> Period:
    """Lock the period; locking it again keeps the first lock's time (two secretaries agreeing is no conflict)."""
    current = _period_locked(period)
    save_if_changed(current, locked_at=current.locked_at or timezone.now())
    period.locked_at = current.locked_at
    return current


@transaction.atomic
def period_reopen(*, period: Period, reason: str) -> Period:
    if not reason.strip():
        raise ValidationError({"reason": [_("Cần ghi lý do mở lại kỳ báo cáo.")]})
    current = _period_locked(period)
    if current.locked_at is None:
        raise ValidationError(
            _("Kỳ %(period)s đang mở (người khác vừa mở khóa); không cần mở lại.") % {"period": current}
        )
    current._change_reason = reason.strip()
    save_if_changed(current, locked_at=None)
    period.locked_at = None
    return current


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


def unit_open_scopes(unit: Unit) -> int:
    """Indicators of plans not closed that `unit` still reports: a unit ended without a successor leaves them."""
    count: int = Indicator.objects.filter(scope_units=unit).exclude(area__plan__status=PlanStatus.CLOSED).count()
    return count


def unit_scopes_hand_over(old: Unit, new: Unit, user: Any, reason: str) -> int:
    """The successor reports where `old` reported, in plans not yet closed; `old` stays in scope for its figures."""
    indicators = Indicator.objects.filter(scope_units=old).exclude(area__plan__status=PlanStatus.CLOSED)
    indicators = indicators.exclude(scope_units=new)
    moved = 0
    for indicator in indicators:
        indicator.scope_units.add(new)
        moved += 1
    return moved
