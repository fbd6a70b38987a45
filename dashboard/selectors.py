"""The steering committee's dashboard: one selector, a fixed number of queries.

It reads the nightly indicator snapshots and a few aggregate queries over tasks
and figures; nothing here loops over rows with a query per row. The result is
cached per plan, role, unit filter and language, and the cache is dropped whenever a
figure is approved or a task changes (`dashboard_invalidate`).
"""

from __future__ import annotations

import datetime
import threading
import time
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypedDict, TypeVar

from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connections
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import get_language

from dashboard.charts import INDICATOR_SHADES, TASK_SHADES, Segment, segments
from parplan.models import Membership, Plan, ReformArea, Unit, UnitKind
from targets.charts import TrendChart, period_names, trend_chart
from targets.models import (
    Indicator,
    IndicatorSnapshot,
    IndicatorStatus,
    Measurement,
    MeasurementStatus,
    Period,
)
from targets.selectors import figures_sent_on_time
from targets.sources import Source
from targets.status import status_reason
from targets.windows import snapshot_label
from tasks.models import Task, TaskState

CACHE_SECONDS = 15 * 60
# Part of the cache key: raised whenever `Dashboard` changes shape, so that a board cached by
# the previous release (pickled without the new fields) is never served to the new templates.
BOARD_FORMAT = 5
TREND_POINTS = 12
ATTENTION_ROWS = 10
LAGGING_SHOWN = 3  # the units named on the dashboard's first screen as lagging
# The ranking mix, stated on the page: share of tasks completed on time, share of
# figures submitted by their due date, share of indicators achieved or on track.
RANK_WEIGHTS = {"tasks": Decimal("0.4"), "figures": Decimal("0.3"), "indicators": Decimal("0.3")}
# A unit scored on one part alone would be compared on something the others are not:
# with fewer parts that apply to it, it is listed apart as "not enough data".
RANK_MIN_PARTS = 2
GOOD_STATUSES = (IndicatorStatus.ACHIEVED, IndicatorStatus.ON_TRACK)
BAD_STATUSES = (IndicatorStatus.OFF_TRACK, IndicatorStatus.NOT_ACHIEVED)


@dataclass
class AreaSummary:
    number: int
    name: str
    indicators: Counter[str] = field(default_factory=Counter)
    tasks: Counter[str] = field(default_factory=Counter)

    @property
    def indicator_bar(self) -> list[Segment]:
        return segments(self.indicators, INDICATOR_SHADES)

    @property
    def task_bar(self) -> list[Segment]:
        return segments(self.tasks, TASK_SHADES)

    @property
    def indicators_good(self) -> int:
        return sum(self.indicators[s] for s in GOOD_STATUSES)

    @property
    def indicators_total(self) -> int:
        return sum(self.indicators.values())

    @property
    def tasks_total(self) -> int:
        return sum(self.tasks.values())

    @property
    def tasks_done(self) -> int:
        return self.tasks[TaskState.COMPLETED_ON_TIME] + self.tasks[TaskState.COMPLETED_LATE]


@dataclass
class IndicatorRow:
    pk: int
    area: int
    name: str
    rule: str
    kind: str
    value: Decimal | None
    status: str
    trend: list[float]
    chart: TrendChart | None = None  # the trend over the periods, with axes and the threshold
    day: datetime.date | None = None
    reason: str = ""  # why the status is what it is (targets.status.status_reason)
    covered: str = ""  # the periods the value covers, "T1–T9/2024" (targets.windows)


class MissingFigures(TypedDict):
    """A unit's count of figures not sent for the period."""

    unit__code: str
    unit__name: str
    unit__kind__code: str
    unit__kind__name: str
    n: int


@dataclass(frozen=True)
class KindCount:
    """How many rows of a needs-attention list belong to units of one kind."""

    code: str
    name: str
    n: int


@dataclass
class UnitRank:
    code: str
    name: str
    tasks_assigned: int
    tasks_on_time: int
    figures_expected: int
    figures_on_time: int
    indicators_judged: int
    indicators_good: int
    # The weights actually used, in percent, per part; None for a part that does not apply (nothing to count).
    weights: dict[str, Decimal | None] = field(default_factory=dict)
    score: Decimal | None = None  # None: fewer than RANK_MIN_PARTS parts apply
    rank: int | None = None  # competition rank (1, 2, 2, 4): equal scores as shown share it

    @property
    def parts(self) -> dict[str, tuple[int, int]]:
        return {
            "tasks": (self.tasks_on_time, self.tasks_assigned),
            "figures": (self.figures_on_time, self.figures_expected),
            "indicators": (self.indicators_good, self.indicators_judged),
        }


@dataclass
class Dashboard:
    plan_id: int
    day: datetime.date | None
    unit_code: str | None
    areas: list[AreaSummary]
    indicators: list[IndicatorRow]
    ranking: list[UnitRank]
    unranked: list[UnitRank]  # "not enough data": fewer than RANK_MIN_PARTS parts apply
    # The needs-attention lists, whole: the dashboard shows ATTENTION_ROWS of each (sample_by_kind) and
    # their counts, the full list pages (?view=…) page through them and filter by kind of unit.
    overdue_tasks: list[dict[str, Any]]
    off_track: list[IndicatorRow]
    missing_period: str | None
    missing_figures: list[MissingFigures]
    totals: dict[str, int]
    # The cache key it is kept under (`dashboard_for`). Empty for a board built and not cached.
    key: str = ""
    # The page's parts drawn from the board alone, as rendered HTML by name, kept in this process's
    # memory with the board (dashboard/templatetags/board_parts.py); never pickled into the cache.
    parts: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["parts"] = {}
        return state

    @property
    def lagging(self) -> list[UnitRank]:
        """The units at the bottom of the ranking, the last first: who lags, on the first screen."""
        return self.ranking[::-1][:LAGGING_SHOWN]

    @property
    def overdue_shown(self) -> list[dict[str, Any]]:
        return sample_by_kind(self.overdue_tasks, "lead_unit__kind__code")

    @property
    def missing_shown(self) -> list[MissingFigures]:
        return sample_by_kind(self.missing_figures, "unit__kind__code")

    @property
    def overdue_kinds(self) -> list[KindCount]:
        return kind_counts((t["lead_unit__kind__code"], t["lead_unit__kind__name"]) for t in self.overdue_tasks)

    @property
    def missing_kinds(self) -> list[KindCount]:
        return kind_counts((m["unit__kind__code"], m["unit__kind__name"]) for m in self.missing_figures)


Row = TypeVar("Row", bound=Mapping[str, Any])


def sample_by_kind(rows: Sequence[Row], kind_key: str, limit: int = ATTENTION_ROWS) -> list[Row]:
    """The first `limit` rows, shared out among the kinds of unit in turn, in the list's own order.

    Cut at its first rows alone, a list sorted by count or date showed offices only: a kind
    with many rows no longer hides the others.
    """
    by_kind: dict[Any, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        by_kind[row[kind_key]].append(i)
    queues = list(by_kind.values())
    picked: list[int] = []
    while len(picked) < limit and any(queues):
        for queue in queues:
            if queue and len(picked) < limit:
                picked.append(queue.pop(0))
    return [rows[i] for i in sorted(picked)]


def kind_counts(kinds: Iterable[tuple[str | None, str | None]]) -> list[KindCount]:
    """Rows per kind of unit, by kind name: a list cut at its first rows still says how many communes it has."""
    counts = Counter(kind for kind in kinds if kind[0])
    return [
        KindCount(code or "", name or "", n) for (code, name), n in sorted(counts.items(), key=lambda c: c[0][1] or "")
    ]


def _first_generation() -> int:
    # Not 1: after Redis is flushed or restarted the counters start again, and a board a worker still
    # holds in memory (`dashboard_for`) under a pre-flush key must never match a post-flush one.
    return time.time_ns()


def cache_key(plan: Plan, role: str, unit: Unit | None, today: datetime.date) -> str:
    # The day is part of the key: at midnight tasks turn overdue without any write. So is the
    # language: the board holds text made in it (indicator rules, the period's name).
    generation = cache.get_or_set(f"dashboard-generation-{plan.pk}", _first_generation, timeout=None)
    unit_key = unit.pk if unit else "all"
    return f"dashboard-v{BOARD_FORMAT}-{plan.pk}-{generation}-{today.isoformat()}-{role}-{unit_key}-{get_language()}"


def dashboard_invalidate(plan_id: int) -> None:
    """Called by the services that change what the dashboard shows."""
    key = f"dashboard-generation-{plan_id}"
    cache.add(key, _first_generation(), timeout=None)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, _first_generation(), timeout=None)


# The boards this process read last, by cache key, with when they were read (time.monotonic). A national
# board is 1.35 MB pickled (3,500 ranked units, thousands of overdue tasks): unpickling it from Redis took
# 37 ms of a warm request's 85. A key names one board for good (plan, generation, day, role, unit,
# language), so the copy in memory is the one in Redis; it is kept CACHE_SECONDS from when it was read, at most.
_IN_MEMORY: OrderedDict[str, tuple[float, Dashboard]] = OrderedDict()
_IN_MEMORY_BOARDS = 4
_IN_MEMORY_LOCK = threading.Lock()


def dashboard_for(*, plan: Plan, role: str, unit: Unit | None, today: datetime.date) -> Dashboard:
    key = cache_key(plan, role, unit, today)
    with _IN_MEMORY_LOCK:
        held = _IN_MEMORY.get(key)
        if held is not None and time.monotonic() - held[0] < CACHE_SECONDS:
            _IN_MEMORY.move_to_end(key)
            return held[1]
    cached: Dashboard | None = cache.get(key)
    if cached is None:
        cached = build_dashboard(plan=plan, unit=unit, today=today)
        cached.key = key
        cache.set(key, cached, CACHE_SECONDS)
    with _IN_MEMORY_LOCK:
        _IN_MEMORY[key] = (time.monotonic(), cached)
        _IN_MEMORY.move_to_end(key)
        while len(_IN_MEMORY) > _IN_MEMORY_BOARDS:
            _IN_MEMORY.popitem(last=False)
    return cached


def build_dashboard(*, plan: Plan, unit: Unit | None, today: datetime.date) -> Dashboard:
    areas = {a.number: AreaSummary(a.number, a.name) for a in plan.areas.order_by("number")}
    # The plan's months, read once: they name the trend charts' points and give the last closed month.
    months = list(Period.objects.filter(plan=plan, frequency="monthly").order_by("end"))
    rows, day = _indicator_rows(plan, unit, months)
    for row in rows:
        areas[row.area].indicators[row.status] += 1
    tasks = Task.objects.filter(area__plan=plan, cancelled_at__isnull=True).with_state(today)
    if unit is not None:
        tasks = tasks.filter(Q(lead_unit=unit) | Q(coordinating_units=unit)).distinct()
    # Distinct: filtered to a unit, the join to coordinating units repeats a task once per coordinating unit.
    for item in tasks.values("area__number", "state").annotate(n=Count("pk", distinct=True)).order_by():
        areas[item["area__number"]].tasks[item["state"]] += item["n"]
    overdue = list(
        tasks.filter(state=TaskState.OVERDUE)
        .order_by("due_date", "area__number", "position")
        .values(
            "pk",
            "area__number",
            "position",
            "title",
            "due_date",
            "lead_unit__name",
            "lead_unit__kind__code",
            "lead_unit__kind__name",
        )
    )
    missing_period, missing = _missing_figures(plan, unit, today, months)
    totals: Counter[str] = Counter()
    for area in areas.values():
        totals.update({f"indicator_{k}": v for k, v in area.indicators.items()})
        totals.update({f"task_{k}": v for k, v in area.tasks.items()})
    ranks = _ranking(plan, today, unit, rows)
    return Dashboard(
        plan_id=plan.pk,
        day=day,
        unit_code=unit.code if unit else None,
        areas=list(areas.values()),
        indicators=rows,
        ranking=[r for r in ranks if r.score is not None],
        unranked=[r for r in ranks if r.score is None],
        overdue_tasks=overdue,
        off_track=[row for row in rows if row.status in BAD_STATUSES],
        missing_period=missing_period,
        missing_figures=missing,
        totals=dict(totals),
    )


def _indicator_rows(
    plan: Plan, unit: Unit | None, months: list[Period]
) -> tuple[list[IndicatorRow], datetime.date | None]:
    """Indicators with their latest value and status for the authority (or the unit), and a trend."""
    wanted = Indicator.objects.of_plan(plan).select_related("area").order_by("area__number", "pk")
    subject = unit or plan.issuing_unit
    if unit is not None:
        # The unit's own indicators: those it, or a unit below it, reports. An authority-wide
        # indicator has no value for a unit and would only show as "no data".
        reported = Indicator.scope_units.through.objects.filter(
            indicator_id=OuterRef("pk"), unit__path__startswith=unit.path
        )
        wanted = wanted.filter(Exists(reported))
    indicators = list(wanted)
    # Only the last TREND_POINTS evaluation days are read, whatever the history's length.
    days = list(
        IndicatorSnapshot.objects.filter(indicator__area__plan=plan, unit=subject)
        .values_list("day", flat=True)
        .distinct()
        .order_by("-day")[:TREND_POINTS]
    )
    history: dict[int, list[IndicatorSnapshot]] = defaultdict(list)
    for snapshot in IndicatorSnapshot.objects.filter(indicator__in=indicators, unit=subject, day__in=days).order_by(
        "day"
    ):
        history[snapshot.indicator_id].append(snapshot)
    rows = []
    for indicator in indicators:
        points = history.get(indicator.pk, [])
        latest = points[-1] if points else None
        measured = [p for p in points if p.value is not None]
        trend = [float(p.value) for p in measured if p.value is not None]
        named = [(*period_names(p.day, months), float(p.value)) for p in measured if p.value is not None]
        chart = trend_chart(named, indicator.threshold, suffix="%" if indicator.kind == "ratio" else "")
        rows.append(
            IndicatorRow(
                pk=indicator.pk, area=indicator.area.number, name=indicator.name, rule=indicator.rule,
                kind=indicator.kind, value=latest.value if latest else None,
                status=latest.status if latest else IndicatorStatus.NO_DATA, trend=trend,
                chart=chart, day=latest.day if latest else None,
                reason=status_reason(indicator, latest), covered=snapshot_label(indicator, latest),
            )
        )  # fmt: skip
    return rows, (days[0] if days else None)


def _ranking(plan: Plan, today: datetime.date, only: Unit | None, rows: list[IndicatorRow]) -> list[UnitRank]:
    units = Unit.objects.filter(path__startswith=plan.issuing_unit.path).exclude(pk=plan.issuing_unit_id)
    if only is not None:
        units = units.filter(pk=only.pk)
    task_counts = {
        row["lead_unit"]: row
        for row in Task.objects.filter(area__plan=plan, cancelled_at__isnull=True, lead_unit__isnull=False)
        .with_state(today)
        .values("lead_unit")
        .annotate(assigned=Count("pk"), on_time=Count("pk", filter=Q(state=TaskState.COMPLETED_ON_TIME)))
        .order_by()
    }
    closed = Counter(Period.objects.filter(plan=plan, end__lt=today).values_list("frequency", flat=True))
    expected: Counter[int] = Counter()
    for row in (
        Indicator.scope_units.through.objects.filter(indicator__area__plan=plan, indicator__source=Source.UNITS)
        .values("unit_id", "indicator__frequency")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        expected[row["unit_id"]] += row["n"] * closed.get(row["indicator__frequency"], 0)
    # Kept by the nightly run and each figure sent or returned: counting them here took 2.1 s at national size.
    on_time = figures_sent_on_time(plan, today, None if only is None else [only.pk])
    # Each indicator's results of its latest evaluation day, as the table shows them: an approval
    # re-evaluates one indicator for today, so the plan's latest day may hold that indicator alone.
    latest_days: dict[datetime.date, list[int]] = defaultdict(list)
    for shown in rows:
        if shown.day is not None:
            latest_days[shown.day].append(shown.pk)
    latest = Q()
    for day, indicator_ids in latest_days.items():
        latest |= Q(day=day, indicator_id__in=indicator_ids)
    judged: dict[int, dict[str, int]] = {}
    if latest_days:  # an empty Q() would read every snapshot
        judged = {
            row["unit_id"]: row
            for row in IndicatorSnapshot.objects.filter(latest)
            # Neither counts for or against a unit: nothing reported, or nothing to count.
            .exclude(status__in=(IndicatorStatus.NO_DATA, IndicatorStatus.NOT_APPLICABLE))
            .values("unit_id")
            .annotate(judged=Count("pk"), good=Count("pk", filter=Q(status__in=GOOD_STATUSES)))
            .order_by()
        }
    ranks = []
    # Plain rows: a national authority has 3,500 units, and a model instance each cost 0.1 s of the cold build.
    for unit_id, code, name in units.values_list("pk", "code", "name"):
        tasks = task_counts.get(unit_id, {"assigned": 0, "on_time": 0})
        figures = judged.get(unit_id, {"judged": 0, "good": 0})
        if not (tasks["assigned"] or expected[unit_id] or figures["judged"]):
            continue  # nothing to rank this unit on
        rank = UnitRank(
            code=code, name=name, tasks_assigned=tasks["assigned"], tasks_on_time=tasks["on_time"],
            figures_expected=expected[unit_id], figures_on_time=min(on_time.get(unit_id, 0), expected[unit_id]),
            indicators_judged=figures["judged"], indicators_good=min(figures["good"], figures["judged"]),
        )  # fmt: skip
        _score(rank)
        ranks.append(rank)
    ranks.sort(key=lambda r: (r.score is None, -(r.score or 0), r.name))
    _number(ranks)
    return ranks


def _score(rank: UnitRank) -> None:
    """Score the unit on the parts that apply to it, their weights renormalised to add up to 100 %.

    A part applies when it has something to count (its denominator is above 0): a unit that
    leads no task is neither given the task share nor docked it.
    """
    applying = {name: part for name, part in rank.parts.items() if part[1] > 0}
    total = sum((RANK_WEIGHTS[name] for name in applying), Decimal(0))
    rank.weights = {name: RANK_WEIGHTS[name] / total * 100 if name in applying else None for name in rank.parts}
    if len(applying) < RANK_MIN_PARTS:
        return
    score = sum(
        (RANK_WEIGHTS[name] * Decimal(good) / Decimal(whole) for name, (good, whole) in applying.items()), Decimal(0)
    )
    rank.score = (score / total * 100).quantize(Decimal("0.1"))


def _number(ranks: list[UnitRank]) -> None:
    """Competition ranks over the sorted scored units: equal scores (as shown, one decimal) share one."""
    for position, rank in enumerate(ranks, start=1):
        if rank.score is None:
            break
        previous = ranks[position - 2] if position > 1 else None
        rank.rank = previous.rank if previous is not None and previous.score == rank.score else position


def _missing_figures(
    plan: Plan, unit: Unit | None, today: datetime.date, months: Sequence[Period]
) -> tuple[str | None, list[MissingFigures]]:
    """Units that have not submitted figures for the last closed monthly period (`months`: the plan's, by end).

    Each (monthly indicator reported by units, unit in its scope) pair left-joined to its figure of
    the period, counted per unit: the pairs minus the figures found. Written as `NOT EXISTS`, the
    anti-join was estimated at one row (almost every figure is sent), so PostgreSQL sorted both
    sides to merge them, on disk: 0.6–0.7 s of a national cold build of 1.0–1.2 s (3,500 units,
    280,000 pairs; bench/dashboard.py). The left join is hashed in parallel: 0.2 s, same rows.
    Raw SQL: Django joins a many-to-many table to another model only through a relation it knows.
    """
    period = next((month for month in reversed(months) if month.end < today), None)
    if period is None:
        return None, []
    connection = connections[Measurement.objects.db]
    quote = connection.ops.quote_name
    scope = quote(Indicator.scope_units.through._meta.db_table)
    figures, indicators = quote(Measurement._meta.db_table), quote(Indicator._meta.db_table)
    areas, units, kinds = quote(ReformArea._meta.db_table), quote(Unit._meta.db_table), quote(UnitKind._meta.db_table)
    params: dict[str, Any] = {
        "period": period.pk, "submitted": MeasurementStatus.SUBMITTED.value,
        "approved": MeasurementStatus.APPROVED.value, "plan": plan.pk, "source": Source.UNITS,
        "monthly": "monthly", "unit": unit.pk if unit is not None else None,
    }  # fmt: skip
    only_unit = "AND s.unit_id = %(unit)s" if unit is not None else ""
    # Ordered by kind first: sorted by count alone, the offices (a few indicators each, all sent late)
    # filled the first rows and no commune was ever seen.
    sql = f"""
        WITH missing AS (
            SELECT s.unit_id, COUNT(*) - COUNT(m.id) AS n
            FROM {scope} s
            LEFT JOIN {figures} m ON m.period_id = %(period)s AND m.indicator_id = s.indicator_id
                AND m.unit_id = s.unit_id AND m.status IN (%(submitted)s, %(approved)s)
            WHERE s.indicator_id IN (
                SELECT i.id FROM {indicators} i JOIN {areas} a ON a.id = i.area_id
                WHERE a.plan_id = %(plan)s AND i.source = %(source)s AND i.frequency = %(monthly)s
            ) {only_unit}
            GROUP BY s.unit_id
            HAVING COUNT(*) > COUNT(m.id)
        )
        SELECT u.code, u.name, k.code, k.name, missing.n
        FROM missing JOIN {units} u ON u.id = missing.unit_id JOIN {kinds} k ON k.id = u.kind_id
        ORDER BY k.name, missing.n DESC, u.name
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    missing = [
        MissingFigures(unit__code=code, unit__name=name, unit__kind__code=kind_code, unit__kind__name=kind_name, n=n)
        for code, name, kind_code, kind_name, n in rows
    ]
    return str(period), missing


RANKING_EDGE = 10
# The full needs-attention lists (?view=…): the overdue tasks and the missing figures belong to
# units and filter by their kind; the indicators behind are the authority's, of no unit's kind.
ATTENTION_LISTS = {"overdue", "off_track", "missing"}

RankLine = tuple[int | None, UnitRank]


def rank_lines(ranks: Sequence[UnitRank]) -> list[RankLine]:
    """Each line with the rank number to print: once per tied group, on its first line shown."""
    lines: list[RankLine] = []
    for i, rank in enumerate(ranks):
        lines.append((rank.rank if i == 0 or ranks[i - 1].rank != rank.rank else None, rank))
    return lines


def ranking_shown(ranking: list[UnitRank]) -> tuple[list[RankLine], list[RankLine], int]:
    """The top and bottom of a long ranking; the middle is on the full ranking page."""
    if len(ranking) <= 2 * RANKING_EDGE:
        return rank_lines(ranking), [], 0
    return rank_lines(ranking[:RANKING_EDGE]), rank_lines(ranking[-RANKING_EDGE:]), len(ranking) - 2 * RANKING_EDGE


def attention_rows(board: Dashboard, view: str, kind: str) -> tuple[Sequence[Any], Sequence[Any], str]:
    """One needs-attention list whole, filtered to a kind of unit: (the kinds to filter by, the rows, the kind)."""
    if view == "overdue":
        rows: Sequence[Any] = board.overdue_tasks
        return board.overdue_kinds, [t for t in rows if t["lead_unit__kind__code"] == kind] if kind else rows, kind
    if view == "missing":
        rows = board.missing_figures
        return board.missing_kinds, [m for m in rows if m["unit__kind__code"] == kind] if kind else rows, kind
    return [], board.off_track, ""


def dashboard_units(
    user: User, plan: Plan, sees_all: bool, code: str = ""
) -> tuple[list[tuple[str, str]], dict[str, Unit]]:
    """Units the dashboard can be filtered to, as (code, name), and the one asked for by its code.

    The issuer's own units (and the one asked for), or the person's. Only one level of the
    tree is listed: a province has thousands of units, and a select with all of them would
    cost more to render than the dashboard itself. Read as plain rows, not hundreds of model
    instances a request; only the one asked for becomes a unit (what `Unit.objects.only()` makes).
    """
    if sees_all:
        issuer = plan.issuing_unit
        fields = ["id", "code", "name", "path"]
        rows = list(
            Unit.objects.filter(Q(parent=issuer) | Q(code=code, path__startswith=issuer.path))
            .exclude(pk=issuer.pk)
            .order_by("path")
            .values_list(*fields)
        )
        chosen = {row[1]: Unit.from_db(Unit.objects.db, fields, row) for row in rows if row[1] == code}
        return [(row[1], row[2]) for row in rows], chosen
    units = [m.unit for m in Membership.objects.for_user(user).can_act_for_unit()]
    return [(u.code, u.name) for u in units], {u.code: u for u in units}
