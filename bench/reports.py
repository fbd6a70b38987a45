#!/usr/bin/env python
"""Benchmark of the year report (PDF): our whole path against WeasyPrint alone on the very same HTML.

    .venv/bin/python bench/reports.py [--units 300 --tasks 6000 --indicators 80] [--runs 3 --demo-runs 10]

1. Builds its own SQLite database in a temporary folder (`DATABASE_URL` is
   ignored; `SQLITE_PATH`, `MEDIA_ROOT` and the Celery folder point there):
   migrate, `manage.py demo`, then a province-sized plan of 2024 made with
   `plan_import` (units, areas, targets) and `bulk_create` (tasks, indicators,
   scope rows, approved figures).
2. For the demo plan and for the province plan, alternately (taking turns at
   going first) and `--runs` times each (`--demo-runs` for the demo plan, whose
   runs are short and so more at the mercy of a shared machine) after one
   untimed warm-up of each, times
   - ours: `report_gather()` (evaluation on the cut-off day, then the selector),
     `report_html()` (the template) and `html_to_pdf()` — what a worker does for
     the PDF, minus the file write;
   - bare: `html_to_pdf()` on the HTML ours produced (checked identical each run);
   each after a `gc.collect()` (untimed), so neither pays for the other's
   garbage; and, once, the Excel renderer. Best and median of each, and the
   ratio within each back-to-back pair (its median is the verdict).
3. Peak memory of one ours and one bare run, each in a fresh process: VmHWM
   after the call, and its growth over the VmHWM before it (not `ru_maxrss`,
   which a child inherits from a large parent across fork/exec on Linux).
   The fresh process also times `import reports.tasks` (the WeasyPrint import a
   worker pays once at start) and checks WeasyPrint is then loaded.
4. Prints a table and rewrites the reports results block of bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
README = Path(__file__).resolve().parent / "README.md"
RESULTS_START = "<!-- reports:start -->"
RESULTS_END = "<!-- reports:end -->"
PROVINCE = "BT99"  # the generated province's code: distinct from the demo's units
YEAR = 2024
AIM_RATIO = 1.3
AIM_DEMO_SECONDS = 5.0


# --- Set-up -------------------------------------------------------------------------------


def use_folder(folder: Path) -> None:
    """Point every piece of local state at `folder`, before Django reads its settings."""
    os.environ.pop("DATABASE_URL", None)
    os.environ["SQLITE_PATH"] = str(folder / "bench.sqlite3")
    os.environ["MEDIA_ROOT"] = str(folder / "media")
    os.environ["CELERY_FILESYSTEM_DIR"] = str(folder / "celery")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # As in production: no query log kept in memory.
    os.environ["DEBUG"] = "false"


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def vm_hwm_mb() -> float:
    """This process's peak resident set so far (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# --- Data set -------------------------------------------------------------------------------


def load_demo() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as sink:
        call_command("demo", stdout=sink)


def _units(count: int) -> list[dict[str, Any]]:
    """A province, a tenth of the units departments, the rest districts with communes under them."""
    units: list[dict[str, Any]] = [{"code": PROVINCE, "name": "UBND tỉnh Thử Nghiệm", "kind": "province"}]
    departments = max(1, count // 15)
    districts = max(1, count // 30)
    communes = count - 1 - departments - districts
    for d in range(departments):
        units.append({"code": f"{PROVINCE}-S{d + 1:02d}", "name": f"Sở số {d + 1} tỉnh Thử Nghiệm", "kind": "office",
                      "parent": PROVINCE})  # fmt: skip
    for h in range(districts):
        units.append({"code": f"{PROVINCE}-H{h + 1:02d}", "name": f"UBND huyện số {h + 1}", "kind": "district",
                      "parent": PROVINCE})  # fmt: skip
    for x in range(communes):
        district = x % districts
        units.append({"code": f"{PROVINCE}-H{district + 1:02d}-X{x + 1:03d}", "kind": "commune",
                      "name": f"UBND xã số {x + 1} huyện số {district + 1}",
                      "parent": f"{PROVINCE}-H{district + 1:02d}"})  # fmt: skip
    return units


AREAS = [
    "Công tác chỉ đạo, điều hành cải cách hành chính",
    "Cải cách thể chế",
    "Cải cách thủ tục hành chính",
    "Cải cách tổ chức bộ máy hành chính nhà nước",
    "Cải cách chế độ công vụ",
    "Cải cách tài chính công",
    "Xây dựng, phát triển Chính quyền điện tử, Chính quyền số",
]


def load_province(*, units: int, tasks: int, indicators: int) -> dict[str, int]:
    """A 2024 plan of a province: `units` units, `tasks` tasks over 7 areas, `indicators` with approved figures."""
    import random

    from django.db import transaction
    from django.utils import timezone

    from parplan.models import Unit
    from planio.interchange import plan_import
    from targets.models import Indicator, Measurement, MeasurementStatus, Period, Target
    from targets.services import plan_generate_periods
    from tasks.models import ProgressStatus, Task

    rng = random.Random(20241214)
    targets_per_area = 3
    document = {
        "format": "parplan-plan",
        "version": 1,
        "units": _units(units + 1),
        "plan": {
            "issuing_unit": PROVINCE, "year": YEAR, "status": "active", "place": "Thử Nghiệm",
            "title": "Kế hoạch cải cách hành chính tỉnh Thử Nghiệm năm 2024", "number": "215",
            "issue_date": "2024-01-10", "signer_name": "Trần Văn Ký", "signer_title": "CHỦ TỊCH",
            "recipients": ["- Bộ Nội vụ;", "- Các sở, ban, ngành;", "- UBND các huyện;", "- Lưu: VT, NC."],
        },
        "areas": [
            {"number": n + 1, "name": name,
             "targets": [{"text": f"Chỉ tiêu {t + 1} của lĩnh vực {n + 1}: đạt tối thiểu {90 + t}% theo kế hoạch "
                                  "được giao, bảo đảm chất lượng và đúng tiến độ.", "indicators": []}
                         for t in range(targets_per_area)]}
            for n, name in enumerate(AREAS)
        ],
    }  # fmt: skip
    with transaction.atomic():
        plan = plan_import(document)
        plan_generate_periods(plan=plan)
        below = list(Unit.objects.below(plan.issuing_unit).order_by("path"))
        areas = list(plan.areas.order_by("number"))
        targets = list(
            Target.objects.filter(area__plan=plan).select_related("area").order_by("area__number", "position")
        )

        built_tasks = []
        now = timezone.now()
        for i in range(tasks):
            area = areas[i % len(areas)]
            due = datetime.date(YEAR, 1, 31) + datetime.timedelta(days=rng.randrange(0, 330))
            roll = rng.random()
            fields: dict[str, Any] = {"status": ProgressStatus.NOT_STARTED, "progress_percent": 0}
            if roll < 0.40:  # confirmed: on time, or up to 40 days late
                done = due + datetime.timedelta(days=rng.randrange(-60, 40))
                done = min(done, datetime.date(YEAR, 12, 10))
                fields = {"status": ProgressStatus.COMPLETED, "progress_percent": 100, "completed_on": done,
                          "claimed_at": now, "confirmed_at": now}  # fmt: skip
            elif roll < 0.50:
                fields = {"status": ProgressStatus.COMPLETED, "progress_percent": 100,
                          "completed_on": datetime.date(YEAR, 12, 1), "claimed_at": now}  # fmt: skip
            elif roll < 0.53:
                fields = {"cancelled_at": now.replace(year=YEAR, month=9, day=1), "cancel_reason": "Không còn phù hợp."}
            elif roll < 0.85:
                fields = {"status": ProgressStatus.IN_PROGRESS, "progress_percent": rng.randrange(10, 95)}
            title = f"Nhiệm vụ {i + 1}: triển khai nội dung {AREAS[i % 7].lower()} tại đơn vị"
            built_tasks.append(Task(
                area=area, position=i // len(areas) + 1, title=title[:255], lead_unit=below[i % len(below)],
                text=f"{title}; bảo đảm tiến độ, chất lượng, báo cáo kết quả về Sở Nội vụ theo quy định.",
                due_date=due, **fields,
            ))  # fmt: skip
        Task.objects.bulk_create(built_tasks, batch_size=1000)

        built_indicators = []
        for i in range(indicators):
            target = targets[i % len(targets)]
            scoped = i < max(1, indicators // 8)  # monthly figures from every unit; the rest one yearly figure
            milestone = not scoped and i % 8 == 7
            built_indicators.append(Indicator(
                area=target.area, target=target, position=i // len(targets) + 1,
                name=("Tỷ lệ hồ sơ TTHC giải quyết trước và đúng hạn" if i == 0 else f"Chỉ số {i + 1} của tỉnh"),
                kind="milestone" if milestone else "ratio", comparator="" if milestone else "gte",
                threshold=None if milestone else Decimal(90 + i % 10), unit_of_measure="" if milestone else "%",
                frequency="monthly" if scoped else "year", scope="units" if scoped else "authority",
                aggregation="milestone" if milestone else "ratio_of_sums",
                source="units" if scoped else "secretariat",
                numerator_label="Số hồ sơ giải quyết trước và đúng hạn" if i == 0 else "Tử số",
                denominator_label="Số hồ sơ đã giải quyết" if i == 0 else "Mẫu số",
            ))  # fmt: skip
        Indicator.objects.bulk_create(built_indicators)
        built_indicators = list(Indicator.objects.filter(area__plan=plan).order_by("pk"))

        through = Indicator.scope_units.through
        months = list(Period.objects.filter(plan=plan, frequency="monthly").order_by("number"))
        year_period = Period.objects.get(plan=plan, frequency="year")
        scope_rows, figures = [], []
        for indicator in built_indicators:
            if indicator.scope == "units":
                for unit in below:
                    scope_rows.append(through(indicator_id=indicator.pk, unit_id=unit.pk))
                    for period in months:
                        resolved = rng.randrange(20, 120)
                        figures.append(Measurement(
                            indicator=indicator, unit=unit, period=period, denominator=resolved,
                            numerator=resolved - (1 if rng.random() < 0.3 else 0), status=MeasurementStatus.APPROVED,
                        ))  # fmt: skip
            elif indicator.kind == "milestone":
                figures.append(Measurement(indicator=indicator, unit=plan.issuing_unit, period=year_period,
                                           met=rng.random() < 0.7, status=MeasurementStatus.APPROVED))  # fmt: skip
            else:
                figures.append(Measurement(indicator=indicator, unit=plan.issuing_unit, period=year_period,
                                           numerator=rng.randrange(80, 100), denominator=100,
                                           status=MeasurementStatus.APPROVED))  # fmt: skip
        through.objects.bulk_create(scope_rows, batch_size=5000)
        Measurement.objects.bulk_create(figures, batch_size=5000)
    return {"plan": plan.pk, "units": len(below), "tasks": len(built_tasks), "indicators": len(built_indicators),
            "figures": len(figures)}  # fmt: skip


# --- Timing ---------------------------------------------------------------------------------


def ours(plan_id: int) -> tuple[str, int, dict[str, float]]:
    """The PDF path of a report version: gather (with the evaluation), template, render."""
    from parplan.models import Plan
    from reports.renderers.pdf import html_to_pdf, report_html
    from reports.services import report_gather

    plan = Plan.objects.select_related("issuing_unit__parent").get(pk=plan_id)
    t0 = time.perf_counter()
    data = report_gather(plan=plan, kind="year")
    t1 = time.perf_counter()
    html = report_html(data)
    t2 = time.perf_counter()
    _pdf, pages = html_to_pdf(html)
    t3 = time.perf_counter()
    return html, pages, {"gather": t1 - t0, "template": t2 - t1, "render": t3 - t2, "total": t3 - t0}


def bare(html: str) -> tuple[int, float]:
    from reports.renderers.pdf import html_to_pdf

    t0 = time.perf_counter()
    _pdf, pages = html_to_pdf(html)
    return pages, time.perf_counter() - t0


def excel(plan_id: int) -> float:
    from parplan.models import Plan
    from reports.renderers.xlsx import render_xlsx
    from reports.selectors import report_data

    data = report_data(plan=Plan.objects.select_related("issuing_unit__parent").get(pk=plan_id), kind="year")
    t0 = time.perf_counter()
    render_xlsx(data)
    return time.perf_counter() - t0


def gather_parts(plan_id: int) -> dict[str, float]:
    """The gather split: the evaluation on the cut-off day, then the selector alone."""
    from parplan.models import Plan
    from reports.models import report_window
    from reports.selectors import report_data
    from targets.evaluation import evaluate_plan

    plan = Plan.objects.select_related("issuing_unit__parent").get(pk=plan_id)
    t0 = time.perf_counter()
    evaluate_plan(plan=plan, day=report_window("year", plan.year)[1])
    t1 = time.perf_counter()
    report_data(plan=plan, kind="year")
    return {"evaluate": t1 - t0, "select": time.perf_counter() - t1}


def _clean(timed: Callable[[], Any]) -> Any:
    # WeasyPrint leaves hundreds of thousands of objects in reference cycles (723,000
    # after the province report); without a collection first, whichever call runs next
    # pays for the previous one's garbage.
    gc.collect()
    return timed()


def measure(plan_id: int, runs: int) -> dict[str, Any]:
    html, pages, _ = ours(plan_id)  # warm-up: templates compiled, fonts loaded
    bare(html)
    timings: dict[str, list[float]] = {"ours": [], "bare": [], "gather": [], "template": [], "render": [], "ratio": []}
    for run in range(runs):
        # Take turns at going first; each pair runs back to back, under the same load.
        if run % 2:
            bare_pages, bare_seconds = _clean(lambda: bare(html))
            run_html, run_pages, parts = _clean(lambda: ours(plan_id))
        else:
            run_html, run_pages, parts = _clean(lambda: ours(plan_id))
            bare_pages, bare_seconds = _clean(lambda: bare(html))
        if run_html != html:
            raise SystemExit("The report's HTML changed between runs on the same data.")
        if bare_pages != run_pages:
            raise SystemExit("The bare render gave another page count.")
        timings["ours"].append(parts["total"])
        timings["bare"].append(bare_seconds)
        timings["ratio"].append(parts["total"] / bare_seconds)
        for name in ("gather", "template", "render"):
            timings[name].append(parts[name])
    return {
        "pages": pages, "html_kb": len(html.encode()) / 1024, "runs": runs,
        "best": {k: min(v) for k, v in timings.items()},
        "median": {k: statistics.median(v) for k, v in timings.items()},
        "excel": excel(plan_id), "parts": gather_parts(plan_id), "html": html,
    }  # fmt: skip


# --- Memory, in a fresh process ----------------------------------------------------------------


def child(mode: str, plan_id: int, html_path: str) -> None:
    """Run in a fresh interpreter: one ours or one bare run; print JSON."""
    t0 = time.perf_counter()
    setup_django()
    t1 = time.perf_counter()
    import reports.tasks  # noqa: F401 — what a worker imports at start

    import_seconds = time.perf_counter() - t1
    loaded = "weasyprint" in sys.modules
    before = vm_hwm_mb()
    if mode == "ours":
        _html, pages, parts = ours(plan_id)
        seconds = parts["total"]
    else:
        pages, seconds = bare(Path(html_path).read_text())
    after = vm_hwm_mb()
    print(
        json.dumps(
            {
                "mode": mode,
                "pages": pages,
                "seconds": seconds,
                "peak_mb": after,
                "growth_mb": after - before,
                "import_seconds": import_seconds,
                "setup_seconds": t1 - t0,
                "weasyprint_loaded": loaded,
            }
        )
    )


def in_fresh_process(mode: str, plan_id: int, html_path: Path) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, __file__, "--child", mode, "--plan-id", str(plan_id), "--html", str(html_path)],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )  # fmt: skip
    measured: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return measured


# --- Report -----------------------------------------------------------------------------------


def _load_average() -> str:
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:
        return "?"


def table(name: str, result: dict[str, Any]) -> list[str]:
    best, median = result["best"], result["median"]
    return [
        f"**{name}** — {result['pages']} pages, HTML {result['html_kb']:.0f} KB, {result['runs']} timed pairs",
        "",
        "| | best (s) | median (s) |",
        "|---|---:|---:|",
        f"| ours: gather + template + WeasyPrint | {best['ours']:.3f} | {median['ours']:.3f} |",
        f"| — gather (evaluation on 14/12 + selector) | {best['gather']:.3f} | {median['gather']:.3f} |",
        f"| — template | {best['template']:.3f} | {median['template']:.3f} |",
        f"| — WeasyPrint inside ours | {best['render']:.3f} | {median['render']:.3f} |",
        f"| bare: WeasyPrint on the same HTML | {best['bare']:.3f} | {median['bare']:.3f} |",
        f"| ratio of the times above, ours / bare | {best['ours'] / best['bare']:.2f}× | "
        f"{median['ours'] / median['bare']:.2f}× |",
        f"| **ratio within each back-to-back pair** | {best['ratio']:.2f}× (lowest) | **{median['ratio']:.2f}×** |",
        "",
        f"Gather split (one run): evaluation {result['parts']['evaluate']:.3f} s, selector "
        f"{result['parts']['select']:.3f} s. Excel workbook (not in the ratio): {result['excel']:.3f} s.",
        f"Peak memory in a fresh process: ours **{result['memory']['ours']['peak_mb']:.0f} MB** "
        f"(+{result['memory']['ours']['growth_mb']:.0f} MB over the process before the call), bare "
        f"{result['memory']['bare']['peak_mb']:.0f} MB (+{result['memory']['bare']['growth_mb']:.0f} MB).",
    ]


def write_readme(block: str) -> None:
    """Rewrite only this script's block; the rest of the file belongs to other benchmarks."""
    text = README.read_text() if README.exists() else "# Benchmarks\n"
    if RESULTS_START not in text or RESULTS_END not in text:
        text = text.rstrip("\n") + f"\n\n{RESULTS_START}\n{RESULTS_END}\n"
    head, rest = text.split(RESULTS_START, 1)
    _, tail = rest.split(RESULTS_END, 1)
    README.write_text(f"{head}{RESULTS_START}\n{block}\n{RESULTS_END}{tail}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--tasks", type=int, default=6000)
    parser.add_argument("--indicators", type=int, default=80)
    parser.add_argument("--runs", type=int, default=3, help="timed pairs for the province plan")
    parser.add_argument("--demo-runs", type=int, default=10, help="timed pairs for the demo plan")
    parser.add_argument("--keep", metavar="DIR", help="build in DIR and keep it (default: a temporary folder)")
    parser.add_argument("--no-readme", action="store_true", help="do not rewrite the results in bench/README.md")
    parser.add_argument("--note", default="", help="a line added to the README results (e.g. what changed)")
    parser.add_argument("--child", choices=["ours", "bare"], help=argparse.SUPPRESS)
    parser.add_argument("--plan-id", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--html", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        child(args.child, args.plan_id, args.html)
        return

    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="parplan-bench-reports-"))
    folder.mkdir(parents=True, exist_ok=True)
    if (folder / "bench.sqlite3").exists():
        raise SystemExit(f"{folder} already holds a database: give an empty folder.")
    use_folder(folder)
    load_before = _load_average()
    try:
        t0 = time.perf_counter()
        setup_django()
        load_demo()
        t1 = time.perf_counter()
        size = load_province(units=args.units, tasks=args.tasks, indicators=args.indicators)
        t2 = time.perf_counter()
        print(f"Demo loaded in {t1 - t0:.1f} s; province plan ({size}) generated in {t2 - t1:.1f} s.")

        from parplan.models import Plan

        plans = {
            "Demo plan (UBND huyện Cao Lộc 2024)": (
                Plan.objects.get(issuing_unit__code="183", year=YEAR).pk,
                args.demo_runs,
            ),
            f"Province-sized plan ({size['units']} units, {size['tasks']:,} tasks, {size['indicators']} indicators, "
            f"{size['figures']:,} approved figures)": (size["plan"], args.runs),
        }
        results = {}
        for name, (plan_id, runs) in plans.items():
            print(f"Timing {name} …", flush=True)
            result = measure(plan_id, runs)
            html_path = folder / f"report-{plan_id}.html"
            html_path.write_text(result.pop("html"))
            result["memory"] = {mode: in_fresh_process(mode, plan_id, html_path) for mode in ("ours", "bare")}
            results[name] = result
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)

    demo, province = results.values()
    # The verdict takes the median of the pairs' ratios: a load spike from the shared machine
    # hits one pair, not the comparison.
    demo_ratio = demo["median"]["ratio"]
    province_ratio = province["median"]["ratio"]
    worker = demo["memory"]["ours"]

    def verdict(ok: bool) -> str:
        return "met" if ok else "**missed**"

    lines = [
        f"Measured {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC with `--units {args.units} --tasks "
        f"{args.tasks} --indicators {args.indicators} --runs {args.runs} --demo-runs {args.demo_runs}`.",
        "",
        f"- Machine: {os.cpu_count()} CPUs, shared with other people's test runs — load average {load_before} "
        f"before, {_load_average()} after; SQLite; Python {platform.python_version()}.",
        f"- The WeasyPrint import, paid once when a worker imports `reports.tasks`: {worker['import_seconds']:.2f} s "
        f"(WeasyPrint loaded afterwards: {'yes' if worker['weasyprint_loaded'] else 'no'}); every report after "
        "that pays none of it.",
        *([f"- {args.note}"] if args.note else []),
        "",
    ]
    for name, result in results.items():
        lines += [*table(name, result), ""]
    lines += [
        f"Aims: ours within {AIM_RATIO}× of the bare render — demo {demo_ratio:.2f}×: "
        f"{verdict(demo_ratio <= AIM_RATIO)}; province {province_ratio:.2f}×: {verdict(province_ratio <= AIM_RATIO)}. "
        "Demo year report under "
        f"{AIM_DEMO_SECONDS:.0f} s (median {demo['median']['ours']:.2f} s): "
        f"{verdict(demo['median']['ours'] < AIM_DEMO_SECONDS)}. WeasyPrint imported once per worker: "
        f"{verdict(worker['weasyprint_loaded'])}.",
    ]
    block = "\n".join(lines)
    print()
    print(block)
    if not args.no_readme:
        write_readme(block)
        print(f"\nResults written to {README.relative_to(ROOT)}.")


if __name__ == "__main__":
    main()
