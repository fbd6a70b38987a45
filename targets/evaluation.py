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
import gc
import sys
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Count, Max, Min, Q, QuerySet, Sum

from parplan.events import plan_changed_now
from parplan.jobs import enqueue_on_commit
from parplan.models import Plan, PlanStatus, Unit
from targets.figure_counts import figures_on_time_keep
from targets.models import (
    Aggregation,
    Indicator,
    IndicatorKind,
    IndicatorSnapshot,
    IndicatorStatus,
    Measurement,
    MeasurementStatus,
    NightlyEvaluation,
    Scope,
)
from targets.periods import PeriodSpec, elapsed_fraction, periods_of, year_window
from targets.read_ahead import read_ahead
from targets.snapshot_writes import SnapshotRow, SnapshotWriter, stored_value
from targets.sources import computed_figures_write
from targets.status import Reading, band, judge, rule_of

_HUNDRED = Decimal(100)


@dataclass(slots=True)
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
    # The periods the figures came from: the earliest start and the latest end (targets.windows).
    first_start: datetime.date | None = None
    latest_end: datetime.date | None = None

    def add(self, other: Totals) -> None:
        # Spelled out: this runs once per unit and level of the tree for every indicator.
        # Fields that are zero below are skipped (only latest-value and milestone indicators have latest
        # figures, only yes/no ones met and missed).
        self.numerator += other.numerator
        self.denominator += other.denominator
        self.total += other.total
        self.figures += other.figures
        self.units += other.units
        if other.units_reporting:
            self.last_numerator += other.last_numerator
            self.last_denominator += other.last_denominator
            self.last_value += other.last_value
            self.units_reporting += other.units_reporting
            if other.last_end is not None and (self.last_end is None or other.last_end < self.last_end):
                self.last_end = other.last_end
        if other.met or other.missed:
            self.met += other.met
            self.missed += other.missed
        if other.first_start is not None and (self.first_start is None or other.first_start < self.first_start):
            self.first_start = other.first_start
        if other.latest_end is not None and (self.latest_end is None or other.latest_end > self.latest_end):
            self.latest_end = other.latest_end


@dataclass
class EvaluationSummary:
    day: datetime.date
    indicators: int = 0
    snapshots: int = 0
    statuses: Counter[str] = field(default_factory=Counter)

    def line(self) -> str:
        counts = ", ".join(f"{IndicatorStatus(s).label}: {self.statuses.get(s, 0)}" for s in IndicatorStatus.values)
        return f"{self.day:%d/%m/%Y}: đã đánh giá {self.indicators} chỉ số ({self.snapshots} kết quả) — {counts}."


# The choices compared for every indicator and unit each night, as plain strings: on Python 3.11 a member
# looked up on its enum class costs about 80 ns, ten times a plain name (targets.status has the same).
_RATIO_OF_SUMS: str = Aggregation.RATIO_OF_SUMS.value
_SUM: str = Aggregation.SUM.value
_MILESTONE_AGGREGATION: str = Aggregation.MILESTONE.value
_LATEST: str = Aggregation.LATEST.value
_RATIO: str = IndicatorKind.RATIO.value
_MILESTONE_KIND: str = IndicatorKind.MILESTONE.value


def value_of(indicator: Indicator, totals: Totals) -> Decimal | None:
    """The indicator's value from its totals (ratios in %), None without data."""
    if totals.figures == 0:
        return None
    if indicator.aggregation == _RATIO_OF_SUMS:
        # 0/0 ("no dossiers this month") says nothing about the rate.
        return totals.numerator * _HUNDRED / totals.denominator if totals.denominator else None
    if indicator.aggregation == _SUM:
        return totals.total
    if indicator.aggregation == _MILESTONE_AGGREGATION:
        # Met only when every reporting unit's latest figure says met.
        return Decimal(1) if totals.last_value == totals.units_reporting else Decimal(0)
    if indicator.kind == _RATIO:
        # Year-to-date or stock ratios: each unit's latest figure, then Σ/Σ across units.
        return totals.last_numerator * _HUNDRED / totals.last_denominator if totals.last_denominator else None
    return totals.last_value


def window_end_of(indicator: Indicator, year_end: datetime.date) -> datetime.date:
    """The day an indicator's outcome is due: a once-a-year milestone's own deadline, else the year's end."""
    due = indicator.due_date
    if due is not None and indicator.kind == _MILESTONE_KIND and due < year_end:
        return due
    return year_end


def reading_of(
    indicator: Indicator,
    totals: Totals,
    *,
    periodic: bool,
    day: datetime.date,
    window_end: datetime.date,
    fraction: float,
    due: int,
    plan_closed: bool = False,
) -> Reading:
    """What one unit's totals say on `day`, for `targets.status.judge`.

    `plan_closed`: the secretariat has closed the plan, so no figure can come in any more
    and, past the window's end, every outcome is settled whatever period its last figure is of.
    """
    value = value_of(indicator, totals)
    closed = day > window_end
    if closed and not plan_closed and indicator.aggregation == _LATEST:
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
        not_applicable=bool(totals.figures) and indicator.kind == _RATIO and value is None,
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
    if totals.figures == 0 or indicator.kind != _RATIO:
        return None, None
    if indicator.aggregation == _LATEST:
        return totals.last_numerator, totals.last_denominator
    return totals.numerator, totals.denominator


# --- Aggregation in the database ---------------------------------------------------


def _totals_by_indicator_and_unit(
    indicators: list[Indicator], day: datetime.date, *, window: tuple[datetime.date, datetime.date] | None = None
) -> dict[tuple[int, int], Totals]:
    """Totals of the approved figures of periods begun by `day`, or of those inside `window` only.

    A report's window takes a period only if it lies wholly inside: the half-year's figure
    (15/12–14/6) is no figure of the first quarter, nor 15/6–14/12 one of the third.
    """
    return _totals_of(_figure_rows(indicators, day, window=window))


@dataclass(frozen=True, slots=True)
class FigureRows:
    """What the database adds up for some indicators, as read: `_figure_rows` reads, `_totals_of` makes totals."""

    # (indicator, unit, Σ numerator, Σ denominator, Σ value, figures, met, missed, first start, latest end)
    sums: list[tuple[Any, ...]]
    # Latest-value and milestone indicators: (indicator, unit, numerator, denominator, value, met, end, period)
    # of the periods ending on one of the groups' latest ends.
    latest: list[tuple[Any, ...]]


def _figure_rows(
    indicators: list[Indicator], day: datetime.date, *, window: tuple[datetime.date, datetime.date] | None = None,
    connection: BaseDatabaseWrapper | None = None,
) -> FigureRows:  # fmt: skip
    """The two reads behind the totals (no more Python than the driver's): what the read-ahead thread does.

    `connection`: the one to read on (the evaluation's read-ahead thread shares its caller's).
    Latest-value and milestone indicators need each unit's figure of its last period. The
    sums already say which period ends last for each (indicator, unit) (`latest end`): only
    the figures of periods ending on one of those days leave the database (one day when every
    unit is up to date). A filter, where ranking every figure by period (a window over all of
    them) sorted them all first.
    """
    approved = Measurement.objects.filter(indicator__in=[i.pk for i in indicators], status=MeasurementStatus.APPROVED)
    if window is None:
        approved = approved.filter(period__start__lte=day)
    else:
        approved = approved.filter(period__start__gte=window[0], period__end__lte=window[1])
    sums = (
        approved.values("indicator_id", "unit_id")
        .annotate(numerator_sum=Sum("numerator"), denominator_sum=Sum("denominator"), value_sum=Sum("value"),
                  figures=Count("id"), met_count=Count("id", filter=Q(met=True)),
                  missed_count=Count("id", filter=Q(met=False)), first_start=Min("period__start"),
                  latest_end=Max("period__end"))
        .values_list("indicator_id", "unit_id", "numerator_sum", "denominator_sum", "value_sum", "figures",
                     "met_count", "missed_count", "first_start", "latest_end")
    )  # fmt: skip
    summed = list(_rows(sums, connection))
    wanted = {i.pk for i in indicators if i.aggregation in (Aggregation.LATEST, Aggregation.MILESTONE)}
    ends = {row[9] for row in summed if row[0] in wanted}
    if not ends:
        return FigureRows(summed, [])
    latest = approved.filter(indicator__in=wanted, period__end__in=ends).values_list(
        "indicator_id", "unit_id", "numerator", "denominator", "value", "met", "period__end", "period_id"
    )
    return FigureRows(summed, list(_rows(latest, connection)))


def _totals_of(rows: FigureRows) -> dict[tuple[int, int], Totals]:
    """Each (indicator, unit)'s totals from the rows read; each group keeps the latest figure of its own latest end."""
    totals: dict[tuple[int, int], Totals] = {}
    for indicator_id, unit_id, numerator, denominator, total, figures, met, missed, first, latest in rows.sums:
        totals[(indicator_id, unit_id)] = Totals(
            numerator=numerator or Decimal(0),
            denominator=denominator or Decimal(0),
            total=total or Decimal(0),
            figures=figures,
            met=met,
            missed=missed,
            units=1,
            first_start=first,
            latest_end=latest,
        )
    taken: dict[tuple[int, int], int] = {}
    for indicator_id, unit_id, numerator, denominator, value, met, end, period_id in rows.latest:
        key = (indicator_id, unit_id)
        unit_totals = totals[key]
        # Two periods ending the same day (which the periods' set-up does not make): the later one, every night.
        if end != unit_totals.latest_end or taken.get(key, 0) > period_id:
            continue
        taken[key] = period_id
        unit_totals.last_end = end
        unit_totals.last_numerator = numerator or Decimal(0)
        unit_totals.last_denominator = denominator or Decimal(0)
        unit_totals.last_value = Decimal(int(met)) if met is not None else (value or Decimal(0))
        unit_totals.units_reporting = 1
    return totals


def _rows(queryset: QuerySet[Any], connection: BaseDatabaseWrapper | None = None) -> Iterable[tuple[Any, ...]]:
    """The rows of a `values_list` queryset, as the driver returns them on PostgreSQL.

    psycopg2 already gives Decimal, int, bool and date there, so Django's
    per-value converters (tens of thousands of rows a night) would change
    nothing; other databases (SQLite stores decimals as text) keep them.
    Compiled for and run on `connection` when given: from the evaluation's
    read-ahead thread, `connections[…]` would be that thread's own connection,
    outside the transaction.
    """
    connection = connection or connections[queryset.db]
    if connection.vendor != "postgresql":
        return queryset
    try:
        sql, params = queryset.query.get_compiler(connection=connection).as_sql()
    except EmptyResultSet:  # a filter that matches nothing (no indicators): Django runs no query either
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
    return rows


# --- Evaluation --------------------------------------------------------------------


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Python's cycle collector off while the evaluation makes its tens of thousands of totals and rows.

    None of them is part of a reference cycle (reference counting frees them all), but each
    700 new objects start a collection that walks every live object of its generation, and the
    older generations again and again as the rows pile up: at province size, 24,000 totals and
    24,080 rows, that was 70 ms of the 0.57 s (bench/README.md). Restored on the way out, errors
    included, and left off if it was off.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def evaluate_plan(*, plan: Plan, day: datetime.date, indicator_ids: list[int] | None = None) -> EvaluationSummary:
    """Compute and store every indicator's value and status for `day`; idempotent.

    In one transaction, a chunk of indicators at a time: their figures added up and the
    day's stored rows read (the next chunk's while this one is judged, targets/read_ahead.py),
    the rows judged and handed to the writer (targets/snapshot_writes.py). A failure leaves
    earlier snapshots untouched.
    """
    computed_figures_write(plan, day)
    indicators = list(Indicator.objects.of_plan(plan).order_by("pk"))
    if indicator_ids is not None:
        indicators = [i for i in indicators if i.pk in indicator_ids]
    summary = EvaluationSummary(day=day, indicators=len(indicators))
    alias = router.db_for_write(IndicatorSnapshot)
    connection = connections[alias]
    with cyclic_gc_paused(), gil_handed_over_sooner(), transaction.atomic(using=alias):
        # The writer first: it waits for any other writer of the plan's snapshots, so that the tree, the
        # scopes and the stored rows below are all read after that one committed.
        writer = SnapshotWriter(alias, plan.pk, day, [i.pk for i in indicators])
        tree = UnitTree.of(plan.issuing_unit)
        scope_units = _scope_units(indicators, tree)

        def read(chunk: list[Indicator]) -> tuple[FigureRows, list[tuple[Any, ...]]]:
            # In the read-ahead thread, on the caller's connection and transaction: queries and the
            # driver's rows only, so that the Python work is done here, beside the next chunk's queries.
            return _figure_rows(chunk, day, connection=connection), writer.stored_of([i.pk for i in chunk])

        with closing(read_ahead(connection, _chunks(indicators, scope_units), read, writer.copy_pending)) as chunks:
            for chunk, (figures, stored) in chunks:
                totals = _totals_of(figures)
                writer.take(_judged_rows(plan, day, chunk, tree, totals, scope_units, summary), stored)
        summary.snapshots = writer.finish()
    # New statuses: the dashboard must not serve the old ones from its cache.
    plan_changed_now(plan.pk)
    return summary


# The evaluation reads and judges a plan in chunks of indicators, the next read while one is judged. Each chunk
# costs a few queries and, on two cores, a few hand-overs of Python's GIL between the caller and the reading
# thread (each up to the switch interval): at province size (24,080 groups) four to six chunks took 0.30-0.31 s
# the day again where eight took 0.35-0.37 s (bench/README.md); this rule gives five. Larger plans get more, so
# that the totals of the chunk held at a time stay bounded (national size, 280,080 groups: eight, 212 MB); never
# fewer than four, so that reading overlaps judging.
_GROUPS_PER_CHUNK = 6000
_MIN_CHUNKS, _MAX_CHUNKS = 4, 8


def _chunks(indicators: list[Indicator], scope_units: dict[int, list[int]]) -> list[list[Indicator]]:
    """The indicators in runs of consecutive ids, as many as the plan's (indicator, unit) groups call for, each
    about as many groups as the next (an indicator over every commune weighs more than one over the offices)."""
    weights = [len(scope_units.get(indicator.pk, ())) + 1 for indicator in indicators]
    groups = sum(weights)
    wanted = min(_MAX_CHUNKS, max(_MIN_CHUNKS, -(-groups // _GROUPS_PER_CHUNK)), len(indicators))
    chunks: list[list[Indicator]] = []
    current: list[Indicator] = []
    taken, left = 0, groups
    for indicator, weight in zip(indicators, weights, strict=True):
        current.append(indicator)
        taken += weight
        # Cut once this run holds its share of what is left; the last run takes the rest.
        chunks_left = wanted - len(chunks)
        if chunks_left > 1 and taken * chunks_left >= left:
            chunks.append(current)
            current, left, taken = [], left - taken, 0
    if current:
        chunks.append(current)
    return chunks


# One process, one interval: evaluations in several threads (Celery's thread pool, tests) lower it once,
# and the last one out restores the interval the first one found.
_SWITCH_INTERVAL = 0.001
_switch_lock = threading.Lock()
_switch_users = 0
_switch_before = 0.0


@contextmanager
def gil_handed_over_sooner() -> Iterator[None]:
    """Python's thread switch interval at 1 ms (not 5) while the evaluation's two threads share the GIL.

    The reading thread needs the GIL for a moment before and after each query; with the
    caller judging a chunk in pure Python, it waited up to the 5 ms interval each time, a
    few times a chunk. Measured at province size: 0.32 → 0.30 s the day again, 0.38 →
    0.35 s a new day (bench/README.md). Restored on the way out, errors included.
    """
    global _switch_users, _switch_before
    with _switch_lock:
        if _switch_users == 0:
            _switch_before = sys.getswitchinterval()
            sys.setswitchinterval(min(_switch_before, _SWITCH_INTERVAL))
        _switch_users += 1
    try:
        yield
    finally:
        with _switch_lock:
            _switch_users -= 1
            if _switch_users == 0:
                sys.setswitchinterval(_switch_before)


def _judged_rows(
    plan: Plan, day: datetime.date, indicators: list[Indicator], tree: UnitTree, totals: dict[tuple[int, int], Totals],
    scope_units: dict[int, list[int]], summary: EvaluationSummary,
) -> Iterator[SnapshotRow]:  # fmt: skip
    """Every (indicator, unit)'s snapshot row on `day`, judged as it is asked for; the issuer's statuses counted.

    Plain rows, not model instances: a province has tens of thousands per day. No query
    may run in here: the rows are judged while the read-ahead thread holds the connection.
    """
    year_end = year_window(plan.year)[1]
    fraction = elapsed_fraction(plan.year, day)
    plan_closed = plan.status == PlanStatus.CLOSED
    issuer_id = tree.issuer_id
    for indicator in indicators:
        rule = rule_of(indicator)
        periodic = rule.periodic
        due = _periods_due(indicator, plan.year, day) if periodic else 0
        width = band(rule)  # once per indicator, not once per unit
        window_end = window_end_of(indicator, year_end)
        for unit_id, unit_totals in _rolled_up(indicator, tree, totals, scope_units.get(indicator.pk, [])):
            reading = reading_of(
                indicator, unit_totals, periodic=periodic, day=day, window_end=window_end, fraction=fraction,
                due=due, plan_closed=plan_closed,
            )  # fmt: skip
            status, expected = judge(rule, reading, width=width)
            if unit_id == issuer_id:
                summary.statuses[status] += 1
            yield snapshot_row(indicator, unit_id, unit_totals, reading, status, expected, periodic=periodic)


def snapshot_row(
    indicator: Indicator, unit_id: int, totals: Totals, reading: Reading, status: str, expected: Decimal | None,
    *, periodic: bool,
) -> SnapshotRow:  # fmt: skip
    """One snapshot's values as stored: periodic obligations keep met / due, rates their fraction."""
    covered = (totals.first_start, totals.latest_end) if totals.figures else (None, None)
    value = stored_value(reading.value)
    if periodic:
        met, due = Decimal(totals.met), Decimal(reading.due)
        return (indicator.id, unit_id, met, due, value, None, status, totals.missed, *covered)
    numerator, denominator = fraction_of(indicator, totals) if totals.figures else (None, None)
    return (indicator.id, unit_id, numerator, denominator, value, stored_value(expected), status, None, *covered)


@dataclass(frozen=True)
class MissingFigures:
    """A unit in an indicator's scope with no approved figure for some periods of a window."""

    indicator: Indicator
    unit: Unit
    periods: list[PeriodSpec]


def evaluate_window(
    *, plan: Plan, window: tuple[datetime.date, datetime.date], day: datetime.date
) -> dict[int, IndicatorSnapshot]:
    """The issuer's value and status of every indicator from the periods inside `window` only, as of `day`.

    Not stored (a report's window is not a day's evaluation): unsaved snapshots, judged by
    the status rule exactly as `evaluate_plan` judges, whose covered dates name the periods.
    """
    indicators = list(Indicator.objects.of_plan(plan))
    totals = _totals_by_indicator_and_unit(indicators, day, window=window)
    issuer = plan.issuing_unit
    tree = UnitTree.of(issuer)
    scope_units = _scope_units(indicators, tree)
    fraction, year_end = elapsed_fraction(plan.year, day), year_window(plan.year)[1]
    snapshots = {}
    for indicator in indicators:
        rule = rule_of(indicator)
        due = _periods_due_in(indicator, plan.year, window, day) if rule.periodic else 0
        # Only the issuer's line: the first of the roll-up.
        _issuer_id, issuer_totals = _rolled_up(indicator, tree, totals, scope_units.get(indicator.pk, []))[0]
        reading = reading_of(
            indicator,
            issuer_totals,
            periodic=rule.periodic,
            day=day,
            window_end=window_end_of(indicator, year_end),
            fraction=fraction,
            due=due,
            plan_closed=plan.status == PlanStatus.CLOSED,
        )
        status, expected = judge(rule, reading)
        row = snapshot_row(indicator, issuer.pk, issuer_totals, reading, status, expected, periodic=rule.periodic)
        snapshots[indicator.pk] = IndicatorSnapshot(
            indicator=indicator, unit=issuer, day=day, numerator=row[2], denominator=row[3], value=row[4],
            expected=row[5], status=row[6], missed=row[7], covered_from=row[8], covered_to=row[9],
        )  # fmt: skip
    return snapshots


def _periods_due_in(
    indicator: Indicator, year: int, window: tuple[datetime.date, datetime.date], day: datetime.date
) -> int:
    """Periods of a periodic obligation inside `window` whose due date has passed on `day`."""
    return sum(
        1
        for spec in periods_of(indicator.frequency, year)
        if spec.start >= window[0] and spec.end <= window[1] and spec.due_date < day
    )


def missing_figures(*, plan: Plan, window: tuple[datetime.date, datetime.date]) -> list[MissingFigures]:
    """Per indicator, the units in its scope and the periods inside `window` with no approved figure.

    A periodic figure is owed by each unit in scope (the issuer, for an authority-wide indicator)
    for each period of the indicator's frequency lying wholly inside the window.
    """
    indicators = list(Indicator.objects.of_plan(plan).order_by("area__number", "target__position", "position", "pk"))
    issuer = plan.issuing_unit
    subtree = list(Unit.objects.subtree_of(issuer).order_by("path"))
    units_by_id = {unit.pk: unit for unit in subtree}
    scope_units = _scope_units(indicators, UnitTree.from_rows(issuer, [(unit.pk, unit.path) for unit in subtree]))
    reported = set(
        Measurement.objects.filter(
            indicator__in=indicators, status=MeasurementStatus.APPROVED,
            period__start__gte=window[0], period__end__lte=window[1],
        ).values_list("indicator_id", "unit_id", "period__frequency", "period__number")
    )  # fmt: skip
    missing = []
    for indicator in indicators:
        specs = [s for s in periods_of(indicator.frequency, plan.year) if s.start >= window[0] and s.end <= window[1]]
        units = (
            [issuer]
            if indicator.scope == Scope.AUTHORITY
            else [units_by_id[i] for i in scope_units.get(indicator.pk, [])]
        )
        for unit in units:
            lacking = [s for s in specs if (indicator.pk, unit.pk, s.frequency, s.number) not in reported]
            if lacking:
                missing.append(MissingFigures(indicator=indicator, unit=unit, periods=lacking))
    return missing


# --- The unit tree ------------------------------------------------------------------


@dataclass(frozen=True)
class UnitTree:
    """The issuer's subtree as ids: the units in path order (parents before children) and each one's parent."""

    issuer_id: int
    order: list[int]
    parent: dict[int, int]  # every unit below the issuer → its parent (the issuer for the top level)

    @classmethod
    def of(cls, issuer: Unit) -> UnitTree:
        return cls.from_rows(issuer, list(Unit.objects.subtree_of(issuer).order_by("path").values_list("id", "path")))

    @classmethod
    def from_rows(cls, issuer: Unit, units: list[tuple[int, str]]) -> UnitTree:
        """From the subtree's (id, path) pairs, in path order, already read."""
        id_by_path = {path: unit_id for unit_id, path in units}
        parent = {
            unit_id: id_by_path[path[: path.rstrip("/").rfind("/") + 1]]
            for unit_id, path in units
            if unit_id != issuer.pk
        }
        return cls(issuer_id=issuer.pk, order=[unit_id for unit_id, _ in units], parent=parent)


def _scope_units(indicators: list[Indicator], tree: UnitTree) -> dict[int, list[int]]:
    """Each indicator's scope units within the issuer's subtree, in path order (ids from the M2M table)."""
    wanted = [i.pk for i in indicators if i.scope != Scope.AUTHORITY]
    if not wanted:
        return {}
    through = Indicator.scope_units.through
    in_scope: dict[int, set[int]] = defaultdict(set)
    for indicator_id, unit_id in through.objects.filter(indicator_id__in=wanted).values_list("indicator_id", "unit_id"):
        in_scope[indicator_id].add(unit_id)
    return {indicator_id: [u for u in tree.order if u in ids] for indicator_id, ids in in_scope.items()}


def _rolled_up(
    indicator: Indicator, tree: UnitTree, totals: dict[tuple[int, int], Totals], scope_units: list[int]
) -> list[tuple[int, Totals]]:
    """(unit id, totals) for the issuer, each unit in scope and each unit above them up to the issuer.

    A unit's totals cover its own figures and those of the scope units below it.
    Summed bottom-up, each unit once into its parent, rather than each unit
    into every ancestor. The aggregation's `Totals` of the scope units are used
    as the accumulators (each (indicator, unit) is rolled up exactly once).
    """
    issuer_id = tree.issuer_id
    indicator_id = indicator.pk
    issuer_totals = Totals()
    if indicator.scope == Scope.AUTHORITY:
        issuer_totals.add(totals.get((indicator_id, issuer_id), Totals(units=1)))
        return [(issuer_id, issuer_totals)]
    nodes: dict[int, Totals] = {}
    for unit_id in scope_units:
        own = totals.get((indicator_id, unit_id))
        if own is None:
            # No figures: the unit still counts as one owing them (a periodic obligation), nothing else.
            own = Totals(units=1)
        if unit_id == issuer_id:
            issuer_totals.add(own)
        else:
            nodes[unit_id] = own
    # Reverse path order visits every unit after all the units below it: its totals are complete.
    for unit_id in reversed(tree.order):
        node = nodes.get(unit_id)
        if node is None:
            continue
        parent_id = tree.parent[unit_id]
        if parent_id == issuer_id:
            issuer_totals.add(node)
        elif parent_id in nodes:
            nodes[parent_id].add(node)
        else:
            parent_totals = nodes[parent_id] = Totals()
            parent_totals.add(node)
    return [(issuer_id, issuer_totals)] + [(unit_id, nodes[unit_id]) for unit_id in tree.order if unit_id in nodes]


def evaluate_active_plans(*, day: datetime.date, plan_id: int | None = None) -> list[EvaluationSummary]:
    plans = Plan.objects.select_related("issuing_unit").filter(status=PlanStatus.ACTIVE)
    if plan_id is not None:
        plans = Plan.objects.select_related("issuing_unit").filter(pk=plan_id)
    summaries = []
    for plan in plans:
        summaries.append(evaluate_plan(plan=plan, day=day))
        figures_on_time_keep(plan=plan, day=day)  # the dashboard's ranking reads them (targets.models)
    return summaries


# --- The nightly run, split for several workers (docs/scaling.md) ---------------------------

NIGHTLY_JOB = "targets.tasks.evaluate_plan_of_the_night"
# Claims are kept this long, to see which worker evaluated what; then the hand-out deletes them.
KEEP_CLAIMS = datetime.timedelta(days=60)


def nightly_evaluations_hand_out(*, day: datetime.date, plan_id: int | None = None) -> list[int]:
    """One job per active plan (or the one plan) for `day`, which any worker may take; the plans' ids.

    Recorded in the outbox in one transaction (parplan/jobs.py): a Redis failure
    loses none, the sweep sends them when it is back. A plan's job is keyed by
    plan and day, so handing the night out twice while it waits sends it once.
    """
    plans = Plan.objects.filter(status=PlanStatus.ACTIVE) if plan_id is None else Plan.objects.filter(pk=plan_id)
    with transaction.atomic():
        plan_ids = list(plans.order_by("pk").values_list("pk", flat=True))
        for pk in plan_ids:
            enqueue_on_commit(NIGHTLY_JOB, pk, day.isoformat(), key=f"nightly-evaluation-{pk}-{day.isoformat()}")
        NightlyEvaluation.objects.filter(day__lt=day - KEEP_CLAIMS).delete()
    return plan_ids


def evaluate_plan_once(*, plan_id: int, day: datetime.date, worker: str = "") -> EvaluationSummary | None:
    """The plan's nightly evaluation of `day`, done once however often and to however many workers it is sent.

    None when it was done already (or the plan is gone). The claim and the
    evaluation commit together (NightlyEvaluation says how that keeps it once).
    """
    with transaction.atomic():
        plan = Plan.objects.select_related("issuing_unit").filter(pk=plan_id).first()
        if plan is None:
            return None
        _claim, claimed = NightlyEvaluation.objects.get_or_create(plan=plan, day=day, defaults={"worker": worker})
        if not claimed:
            return None
        summary = evaluate_plan(plan=plan, day=day)
        # The day's counts of figures sent on time, which the dashboard's ranking reads (targets.models).
        figures_on_time_keep(plan=plan, day=day)
    # evaluate_plan announced its statuses inside this transaction: again now they are visible, so
    # that no dashboard built in between keeps the old ones.
    plan_changed_now(plan_id)
    return summary
