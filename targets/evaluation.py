"""The indicator evaluation: values to date, rolled up the unit tree, and a status.

The status rule itself is `targets.status.judge` (docs/indicators.md, "Status
rule"); this module gathers what it needs for every indicator and unit on a day:
the value, the share of the window elapsed, whether the window is closed (the day
is past its end and the figures of its last period are in), whether a rate had
anything to count, and for a periodic yes/no obligation the periods met, missed
and due.

Figures are aggregated in the database (one GROUP BY per plan); ratios roll up
as Σ numerators / Σ denominators across units and periods, never as an average
of percentages.
"""

from __future__ import annotations

import datetime
import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connections, router, transaction
from django.db.models import Count, F, Q, QuerySet, Sum, Window
from django.db.models.functions import RowNumber

from parplan.events import plan_changed_now
from parplan.models import Plan, PlanStatus, Unit
from targets.models import (
    Aggregation,
    Indicator,
    IndicatorKind,
    IndicatorSnapshot,
    IndicatorStatus,
    Measurement,
    MeasurementStatus,
    Scope,
)
from targets.periods import elapsed_fraction, periods_of, year_window
from targets.sources import computed_figures_write
from targets.status import Reading, judge, rule_of

_HUNDRED = Decimal(100)
# indicator id, unit id, numerator, denominator, value, expected, status, missed: one snapshot.
SnapshotRow = tuple[int, int, Decimal | None, Decimal | None, Decimal | None, Decimal | None, str, int | None]


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
    # Yes/no figures reported met and not met (a periodic obligation counts each period).
    met: int = 0
    missed: int = 0
    # Units in scope counted here, with or without figures (a periodic obligation is due from each).
    units: int = 0
    # The earliest of the units' latest periods' ends: a latest-value indicator is final only once
    # every unit's figure is of the window's last period.
    last_end: datetime.date | None = None

    def add(self, other: Totals) -> None:
        # Spelled out: this runs once per unit and level of the tree for every indicator.
        self.numerator += other.numerator
        self.denominator += other.denominator
        self.total += other.total
        self.figures += other.figures
        self.last_numerator += other.last_numerator
        self.last_denominator += other.last_denominator
        self.last_value += other.last_value
        self.units_reporting += other.units_reporting
        self.met += other.met
        self.missed += other.missed
        self.units += other.units
        if other.last_end is not None and (self.last_end is None or other.last_end < self.last_end):
            self.last_end = other.last_end


@dataclass
class EvaluationSummary:
    day: datetime.date
    indicators: int = 0
    snapshots: int = 0
    statuses: Counter[str] = field(default_factory=Counter)

    def line(self) -> str:
        counts = ", ".join(f"{IndicatorStatus(s).label}: {self.statuses.get(s, 0)}" for s in IndicatorStatus.values)
        return f"{self.day:%d/%m/%Y}: đã đánh giá {self.indicators} chỉ số ({self.snapshots} kết quả) — {counts}."


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


def reading_of(
    indicator: Indicator,
    totals: Totals,
    *,
    periodic: bool,
    day: datetime.date,
    window_end: datetime.date,
    fraction: float,
    due: int,
) -> Reading:
    """What one unit's totals say on `day`, for `targets.status.judge`."""
    value = value_of(indicator, totals)
    closed = day > window_end
    if closed and indicator.aggregation == Aggregation.LATEST:
        # A year-to-date figure of 14/9 does not settle the year: final once the last period's figures are in.
        closed = totals.last_end is not None and totals.last_end >= window_end
    if periodic:
        due_here = due * max(totals.units, 1)
        value = Decimal(1) if totals.met >= due_here and not totals.missed and totals.figures else Decimal(0)
        if not totals.figures and not due_here:
            value = None
    return Reading(
        value=value,
        fraction=fraction,
        closed=closed,
        # Figures came in but a rate had nothing to count (0 late dossiers to apologise for).
        not_applicable=bool(totals.figures) and indicator.kind == IndicatorKind.RATIO and value is None,
        met=totals.met,
        missed=totals.missed,
        due=due * max(totals.units, 1),
    )


def _periods_due(indicator: Indicator, year: int, day: datetime.date) -> int:
    """Periods of a periodic obligation whose due date has passed on `day` (each unit owes one figure each)."""
    return sum(1 for spec in periods_of(indicator.frequency, year) if spec.due_date < day)


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
    sums = (
        approved.values("indicator_id", "unit_id")
        .annotate(numerator_sum=Sum("numerator"), denominator_sum=Sum("denominator"), value_sum=Sum("value"),
                  figures=Count("id"), met_count=Count("id", filter=Q(met=True)),
                  missed_count=Count("id", filter=Q(met=False)))
        .values_list("indicator_id", "unit_id", "numerator_sum", "denominator_sum", "value_sum", "figures",
                     "met_count", "missed_count")
    )  # fmt: skip
    for indicator_id, unit_id, numerator, denominator, total, figures, met, missed in sums:
        totals[(indicator_id, unit_id)] = Totals(
            numerator=numerator or Decimal(0),
            denominator=denominator or Decimal(0),
            total=total or Decimal(0),
            figures=figures,
            met=met,
            missed=missed,
            units=1,
        )
    _fill_latest_figures(indicators, approved, totals)
    return totals


def _fill_latest_figures(
    indicators: list[Indicator], approved: QuerySet[Measurement], totals: dict[tuple[int, int], Totals]
) -> None:
    """Latest-value and milestone indicators need each unit's figure of its last period."""
    wanted = [i.pk for i in indicators if i.aggregation in (Aggregation.LATEST, Aggregation.MILESTONE)]
    if not wanted:
        return
    # Only each (indicator, unit)'s figure of the latest-ending period leaves the database.
    rows = (
        approved.filter(indicator__in=wanted)
        .annotate(
            recency=Window(
                RowNumber(), partition_by=[F("indicator_id"), F("unit_id")], order_by=F("period__end").desc()
            )
        )
        .filter(recency=1)
        .values_list("indicator_id", "unit_id", "numerator", "denominator", "value", "met", "period__end")
    )
    for indicator_id, unit_id, numerator, denominator, value, met, end in rows:
        unit_totals = totals[(indicator_id, unit_id)]
        unit_totals.last_end = end
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
    computed_figures_write(plan, day)
    indicators = list(Indicator.objects.of_plan(plan))
    if indicator_ids is not None:
        indicators = [i for i in indicators if i.pk in indicator_ids]
    totals = _totals_by_indicator_and_unit(indicators, day)
    fraction = elapsed_fraction(plan.year, day)
    issuer = plan.issuing_unit
    subtree = list(Unit.objects.subtree_of(issuer))  # ordered by path
    units_by_path = {unit.path: unit for unit in subtree}
    scope_units = _scope_units(indicators, subtree)
    summary = EvaluationSummary(day=day, indicators=len(indicators))
    chains: dict[str, list[str]] = {}
    # Plain rows, not model instances: a province has tens of thousands per day.
    rows: list[SnapshotRow] = []
    window_end = year_window(plan.year)[1]
    for indicator in indicators:
        rule = rule_of(indicator)
        due = _periods_due(indicator, plan.year, day) if rule.periodic else 0
        rolled_up = _rolled_up(indicator, issuer, units_by_path, totals, scope_units.get(indicator.pk, []), chains)
        indicator_id = indicator.pk
        for unit, unit_totals in rolled_up:
            reading = reading_of(
                indicator,
                unit_totals,
                periodic=rule.periodic,
                day=day,
                window_end=window_end,
                fraction=fraction,
                due=due,
            )
            status, expected = judge(rule, reading)
            if rule.periodic:
                met, due_here = Decimal(unit_totals.met), Decimal(due * max(unit_totals.units, 1))
                rows.append((indicator_id, unit.id, met, due_here, reading.value, None, status, unit_totals.missed))
            elif unit_totals.figures:
                numerator, denominator = fraction_of(indicator, unit_totals)
                rows.append((indicator_id, unit.id, numerator, denominator, reading.value, expected, status, None))
            else:
                rows.append((indicator_id, unit.id, None, None, reading.value, expected, status, None))
            if unit.id == issuer.id:
                summary.statuses[status] += 1
    alias = router.db_for_write(IndicatorSnapshot)
    with transaction.atomic(using=alias):
        IndicatorSnapshot.objects.using(alias).filter(indicator__in=indicators, day=day).delete()
        _insert_snapshots(alias, day, rows)
    summary.snapshots = len(rows)
    # New statuses: the dashboard must not serve the old ones from its cache.
    plan_changed_now(plan.pk)
    return summary


def _scope_units(indicators: list[Indicator], subtree: list[Unit]) -> dict[int, list[Unit]]:
    """Each indicator's scope units within the issuer's subtree, in path order (ids only from the database)."""
    wanted = [i.pk for i in indicators if i.scope != Scope.AUTHORITY]
    if not wanted:
        return {}
    through = Indicator.scope_units.through
    in_scope: dict[int, set[int]] = defaultdict(set)
    for indicator_id, unit_id in through.objects.filter(indicator_id__in=wanted).values_list("indicator_id", "unit_id"):
        in_scope[indicator_id].add(unit_id)
    return {indicator_id: [unit for unit in subtree if unit.id in ids] for indicator_id, ids in in_scope.items()}


def _insert_snapshots(alias: str, day: datetime.date, rows: list[SnapshotRow]) -> None:
    """Write the day's snapshots: COPY on PostgreSQL (psycopg2), bulk_create elsewhere."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and hasattr(cursor.cursor, "copy_expert"):
            # Decimals go as str(), exactly as psycopg2 sends them in an INSERT.
            day_text = day.isoformat()
            text = "".join(
                f"{indicator_id}\t{unit_id}\t{day_text}\t{_copy_text(numerator)}\t{_copy_text(denominator)}\t"
                f"{_copy_text(value)}\t{_copy_text(expected)}\t{status}\t{_copy_text(missed)}\n"
                for indicator_id, unit_id, numerator, denominator, value, expected, status, missed in rows
            )
            table = connection.ops.quote_name(IndicatorSnapshot._meta.db_table)
            columns = "indicator_id, unit_id, day, numerator, denominator, value, expected, status, missed"
            cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", io.StringIO(text))
            return
    IndicatorSnapshot.objects.using(alias).bulk_create(
        (
            IndicatorSnapshot(
                indicator_id=indicator_id, unit_id=unit_id, day=day, numerator=numerator, denominator=denominator,
                value=value, expected=expected, status=status, missed=missed,
            )
            for indicator_id, unit_id, numerator, denominator, value, expected, status, missed in rows
        ),
        batch_size=2000,
    )  # fmt: skip


def _copy_text(value: Decimal | int | None) -> str:
    return "\\N" if value is None else str(value)


def _rolled_up(
    indicator: Indicator,
    issuer: Unit,
    units_by_path: dict[str, Unit],
    totals: dict[tuple[int, int], Totals],
    scope_units: list[Unit],
    chains: dict[str, list[str]],
) -> list[tuple[Unit, Totals]]:
    """Totals for the issuer, each unit in scope and each unit above them up to the issuer.

    `chains` caches, across indicators, each unit's path and its ancestors' paths below the issuer.
    """
    issuer_totals = Totals()
    indicator_id = indicator.pk
    if indicator.scope == Scope.AUTHORITY:
        issuer_totals.add(totals.get((indicator_id, issuer.pk), Totals(units=1)))
        return [(issuer, issuer_totals)]
    # Each unit's value covers its own figures and those of scope units below it.
    subtree: dict[str, Totals] = defaultdict(Totals)
    for unit in scope_units:
        if not unit.path.startswith(issuer.path):
            continue
        chain = chains.get(unit.path)
        if chain is None:
            chain = chains[unit.path] = _ancestor_paths(unit.path, issuer.path)
        own = totals.get((indicator_id, unit.id))
        if own is None:
            # No figures: the unit still counts as one owing them (a periodic obligation), nothing else.
            issuer_totals.units += 1
            for path in chain:
                subtree[path].units += 1
            continue
        issuer_totals.add(own)
        for path in chain:
            subtree[path].add(own)
    return [(issuer, issuer_totals)] + [(units_by_path[path], unit_totals) for path, unit_totals in subtree.items()]


def _ancestor_paths(path: str, issuer_path: str) -> list[str]:
    """The path itself and its ancestors' paths, up to (not including) the issuer's."""
    paths = []
    while len(path) > len(issuer_path):
        paths.append(path)
        path = path[: path.rstrip("/").rfind("/") + 1]
    return paths


def evaluate_active_plans(*, day: datetime.date, plan_id: int | None = None) -> list[EvaluationSummary]:
    plans = Plan.objects.select_related("issuing_unit").filter(status=PlanStatus.ACTIVE)
    if plan_id is not None:
        plans = Plan.objects.select_related("issuing_unit").filter(pk=plan_id)
    return [evaluate_plan(plan=plan, day=day) for plan in plans]
