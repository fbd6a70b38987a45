#!/usr/bin/env python
"""Benchmark of the indicator evaluation on a province-sized data set (PostgreSQL).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/parplan_bench \
        .venv/bin/python bench/indicators.py [--units 300 --indicators 80 --years 5]

1. Creates and migrates its own database (the name must contain "bench"; the
   shared `parplan` and `test_parplan` databases are refused) and, unless a data
   set of the requested size is already there, generates one: a root authority,
   `--units` units under it, one plan per year with 7 areas, targets and
   `--indicators` indicators, the plans' periods, and an approved monthly figure
   for every indicator × unit × month × year, loaded with COPY. Then ANALYZE.
2. Times `evaluate_plan()` for the latest plan on 14/12 of its year (snapshot
   writes included) and one hand-written SQL query doing the same aggregation,
   alternately, `--runs` times each after one untimed warm-up of each; reports
   best and median and their ratio. The evaluation is timed twice a round: the
   day evaluated again (its snapshots there already, as after an approval or
   for a report) and a new day (the day's snapshots deleted untimed first, as
   for the nightly run at 01:00, which inserts every row). Peak memory of one
   evaluation is read in a fresh subprocess (VmHWM).
3. Prints a table and rewrites the results block of bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import unquote, urlparse

if TYPE_CHECKING:
    from django.db.backends.utils import CursorWrapper

_T = TypeVar("_T")

ROOT = Path(__file__).resolve().parent.parent
README = Path(__file__).resolve().parent / "README.md"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/parplan_bench"
# Databases other people use: never created, reset or written to by this script.
FORBIDDEN = {"parplan", "test_parplan", "postgres", "template0", "template1"}
RESULTS_START = "<!-- indicators-results:start -->"
RESULTS_END = "<!-- indicators-results:end -->"
FIRST_YEAR = 2020
MONTHS = 12

AREAS = [
    "Cải cách thể chế",
    "Cải cách thủ tục hành chính",
    "Cải cách tổ chức bộ máy hành chính nhà nước",
    "Cải cách chế độ công vụ",
    "Cải cách tài chính công",
    "Xây dựng, phát triển Chính quyền điện tử, Chính quyền số",
    "Công tác chỉ đạo, điều hành cải cách hành chính",
]


# --- Database set-up (before Django) -------------------------------------------------


def _database_settings() -> dict[str, Any]:
    url = os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    if parsed.scheme not in {"postgres", "postgresql"}:
        sys.exit(f"DATABASE_URL must name a PostgreSQL database, not {parsed.scheme!r}.")
    if name in FORBIDDEN or "bench" not in name:
        sys.exit(f"Refusing database {name!r}: the benchmark only uses its own database (a name with 'bench').")
    return {
        "dbname": name,
        "host": parsed.hostname or "127.0.0.1",
        "port": parsed.port or 5432,
        "user": unquote(parsed.username or "postgres"),
        "password": unquote(parsed.password or "") or None,
    }


def ensure_database() -> str:
    """Create the benchmark database when it is missing; return its name."""
    import psycopg2
    from psycopg2 import sql

    params = _database_settings()
    name = str(params["dbname"])
    connection = psycopg2.connect(**{**params, "dbname": "postgres"})
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                print(f"Created database {name}.")
    finally:
        connection.close()
    return name


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # As in production: no query log in memory, plain cursors.
    os.environ.setdefault("DEBUG", "false")
    import django

    django.setup()


# --- Data set -------------------------------------------------------------------------


class LineReader(io.RawIOBase):
    """A read-only file object over an iterator of text chunks, for COPY ... FROM STDIN."""

    def __init__(self, chunks: Iterator[str]) -> None:
        self._chunks = chunks
        self._buffer = b""

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self._buffer) < size:
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            self._buffer += chunk.encode()
        if size < 0:
            data, self._buffer = self._buffer, b""
        else:
            data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data


def _copy(cursor: CursorWrapper, table: str, columns: list[str], chunks: Iterator[str]) -> None:
    cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", LineReader(chunks), 1 << 16)


def existing_size() -> dict[str, int]:
    from parplan.models import Plan, Unit
    from targets.models import Indicator, Measurement

    root = Unit.objects.filter(code="20", parent=None).first()
    return {
        "units": Unit.objects.below(root).count() if root else 0,
        "plans": Plan.objects.count(),
        "indicators": Indicator.objects.count(),
        "measurements": Measurement.objects.count(),
        "all_units": Unit.objects.count(),
    }


def reset_schema(name: str) -> None:
    from django.core.management import call_command
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT current_database()")
        current = cursor.fetchone()[0]
        if current != name or current in FORBIDDEN or "bench" not in current:
            sys.exit(f"Refusing to reset database {current!r}.")
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    call_command("migrate", verbosity=0)


def _layout(count: int) -> list[tuple[str, str, str | None]]:
    """(code, kind code, parent code) for `count` units under the root "20", 2–3 levels deep."""
    departments = max(1, count * 7 // 100)
    districts = max(1, count * 4 // 100)
    branches = count * 3 // 100
    local = max(0, count - departments - districts - branches)
    units: list[tuple[str, str, str | None]] = []
    units += [(f"S{n:02d}", "so", "20") for n in range(1, departments + 1)]
    units += [(f"H{n:02d}", "huyen", "20") for n in range(1, districts + 1)]
    units += [(f"CC{n:02d}", "chi-cuc", f"S{(n - 1) % departments + 1:02d}") for n in range(1, branches + 1)]
    for n in range(1, local + 1):
        kind = "phuong" if n % 5 == 0 else "xa"
        units.append((f"X{n:04d}", kind, f"H{(n - 1) % districts + 1:02d}"))
    return units[:count]


def _indicator_shape(index: int) -> dict[str, object]:
    """Mostly monthly ratios (Σ/Σ); every tenth a sum, a latest value or a milestone."""
    slot = index % 10
    if slot == 7:
        return {"kind": "count", "aggregation": "sum", "comparator": "gte", "threshold": 300,
                "target_type": "cumulative", "unit_of_measure": "hồ sơ"}  # fmt: skip
    if slot == 8:
        return {"kind": "ratio", "aggregation": "latest", "comparator": "gte", "threshold": 70,
                "target_type": "cumulative", "unit_of_measure": "%"}  # fmt: skip
    if slot == 9:
        return {"kind": "milestone", "aggregation": "milestone", "comparator": "", "threshold": None,
                "target_type": "level", "unit_of_measure": ""}  # fmt: skip
    if slot == 6:
        return {"kind": "ratio", "aggregation": "ratio_of_sums", "comparator": "lte", "threshold": 5,
                "target_type": "level", "unit_of_measure": "%"}  # fmt: skip
    return {"kind": "ratio", "aggregation": "ratio_of_sums", "comparator": "gte", "threshold": 95 + slot % 3,
            "target_type": "level", "unit_of_measure": "%"}  # fmt: skip


def _figure_rows(
    rng: random.Random,
    indicator_id: int,
    aggregation: str,
    unit_ids: list[int],
    periods: list[tuple[int, datetime.date]],
) -> str:
    """One indicator's figures for every unit and month, as COPY text."""
    lines = []
    for unit_id in unit_ids:
        quality = rng.uniform(0.85, 1.0)
        running_num = running_den = 0
        for period_id, due in periods:
            # COPY text: \N for NULL, else the number as it prints.
            numerator: int | str = r"\N"
            denominator: int | str = r"\N"
            value: int | str = r"\N"
            met = r"\N"
            if aggregation == "ratio_of_sums":
                den = 0 if rng.random() < 0.02 else rng.randint(5, 200)
                num = min(den, int(den * rng.uniform(quality - 0.05, quality + 0.05) + 0.5))
                numerator, denominator = num, den
            elif aggregation == "sum":
                value = rng.randint(0, 60)
            elif aggregation == "latest":
                running_den += rng.randint(5, 50)
                running_num = min(running_den, running_num + rng.randint(0, 45))
                numerator, denominator = running_num, running_den
            else:
                met = "t" if rng.random() < 0.9 else "f"
            stamp = f"{due} 09:00:00+07"
            lines.append(
                f"{indicator_id}\t{unit_id}\t{period_id}\t{numerator}\t{denominator}\t{value}\t{met}\t\t"
                f"approved\t{stamp}\t{stamp}\t\n"
            )
    return "".join(lines)


def generate(*, units: int, indicators: int, years: int, seed: int = 2024) -> dict[str, float]:
    from django.db import connection, transaction

    from parplan.models import Plan, PlanStatus, ReformArea, Unit, UnitKind
    from targets.models import Indicator, Period, Target
    from targets.services import plan_generate_periods

    rng = random.Random(seed)
    started = time.perf_counter()
    with transaction.atomic():
        kinds = {}
        for code, name, level in [
            ("tinh", "Tỉnh", "cấp tỉnh"),
            ("so", "Sở, ban, ngành", "cấp tỉnh"),
            ("chi-cuc", "Chi cục", "cấp tỉnh"),
            ("huyen", "Huyện", "cấp huyện"),
            ("xa", "Xã", "cấp xã"),
            ("phuong", "Phường", "cấp xã"),
        ]:
            kinds[code] = UnitKind.objects.get_or_create(
                code=code, defaults={"name": name, "administrative_level": level}
            )[0]
        root = Unit.objects.create(code="20", name="UBND tỉnh (bench)", kind=kinds["tinh"], path="/20/")
        by_code = {"20": root}
        layout = _layout(units)
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
        assert len(unit_ids) == units, (len(unit_ids), units)

        plans = Plan.objects.bulk_create(
            Plan(issuing_unit=root, year=year, number=f"{10 + year - FIRST_YEAR}", title=f"Kế hoạch CCHC năm {year}",
                 status=PlanStatus.ACTIVE if year == FIRST_YEAR + years - 1 else PlanStatus.CLOSED)
            for year in range(FIRST_YEAR, FIRST_YEAR + years)
        )  # fmt: skip
        indicator_rows: list[tuple[Indicator, Plan]] = []
        for plan in plans:
            plan_generate_periods(plan=plan)
            areas = ReformArea.objects.bulk_create(
                ReformArea(plan=plan, number=number, name=name) for number, name in enumerate(AREAS, start=1)
            )
            per_area = [indicators // len(areas) + (1 if n < indicators % len(areas) else 0) for n in range(len(areas))]
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
                indicator_rows += [(indicator, plan) for indicator in Indicator.objects.bulk_create(indicator_batch)]
        small = time.perf_counter() - started

        copy_started = time.perf_counter()
        with connection.cursor() as cursor:
            _copy(
                cursor,
                "targets_indicator_scope_units",
                ["indicator_id", "unit_id"],
                (f"{indicator.pk}\t{unit_id}\n" for indicator, _ in indicator_rows for unit_id in unit_ids),
            )
            monthly: dict[int, list[tuple[int, datetime.date]]] = {plan.pk: [] for plan in plans}
            for period in Period.objects.filter(plan__in=plans, frequency="monthly").order_by("number"):
                monthly[period.plan_id].append((period.pk, period.due_date))
            columns = [
                "indicator_id", "unit_id", "period_id", "numerator", "denominator", "value", "met", "note",
                "status", "submitted_at", "reviewed_at", "review_comment",
            ]  # fmt: skip
            # Django keeps field defaults in Python; COPY needs the one of `version` in the table (the
            # benchmark database keeps it: its rows are only ever written here).
            cursor.execute("ALTER TABLE targets_measurement ALTER COLUMN version SET DEFAULT 1")
            _copy(
                cursor,
                "targets_measurement",
                columns,
                (
                    _figure_rows(rng, indicator.pk, indicator.aggregation, unit_ids, monthly[plan.pk])
                    for indicator, plan in indicator_rows
                ),
            )
            copy_seconds = time.perf_counter() - copy_started
        commit_started = time.perf_counter()
    # Leaving the transaction runs the deferred foreign-key checks of every COPY'd row.
    commit = time.perf_counter() - commit_started
    analyze_started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    analyze = time.perf_counter() - analyze_started
    total = time.perf_counter() - started
    timings = {"small_tables": small, "copy": copy_seconds, "commit": commit, "analyze": analyze, "total": total}
    with connection.cursor() as cursor:
        # A note of how the data set was loaded, for the README of later runs that skip generation.
        cursor.execute("DROP TABLE IF EXISTS bench_load")
        cursor.execute("CREATE TABLE bench_load (loaded_at timestamptz, measurements bigint, timings jsonb)")
        cursor.execute(
            "INSERT INTO bench_load SELECT now(), (SELECT count(*) FROM targets_measurement), %s",
            [json.dumps(timings)],
        )
    return timings


def load_record() -> dict[str, object] | None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('bench_load')")
        if cursor.fetchone()[0] is None:
            return None
        cursor.execute("SELECT column_name FROM information_schema.columns WHERE table_name = 'bench_load'")
        if "timings" not in {name for (name,) in cursor.fetchall()}:
            return None
        cursor.execute("SELECT loaded_at, measurements, timings FROM bench_load")
        row = cursor.fetchone()
    if row is None:
        return None
    timings = row[2] if isinstance(row[2], dict) else json.loads(row[2])
    return {"loaded_at": row[0], "measurements": row[1], **timings}


# --- Timing ---------------------------------------------------------------------------

RAW_SQL = """
SELECT m.indicator_id, m.unit_id, SUM(m.numerator), SUM(m.denominator), SUM(m.value), COUNT(*)
FROM targets_measurement m
JOIN targets_period p ON p.id = m.period_id
WHERE m.indicator_id IN (
    SELECT i.id FROM targets_indicator i JOIN parplan_reformarea a ON a.id = i.area_id WHERE a.plan_id = %s
)
  AND m.status = 'approved'
  AND p.start <= %s
GROUP BY m.indicator_id, m.unit_id
"""


def raw_sql(plan_id: int, day: datetime.date) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(RAW_SQL, [plan_id, day])
        return len(cursor.fetchall())


def evaluate(plan_id: int, day: datetime.date) -> int:
    from parplan.models import Plan
    from targets.evaluation import evaluate_plan

    plan = Plan.objects.select_related("issuing_unit").get(pk=plan_id)
    return evaluate_plan(plan=plan, day=day).snapshots


def forget_day(plan_id: int, day: datetime.date) -> None:
    """Delete the plan's snapshots of `day` and vacuum (untimed): the next evaluation of it is a new day's."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM targets_indicatorsnapshot WHERE day = %s AND indicator_id IN (SELECT i.id FROM "
            "targets_indicator i JOIN parplan_reformarea a ON a.id = i.area_id WHERE a.plan_id = %s)",
            [day, plan_id],
        )
        # A real new day's keys were never stored: vacuumed, the unique index holds no dead copies of them
        # for each insert to step over (without this, five deletions in a row made the inserts 4× slower).
        cursor.execute("VACUUM targets_indicatorsnapshot")


def timed(function: Callable[..., _T], *args: Any) -> tuple[float, _T]:
    started = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - started, result


def peak_rss_kb() -> int:
    """This process's peak resident set (VmHWM), in kB.

    Not ru_maxrss: on Linux a child started from a big parent inherits the
    parent's high-water mark across fork/exec, which hides the child's own.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def memory_child(plan_id: int, day: datetime.date) -> None:
    """Run in a fresh process: one evaluation, then print the peak RSS before/after as JSON."""
    from parplan.models import Plan

    Plan.objects.select_related("issuing_unit").get(pk=plan_id)  # connect and load the app first
    import targets.evaluation  # noqa: F401  (imports are not the evaluation's memory)

    before = peak_rss_kb()
    seconds, snapshots = timed(evaluate, plan_id, day)
    after = peak_rss_kb()
    print(json.dumps({"before_kb": before, "peak_kb": after, "seconds": seconds, "snapshots": snapshots}))


def measure_memory(plan_id: int, day: datetime.date) -> dict[str, float]:
    output = subprocess.run(
        [sys.executable, __file__, "--memory-child", str(plan_id), day.isoformat()],
        check=True,
        capture_output=True,
        text=True,
        env=os.environ.copy(),
    ).stdout
    memory: dict[str, float] = json.loads(output.strip().splitlines()[-1])
    return memory


# --- Report ---------------------------------------------------------------------------


def machine() -> dict[str, str]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpus": str(os.cpu_count()), "cpu": model or platform.processor(), "python": platform.python_version()}


def write_readme(block: str) -> None:
    """Rewrite only this benchmark's results block; the rest of the file belongs to other benchmarks."""
    text = README.read_text() if README.exists() else "# Benchmarks\n"
    if RESULTS_START not in text or RESULTS_END not in text:
        text = text.rstrip("\n") + f"\n\n## Indicators (`indicators.py`)\n\n{RESULTS_START}\n{RESULTS_END}\n"
    head, rest = text.split(RESULTS_START, 1)
    _, tail = rest.split(RESULTS_END, 1)
    README.write_text(f"{head}{RESULTS_START}\n{block}\n{RESULTS_END}{tail}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=300, help="units under the root authority (default 300)")
    parser.add_argument("--indicators", type=int, default=80, help="indicators per plan (default 80)")
    parser.add_argument("--years", type=int, default=5, help="plans, one a year from 2020 (default 5)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each (default 3)")
    parser.add_argument("--regenerate", action="store_true", help="reset the benchmark database and load again")
    parser.add_argument("--no-readme", action="store_true", help="do not rewrite the results in bench/README.md")
    parser.add_argument("--note", default="", help="a line added to the README results (e.g. what changed)")
    parser.add_argument("--memory-child", nargs=2, metavar=("PLAN_ID", "DAY"), help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.memory_child:
        _database_settings()
        setup_django()
        memory_child(int(args.memory_child[0]), datetime.date.fromisoformat(args.memory_child[1]))
        return

    name = ensure_database()
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    from parplan.models import Plan

    load_before = os.getloadavg()
    call_command("migrate", verbosity=0)
    expected = args.indicators * args.units * MONTHS * args.years
    size = existing_size()
    wanted = {"units": args.units, "plans": args.years, "indicators": args.indicators * args.years}
    wanted |= {"measurements": expected, "all_units": args.units + 1}
    load = None
    if size == wanted and not args.regenerate:
        print(f"Data set already present in {name} ({expected:,} figures): generation skipped.")
    else:
        if any(size.values()):
            print(f"Resetting the schema of {name} (found {size}).")
            reset_schema(name)
        print(f"Generating {expected:,} figures in {name} …", flush=True)
        load = generate(units=args.units, indicators=args.indicators, years=args.years)
        print(
            f"Loaded in {load['total']:.1f} s (small tables {load['small_tables']:.1f} s, "
            f"COPY of figures {load['copy']:.1f} s, commit with deferred FK checks {load['commit']:.1f} s, "
            f"ANALYZE {load['analyze']:.1f} s)."
        )
    record = load_record()
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        pg_version = cursor.fetchone()[0].split(",")[0]
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('targets_measurement'))")
        table_size = cursor.fetchone()[0]

    plan = Plan.objects.select_related("issuing_unit").order_by("-year").first()
    if plan is None:
        sys.exit("No plan in the bench database.")
    day = datetime.date(plan.year, 12, 14)
    print(f"Timing plan {plan.year} (id {plan.pk}) on {day:%d/%m/%Y}, {args.runs} runs each after a warm-up …")
    evaluate(plan.pk, day)  # warm-up: every timed run then replaces the same snapshots
    groups = raw_sql(plan.pk, day)
    evaluation_times, sql_times, new_day_times = [], [], []
    snapshots = 0
    for _ in range(args.runs):
        seconds, snapshots = timed(evaluate, plan.pk, day)
        evaluation_times.append(seconds)
        seconds, groups = timed(raw_sql, plan.pk, day)
        sql_times.append(seconds)
        forget_day(plan.pk, day)
        seconds, _ = timed(evaluate, plan.pk, day)
        new_day_times.append(seconds)
    memory = measure_memory(plan.pk, day)
    load_after = os.getloadavg()

    best_eval, median_eval = min(evaluation_times), statistics.median(evaluation_times)
    best_sql, median_sql = min(sql_times), statistics.median(sql_times)
    best_new, median_new = min(new_day_times), statistics.median(new_day_times)
    peak_mb = memory["peak_kb"] / 1024
    delta_mb = (memory["peak_kb"] - memory["before_kb"]) / 1024
    info = machine()
    rows = [
        ("evaluate_plan, the day again (whole, with snapshot writes)", f"{best_eval:.3f}", f"{median_eval:.3f}"),
        ("evaluate_plan, a new day (every snapshot inserted)", f"{best_new:.3f}", f"{median_new:.3f}"),
        ("raw SQL GROUP BY (same aggregation)", f"{best_sql:.3f}", f"{median_sql:.3f}"),
        (
            "ratio evaluation / raw SQL, the day again",
            f"{best_eval / best_sql:.2f}×",
            f"{median_eval / median_sql:.2f}×",
        ),
        ("ratio evaluation / raw SQL, a new day", f"{best_new / best_sql:.2f}×", f"{median_new / median_sql:.2f}×"),
    ]
    width = max(len(r[0]) for r in rows)
    table = [f"{'':{width}}  {'best s':>9}  {'median s':>9}"] + [f"{a:{width}}  {b:>9}  {c:>9}" for a, b, c in rows]
    print("\n".join(table))
    print(
        f"Peak memory of one evaluation (fresh process): {peak_mb:.0f} MB RSS "
        f"(+{delta_mb:.0f} MB over the process before the call; that run took {memory['seconds']:.2f} s)."
    )
    print(f"Snapshots written per evaluation: {snapshots:,}; (indicator, unit) groups from SQL: {groups:,}.")
    aims = {
        "peak memory < 500 MB": peak_mb < 500,
        "evaluation within 3× of raw SQL (median), the day again": median_eval <= 3 * median_sql,
        "evaluation within 3× of raw SQL (median), a new day": median_new <= 3 * median_sql,
        # Issue 17, item 1.
        "evaluation within 2× of raw SQL (median), the day again": median_eval <= 2 * median_sql,
        "evaluation within 2× of raw SQL (median), a new day": median_new <= 2 * median_sql,
        "evaluation within 60 s": max(median_eval, median_new) < 60,
    }
    for aim, ok in aims.items():
        print(f"  {'OK ' if ok else 'MISSED'} {aim}")
    print(f"Load average before {load_before[0]:.2f}, after {load_after[0]:.2f} ({info['cpus']} CPUs).")

    if args.no_readme:
        return
    measurements = record["measurements"] if record else expected
    load_line = "not recorded"
    if record:
        load_line = (
            f"{record['total']:.1f} s in all (loaded {record['loaded_at']:%Y-%m-%d %H:%M %Z}): units, plans, areas, "
            f"targets, indicators and periods through the ORM {record['small_tables']:.1f} s, COPY of the scope "
            f"rows and figures {record['copy']:.1f} s, commit with the deferred foreign-key checks of every row "
            f"{record['commit']:.1f} s, ANALYZE {record['analyze']:.1f} s"
        )
    block = "\n".join(
        [
            f"Measured {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC with "
            f"`--units {args.units} --indicators {args.indicators} --years {args.years} --runs {args.runs}`.",
            "",
            f"- Machine: {info['cpus']} CPUs ({info['cpu']}), shared with other people's test runs — load average "
            f"{load_before[0]:.2f} before, {load_after[0]:.2f} after; {pg_version}; Python {info['python']}.",
            f"- Data: {measurements:,} approved figures ({table_size} with indexes), "
            f"{args.units + 1} units, {args.years} plans × {args.indicators} indicators.",
            f"- Load: {load_line}.",
            f"- Evaluated: plan {plan.year} on {day:%d/%m/%Y}; {groups:,} (indicator, unit) groups; "
            f"{snapshots:,} snapshots written per run.",
            *([f"- {args.note}"] if args.note else []),
            "",
            "| | best (s) | median (s) |",
            "|---|---:|---:|",
            *[f"| {a} | {b} | {c} |" for a, b, c in rows],
            "",
            f"Peak memory of one evaluation in a fresh process: **{peak_mb:.0f} MB** RSS "
            f"(+{delta_mb:.0f} MB over the process before the call).",
            "",
            "Aims: " + "; ".join(f"{aim}: {'met' if ok else '**missed**'}" for aim, ok in aims.items()) + ".",
        ]
    )
    write_readme(block)
    print(f"Results written to {README.relative_to(ROOT)}.")


if __name__ == "__main__":
    main()
