#!/usr/bin/env python
"""Benchmark of the one-stop dossier import: a 12-month × 3,500-unit file (42,000 rows), and one twice as long.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/parplan_bench_dossiers \
        .venv/bin/python bench/dossiers.py [--units 3500]

1. Creates and migrates its own database (the name must contain "bench"), and unless
   it is there already, a root authority with 2 × `--units` communes under it and a
   2024 plan with its periods.
2. Writes the files: `--units` units × 12 months as .csv and .xlsx, and 2 × `--units`
   units × 12 months as .csv and .xlsx (the file doubled).
3. For each file, in a fresh process: the check (`dossier_import_check`: every row read
   and validated, openpyxl read-only for .xlsx) and the import (`dossier_import_confirm`
   inline: the file read again, every row written in one transaction), timed apart;
   the process's peak resident set (VmHWM) before and after. The rows are deleted
   (untimed) before each file, so every import inserts; the last file is imported a
   second time to time a re-import (every row replaced, with history).
4. Prints a table and rewrites the results block of bench/README.md.

5. In a fresh process, the 42,000-row file imported again (untimed), three monthly
   indicators fed by the dossier sources (on time, apology, online) over its units,
   and `evaluate_plan` on 14/12 timed against one SQL aggregate of the same rows
   (`RAW_SQL`): the first evaluation after the import (every figure written), then
   `--runs` times the day again and a new day (the nightly run). Rewrites the
   evaluation block of bench/README.md. `--only-evaluation` skips steps 3–4.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import os
import platform
import random
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.indicators import ensure_database, peak_rss_kb, setup_django

README = Path(__file__).resolve().parent / "README.md"
WORK = Path("/tmp/parplan-bench-dossiers")
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/parplan_bench_dossiers"
RESULTS_START = "<!-- dossiers-results:start -->"
RESULTS_END = "<!-- dossiers-results:end -->"
EVALUATION_START = "<!-- dossiers-evaluation:start -->"
EVALUATION_END = "<!-- dossiers-evaluation:end -->"
YEAR = 2024


def prepare(units: int) -> int:
    """The plan's id, with 2 × `units` communes under its issuer (created once)."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from parplan.models import Plan, Unit, UnitKind
    from targets.services import plan_generate_periods

    plan = Plan.objects.filter(issuing_unit__code="B0", year=YEAR).first()
    if plan is not None and Unit.objects.filter(parent=plan.issuing_unit).count() == 2 * units:
        return plan.pk
    # Plain rows with their paths: the bench needs units to match, not their rights and groups.
    province = UnitKind.objects.get_or_create(code="province", defaults={"name": "Tỉnh"})[0]
    commune = UnitKind.objects.get_or_create(code="commune", defaults={"name": "Xã"})[0]
    root = Unit.objects.get_or_create(code="B0", defaults={"name": "UBND tỉnh Thử nghiệm", "kind": province,
                                                           "path": "/B0/"})[0]  # fmt: skip
    from dossiers.models import DossierMonth

    DossierMonth.objects.all().delete()
    Unit.objects.filter(parent=root).delete()
    Unit.objects.bulk_create(
        Unit(code=f"B{n:05d}", name=f"UBND xã Thử nghiệm {n}", kind=commune, parent=root, path=f"/B0/B{n:05d}/")
        for n in range(1, 2 * units + 1)
    )
    plan = Plan.objects.get_or_create(
        issuing_unit=root, year=YEAR, defaults={"title": "Kế hoạch CCHC thử nghiệm", "status": "active"}
    )[0]
    plan_generate_periods(plan=plan)
    return plan.pk


def counts(rng: random.Random) -> list[int]:
    received = [rng.randint(20, 120), rng.randint(10, 80), rng.randint(0, 5)]
    carried = rng.randint(0, 30)
    available = carried + sum(received)
    pending, awaiting, paused, withdrawn, overdue = available // 10, 1, 0, rng.randint(0, 1), rng.randint(0, 1)
    resolved = available - pending - awaiting - paused - withdrawn - overdue
    late = rng.randint(0, 2)
    early = (resolved - late) // 2
    return [carried, *received, early, resolved - late - early, late, pending, overdue, awaiting, paused, withdrawn,
            late, sum(received) // 2, resolved // 2]  # fmt: skip


def write_files(units: int) -> dict[str, Path]:
    from dossiers.layout import BY_KEY, TEMPLATE_ORDER

    keys = [k for k in TEMPLATE_ORDER if k not in ("received_total", "resolved_total")]
    headers = [str(BY_KEY[k].header) for k in keys]
    WORK.mkdir(exist_ok=True)
    files = {}
    for label, count in (("42k", units), ("84k", 2 * units)):
        rows = [
            [f"B{n:05d}", f"UBND xã Thử nghiệm {n}", f"{m:02d}/{YEAR}", *counts(random.Random(f"{n}-{m}"))]
            for n in range(1, count + 1)
            for m in range(1, 13)
        ]
        path = WORK / f"dossiers-{label}.csv"
        if not path.exists():
            with open(path, "w", newline="", encoding="utf-8") as out:
                writer = csv.writer(out)
                writer.writerow(headers)
                writer.writerows(rows)
        files[f"{label}.csv"] = path
        xlsx = WORK / f"dossiers-{label}.xlsx"
        if not xlsx.exists():
            from openpyxl import Workbook

            book = Workbook(write_only=True)
            sheet = book.create_sheet()
            sheet.append(headers)
            for row in rows:
                sheet.append(row)
            book.save(xlsx)
        files[f"{label}.xlsx"] = xlsx
    return files


def child(plan_id: int, path: Path, again: bool) -> None:
    """In a fresh process: check then import `path`; print times and peak memory as JSON."""
    from django.core.files.uploadedfile import UploadedFile
    from django.db import connection

    from dossiers.models import DossierMonth
    from dossiers.services import dossier_import_check, dossier_import_confirm
    from parplan.models import Plan

    plan = Plan.objects.select_related("issuing_unit").get(pk=plan_id)
    if not again:
        # In SQL: Django's delete() would load every row and raise the peak before it is measured.
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {DossierMonth._meta.db_table}, {DossierMonth.history.model._meta.db_table}")
    before = peak_rss_kb()
    started = time.perf_counter()
    with open(path, "rb") as handle:
        upload = UploadedFile(handle, path.name, size=path.stat().st_size)
        batch, result = dossier_import_check(plan=plan, upload=upload, user=None, inline=True)
    checked = time.perf_counter()
    assert result is not None and result.ok, result and result.errors[:5]
    batch = dossier_import_confirm(batch=batch, inline=True)
    done = time.perf_counter()
    print(json.dumps({"rows": batch.done_rows, "check_s": checked - started, "import_s": done - checked,
                      "before_kb": before, "peak_kb": peak_rss_kb(), "bytes": path.stat().st_size}))  # fmt: skip


EVALUATION_DAY = datetime.date(YEAR, 12, 14)
# The same rows aggregated by hand: each unit's counts of the months the evaluation counts (their
# periods ended before the day), the three shares' numerators and denominators. The evaluation
# does this and more: figures per month, roll-up to the authority, statuses, snapshots.
RAW_SQL = """
SELECT unit_id,
       SUM(resolved_early + resolved_on_time), SUM(resolved_early + resolved_on_time + resolved_late),
       SUM(apologised), SUM(resolved_late),
       SUM(received_online), SUM(received_online + received_in_person + received_by_post)
FROM dossiers_dossiermonth
WHERE unit_id = ANY(%s) AND month > %s AND month <= %s
GROUP BY unit_id
"""


def evaluation_indicators(plan_id: int, unit_ids: list[int]) -> None:
    """The plan's three dossier-fed indicators over `unit_ids` (created once), their figures removed."""
    from dossiers.indicators import APOLOGY, ON_TIME, ONLINE
    from parplan.models import ReformArea
    from targets.models import Indicator, Measurement, Target

    area = ReformArea.objects.get_or_create(plan_id=plan_id, number=3, defaults={"name": "Cải cách TTHC"})[0]
    target = Target.objects.get_or_create(area=area, position=1, defaults={"text": "Hồ sơ TTHC"})[0]
    shapes = [
        (ON_TIME, "Tỷ lệ hồ sơ giải quyết trước và đúng hạn", 99),
        (APOLOGY, "Tỷ lệ hồ sơ trễ hạn có xin lỗi", 100),
        (ONLINE, "Tỷ lệ hồ sơ nộp trực tuyến", 50),
    ]
    for position, (source, name, threshold) in enumerate(shapes, start=1):
        indicator, created = Indicator.objects.get_or_create(
            area=area, target=target, position=position,
            defaults={"name": name, "kind": "ratio", "aggregation": "ratio_of_sums", "comparator": "gte",
                      "threshold": threshold, "target_type": "level", "unit_of_measure": "%", "frequency": "monthly",
                      "scope": "units", "source": source},
        )  # fmt: skip
        if created or indicator.scope_units.count() != len(unit_ids):
            indicator.scope_units.set(unit_ids)
    Measurement.objects.filter(indicator__area=area).delete()


def evaluation_child(plan_id: int, path: Path, runs: int) -> None:
    """In a fresh process: `path` imported (untimed), then the evaluation timed against RAW_SQL."""
    import statistics

    from django.core.files.uploadedfile import UploadedFile
    from django.db import connection

    from bench.indicators import forget_day
    from dossiers.models import DossierMonth
    from dossiers.services import dossier_import_check, dossier_import_confirm
    from parplan.models import Plan
    from targets.evaluation import evaluate_plan

    plan = Plan.objects.select_related("issuing_unit").get(pk=plan_id)
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {DossierMonth._meta.db_table}, {DossierMonth.history.model._meta.db_table}")
    with open(path, "rb") as handle:
        batch, result = dossier_import_check(plan=plan, upload=UploadedFile(handle, path.name,
                                             size=path.stat().st_size), user=None, inline=True)  # fmt: skip
    assert result is not None and result.ok, result and result.errors[:5]
    dossier_import_confirm(batch=batch, inline=True)
    unit_ids = sorted(DossierMonth.objects.order_by().values_list("unit_id", flat=True).distinct())
    evaluation_indicators(plan_id, unit_ids)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    def raw() -> int:
        with connection.cursor() as cursor:
            cursor.execute(RAW_SQL, [unit_ids, datetime.date(YEAR - 1, 12, 14), EVALUATION_DAY])
            return len(cursor.fetchall())

    def evaluate() -> int:
        return evaluate_plan(plan=plan, day=EVALUATION_DAY).snapshots

    first_started = time.perf_counter()
    snapshots = evaluate()  # the night after the import: every month's figures written
    first = time.perf_counter() - first_started
    raw()  # warm-up
    again, new_day, sql = [], [], []
    for _run in range(runs):
        started = time.perf_counter()
        raw()
        sql.append(time.perf_counter() - started)
        started = time.perf_counter()
        evaluate()  # the day evaluated again: nothing changed, figures compared, snapshots replaced
        again.append(time.perf_counter() - started)
        forget_day(plan_id, EVALUATION_DAY)
        started = time.perf_counter()
        evaluate()  # a new day: the nightly run, figures unchanged, every snapshot inserted
        new_day.append(time.perf_counter() - started)
    print(json.dumps({"units": len(unit_ids), "snapshots": snapshots, "first_s": first,
                      "sql_best": min(sql), "sql_median": statistics.median(sql),
                      "again_best": min(again), "again_median": statistics.median(again),
                      "new_best": min(new_day), "new_median": statistics.median(new_day)}))  # fmt: skip


def evaluation_report(r: dict[str, float], runs: int) -> str:
    ratio_again = r["again_median"] / r["sql_median"]
    ratio_new = r["new_median"] / r["sql_median"]
    return "\n".join([
        f"Evaluation with the dossier sources: {int(r['units']):,} units × 12 months of rows (42k.csv), three "
        f"monthly indicators (on time, apology, online) over those units, evaluated on {EVALUATION_DAY:%d/%m/%Y}; "
        f"{int(r['snapshots']):,} snapshots; median of {runs} runs.",
        "",
        "| what | best | median | × raw SQL (median) |",
        "|---|---:|---:|---:|",
        f"| raw SQL aggregate of the same rows | {r['sql_best']:.3f} s | {r['sql_median']:.3f} s | 1 |",
        f"| evaluation, the day again (figures compared, none changed) | {r['again_best']:.2f} s "
        f"| {r['again_median']:.2f} s | {ratio_again:.1f}× |",
        f"| evaluation, a new day (the nightly run) | {r['new_best']:.2f} s | {r['new_median']:.2f} s "
        f"| {ratio_new:.1f}× |",
        f"| the first evaluation after the import (every figure written) | {r['first_s']:.2f} s | | |",
    ])  # fmt: skip


def run_child(plan_id: int, path: Path, again: bool = False) -> dict[str, float]:
    command = [sys.executable, __file__, "--child", str(plan_id), str(path)] + (["--again"] if again else [])
    output = subprocess.run(command, check=True, capture_output=True, text=True, env=os.environ).stdout
    return dict(json.loads(output.strip().splitlines()[-1]))


def report(results: list[tuple[str, dict[str, float]]]) -> str:
    lines = [
        f"Run {datetime.date.today():%d/%m/%Y} on {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end; PostgreSQL, one process per file.",
        "",
        "| file | rows | size | check | import | total | peak RSS | growth over the process before |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, r in results:
        total = r["check_s"] + r["import_s"]
        lines.append(
            f"| {label} | {int(r['rows']):,} | {r['bytes'] / 1e6:.1f} MB | {r['check_s']:.1f} s | {r['import_s']:.1f} s"
            f" | {total:.1f} s | {r['peak_kb'] / 1024:.0f} MB | +{(r['peak_kb'] - r['before_kb']) / 1024:.0f} MB |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=3500)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--again", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--evaluation-child", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--runs", type=int, default=5, help="timed evaluations (default 5)")
    parser.add_argument("--only-evaluation", action="store_true", help="skip the import timings")
    args = parser.parse_args()
    os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    os.environ.setdefault("MEDIA_ROOT", str(WORK / "media"))  # the kept copies of the files
    if args.child:
        setup_django()
        child(int(args.child[0]), Path(args.child[1]), args.again)
        return
    if args.evaluation_child:
        setup_django()
        evaluation_child(int(args.evaluation_child[0]), Path(args.evaluation_child[1]), args.runs)
        return
    ensure_database()
    setup_django()
    plan_id = prepare(args.units)
    files = write_files(args.units)
    if not args.only_evaluation:
        results = []
        for label, path in [*files.items(), ("84k.csv again (replaces every row)", files["84k.csv"])]:
            results.append((label, run_child(plan_id, path, again="again" in label)))
            print(label, results[-1], flush=True)
        table = report(results)
        print(table)
        write_block(RESULTS_START, RESULTS_END, table)
    command = [sys.executable, __file__, "--evaluation-child", str(plan_id), str(files["42k.csv"]),
               "--runs", str(args.runs)]  # fmt: skip
    output = subprocess.run(command, check=True, capture_output=True, text=True, env=os.environ).stdout
    evaluation = evaluation_report(json.loads(output.strip().splitlines()[-1]), args.runs)
    print(evaluation)
    write_block(EVALUATION_START, EVALUATION_END, evaluation)


def write_block(start: str, end: str, block: str) -> None:
    """Replace the text between `start` and `end` in bench/README.md (left alone when the markers are missing)."""
    text = README.read_text(encoding="utf-8")
    if start in text and end in text:
        head, rest = text.split(start, 1)
        README.write_text(head + start + "\n" + block + "\n" + end + rest.split(end, 1)[1], encoding="utf-8")


if __name__ == "__main__":
    main()
