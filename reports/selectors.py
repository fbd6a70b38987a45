"""Gather everything a PAR report shows, once, as plain data for the renderers.

The PDF and Excel renderers take a `ReportData` and never touch the database.
Numbers are as of the cut-off date: tasks by their dates, indicators by the
evaluation snapshot of that day (the generating service evaluates it first).
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import translation

from parplan.formatting import format_number, format_percent
from parplan.models import Plan, ReformArea
from reports.models import ReportKind, ReportNarrative, report_window
from targets.models import Indicator, IndicatorSnapshot, IndicatorStatus, Measurement, MeasurementStatus, Target
from targets.status import status_reason
from tasks.models import Task, TaskState

# A report is a Vietnamese administrative document (NĐ 30/2020): its text, the labels it
# borrows from the choices included, is Vietnamese whatever language the page is read in.
DOCUMENT_LANGUAGE = "vi"
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
_PERIOD_WORDS = {
    ReportKind.Q1: "quý I", ReportKind.H1: "6 tháng đầu năm", ReportKind.Q3: "quý III", ReportKind.YEAR: "năm",
}  # fmt: skip
_STATUS = dict(IndicatorStatus.choices)
_DONE_OR_CANCELLED = (TaskState.COMPLETED_ON_TIME, TaskState.COMPLETED_LATE, TaskState.CANCELLED)


@dataclass
class IndicatorResult:
    name: str
    rule: str
    value: str
    status: str
    status_code: str
    reason: str = ""


@dataclass
class TargetResult:
    text: str
    indicators: list[IndicatorResult]


@dataclass
class TaskLine:
    number: str
    title: str
    lead_unit: str
    state: str
    due_date: str
    completed_on: str


@dataclass
class AreaSection:
    number: int
    name: str
    targets: list[TargetResult]
    tasks_total: int
    tasks_on_time: int
    tasks_late: int
    tasks_not_done: int
    not_done: list[TaskLine]
    comment: str


@dataclass
class UnitTaskRow:
    unit: str
    assigned: int
    on_time: int
    late: int
    not_done: int


@dataclass
class DossierRow:
    unit: str
    resolved: str
    on_time: str
    rate: str


@dataclass
class ReportData:
    kind: str
    parent_authority: str
    issuer: str
    reference: str
    place_and_date: str
    subject: str
    intro: str
    window: str
    cutoff: str
    direction: str
    areas: list[AreaSection]
    strengths: str
    weaknesses: str
    causes: str
    next_tasks: str
    proposals: str
    annex_targets: list[list[str]]
    annex_units: list[UnitTaskRow]
    annex_dossiers: list[DossierRow]
    inspections_note: str
    signing_authority: str
    signer_capacity: str
    signer_title: str
    signer_name: str
    recipients: list[str]
    generated_sentences: dict[str, str] = field(default_factory=dict)


def _date_words(day: datetime.date) -> str:
    # NĐ 30/2020: days below 10 and months 1–2 take a leading zero.
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def _document_number(number: str) -> str:
    # NĐ 30/2020: numbers below 10 take a leading zero; an unnumbered draft leaves room to write one.
    number = number.strip()
    if number.isdigit() and int(number) < 10:
        return f"{int(number):02d}"
    return number or "     "


@translation.override(DOCUMENT_LANGUAGE)
def report_data(*, plan: Plan, kind: str, narrative: ReportNarrative | None = None) -> ReportData:
    """The report's data, written in Vietnamese whoever asks: 87,5% with a decimal comma, in the PDF and in Excel.

    An official document (NĐ 30/2020) is Vietnamese; the interface's language is the reader's.
    """
    with translation.override("vi"):
        return _report_data(plan=plan, kind=kind, narrative=narrative)


def _report_data(*, plan: Plan, kind: str, narrative: ReportNarrative | None) -> ReportData:
    start, cutoff = report_window(kind, plan.year)
    narrative = narrative or ReportNarrative(plan=plan, kind=kind)
    issuer = plan.issuing_unit
    snapshots = {
        s.indicator_id: s for s in IndicatorSnapshot.objects.filter(indicator__area__plan=plan, unit=issuer, day=cutoff)
    }
    areas = list(plan.areas.order_by("number"))
    # Grouped here rather than prefetched: prefetching links every task and target back to
    # its area, and those reference cycles (43,000 objects for a province) would outlive this
    # function until a garbage collection in the middle of the PDF render.
    targets: defaultdict[int, list[Target]] = defaultdict(list)
    indicators: defaultdict[int | None, list[Indicator]] = defaultdict(list)
    tasks: defaultdict[int, list[Task]] = defaultdict(list)
    for target in Target.objects.filter(area__plan=plan).order_by("position"):
        targets[target.area_id].append(target)
    for indicator in Indicator.objects.filter(target__area__plan=plan).order_by("target_id", "position"):
        indicators[indicator.target_id].append(indicator)
    for task in Task.objects.filter(area__plan=plan).select_related("lead_unit").order_by("position"):
        tasks[task.area_id].append(task)
    hidden: defaultdict[int, list[Indicator]] = defaultdict(list)
    # Ordered by task as well: positions restart in every task, and the same data must give the same report.
    hidden_indicators = Indicator.objects.of_plan(plan).filter(stated_in__isnull=False)
    for indicator in hidden_indicators.order_by("stated_in__task__position", "position"):
        hidden[indicator.area_id].append(indicator)
    sections: list[AreaSection] = []
    unit_rows: defaultdict[str, Counter[str]] = defaultdict(Counter)
    annex_targets: list[list[str]] = []
    area_sentences: dict[str, str] = {}
    for area in areas:
        area_targets = [(target, indicators[target.pk]) for target in targets[area.pk]]
        section, area_sentences[f"area_{area.number}"] = _area_section(
            area, area_targets, tasks[area.pk], snapshots, hidden[area.pk], cutoff, narrative
        )
        sections.append(section)
        for shown in section.targets:
            for result in shown.indicators:
                annex_targets.append([str(area.number), result.name, result.rule, result.value, result.status])
        for task in tasks[area.pk]:
            if task.lead_unit is None:
                continue
            state = task.state_as_of(cutoff)
            counts = unit_rows[task.lead_unit.name]
            counts["assigned"] += state != TaskState.CANCELLED
            counts["on_time"] += state == TaskState.COMPLETED_ON_TIME
            counts["late"] += state == TaskState.COMPLETED_LATE
            counts["not_done"] += state not in _DONE_OR_CANCELLED
    period = _PERIOD_WORDS[ReportKind(kind)]
    generated = _generated_sentences(sections, period, plan.year, issuer.name) | area_sentences
    number = _document_number(narrative.number)
    return ReportData(
        kind=kind,
        parent_authority=(issuer.parent.name if issuer.parent else "").upper(),
        issuer=issuer.name.upper(),
        reference=f"Số: {number}/{narrative.symbol}",
        place_and_date=f"{plan.place or issuer.name}, {_date_words(narrative.report_date or cutoff)}",
        subject=f"Kết quả thực hiện công tác cải cách hành chính {period} {plan.year}",
        intro=(
            f"Thực hiện Kế hoạch số {plan.reference}"
            + (f" ngày {plan.issue_date:%d/%m/%Y}" if plan.issue_date else "")
            + f" về {plan.title[:1].lower()}{plan.title[1:]}, {issuer.name} báo cáo kết quả thực hiện công tác "
            f"cải cách hành chính {period} {plan.year} (số liệu từ ngày {start:%d/%m/%Y} đến ngày {cutoff:%d/%m/%Y}) "
            "như sau:"
        ),
        window=f"{start:%d/%m/%Y} – {cutoff:%d/%m/%Y}",
        cutoff=f"{cutoff:%d/%m/%Y}",
        direction=narrative.direction or generated["direction"],
        areas=sections,
        strengths=narrative.strengths or generated["strengths"],
        weaknesses=narrative.weaknesses or generated["weaknesses"],
        causes=narrative.causes,
        next_tasks=narrative.next_tasks,
        proposals=narrative.proposals,
        annex_targets=annex_targets,
        annex_units=[UnitTaskRow(unit=name, **dict(c)) for name, c in sorted(unit_rows.items())],
        annex_dossiers=_dossier_rows(plan, cutoff),
        inspections_note="Chưa có dữ liệu kiểm tra CCHC trên hệ thống trong kỳ báo cáo.",
        signing_authority=narrative.signing_authority,
        signer_capacity=narrative.signer_capacity,
        signer_title=narrative.signer_title,
        signer_name=narrative.signer_name or _plan_signer_if_same_title(plan, narrative),
        recipients=[line for line in (narrative.recipients or plan.recipients).splitlines() if line.strip()],
        generated_sentences=generated,
    )


def _plan_signer_if_same_title(plan: Plan, narrative: ReportNarrative) -> str:
    # The plan's signer signs the report only in the same capacity: the chairman's
    # name must not appear under the default "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH".
    same = " ".join(plan.signer_title.split()).upper() == " ".join(narrative.signer_title.split()).upper()
    return plan.signer_name if same else ""


def _area_section(
    area: ReformArea, area_targets: list[tuple[Target, list[Indicator]]], tasks: list[Task],
    snapshots: dict[int, IndicatorSnapshot], hidden: list[Indicator], cutoff: datetime.date,
    narrative: ReportNarrative,
) -> tuple[AreaSection, str]:  # fmt: skip
    """The area's section, and the comment generated for it (shown when the secretariat wrote none)."""
    targets = [
        TargetResult(text=target.text, indicators=[_result(i, snapshots.get(i.pk)) for i in target_indicators])
        for target, target_indicators in area_targets
    ]
    if hidden:
        targets.append(
            TargetResult(
                text="Chỉ tiêu nêu trong nhiệm vụ", indicators=[_result(i, snapshots.get(i.pk)) for i in hidden]
            )
        )
    states: Counter[str] = Counter()
    not_done = []
    for task in tasks:
        state = task.state_as_of(cutoff)
        if state == TaskState.CANCELLED:
            continue
        states[state] += 1
        if state not in (TaskState.COMPLETED_ON_TIME, TaskState.COMPLETED_LATE):
            not_done.append(
                TaskLine(
                    number=f"{area.number}.{task.position}", title=task.title,
                    lead_unit=task.lead_unit.name if task.lead_unit else "", state=str(state.label),
                    due_date=f"{task.due_date:%d/%m/%Y}" if task.due_date else "",
                    completed_on=f"{task.completed_on:%d/%m/%Y}" if task.completed_on else "",
                )
            )  # fmt: skip
    total = sum(states.values())
    on_time, late = states[TaskState.COMPLETED_ON_TIME], states[TaskState.COMPLETED_LATE]
    unjudged = (IndicatorStatus.NO_DATA, IndicatorStatus.NOT_APPLICABLE)
    judged = [r for t in targets for r in t.indicators if r.status_code not in unjudged]
    good = [r for r in judged if r.status_code in (IndicatorStatus.ACHIEVED, IndicatorStatus.ON_TRACK)]
    generated = (
        f"Hoàn thành {on_time + late}/{total} nhiệm vụ ({on_time} đúng hạn, {late} trễ hạn). "
        f"{len(good)}/{len(judged)} chỉ tiêu có số liệu đạt hoặc đúng tiến độ."
    )
    section = AreaSection(
        number=area.number, name=area.name, targets=targets, tasks_total=total, tasks_on_time=on_time,
        tasks_late=late, tasks_not_done=total - on_time - late, not_done=not_done,
        comment=(narrative.area_comments or {}).get(str(area.number)) or generated,
    )  # fmt: skip
    return section, generated


def _result(indicator: Indicator, snapshot: IndicatorSnapshot | None) -> IndicatorResult:
    if snapshot is None or snapshot.value is None:
        value = "Chưa có số liệu"
    elif indicator.kind == "milestone":
        value = "Đạt" if snapshot.value >= 1 else "Chưa đạt"
    else:
        suffix = "%" if indicator.kind == "ratio" else f" {indicator.unit_of_measure}".rstrip()
        value = format_number(snapshot.value, 1) + suffix
    code = snapshot.status if snapshot else IndicatorStatus.NO_DATA
    return IndicatorResult(
        name=indicator.name, rule=indicator.rule, value=value, status=str(_STATUS[code]), status_code=code,
        reason=status_reason(indicator, snapshot),
    )  # fmt: skip


def _generated_sentences(sections: list[AreaSection], period: str, year: int, issuer: str) -> dict[str, str]:
    total = sum(s.tasks_total for s in sections)
    done = sum(s.tasks_on_time + s.tasks_late for s in sections)
    late = sum(s.tasks_late for s in sections)
    return {
        "direction": (
            f"Trong {period} {year}, {issuer} đã chỉ đạo triển khai {total} nhiệm vụ cải cách hành chính "
            f"theo Kế hoạch; đến thời điểm báo cáo đã hoàn thành {done} nhiệm vụ ({late} nhiệm vụ hoàn thành trễ hạn)."
        ),
        "strengths": f"Hoàn thành {done}/{total} nhiệm vụ theo Kế hoạch.",
        "weaknesses": f"Còn {total - done} nhiệm vụ chưa hoàn thành." if total > done else "",
    }


def _dossier_rows(plan: Plan, cutoff: datetime.date) -> list[DossierRow]:
    """One-stop dossier statistics by unit, from the on-time dossiers indicator's approved figures."""
    indicator = (
        Indicator.objects.of_plan(plan).filter(numerator_label__icontains="hồ sơ giải quyết", kind="ratio").first()
    )
    if indicator is None:
        return []
    # Per unit path: its name, dossiers resolved, resolved on time.
    rows: dict[str, tuple[str, Decimal, Decimal]] = {}
    figures = Measurement.objects.filter(
        indicator=indicator, status=MeasurementStatus.APPROVED, period__end__lte=cutoff
    ).values_list("unit__name", "unit__path", "numerator", "denominator")
    for name, path, numerator, denominator in figures:
        unit_name, resolved, on_time = rows.get(path, (name, Decimal(0), Decimal(0)))
        rows[path] = (unit_name, resolved + (denominator or 0), on_time + (numerator or 0))
    result = []
    for _path, (name, resolved, on_time) in sorted(rows.items()):
        rate = format_percent(on_time * 100 / resolved) if resolved else "—"
        row = DossierRow(unit=name, resolved=format_number(resolved, 0), on_time=format_number(on_time, 0), rate=rate)
        result.append(row)
    return result
