#!/usr/bin/env python
"""Load test of the steering committee's dashboard at province and national scale (PostgreSQL, gunicorn, wrk).

    .venv/bin/python bench/dashboard.py [--scales province national] [--duration 30] [--connections 16]

For each scale, in its own database (`parplan_dash_<scale>`; the shared `parplan`,
`test_parplan` and `parplan_bench` databases are never touched):

1. Unless a complete data set of that size is already there, creates the database,
   runs `migrate` on it, and generates: a root authority and its units (layout of
   bench/indicators.py), one plan a year for five years (the last one the current
   year, active), 7 areas and 80 indicators a plan with their scope rows, an approved
   monthly figure for every indicator × unit × closed month, tasks with coordinating
   units and progress reports, and the nightly IndicatorSnapshot rows of the last 30
   days for the authority and every unit. Everything but the few hundred small rows
   is loaded with COPY from generators (psycopg2 `copy_expert`), with the big
   tables' secondary indexes, unique and foreign-key constraints dropped during the
   load and re-created afterwards exactly as the migrations made them (checked);
   then VACUUM ANALYZE.
2. Times one cold build of the dashboard in-process (`build_dashboard`, Redis DB
   flushed, queries counted with CaptureQueriesContext).
3. Serves the app with gunicorn (production mode, Redis cache, persistent
   connections, the bench URLconf `bench.urls` = the product's URLs + the reference
   view), logs a steering-committee member in over HTTP, and loads /dashboard/ and
   then /bench/reference/ with wrk for `--duration` seconds each; samples the
   gunicorn workers' resident memory before and after.
4. Prints the results and rewrites the results block of the "Dashboard" section of
   bench/README.md (`--no-readme` leaves it alone).

Traffic goes to 127.0.0.1 only; every wrk run is bounded in time.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import platform
import random
import re
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from decimal import Decimal
from http.cookies import SimpleCookie
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

if TYPE_CHECKING:
    # Imported where used at run time: Django is set up only after the database is made.
    import psycopg2.extensions
    from django.db.backends.utils import CursorWrapper

    from parplan.models import Plan, Unit
    from targets.models import Indicator

ROOT = Path(__file__).resolve().parent.parent
README = Path(__file__).resolve().parent / "README.md"
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
DB_PREFIX = "parplan_dash_"
# Databases other people use: never created, dropped or written to by this script.
FORBIDDEN = {"parplan", "test_parplan", "parplan_bench", "postgres", "template0", "template1"}
USERNAME = "bench-steering"
PASSWORD = "bench-steering-password-2026"  # a throw-away account in a throw-away database
RESULTS_START = "<!-- dashboard-results:start -->"
RESULTS_END = "<!-- dashboard-results:end -->"
CHUNK_UNITS = 250  # units per COPY chunk of one indicator's figures or snapshots


@dataclass(frozen=True)
class Scale:
    name: str
    units: int
    indicators: int = 80
    years: int = 5
    tasks_per_unit: int = 20  # over all the plans: 4 a year per unit
    reports_per_task: int = 10
    snapshot_days: int = 30

    @property
    def database(self) -> str:
        return f"{DB_PREFIX}{self.name}"


SCALES = {"province": Scale("province", units=300), "national": Scale("national", units=3500)}


# --- Database (before Django) ------------------------------------------------------------


def _connect(dbname: str) -> psycopg2.extensions.connection:
    import psycopg2

    connection = psycopg2.connect(f"{PG_URL}/{dbname}")
    connection.autocommit = True
    return connection


def _check_name(name: str) -> None:
    if name in FORBIDDEN or not name.startswith(DB_PREFIX):
        sys.exit(f"Refusing database {name!r}: this benchmark only uses databases named {DB_PREFIX}*.")


def database_record(name: str) -> dict[str, Any] | None:
    """The load record kept as the database's comment (None if the database or the record is missing)."""
    _check_name(name)
    connection = _connect("postgres")
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [name])
            row = cursor.fetchone()
    finally:
        connection.close()
    if row is None:
        return None
    try:
        record: dict[str, Any] = json.loads(row[0] or "")
    except ValueError:
        return {}
    return record


def create_database(name: str, *, drop: bool) -> None:
    from psycopg2 import sql

    _check_name(name)
    connection = _connect("postgres")
    try:
        with connection.cursor() as cursor:
            if drop:
                print(f"Dropping database {name} (incomplete or of another size).", flush=True)
                cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        connection.close()


def setup_django(name: str) -> None:
    _check_name(name)
    os.environ["DATABASE_URL"] = f"{PG_URL}/{name}"
    os.environ["REDIS_URL"] = REDIS_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DEBUG"] = "false"  # no query log in memory (CaptureQueriesContext turns it on when asked)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# --- COPY helpers --------------------------------------------------------------------------


class ChunkReader:
    """A file object for `copy_expert` over an iterator of text chunks.

    psycopg2 sends whatever `read()` returns (its size argument is a hint), so each
    read hands over the next whole chunk: no buffer re-slicing, constant memory.
    """

    def __init__(self, chunks: Iterable[str]) -> None:
        self._chunks = iter(chunks)

    def read(self, size: int = -1) -> bytes:
        for chunk in self._chunks:
            if chunk:
                return chunk.encode()
        return b""


def copy_rows(cursor: CursorWrapper, table: str, columns: list[str], chunks: Iterable[str]) -> float:
    started = time.perf_counter()
    cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", ChunkReader(chunks), 1 << 18)
    return time.perf_counter() - started


BIG_TABLES = [
    "targets_measurement",
    "targets_indicator_scope_units",
    "targets_indicatorsnapshot",
    "tasks_task",
    "tasks_task_coordinating_units",
    "tasks_progressreport",
]


def schema_signature(cursor: CursorWrapper) -> list[tuple[str, str, str, str]]:
    """Every index and constraint of the public schema, as PostgreSQL prints them."""
    cursor.execute(
        """
        SELECT c.relname, 'constraint', con.conname, pg_get_constraintdef(con.oid)
        FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'
        UNION ALL
        SELECT tablename, 'index', indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'
        ORDER BY 1, 2, 3
        """
    )
    return [tuple(row) for row in cursor.fetchall()]


def drop_secondary(cursor: CursorWrapper, tables: list[str]) -> list[str]:
    """Drop the tables' foreign keys, unique constraints and non-key indexes; return the SQL to restore them.

    The primary keys and check constraints stay. Restored: indexes, then unique
    constraints, then foreign keys (each validated by one query, not row by row).
    """
    indexes: list[str] = []
    uniques: list[str] = []
    foreign: list[str] = []
    for table in tables:
        cursor.execute(
            "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype IN ('f', 'u') ORDER BY conname",
            [table],
        )
        constraints = cursor.fetchall()
        for name, kind, definition in constraints:
            (foreign if kind == "f" else uniques).append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        cursor.execute(
            "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
            "WHERE x.indrelid = %s::regclass AND NOT x.indisprimary "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid) ORDER BY i.relname",
            [table],
        )
        index_rows = cursor.fetchall()
        indexes += [definition for _, definition in index_rows]
        for name, kind, _ in constraints:
            if kind == "f":
                cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, kind, _ in constraints:
            if kind == "u":
                cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _ in index_rows:
            cursor.execute(f'DROP INDEX "{name}"')
    return indexes + uniques + foreign


# --- Data set -------------------------------------------------------------------------------

TITLES = [
    "Rà soát, đơn giản hóa thủ tục hành chính",
    "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
    "Kiểm tra công tác cải cách hành chính",
    "Tuyên truyền cải cách hành chính",
    "Nâng cao chỉ số hài lòng của người dân",
    "Triển khai dịch vụ công trực tuyến toàn trình",
    "Sắp xếp tổ chức bộ máy, tinh giản biên chế",
    "Đào tạo, bồi dưỡng cán bộ, công chức",
    "Thực hiện cơ chế tự chủ tài chính",
    "Kết nối, chia sẻ dữ liệu dùng chung",
]
OUTPUTS = ["Báo cáo", "Kế hoạch", "Quyết định", "Công văn", "Hệ thống"]
REPORT_TEXTS = [
    "Đã ban hành văn bản triển khai, phân công cán bộ phụ trách",
    "Đang tổng hợp số liệu, rà soát hồ sơ tồn đọng",
    "Đã tổ chức hội nghị quán triệt, hướng dẫn các đơn vị trực thuộc",
    "Phối hợp cung cấp số liệu, góp ý dự thảo",
    "Hoàn thiện dự thảo, trình lãnh đạo xem xét",
]


def _stamp(day: datetime.date, hour: int = 9) -> str:
    return f"{day.isoformat()} {hour:02d}:00:00+07"


def _nul(value: object) -> str:
    return r"\N" if value is None else str(value)


@dataclass
class SmallTables:
    """What the ORM made, for the COPY loads that follow."""

    root: Unit
    unit_ids: list[int]
    plans: list[Plan]
    latest: Plan
    areas: dict[int, list[int]]  # area ids by plan id
    indicators: list[tuple[Indicator, Plan]]
    closed_months: dict[int, list[tuple[int, datetime.date]]]  # (period id, due date) by plan id


def make_small_tables(scale: Scale, today: datetime.date) -> SmallTables:
    """Units, plans, areas, targets, indicators and periods through the ORM (as bench/indicators.py does)."""
    from bench.indicators import AREAS, _indicator_shape, _layout
    from parplan.models import Plan, PlanStatus, ReformArea, Unit, UnitKind
    from targets.models import Indicator, Period, Target
    from targets.services import plan_generate_periods

    kinds = {}
    for code, name, level in [
        ("tinh", "Tỉnh", "cấp tỉnh"),
        ("so", "Sở, ban, ngành", "cấp tỉnh"),
        ("chi-cuc", "Chi cục", "cấp tỉnh"),
        ("huyen", "Huyện", "cấp huyện"),
        ("xa", "Xã", "cấp xã"),
        ("phuong", "Phường", "cấp xã"),
    ]:
        kinds[code] = UnitKind.objects.get_or_create(code=code, defaults={"name": name, "administrative_level": level})[
            0
        ]
    root = Unit.objects.create(code="20", name=f"UBND ({scale.name}, bench)", kind=kinds["tinh"], path="/20/")
    by_code = {"20": root}
    layout = _layout(scale.units)
    for depth in (1, 2):
        batch = []
        for position, (code, kind, parent) in enumerate(layout, start=1):
            parent_unit = by_code.get(parent) if parent is not None else None
            if code in by_code or parent_unit is None or parent_unit.depth != depth - 1:
                continue
            batch.append(
                Unit(code=code, name=f"Đơn vị {code}", kind=kinds[kind], parent=parent_unit,
                     path=f"{parent_unit.path}{code}/", position=position)
            )  # fmt: skip
        for unit in Unit.objects.bulk_create(batch):
            by_code[unit.code] = unit
    unit_ids = [unit.pk for code, unit in by_code.items() if code != "20"]
    assert len(unit_ids) == scale.units, (len(unit_ids), scale.units)

    first_year = today.year - scale.years + 1
    plans = Plan.objects.bulk_create(
        Plan(issuing_unit=root, year=year, number=f"{10 + year - first_year}", title=f"Kế hoạch CCHC năm {year}",
             status=PlanStatus.ACTIVE if year == today.year else PlanStatus.CLOSED)
        for year in range(first_year, today.year + 1)
    )  # fmt: skip
    indicators: list[tuple[Indicator, Plan]] = []
    areas_by_plan = {}
    for plan in plans:
        plan_generate_periods(plan=plan)
        areas = ReformArea.objects.bulk_create(
            ReformArea(plan=plan, number=number, name=name) for number, name in enumerate(AREAS, start=1)
        )
        areas_by_plan[plan.pk] = [area.pk for area in areas]
        per_area = [
            scale.indicators // len(areas) + (1 if n < scale.indicators % len(areas) else 0) for n in range(len(areas))
        ]
        index = 0
        for area, count in zip(areas, per_area, strict=True):
            targets = Target.objects.bulk_create(
                Target(area=area, position=position, text=f"Chỉ tiêu {area.number}.{position}")
                for position in range(1, (count + 1) // 2 + 1)
            )
            indicator_batch = []
            for n in range(count):
                shape = _indicator_shape(index)
                indicator_batch.append(
                    Indicator(area=area, target=targets[n // 2], position=n % 2 + 1,
                              name=f"Chỉ số {area.number}.{n + 1} ({shape['aggregation']})",
                              frequency="monthly", scope="units", source="units", **shape)
                )  # fmt: skip
                index += 1
            indicators += [(indicator, plan) for indicator in Indicator.objects.bulk_create(indicator_batch)]
    # Figures exist for the months whose window has closed (the current month is still open).
    closed: dict[int, list[tuple[int, datetime.date]]] = {plan.pk: [] for plan in plans}
    for period in Period.objects.filter(plan__in=plans, frequency="monthly", end__lt=today).order_by("number"):
        closed[period.plan_id].append((period.pk, period.due_date))
    return SmallTables(
        root=root,
        unit_ids=unit_ids,
        plans=plans,
        latest=plans[-1],
        areas=areas_by_plan,
        indicators=indicators,
        closed_months=closed,
    )


def figure_chunks(rng: random.Random, base: SmallTables, counts: dict[str, int]) -> Iterator[str]:
    """Approved monthly figures, rows made by bench/indicators.py's `_figure_rows`.

    Loaded month by month, as units send them, so a month's figures lie together on
    disk as they would in production. One unit in 25 has not sent the latest plan's
    last closed month yet, so the dashboard's "not sent" list has something to show.
    """
    from bench.indicators import _figure_rows

    unit_ids = base.unit_ids
    laggards = set(unit_ids[::25])
    on_time = [u for u in unit_ids if u not in laggards]
    latest = base.latest.pk
    for plan in base.plans:
        indicators = [indicator for indicator, owner in base.indicators if owner.pk == plan.pk]
        months = base.closed_months[plan.pk]
        for number, month in enumerate(months, start=1):
            senders = on_time if plan.pk == latest and number == len(months) else unit_ids
            for indicator in indicators:
                for start in range(0, len(senders), CHUNK_UNITS):
                    chunk = senders[start : start + CHUNK_UNITS]
                    counts["figures"] += len(chunk)
                    yield _figure_rows(rng, indicator.pk, indicator.aggregation, chunk, [month])


class StatusRule:
    """`targets.status.judge` for one indicator: (status, expected) of a value on a day, memoised."""

    def __init__(self, indicator: Indicator, fractions: list[float]) -> None:
        self.indicator, self.fractions = indicator, fractions
        self.threshold = None if indicator.threshold is None else Decimal(str(indicator.threshold))
        self.memo: dict[tuple[str, int], tuple[str, str]] = {}

    def __call__(self, value: str, d: int) -> tuple[str, str]:
        key = (value, d)
        if key not in self.memo:
            from targets.status import Reading, judge, rule_of

            state, expected = judge(rule_of(self.indicator), Reading(value=Decimal(value), fraction=self.fractions[d]))
            self.memo[key] = (str(state), r"\N" if expected is None else f"{expected:.4f}")
        return self.memo[key]


def snapshot_chunks(
    rng: random.Random, base: SmallTables, days: list[datetime.date], counts: dict[str, int]
) -> Iterator[str]:
    """Nightly results of the latest plan: every indicator × (authority and every unit) × day.

    Synthetic (the evaluation itself is measured by bench/indicators.py) but shaped
    like its output and written night by night as the job writes them: ratios with
    their numerator and denominator drifting from day to day, cumulative counts
    growing, milestones met or not; status and expected value from the real status
    rule (`targets.evaluation.judge`).
    """
    from targets.periods import elapsed_fraction

    plan = base.latest
    subjects = [base.root.pk, *base.unit_ids]
    fractions = [elapsed_fraction(plan.year, day) for day in days]
    indicators = []
    for indicator, owner in base.indicators:
        if owner.pk != plan.pk:
            continue
        if indicator.aggregation in ("ratio_of_sums", "latest"):
            low, high = (0.0, 0.08) if indicator.comparator == "lte" else (0.55, 0.95)
            if indicator.aggregation == "ratio_of_sums" and indicator.comparator != "lte":
                low, high = 0.86, 1.0
            # Per subject: rate, denominator on the first day, its daily growth.
            params: list[Any] = [(rng.uniform(low, high), rng.randint(200, 4000), rng.randint(0, 40)) for _ in subjects]
        elif indicator.aggregation == "sum":
            params = [rng.uniform(0.7, 1.3) * 300 for _ in subjects]
        else:  # milestone
            params = ["1" if rng.random() < 0.85 else "0" for _ in subjects]
        indicators.append((indicator, StatusRule(indicator, fractions), params))
    for d, day in enumerate(days):
        text = day.isoformat()
        for indicator, status, params in indicators:
            lines = []
            if indicator.aggregation in ("ratio_of_sums", "latest"):
                for unit_id, (rate, first, growth) in zip(subjects, params, strict=True):
                    denominator = first + growth * d
                    numerator = int(denominator * min(1.0, max(0.0, rate + rng.uniform(-0.01, 0.01))))
                    value = f"{numerator * 100 / denominator:.1f}"
                    state, expected = status(value, d)
                    lines.append(
                        f"{indicator.pk}\t{unit_id}\t{text}\t{numerator}\t{denominator}\t{value}\t{expected}\t{state}\n"
                    )
            else:
                for unit_id, param in zip(subjects, params, strict=True):
                    value = f"{int(param * fractions[d])}" if indicator.aggregation == "sum" else param
                    state, expected = status(value, d)
                    lines.append(f"{indicator.pk}\t{unit_id}\t{text}\t\\N\t\\N\t{value}\t{expected}\t{state}\n")
            counts["snapshots"] += len(lines)
            yield "".join(lines)


TASK_COLUMNS = [
    "id", "area_id", "position", "title", "text", "lead_unit_id", "assignment_assumed", "start_date", "due_date",
    "recurrence", "recurrence_due_day", "priority", "expected_output", "assigned_by_number", "assigned_by_date",
    "status", "progress_percent", "progress_note", "completed_on", "claimed_at", "confirmed_at", "review_comment",
    "cancelled_at", "cancel_reason", "version", "overdue_since", "key",
]  # fmt: skip
REPORT_COLUMNS = ["task_id", "unit_id", "role", "created_at", "status", "percent", "text"]


@dataclass
class TaskRow:
    pk: int
    lead: int | None
    coordinating: list[int]
    start: datetime.date
    last_report: datetime.date
    status: str
    percent: int


def task_rows(
    rng: random.Random, scale: Scale, base: SmallTables, today: datetime.date
) -> tuple[list[str], list[TaskRow]]:
    """Tasks of every plan (`tasks_per_unit` per unit in all), states as a real year leaves them."""
    unit_ids = base.unit_ids
    per_plan = scale.units * scale.tasks_per_unit // scale.years
    lines: list[str] = []
    tasks: list[TaskRow] = []
    pk = 0
    for plan in base.plans:
        areas = base.areas[plan.pk]
        for n in range(per_plan):
            pk += 1
            area, position = areas[n % len(areas)], n // len(areas) + 1
            lead = None if rng.random() < 0.03 else rng.choice(unit_ids)
            others = [u for u in rng.sample(unit_ids, rng.choice([0, 1, 1, 2, 3])) if u != lead]
            start = datetime.date(plan.year, 1, 1) + datetime.timedelta(days=rng.randint(0, 60))
            due = min(start + datetime.timedelta(days=rng.randint(45, 330)), datetime.date(plan.year, 12, 31))
            title = f"{rng.choice(TITLES)} ({n + 1})"
            text = f"{title} theo Kế hoạch CCHC năm {plan.year}; báo cáo kết quả về Sở Nội vụ."
            recurrence, due_day = ("quarterly", 20) if rng.random() < 0.08 else ("", None)
            priority = rng.choices(["normal", "high", "low"], [70, 15, 15])[0]
            status, percent = "not_started", 0
            completed = claimed = confirmed = cancelled = overdue_since = None
            draw = rng.random()
            if draw < 0.02:
                cancelled = _stamp(start + datetime.timedelta(days=30))
                status, percent = "in_progress", rng.randint(0, 40)
            elif due < today:
                if draw < 0.64:  # confirmed: four in five on time
                    late = rng.random() < 0.2
                    completed = due + datetime.timedelta(days=rng.randint(1, 40) if late else -rng.randint(0, 30))
                    completed = min(completed, today - datetime.timedelta(days=3))
                    claimed = _stamp(completed + datetime.timedelta(days=1))
                    confirmed = _stamp(completed + datetime.timedelta(days=2), 15)
                    status, percent = "completed", 100
                elif draw < 0.72:  # claimed, awaiting the secretariat's confirmation
                    completed = min(due, today - datetime.timedelta(days=2))
                    claimed = _stamp(completed + datetime.timedelta(days=1))
                    status, percent = "completed", 100
                else:  # overdue
                    status, percent = "in_progress", rng.randint(10, 90)
                    overdue_since = due + datetime.timedelta(days=1)
            elif draw < 0.1:
                completed = today - datetime.timedelta(days=rng.randint(2, 20))
                claimed = _stamp(completed + datetime.timedelta(days=1))
                status, percent = "completed", 100
            elif draw < 0.65:
                status, percent = "in_progress", rng.randint(5, 90)
            elif draw < 0.72:
                status, percent = "paused", rng.randint(5, 60)
            last_report = min(completed or due, today - datetime.timedelta(days=1))
            lines.append(
                "\t".join(
                    _nul(v)
                    for v in (
                        pk,
                        area,
                        position,
                        title,
                        text,
                        lead,
                        "t" if lead is None else "f",
                        start,
                        due,
                        recurrence,
                        due_day,
                        priority,
                        rng.choice(OUTPUTS),
                        f"{100 + n % 900}/KH-UBND",
                        datetime.date(plan.year, 1, 10),
                        status,
                        percent,
                        "",
                        completed,
                        claimed,
                        confirmed,
                        "",
                        cancelled,
                        "Không còn phù hợp" if cancelled else "",
                        1,
                        overdue_since,
                        f"bench{pk:07x}",  # tasks.models.new_task_key's 12 characters, unique
                    )
                )  # fmt: skip
                + "\n"
            )
            tasks.append(TaskRow(pk, lead, others, start, max(start, last_report), status, percent))
    return lines, tasks


def coordinating_chunks(tasks: list[TaskRow], counts: dict[str, int]) -> Iterator[str]:
    for start in range(0, len(tasks), 2000):
        lines = [f"{t.pk}\t{u}\n" for t in tasks[start : start + 2000] for u in t.coordinating]
        counts["coordinating"] += len(lines)
        yield "".join(lines)


def report_chunks(rng: random.Random, scale: Scale, tasks: list[TaskRow], counts: dict[str, int]) -> Iterator[str]:
    """`reports_per_task` reports a task: the lead unit's progress, now and then a coordinating unit's part."""
    for start in range(0, len(tasks), 1000):
        lines = []
        for task in tasks[start : start + 1000]:
            span = max(1, (task.last_report - task.start).days)
            for k in range(scale.reports_per_task):
                day = task.start + datetime.timedelta(days=span * (k + 1) // scale.reports_per_task)
                stamp = f"{day.isoformat()} {8 + k % 9:02d}:{(task.pk * 7 + k) % 60:02d}:00+07"
                text = rng.choice(REPORT_TEXTS)
                if task.coordinating and (task.lead is None or k % 4 == 3):
                    unit = task.coordinating[k % len(task.coordinating)]
                    lines.append(f"{task.pk}\t{unit}\tcoordinating\t{stamp}\t\t\\N\t{text}\n")
                else:
                    unit = task.lead if task.lead is not None else 0
                    if not unit:
                        continue
                    last = k == scale.reports_per_task - 1
                    status = task.status if last else "in_progress"
                    percent = task.percent if last else task.percent * (k + 1) // scale.reports_per_task
                    lines.append(f"{task.pk}\t{unit}\tlead\t{stamp}\t{status}\t{percent}\t{text}\n")
        counts["reports"] += len(lines)
        yield "".join(lines)


def generate(scale: Scale) -> dict[str, Any]:
    from django.db import connection, transaction
    from django.utils import timezone

    today = timezone.localdate()
    rng = random.Random(f"dashboard-{scale.name}")
    timings: dict[str, float] = {}
    counts = {"figures": 0, "snapshots": 0, "tasks": 0, "coordinating": 0, "reports": 0, "scope": 0}
    started = time.perf_counter()
    with connection.cursor() as cursor:
        before = schema_signature(cursor)
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute("SET synchronous_commit = off")  # this session's commits only
    with transaction.atomic():
        base = make_small_tables(scale, today)
    timings["small tables (ORM)"] = time.perf_counter() - started
    print(f"  units, plans, indicators, periods: {timings['small tables (ORM)']:.1f} s", flush=True)

    step = time.perf_counter()
    with connection.cursor() as cursor:
        restore = drop_secondary(cursor, BIG_TABLES)
    timings["drop indexes and constraints"] = time.perf_counter() - step

    def load(label: str, table: str, columns: list[str], chunks: Iterable[str]) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            seconds = copy_rows(cursor, table, columns, chunks)
        timings[f"COPY {label}"] = seconds
        print(f"  COPY {label}: {seconds:.1f} s", flush=True)

    unit_ids = base.unit_ids
    counts["scope"] = len(base.indicators) * len(unit_ids)
    load(
        "scope rows",
        "targets_indicator_scope_units",
        ["indicator_id", "unit_id"],
        ("".join(f"{indicator.pk}\t{u}\n" for u in unit_ids) for indicator, _ in base.indicators),
    )
    figure_columns = [
        "indicator_id", "unit_id", "period_id", "numerator", "denominator", "value", "met", "note",
        "status", "submitted_at", "reviewed_at", "review_comment",
    ]  # fmt: skip
    # Django keeps field defaults in Python; COPY needs the one of `version` in the table (the
    # benchmark database keeps it: its rows are only ever written here).
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE targets_measurement ALTER COLUMN version SET DEFAULT 1")
    load("figures", "targets_measurement", figure_columns, figure_chunks(rng, base, counts))
    days = [today - datetime.timedelta(days=n) for n in range(scale.snapshot_days, 0, -1)]
    load(
        "snapshots",
        "targets_indicatorsnapshot",
        ["indicator_id", "unit_id", "day", "numerator", "denominator", "value", "expected", "status"],
        snapshot_chunks(rng, base, days, counts),
    )
    lines, tasks = task_rows(rng, scale, base, today)
    counts["tasks"] = len(lines)
    load("tasks", "tasks_task", TASK_COLUMNS, ("".join(lines[i : i + 2000]) for i in range(0, len(lines), 2000)))
    load(
        "coordinating units",
        "tasks_task_coordinating_units",
        ["task_id", "unit_id"],
        coordinating_chunks(tasks, counts),
    )
    load("progress reports", "tasks_progressreport", REPORT_COLUMNS, report_chunks(rng, scale, tasks, counts))

    step = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        for statement in restore:
            cursor.execute(statement)
        cursor.execute("SELECT setval(pg_get_serial_sequence('tasks_task', 'id'), (SELECT max(id) FROM tasks_task))")
        after = schema_signature(cursor)
    timings["indexes, unique and foreign keys re-created"] = time.perf_counter() - step
    print(f"  indexes and constraints: {timings['indexes, unique and foreign keys re-created']:.1f} s", flush=True)
    if before != after:
        missing = sorted(set(before) - set(after))
        extra = sorted(set(after) - set(before))
        raise RuntimeError(f"Schema differs from the migrations' after the load: missing {missing}, extra {extra}")

    step = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    timings["VACUUM ANALYZE"] = time.perf_counter() - step
    timings["total"] = time.perf_counter() - started
    print(f"  VACUUM ANALYZE: {timings['VACUUM ANALYZE']:.1f} s; total {timings['total']:.1f} s", flush=True)
    return {"counts": counts, "timings": timings, "snapshot_days": [days[0].isoformat(), days[-1].isoformat()]}


def ensure_steering_user() -> None:
    from django.contrib.auth import get_user_model

    from parplan.models import Role, Unit
    from parplan.services import membership_add

    user, created = get_user_model().objects.get_or_create(
        username=USERNAME, defaults={"first_name": "Ban chỉ đạo", "last_name": "(bench)"}
    )
    if created or not user.check_password(PASSWORD):
        user.set_password(PASSWORD)
        user.save()
    membership_add(user=user, unit=Unit.objects.get(code="20", parent=None), role=Role.STEERING)


def database_facts() -> dict[str, Any]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT version(), pg_database_size(current_database())")
        version, size = cursor.fetchone()
        cursor.execute("SELECT pg_total_relation_size('targets_measurement')")
        figures_size = cursor.fetchone()[0]
        counts = {}
        for label, table in [
            ("units", "parplan_unit"),
            ("indicators", "targets_indicator"),
            ("figures", "targets_measurement"),
            ("snapshots", "targets_indicatorsnapshot"),
            ("tasks", "tasks_task"),
            ("reports", "tasks_progressreport"),
        ]:
            cursor.execute(f"SELECT count(*) FROM {table}")  # exact, once per run
            counts[label] = cursor.fetchone()[0]
    return {"postgres": version.split(",")[0], "db_bytes": size, "figures_bytes": figures_size, "counts": counts}


# --- Measuring ------------------------------------------------------------------------------


def flush_cache() -> None:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()  # the bench's own Redis DB only


def cold_build() -> dict[str, Any]:
    """One build of the dashboard with nothing cached, in this process; its time and queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from dashboard.selectors import build_dashboard
    from parplan.models import Plan, PlanStatus

    flush_cache()
    plan = Plan.objects.select_related("issuing_unit").filter(status=PlanStatus.ACTIVE).order_by("-year").first()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        if plan is None:
            sys.exit("No active plan in the bench database.")
        board = build_dashboard(plan=plan, unit=None, today=timezone.localdate())
        seconds = time.perf_counter() - started
    slowest = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:3]
    return {
        "seconds": seconds,
        "queries": len(queries.captured_queries),
        "slowest": [{"seconds": float(q["time"]), "sql": q["sql"][:160]} for q in slowest],
        "ranked_units": len(board.ranking),
        "indicators": len(board.indicators),
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def request(
    port: int, method: str, path: str, headers: dict[str, str] | None = None, body: str | None = None
) -> tuple[int, list[tuple[str, str]], bytes, float]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    try:
        started = time.perf_counter()
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        data = response.read()
        return response.status, response.getheaders(), data, time.perf_counter() - started
    finally:
        connection.close()


def cookie(headers: list[tuple[str, str]], name: str) -> str | None:
    for key, value in headers:
        if key.lower() == "set-cookie":
            jar = SimpleCookie()
            jar.load(value)
            if name in jar:
                return jar[name].value
    return None


def login(port: int) -> str:
    """Log the steering-committee member in through the login form; return the session id."""
    status, headers, body, _ = request(port, "GET", "/accounts/login/")
    csrf = cookie(headers, "csrftoken")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if status != 200 or not csrf or not token:
        raise RuntimeError(f"Login page: status {status}, no CSRF cookie or token.")
    form = urlencode({"username": USERNAME, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1).decode()})
    status, headers, body, _ = request(
        port,
        "POST",
        "/accounts/login/",
        {"Cookie": f"csrftoken={csrf}", "Content-Type": "application/x-www-form-urlencoded"},
        form,
    )
    session = cookie(headers, "sessionid")
    if status != 302 or not session:
        raise RuntimeError(f"Login failed: status {status}: {body[:300]!r}")
    return session


def worker_memory(master: int) -> dict[int, dict[str, int]]:
    """Resident set (VmRSS) and its peak (VmHWM) of each gunicorn worker, in kB."""
    pids = subprocess.run(["ps", "-o", "pid=", "--ppid", str(master)], capture_output=True, text=True).stdout.split()
    memory = {}
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        memory[int(pid)] = {key: int(fields[key].split()[0]) for key in ("VmRSS", "VmHWM")}
    return memory


def cpu_seconds(pids: Iterable[int]) -> dict[int, float]:
    """User + system CPU time consumed so far by each process (from /proc/PID/stat)."""
    tick = os.sysconf("SC_CLK_TCK")
    seconds = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        seconds[pid] = (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return seconds


def backend_pids(database: str) -> list[int]:
    """PostgreSQL backends serving the bench database (gunicorn's persistent connections)."""
    connection = _connect("postgres")
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [database])
            return [pid for (pid,) in cursor.fetchall()]
    finally:
        connection.close()


def cpu_snapshot(master: int, database: str) -> dict[str, dict[int, float]]:
    return {"workers": cpu_seconds(worker_memory(master)), "postgres": cpu_seconds(backend_pids(database))}


def cpu_per_request(
    before: dict[str, dict[int, float]], after: dict[str, dict[int, float]], requests: int
) -> dict[str, float]:
    """CPU milliseconds per request spent in the gunicorn workers and in PostgreSQL during one wrk run.

    Unlike requests/s this hardly depends on what else runs on the machine.
    """
    result = {}
    for side in ("workers", "postgres"):
        spent = sum(value - before[side].get(pid, 0.0) for pid, value in after[side].items())
        result[side] = spent * 1000 / max(requests, 1)
    # How evenly the load was spread: the busiest worker's share of the workers' CPU (50 % is even for two).
    by_worker = [value - before["workers"].get(pid, 0.0) for pid, value in after["workers"].items()]
    result["busiest_worker_share"] = max(by_worker, default=0.0) / (sum(by_worker) or 1.0)
    return result


WRK_SCRIPT = r"""
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0 end
function response(status, headers, body) if status ~= 200 then bad = bad + 1 end end
function done(summary, latency, requests)
  local b = 0
  for _, t in ipairs(threads) do b = b + t:get("bad") end
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%d,"duration_us":%d,"bytes":%d,"p50":%d,"p75":%d,"p90":%d,"p95":%d,"p99":%d,' ..
    '"max":%d,"mean":%.0f,"non200":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50), latency:percentile(75),
    latency:percentile(90), latency:percentile(95), latency:percentile(99), latency.max, latency.mean, b,
    e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def run_wrk(url: str, session: str, args: argparse.Namespace, script: Path) -> dict[str, Any]:
    command = [
        "wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s", "--latency", "--timeout", "30s",
        "-s", str(script), "-H", f"Cookie: sessionid={session}", url,
    ]  # fmt: skip
    output = subprocess.run(command, capture_output=True, text=True, timeout=args.duration + 120, check=True).stdout
    data: dict[str, Any] = json.loads(output.split("WRKJSON ", 1)[1].splitlines()[0])
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if rps is None:
        raise RuntimeError(f"wrk printed no Requests/sec:\n{output}")
    data["rps"] = float(rps.group(1))
    shown = command[:-1] + [url.split("/", 3)[-1]]
    data["command"] = shlex.join(shown).replace(session, "SESSION").replace(str(script), "REPORT.lua")
    return data


def serve_and_load(scale: Scale, args: argparse.Namespace) -> dict[str, Any]:
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_SETTINGS_MODULE"}},
        "PARPLAN_MODE": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),  # 64 characters
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"{PG_URL}/{scale.database}",
        "REDIS_URL": REDIS_URL,
        "PARPLAN_ROOT_URLCONF": "bench.urls",
        "LOG_LEVEL": "WARNING",
    }
    # --reuse-port: each worker listens on a socket of its own (gunicorn ≥ 23.1) and the kernel spreads new
    # connections over them. On one shared socket, one gthread worker took all of wrk's keep-alive
    # connections in every earlier run while the other sat idle; the spread is now reported per run.
    command = [
        str(GUNICORN), "config.wsgi", "-k", "gthread", "--workers", "2", "--threads", "4", "--reuse-port",
        "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
    ]  # fmt: skip
    log = tempfile.NamedTemporaryFile("w+", prefix="bench-gunicorn-", suffix=".log", delete=False)
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    result: dict[str, Any] = {"gunicorn": " ".join(command[1:]).replace(str(port), "PORT")}
    kept_log = True
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if request(port, "GET", "/accounts/login/")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError(f"gunicorn did not start; see {log.name}")
            time.sleep(0.5)
        session = login(port)
        auth = {"Cookie": f"sessionid={session}"}
        flush_cache()
        status, _, body, cold = request(port, "GET", "/dashboard/", auth)
        if status != 200 or b'id="dashboard-filter"' not in body:
            raise RuntimeError(f"/dashboard/ answered {status}: {body[:300]!r}")
        warm = min(request(port, "GET", "/dashboard/", auth)[3] for _ in range(3))
        status, _, reference_body, _ = request(port, "GET", "/bench/reference/", auth)
        if status != 200 or b"<table" not in reference_body:
            raise RuntimeError(f"/bench/reference/ answered {status}: {reference_body[:300]!r}")
        result |= {
            "cold_page_seconds": cold,
            "warm_page_seconds": warm,
            "dashboard_bytes": len(body),
            "reference_bytes": len(reference_body),
        }
        result["rss_before"] = worker_memory(server.pid)
        with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
            script.write(WRK_SCRIPT)
            script.flush()
            for label, path in [("dashboard", "/dashboard/"), ("reference", "/bench/reference/")]:
                print(f"  wrk {path} for {args.duration} s …", flush=True)
                cpu_before = cpu_snapshot(server.pid, scale.database)
                load_before = os.getloadavg()[0]
                result[label] = run_wrk(f"http://127.0.0.1:{port}{path}", session, args, Path(script.name))
                result[label]["load"] = [load_before, os.getloadavg()[0]]
                cpu_after = cpu_snapshot(server.pid, scale.database)
                result[label]["cpu_ms"] = cpu_per_request(cpu_before, cpu_after, result[label]["requests"])
                result[label]["rss_after"] = worker_memory(server.pid)
        result["rss_after"] = worker_memory(server.pid)
        kept_log = False
    except BaseException:
        kept_log = True
        print(f"  gunicorn's log: {log.name}", flush=True)
        raise
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
        if not kept_log:
            Path(log.name).unlink()
    return result


def measure_scale(scale: Scale, args: argparse.Namespace) -> dict[str, Any]:
    """Run in a child process per scale (Django is set up for one database per process)."""
    wanted = asdict(scale)
    record = database_record(scale.database)
    fresh = record is None or record.get("scale") != wanted or not record.get("complete") or args.regenerate
    if fresh:
        create_database(scale.database, drop=record is not None)
    setup_django(scale.database)
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    if fresh:
        print(f"Generating the {scale.name} data set in {scale.database} …", flush=True)
        load = generate(scale)
        record = {
            "scale": wanted,
            "complete": True,
            "loaded_at": timezone.now().isoformat(timespec="seconds"),
            "generated_on": timezone.localdate().isoformat(),
            **load,
        }
        with connection.cursor() as cursor:
            cursor.execute(f"COMMENT ON DATABASE {scale.database} IS %s", [json.dumps(record)])
    else:
        assert record is not None  # not fresh: its record was read
        print(f"{scale.database}: data set present (loaded {record['loaded_at']}), generation skipped.", flush=True)
    ensure_steering_user()
    facts = database_facts()
    nightly_counts = keep_counts_as_the_night_does()
    print("  cold builds in-process …", flush=True)
    cold = [cold_build(), cold_build()]
    connection.close()
    served = serve_and_load(scale, args)
    return {"scale": wanted, "record": record, "facts": facts, "cold": cold, "nightly_counts": nightly_counts, **served}


def keep_counts_as_the_night_does() -> dict[str, Any]:
    """The nightly run's counts of figures sent on time for today, which the ranking reads; their time.

    The data set holds the nightly snapshots already; the counts are of the day, so they are
    kept here (untimed by the cold builds), as the night's job does after its evaluation.
    """
    from django.utils import timezone

    from parplan.models import Plan, PlanStatus
    from targets.figure_counts import figures_on_time_keep

    plan = Plan.objects.select_related("issuing_unit").filter(status=PlanStatus.ACTIVE).order_by("-year").first()
    if plan is None:
        sys.exit("No active plan in the bench database.")
    started = time.perf_counter()
    units = figures_on_time_keep(plan=plan, day=timezone.localdate())
    return {"seconds": time.perf_counter() - started, "units": units}


# --- Report ----------------------------------------------------------------------------------


def _ms(microseconds: float) -> str:
    return f"{microseconds / 1000:.0f}" if microseconds >= 10_000 else f"{microseconds / 1000:.1f}"


def _mb(kb_by_pid: dict[str, dict[str, int]], key: str = "VmRSS") -> str:
    return " + ".join(f"{v[key] / 1024:.0f}" for v in kb_by_pid.values())


def aims(results: dict[str, dict[str, Any]]) -> list[tuple[str, bool | None, str]]:
    checks: list[tuple[str, bool | None, str]] = []
    national, province = results.get("national"), results.get("province")
    if national:
        cold = national["cold"][1]["seconds"]
        checks.append(("dashboard cold build under 1 s (national, second build)", cold < 1, f"{cold * 1000:,.0f} ms"))
    if national:
        ratio = national["dashboard"]["rps"] / national["reference"]["rps"]
        checks.append(("dashboard throughput ≥ 50 % of the reference view's (national)", ratio >= 0.5, f"{ratio:.0%}"))
    if national and national["dashboard"]["requests"]:
        # Issue 17, item 2: what a warm request costs the web worker, which hardly depends on the neighbours.
        cpu = national["dashboard"]["cpu_ms"]["workers"]
        checks.append(("warm dashboard request under 25 ms of gunicorn CPU (national)", cpu < 25, f"{cpu:.1f} ms"))
    for name, result, limit in [("province", province, 150), ("national", national, 300)]:
        if result:
            p95 = result["dashboard"]["p95"] / 1000
            done = result["dashboard"]["requests"] > 0
            checks.append(
                (f"dashboard p95 < {limit} ms ({name})", done and p95 < limit, f"{p95:.0f} ms" if done else "no reply")
            )
    for name, result in [("province", province), ("national", national)]:
        if result and result["dashboard"]["requests"] and result["reference"]["requests"]:
            ratio = result["dashboard"]["p95"] / result["reference"]["p95"]
            checks.append((f"dashboard p95 within 1.5× of the reference's ({name})", ratio <= 1.5, f"{ratio:.2f}×"))
    if province and national:
        before = max(v["VmRSS"] for v in province["rss_after"].values())
        after = max(v["VmRSS"] for v in national["rss_after"].values())
        flat = after <= before * 1.1 + 5 * 1024
        checks.append(
            ("worker memory flat as data grows (largest worker after the runs, province → national)", flat,
             f"{before / 1024:.0f} MB → {after / 1024:.0f} MB")
        )  # fmt: skip
    return checks


def _latency(run: dict[str, Any]) -> str:
    return " / ".join(_ms(run[p]) for p in ("p50", "p95", "p99")) if run["requests"] else "no reply"


def _errors(run: dict[str, Any]) -> str:
    return f"{run['non200']} / {run['connect'] + run['read'] + run['write'] + run['timeout']}"


def _cpu(run: dict[str, Any]) -> str:
    return "{workers:.1f} + {postgres:.1f}".format(**run["cpu_ms"])


def _nightly_counts(result: dict[str, Any]) -> str:
    counts = result.get("nightly_counts")
    return "—" if counts is None else f"{counts['seconds'] * 1000:,.0f} ms, {counts['units']:,} units"


def _cpu_total(run: dict[str, Any]) -> float:
    return float(run["cpu_ms"]["workers"] + run["cpu_ms"]["postgres"])


def _cold(build: dict[str, Any]) -> str:
    return f"{build['seconds'] * 1000:,.0f} ms, {build['queries']} queries"


def table(results: dict[str, dict[str, Any]]) -> list[str]:
    names = list(results)
    rows: list[tuple[str, list[str]]] = []

    def add(label: str, fn: Callable[[dict[str, Any]], str]) -> None:
        rows.append((label, [fn(results[n]) for n in names]))

    def counts(r: dict[str, Any]) -> dict[str, int]:
        found: dict[str, int] = r["facts"]["counts"]
        return found

    add("units (below the root authority)", lambda r: f"{counts(r)['units'] - 1:,}")
    add("figures (approved, 5 years monthly)", lambda r: f"{counts(r)['figures']:,}")
    add("tasks / progress reports", lambda r: f"{counts(r)['tasks']:,} / {counts(r)['reports']:,}")
    add("indicator snapshots (30 nights)", lambda r: f"{counts(r)['snapshots']:,}")
    add("database size", lambda r: f"{r['facts']['db_bytes'] / 2**30:.1f} GB")
    add("load time (generation, COPY, indexes, VACUUM ANALYZE)", lambda r: f"{r['record']['timings']['total']:.0f} s")
    add("**dashboard** req/s", lambda r: f"**{r['dashboard']['rps']:.1f}**")
    add("dashboard latency p50 / p95 / p99 (ms)", lambda r: _latency(r["dashboard"]))
    add("**reference** req/s", lambda r: f"**{r['reference']['rps']:.1f}**")
    add("reference latency p50 / p95 / p99 (ms)", lambda r: _latency(r["reference"]))
    add(
        "**throughput ratio dashboard / reference**",
        lambda r: f"**{r['dashboard']['rps'] / r['reference']['rps']:.0%}**",
    )
    add("**p95 ratio dashboard / reference**", lambda r: f"**{r['dashboard']['p95'] / r['reference']['p95']:.2f}×**")
    add("busiest worker's share of the workers' CPU, dashboard / reference (50 % = even)", lambda r: " / ".join(
        f"{r[k]['cpu_ms'].get('busiest_worker_share', 0):.0%}" for k in ("dashboard", "reference")))  # fmt: skip
    add("CPU per request, dashboard: gunicorn + PostgreSQL (ms)", lambda r: _cpu(r["dashboard"]))
    add("CPU per request, reference: gunicorn + PostgreSQL (ms)", lambda r: _cpu(r["reference"]))
    add(
        "CPU ratio reference / dashboard (the throughput ratio on an unshared machine, estimated)",
        lambda r: f"{_cpu_total(r['reference']) / _cpu_total(r['dashboard']):.0%}",
    )
    add("load average at the start of the dashboard / reference run", lambda r: "{:.1f} / {:.1f}".format(
        r["dashboard"]["load"][0], r["reference"]["load"][0]))  # fmt: skip
    add("non-200 responses / socket errors (dashboard; reference)", lambda r: "; ".join(
        _errors(r[k]) for k in ("dashboard", "reference")))  # fmt: skip
    add("page size dashboard / reference", lambda r: "{:.0f} kB / {:.0f} kB".format(
        r["dashboard_bytes"] / 1024, r["reference_bytes"] / 1024))  # fmt: skip
    add("cold build in-process, first (cold PostgreSQL cache too)", lambda r: _cold(r["cold"][0]))
    add("cold build in-process, second", lambda r: _cold(r["cold"][1]))
    add("the nightly run's counts of figures sent on time, kept before the cold builds", _nightly_counts)
    add("first page over HTTP after FLUSHDB / warm page (one request)", lambda r: "{:,.0f} ms / {:,.0f} ms".format(
        r["cold_page_seconds"] * 1000, r["warm_page_seconds"] * 1000))  # fmt: skip
    add(
        "worker RSS before → after the dashboard run → after the reference run (MB, each worker)",
        lambda r: " → ".join(_mb(m) for m in (r["rss_before"], r["dashboard"]["rss_after"], r["rss_after"])),
    )
    add("worker peak RSS (VmHWM) after (MB)", lambda r: _mb(r["rss_after"], "VmHWM"))
    lines = ["| | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]
    lines += [f"| {label} | " + " | ".join(values) + " |" for label, values in rows]
    return lines


def machine() -> dict[str, str]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kb / 2**20:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return {"cpus": str(os.cpu_count()), "cpu": model or platform.processor(), "memory": memory}


def report_block(results: dict[str, dict[str, Any]], args: argparse.Namespace, load: tuple[float, float]) -> str:
    info = machine()
    any_result = next(iter(results.values()))
    checks = aims(results)
    details = []
    for name, r in results.items():
        t = r["record"]["timings"]
        steps = ", ".join(f"{k} {v:.0f} s" for k, v in t.items() if k != "total")
        details.append(f"- {name}: loaded {r['record']['loaded_at']} in {t['total']:.0f} s ({steps}).")
        slow = "; ".join(f"{q['seconds'] * 1000:.0f} ms `{q['sql'][:90]}…`" for q in r["cold"][0]["slowest"][:2])
        details.append(f"  Slowest queries of the first cold build: {slow}")
    return "\n".join(
        [
            f"Measured {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC with "
            f"`.venv/bin/python bench/dashboard.py --scales {' '.join(results)} --duration {args.duration} "
            f"--connections {args.connections} --threads {args.threads}`.",
            "",
            f"- Machine: {info['cpus']} CPUs ({info['cpu']}), {info['memory']}, shared with other people's test "
            f"runs — load average {load[0]:.2f} before, {load[1]:.2f} after; {any_result['facts']['postgres']}; "
            f"Python {platform.python_version()}; wrk, gunicorn and PostgreSQL on the same 2 CPUs.",
            f"- Server: `gunicorn {any_result['gunicorn']}`, PARPLAN_MODE=production, Redis cache "
            f"({REDIS_URL}), persistent database connections, ROOT_URLCONF `bench.urls`.",
            f"- Load: `{any_result['dashboard']['command']}` on `http://127.0.0.1:PORT/`, then the same on "
            "`bench/reference/`; SESSION is the session cookie of a steering-committee member logged in through "
            "the login form, REPORT.lua the script's `done()` that prints p50/p95/p99 and counts non-200 answers.",
            "",
            *table(results),
            "",
            "Aims: "
            + "; ".join(f"{label}: {'met' if ok else '**missed**'} ({value})" for label, ok, value in checks)
            + ".",
            "",
            *details,
        ]
    )


def write_readme(block: str) -> None:
    """Rewrite only this benchmark's results block; the section is appended the first time."""
    text = README.read_text()
    if RESULTS_START not in text or RESULTS_END not in text:
        text = text.rstrip("\n") + f"\n\n## Dashboard (`dashboard.py`)\n\n{RESULTS_START}\n{RESULTS_END}\n"
    head, rest = text.split(RESULTS_START, 1)
    _, tail = rest.split(RESULTS_END, 1)
    README.write_text(f"{head}{RESULTS_START}\n{block}\n{RESULTS_END}{tail}")


def ensure_static() -> None:
    """Production mode serves hashed static names from the manifest `collectstatic` writes (as the Dockerfile does)."""
    if (ROOT / "var" / "staticfiles" / "staticfiles.json").exists():
        return
    # Production settings insist on both URLs; collectstatic connects to neither.
    env = {**os.environ, "PARPLAN_MODE": "production", "SECRET_KEY": secrets.token_urlsafe(48),
           "ALLOWED_HOSTS": "127.0.0.1", "DATABASE_URL": f"{PG_URL}/postgres", "REDIS_URL": REDIS_URL}  # fmt: skip
    env.pop("DEBUG", None)
    subprocess.run([str(PYTHON), "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", nargs="+", choices=list(SCALES), default=list(SCALES))
    parser.add_argument("--national-units", type=int, default=SCALES["national"].units, help=argparse.SUPPRESS)
    parser.add_argument("--duration", type=int, default=30, help="seconds of each wrk run (default 30)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--regenerate", action="store_true", help="drop the data sets and generate them again")
    parser.add_argument("--no-readme", action="store_true", help="do not write the results into bench/README.md")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.duration > 60:
        parser.error("--duration is at most 60 s")
    SCALES["national"] = Scale("national", units=args.national_units)

    if args.child:
        result = measure_scale(SCALES[args.child], args)
        print("RESULT " + json.dumps(result, default=str), flush=True)
        return

    ensure_static()
    load_before = os.getloadavg()[0]
    results = {}
    for name in args.scales:
        command = [sys.executable, __file__, "--child", name, *sys.argv[1:]]
        print(f"== {name} ==", flush=True)
        child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
        assert child.stdout is not None  # stdout=PIPE
        for line in child.stdout:
            if line.startswith("RESULT "):
                results[name] = json.loads(line[len("RESULT ") :])
            else:
                print(line, end="", flush=True)
        if child.wait() != 0 or name not in results:
            sys.exit(f"The {name} run failed.")
        r = results[name]
        print(
            f"  dashboard {r['dashboard']['rps']:.1f} req/s (p50/p95/p99 "
            f"{'/'.join(_ms(r['dashboard'][p]) for p in ('p50', 'p95', 'p99'))} ms), reference "
            f"{r['reference']['rps']:.1f} req/s (p50/p95/p99 "
            f"{'/'.join(_ms(r['reference'][p]) for p in ('p50', 'p95', 'p99'))} ms), ratio "
            f"{r['dashboard']['rps'] / r['reference']['rps']:.0%}; cold build {r['cold'][0]['seconds'] * 1000:.0f} ms "
            f"/ {r['cold'][0]['queries']} queries; worker RSS {_mb(r['rss_before'])} → {_mb(r['rss_after'])} MB",
            flush=True,
        )
    load_after = os.getloadavg()[0]
    block = report_block(results, args, (load_before, load_after))
    print()
    print(block)
    (Path(tempfile.gettempdir()) / "bench-dashboard-results.json").write_text(json.dumps(results, indent=1))
    if not args.no_readme:
        write_readme(block)
        print(f"\nResults written to {README.relative_to(ROOT)}.")


if __name__ == "__main__":
    main()
