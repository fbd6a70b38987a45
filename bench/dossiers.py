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

Not measured here (issue 15 item 7, third aim): the nightly evaluation with dossier
sources at this size against a raw SQL aggregate.
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
        batch, result = dossier_import_check(plan=plan, upload=upload, user=None)
    checked = time.perf_counter()
    assert result.ok, result.errors[:5]
    batch = dossier_import_confirm(batch=batch, inline=True)
    done = time.perf_counter()
    print(json.dumps({"rows": batch.done_rows, "check_s": checked - started, "import_s": done - checked,
                      "before_kb": before, "peak_kb": peak_rss_kb(), "bytes": path.stat().st_size}))  # fmt: skip


def run_child(plan_id: int, path: Path, again: bool = False) -> dict[str, float]:
    command = [sys.executable, __file__, "--child", str(plan_id), str(path)] + (["--again"] if again else [])
    output = subprocess.run(command, check=True, capture_output=True, text=True, env=os.environ).stdout
    return dict(json.loads(output.strip().splitlines()[-1]))


def report(results: list[tuple[str, dict[str, float]]]) -> str:
    lines = [
        f"Run {datetime.date.today():%d/%m/%Y} on {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} cores shared with other jobs; PostgreSQL, one process per file.",
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
    args = parser.parse_args()
    os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    os.environ.setdefault("MEDIA_ROOT", str(WORK / "media"))  # the kept copies of the files
    if args.child:
        setup_django()
        child(int(args.child[0]), Path(args.child[1]), args.again)
        return
    ensure_database()
    setup_django()
    plan_id = prepare(args.units)
    files = write_files(args.units)
    results = []
    for label, path in [*files.items(), ("84k.csv again (replaces every row)", files["84k.csv"])]:
        results.append((label, run_child(plan_id, path, again="again" in label)))
        print(label, results[-1], flush=True)
    table = report(results)
    print(table)
    text = README.read_text(encoding="utf-8")
    if RESULTS_START in text:
        head, rest = text.split(RESULTS_START, 1)
        text = head + RESULTS_START + "\n" + table + "\n" + RESULTS_END + rest.split(RESULTS_END, 1)[1]
        README.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
