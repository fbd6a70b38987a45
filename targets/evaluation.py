"""The indicator evaluation: values to date, rolled up the unit tree, and a status.

The rule (docs/indicators.md) in short, with ON = PARPLAN_ON_TRACK_RATIO (0.95)
and RISK = PARPLAN_AT_RISK_RATIO (0.85):

- no approved figure to date → no data;
- a milestone: met → achieved; not met → at risk, off track once the year is over;
- a level target (kept all year, e.g. > 99% on time): meets the threshold → on
  track (achieved once the year is over); within ON of it → at risk; else off track;
- a cumulative target (reached by year end, e.g. ≥ 70% disbursed): meets the
  threshold → achieved; else compared with the expected value to date
  (threshold × share of the year elapsed): ≥ ON → on track, ≥ RISK → at risk,
  else off track; once the year is over, not met → off track.

Figures are aggregated in the database (one GROUP BY per plan); ratios roll up
as Σ numerators / Σ denominators across units and periods, never as an average
of percentages.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Sum

from parplan.models import Plan, PlanStatus, Unit
from targets.models import (
    Aggregation,
    Comparator,
    Indicator,
    IndicatorKind,
    IndicatorSnapshot,
    IndicatorStatus,
    Measurement,
    MeasurementStatus,
    Scope,
    TargetType,
)
from targets.periods import elapsed_fraction

_HUNDRED = Decimal(100)


@dataclass
class Totals:
    """Sums over periods (flows) and over units' latest figures (stocks, year-to-date)."""

    numerator: Decimal = Decimal(0)
    denominator: Decimal = Decimal(0)
    total: Decimal = Decimal(0)
    figures: int = 0
    last_numerator: Decimal = Decimal(0)
    last_denominator: Decimal = Decimal(0)
    last_value: Decimal = Decimal(0)
    units_reporting: int = 0

    def add(self, other: Totals) -> None:
        for name in (
            "numerator", "denominator", "total", "figures",
            "last_numerator", "last_denominator", "last_value", "units_reporting",
        ):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class EvaluationSummary:
    day: datetime.date
    indicators: int = 0
    snapshots: int = 0
    statuses: Counter[str] = field(default_factory=Counter)

    def line(self) -> str:
        counts = ", ".join(f"{IndicatorStatus(s).label}: {self.statuses.get(s, 0)}" for s in IndicatorStatus.values)
        return f"{self.day:%d/%m/%Y}: đã đánh giá {self.indicators} chỉ số ({self.snapshots} kết quả) — {counts}."


# --- The status rule (pure) ------------------------------------------------------


def meets(value: Decimal, comparator: str, threshold: Decimal) -> bool:
    return {
        Comparator.GTE: value >= threshold,
        Comparator.GT: value > threshold,
        Comparator.LTE: value <= threshold,
        Comparator.LT: value < threshold,
        Comparator.EQ: value == threshold,
    }[Comparator(comparator)]


def judge(
    *,
    kind: str,
    comparator: str,
    threshold: Decimal | None,
    target_type: str,
    value: Decimal | None,
    fraction: float,
    on_track: float | None = None,
    at_risk: float | None = None,
) -> tuple[str, Decimal | None]:
    """Return (status, expected value to date) for one value."""
    on_track = settings.PARPLAN_ON_TRACK_RATIO if on_track is None else on_track
    at_risk = settings.PARPLAN_AT_RISK_RATIO if at_risk is None else at_risk
    year_over = fraction >= 1
    if value is None:
        return IndicatorStatus.NO_DATA, None
    if kind == IndicatorKind.MILESTONE:
        if value >= 1:
            return IndicatorStatus.ACHIEVED, None
        return (IndicatorStatus.OFF_TRACK if year_over else IndicatorStatus.AT_RISK), None
    if threshold is None or not comparator:
        # Measured but without a rule: nothing to judge against, so not flagged.
        return IndicatorStatus.ON_TRACK, None
    if meets(value, comparator, threshold):
        done = year_over or target_type == TargetType.CUMULATIVE
        return (IndicatorStatus.ACHIEVED if done else IndicatorStatus.ON_TRACK), threshold
    if year_over or comparator == Comparator.EQ:
        return IndicatorStatus.OFF_TRACK, threshold
    lower_is_better = comparator in (Comparator.LT, Comparator.LTE)
    if target_type == TargetType.CUMULATIVE and not lower_is_better:
        expected = threshold * Decimal(str(fraction))
        share = value / expected if expected else Decimal(1)
        if share >= Decimal(str(on_track)):
            return IndicatorStatus.ON_TRACK, expected
        if share >= Decimal(str(at_risk)):
            return IndicatorStatus.AT_RISK, expected
        return IndicatorStatus.OFF_TRACK, expected
    # A level target missed: close to the threshold is "at risk", further is "off track".
    if lower_is_better:
        close = value * Decimal(str(on_track)) <= threshold
    else:
        close = value >= threshold * Decimal(str(on_track))
    return (IndicatorStatus.AT_RISK if close else IndicatorStatus.OFF_TRACK), threshold


def value_of(indicator: Indicator, totals: Totals) -> Decimal | None:
    """The indicator's value from its totals (ratios in %), None without data."""
    if totals.figures == 0:
        return None
    if indicator.aggregation == Aggregation.RATIO_OF_SUMS:
        # 0/0 ("no dossiers this month") says nothing about the rate.
        return totals.numerator * _HUNDRED / totals.denominator if totals.denominator else None
    if indicator.aggregation == Aggregation.SUM:
        return totals.total
    if indicator.aggregation == Aggregation.MILESTONE:
        # Met only when every reporting unit's latest figure says met.
        return Decimal(1) if totals.last_value == totals.units_reporting else Decimal(0)
    if indicator.kind == IndicatorKind.RATIO:
        # Year-to-date or stock ratios: each unit's latest figure, then Σ/Σ across units.
        return totals.last_numerator * _HUNDRED / totals.last_denominator if totals.last_denominator else None
    return totals.last_value


def fraction_of(indicator: Indicator, totals: Totals) -> tuple[Decimal | None, Decimal | None]:
    """The numerator and denominator the value was computed from, shown beside it.

    A year-to-date ratio is its latest figures, not the sum over periods (which
    would show 292 500 / 750 000 beside a value of 58 %); other kinds have none.
    """
    if totals.figures == 0 or indicator.kind != IndicatorKind.RATIO:
        return None, None
    if indicator.aggregation == Aggregation.LATEST:
        return totals.last_numerator, totals.last_denominator
    return totals.numerator, totals.denominator


# --- Aggregation in the database ---------------------------------------------------


def _totals_by_indicator_and_unit(indicators: list[Indicator], day: datetime.date) -> dict[tuple[int, int], Totals]:
    approved = Measurement.objects.filter(
        indicator__in=[i.pk for i in indicators], status=MeasurementStatus.APPROVED, period__start__lte=day
    )
    totals: dict[tuple[int, int], Totals] = {}
    for row in approved.values("indicator_id", "unit_id").annotate(
        numerator_sum=Sum("numerator"),
        denominator_sum=Sum("denominator"),
        value_sum=Sum("value"),
        figures=Count("id"),
    ):
        totals[(row["indicator_id"], row["unit_id"])] = Totals(
            numerator=row["numerator_sum"] or Decimal(0),
            denominator=row["denominator_sum"] or Decimal(0),
            total=row["value_sum"] or Decimal(0),
            figures=row["figures"],
        )
    _fill_latest_figures(indicators, approved, totals)
    return totals


def _fill_latest_figures(indicators: list[Indicator], approved: object, totals: dict[tuple[int, int], Totals]) -> None:
    """Latest-value and milestone indicators need each unit's figure of its last period."""
    wanted = [i.pk for i in indicators if i.aggregation in (Aggregation.LATEST, Aggregation.MILESTONE)]
    if not wanted:
        return
    rows = (
        approved.filter(indicator__in=wanted)
        .order_by("period__end")
        .values_list("indicator_id", "unit_id", "numerator", "denominator", "value", "met")
    )
    for indicator_id, unit_id, numerator, denominator, value, met in rows:
        # Ordered by period end, so the last row per key wins.
        unit_totals = totals[(indicator_id, unit_id)]
        unit_totals.last_numerator = numerator or Decimal(0)
        unit_totals.last_denominator = denominator or Decimal(0)
        unit_totals.last_value = Decimal(int(met)) if met is not None else (value or Decimal(0))
        unit_totals.units_reporting = 1


# --- Evaluation --------------------------------------------------------------------


def evaluate_plan(*, plan: Plan, day: datetime.date, indicator_ids: list[int] | None = None) -> EvaluationSummary:
    """Compute and store every indicator's value and status for `day`; idempotent.

    Everything is computed before anything is written, and the day's rows are
    replaced in one transaction: a failure leaves earlier snapshots untouched.
    """
    indicators = list(Indicator.objects.of_plan(plan).prefetch_related("scope_units"))
    if indicator_ids is not None:
        indicators = [i for i in indicators if i.pk in indicator_ids]
    totals = _totals_by_indicator_and_unit(indicators, day)
    fraction = elapsed_fraction(plan.year, day)
    issuer = plan.issuing_unit
    units_by_path = {unit.path: unit for unit in Unit.objects.subtree_of(issuer)}
    summary = EvaluationSummary(day=day, indicators=len(indicators))
    snapshots: list[IndicatorSnapshot] = []
    for indicator in indicators:
        for unit, unit_totals in _rolled_up(indicator, issuer, units_by_path, totals).items():
            value = value_of(indicator, unit_totals)
            numerator, denominator = fraction_of(indicator, unit_totals)
            status, expected = judge(
                kind=indicator.kind,
                comparator=indicator.comparator,
                threshold=indicator.threshold,
                target_type=indicator.target_type,
                value=value,
                fraction=fraction,
            )
            snapshots.append(
                IndicatorSnapshot(
                    indicator=indicator,
                    unit=unit,
                    day=day,
                    numerator=numerator,
                    denominator=denominator,
                    value=value,
                    expected=expected,
                    status=status,
                )
            )
            if unit.pk == issuer.pk:
                summary.statuses[status] += 1
    with transaction.atomic():
        IndicatorSnapshot.objects.filter(indicator__in=indicators, day=day).delete()
        IndicatorSnapshot.objects.bulk_create(snapshots, batch_size=2000)
    summary.snapshots = len(snapshots)
    return summary


def _rolled_up(
    indicator: Indicator, issuer: Unit, units_by_path: dict[str, Unit], totals: dict[tuple[int, int], Totals]
) -> dict[Unit, Totals]:
    """Totals for each unit in scope, each unit above them up to the issuer, and the issuer."""
    result: dict[Unit, Totals] = {issuer: Totals()}
    if indicator.scope == Scope.AUTHORITY:
        result[issuer].add(totals.get((indicator.pk, issuer.pk), Totals()))
        return result
    units = [unit for unit in indicator.scope_units.all() if unit.path.startswith(issuer.path)]
    # Each unit's value covers its own figures and those of scope units below it.
    subtree: dict[str, Totals] = defaultdict(Totals)
    for unit in units:
        own = totals.get((indicator.pk, unit.pk), Totals())
        result[issuer].add(own)
        ancestor = unit.path
        while len(ancestor) > len(issuer.path):
            subtree[ancestor].add(own)
            ancestor = ancestor[: ancestor.rstrip("/").rfind("/") + 1]
    for path, unit_totals in subtree.items():
        result[units_by_path[path]] = unit_totals
    return result


def evaluate_active_plans(*, day: datetime.date, plan_id: int | None = None) -> list[EvaluationSummary]:
    plans = Plan.objects.select_related("issuing_unit").filter(status=PlanStatus.ACTIVE)
    if plan_id is not None:
        plans = Plan.objects.select_related("issuing_unit").filter(pk=plan_id)
    return [evaluate_plan(plan=plan, day=day) for plan in plans]
