#!/usr/bin/env python
"""Benchmark of `import_plan`: peak memory against the file's size, and time (issue 17, item 4).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/parplan_bench_planio \
        .venv/bin/python bench/plan_import.py [--tasks 40,300,1200] [--read-tasks 6000]

1. Creates and migrates its own database (the name must contain "bench").
2. Writes plan files from the reference plan (fixtures/plan-2024-cao-loc.json: 39 units,
   7 areas, 19 targets, 37 tasks, most naming every commune as coordinating) with the
   tasks repeated to N per area (`--tasks`), each with its own key and text, for 2031.
3. Each file, in a fresh process, goes the command's way: `read_plan_file` (the stream
   parser), then `plan_import_counted(dry_run=True)`, which validates the whole file,
   matches its tasks and writes every unit, area, target, task, assignment and right in
   one transaction, then rolls it back. Reported: the time of each step and the process's
   peak resident set (VmHWM) over what it was before the file was opened.
4. The `--read-tasks` file (about 44 MB, the size the issue measured, over the default
   20 MB limit, which the child raises) is only read and validated, by the stream parser
   and, for comparison, by the whole-file parser (`parse_plan_bytes`: the standard
   library's, used now only to say why a broken file is refused): writing its 42,000
   tasks would take the better part of an hour.
5. Prints a table and rewrites the results block of bench/README.md.
"""

from __future__ import annotations

import argparse
import copy
import datetime
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.dossiers import write_block
from bench.indicators import ensure_database, peak_rss_kb, setup_django

ROOT = Path(__file__).resolve().parent.parent
WORK = Path("/tmp/parplan-bench-planio")
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/parplan_bench_planio"
RESULTS_START = "<!-- plan-import-results:start -->"
RESULTS_END = "<!-- plan-import-results:end -->"
YEAR = 2031


def plan_file(tasks_per_area: int) -> Path:
    """The reference plan with `tasks_per_area` tasks in each area (written once)."""
    path = WORK / f"plan-{tasks_per_area}-per-area.json"
    if path.exists():
        return path
    source = json.loads((ROOT / "fixtures" / "plan-2024-cao-loc.json").read_text(encoding="utf-8"))
    document = copy.deepcopy(source)
    document["plan"]["year"] = YEAR
    for number, area in enumerate(document["areas"], start=1):
        originals = source["areas"][number - 1]["tasks"] or source["areas"][0]["tasks"]
        area["tasks"] = [_task(originals[k % len(originals)], number, k + 1) for k in range(tasks_per_area)]
    WORK.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def _task(original: dict[str, Any], area: int, number: int) -> dict[str, Any]:
    task = copy.deepcopy(original)
    task["text"] = f"{task['text']} (nhiệm vụ {area}.{number})"
    task["key"] = f"t{area}-{number}"
    task.pop("progress", None)
    for indicator in task.get("indicators", []):
        indicator.pop("latest", None)
    for name in ("due_date", "start_date", "assigned_by_date"):
        if task.get(name):
            task[name] = str(YEAR) + task[name][4:]
    return task


def child(path: Path, mode: str) -> None:
    """In a fresh process: read (and import) `path`; print each step's time and peak memory as JSON."""
    from django.conf import settings

    from planio.interchange import plan_import_counted
    from planio.reading import parse_plan_bytes, read_plan_file
    from planio.validation import validate_plan

    settings.PARPLAN_IMPORT_MAX_MB = 100  # the 44 MB file is over the default limit
    result: dict[str, Any] = {"bytes": path.stat().st_size, "before_kb": peak_rss_kb()}
    started = time.perf_counter()
    data = parse_plan_bytes(path.read_bytes()) if mode == "whole" else read_plan_file(path)
    result |= {"read_s": time.perf_counter() - started, "read_kb": peak_rss_kb()}
    if mode == "import":
        started = time.perf_counter()
        outcome = plan_import_counted(data, dry_run=True)
        result["import_s"] = time.perf_counter() - started
        result["tasks"] = next(change.created for change in outcome.changes if change.label == "nhiệm vụ")
    else:
        started = time.perf_counter()
        assert validate_plan(data) == []
        result["validate_s"] = time.perf_counter() - started
        result["tasks"] = sum(len(area["tasks"]) for area in data["areas"])
    result["peak_kb"] = peak_rss_kb()
    print(json.dumps(result))


def run_child(path: Path, mode: str) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", str(path), mode]
    output = subprocess.run(command, check=True, capture_output=True, text=True, env=os.environ).stdout
    result: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return result


def report(rows: list[tuple[str, dict[str, Any]]]) -> str:
    lines = [
        f"Run {datetime.date.today():%d/%m/%Y} on {platform.machine()}, {os.cpu_count()} cores, load average "
        f"{os.getloadavg()[0]:.1f} at the end; PostgreSQL; one process per row.",
        "",
        "| file | tasks | size | read | import (dry run) | peak growth | × file size |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for label, r in rows:
        growth = (r["peak_kb"] - r["before_kb"]) * 1024
        work = f"{r['import_s']:.1f} s" if "import_s" in r else f"checked only: {r['validate_s']:.1f} s"
        lines.append(
            f"| {label} | {r['tasks']:,} | {r['bytes'] / 1e6:.1f} MB | {r['read_s']:.1f} s | {work} "
            f"| +{growth / 1e6:.0f} MB | {growth / r['bytes']:.1f}× |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", default="40,300,1200", help="tasks per area of the imported files")
    parser.add_argument("--read-tasks", type=int, default=6000, help="tasks per area of the file only read")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    if args.child:
        setup_django()
        child(Path(args.child[0]), args.child[1])
        return
    ensure_database()
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    rows: list[tuple[str, dict[str, Any]]] = []
    for per_area in [int(n) for n in args.tasks.split(",") if n]:
        rows.append((f"{per_area} tasks per area, imported", run_child(plan_file(per_area), "import")))
        print(rows[-1], flush=True)
    if args.read_tasks:
        path = plan_file(args.read_tasks)
        rows.append((f"{args.read_tasks} per area, stream parser", run_child(path, "stream")))
        rows.append((f"{args.read_tasks} per area, whole-file parser (before)", run_child(path, "whole")))
        print(rows[-2:], flush=True)
    table = report(rows)
    print(table)
    write_block(RESULTS_START, RESULTS_END, table)


if __name__ == "__main__":
    main()
