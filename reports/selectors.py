"""Gather everything a PAR report shows, once, as plain data for the renderers.

The PDF and Excel renderers take a `ReportData` and never touch the database.
Numbers are as of the cut-off date: tasks by their dates, indicators by the
evaluation snapshot of that day (the generating service evaluates it first).
"""

from __future__ import annotations

import datetime
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _

from dossiers.selectors import CountsRow
from dossiers.selectors import annex_dossiers as annex_dossiers_of
from inspections.selectors import InspectionAnnex, report_annex
from parplan.formatting import format_number, format_percent
from parplan.models import Plan, ReformArea, Role, Unit
from reports.models import ReportKind, ReportNarrative, report_window
from targets.evaluation import evaluate_window, missing_figures
from targets.models import (
    Frequency,
    Indicator,
    IndicatorSnapshot,
    IndicatorStatus,
    Measurement,
    MeasurementStatus,
    Target,
    period_label,
)
from targets.periods import year_window
from targets.status import status_reason
from targets.windows import is_level, periods_label, snapshot_label
from tasks.models import ExtensionRequest, ExtensionState, ProgressReport, Task, TaskState

# A report is a Vietnamese administrative document (NĐ 30/2020): its text, the labels it
# borrows from the choices included, is Vietnamese whatever language the page is read in.
DOCUMENT_LANGUAGE = "vi"
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
_PERIOD_WORDS = {
    ReportKind.Q1: "quý I", ReportKind.H1: "6 tháng đầu năm", ReportKind.Q3: "quý III", ReportKind.YEAR: "năm",
}  # fmt: skip
_STATUS = dict(IndicatorStatus.choices)
_DONE_OR_CANCELLED = (TaskState.COMPLETED_ON_TIME, TaskState.COMPLETED_LATE, TaskState.CANCELLED)
_DONE = (TaskState.COMPLETED_ON_TIME, TaskState.COMPLETED_LATE)
_BEHIND = (IndicatorStatus.AT_RISK, IndicatorStatus.OFF_TRACK, IndicatorStatus.NOT_ACHIEVED)
# Drafts leave a dotted blank where the office of records writes the number and the date by hand.
BLANK = "......"
# How a People's Committee's name starts in the data; the header writes it in full (NĐ 30/2020).
_COMMITTEE_PREFIXES = ("ủy ban nhân dân ", "uỷ ban nhân dân ", "ubnd ")
_COMMITTEE = "ỦY BAN NHÂN DÂN"
_ASSUMED = ", tạm giao theo chức năng, chưa xác nhận"
# Section IV names the tasks falling due within this many days after the cut-off (the next quarter).
_NEXT_PERIOD_DAYS = 92
_EXTENSION_ANSWERS: dict[str, str] = {
    ExtensionState.APPROVED: "đã được gia hạn", ExtensionState.REFUSED: "không được gia hạn",
}  # fmt: skip


@dataclass
class IndicatorResult:
    name: str
    rule: str
    value: str  # from the report's window only
    status: str
    status_code: str
    reason: str = ""
    covered: str = ""  # the periods the value covers, "T7–T9/2024" (targets.windows)
    # The year to date, where the window does not start the year (the Q3 report), and its periods.
    year_to_date: str = ""
    year_to_date_covered: str = ""

    @property
    def shown(self) -> str:
        """The value with its periods, and the year to date labelled: "185 hồ sơ (T7–T9/2024; lũy kế ...)"."""
        parts = [self.covered] if self.covered else []
        if self.year_to_date:
            parts.append(f"lũy kế {self.year_to_date_covered}: {self.year_to_date}")
        return f"{self.value} ({'; '.join(parts)})" if parts else self.value

    @property
    def judged(self) -> str:
        """The value the status was judged on, with its periods: the year to date where shown beside the window's."""
        if self.year_to_date:
            return f"{self.year_to_date} lũy kế {self.year_to_date_covered}"
        return f"{self.value}, {self.covered}" if self.covered else self.value


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
    # What the lead unit reported (its latest progress report, else its progress note).
    result: str = ""
    # The extensions asked for: new date, reason and the secretariat's answer.
    extensions: str = ""
    # Named in section IV: past due, or due within the next period.
    pressing: bool = False


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
    done: list[TaskLine] = field(default_factory=list)
    indicators_behind: list[str] = field(default_factory=list)


@dataclass
class UnitTaskRow:
    unit: str
    assigned: int
    on_time: int
    late: int
    not_done: int


@dataclass
class DossierRow:
    """A unit's dossiers of annex IV (from the on-time indicator's figures): the counts, and as written."""

    unit: str
    resolved_count: Decimal
    on_time_count: Decimal
    # The year to date (resolved, on time), in a report whose window does not start the year (Q3).
    year_counts: tuple[Decimal, Decimal] | None = None

    # Written for the document: thousands grouped (1.234); the spreadsheet takes the counts themselves.
    @property
    def resolved(self) -> str:
        return format_number(self.resolved_count, 0, grouped=True)

    @property
    def on_time(self) -> str:
        return format_number(self.on_time_count, 0, grouped=True)

    @property
    def rate(self) -> str:
        return _rate(self.on_time_count, self.resolved_count)

    @property
    def year_resolved(self) -> str:
        return "" if self.year_counts is None else format_number(self.year_counts[0], 0, grouped=True)

    @property
    def year_rate(self) -> str:
        return "" if self.year_counts is None else _rate(self.year_counts[1], self.year_counts[0])


def _rate(on_time: Decimal, resolved: Decimal) -> str:
    return format_percent(on_time * 100 / resolved) if resolved else "—"


# Annex IV from the one-stop rows (dossiers.selectors.annex_dossiers): every count, the two totals, two rates.
ANNEX_IV_COLUMNS = (
    ("carried_over", "Kỳ trước chuyển sang"), ("received_online", "Tiếp nhận trực tuyến"),
    ("received_in_person", "Tiếp nhận trực tiếp"), ("received_by_post", "Tiếp nhận qua bưu chính"),
    ("received", "Tổng tiếp nhận"), ("resolved_early", "Giải quyết trước hạn"),
    ("resolved_on_time", "Giải quyết đúng hạn"), ("resolved_late", "Giải quyết quá hạn"),
    ("resolved", "Tổng đã giải quyết"), ("pending_on_time", "Đang giải quyết trong hạn"),
    ("pending_overdue", "Đang giải quyết quá hạn"), ("awaiting_supplements", "Chờ bổ sung"),
    ("paused", "Tạm dừng"), ("withdrawn", "Rút hồ sơ"), ("apologised", "Quá hạn có phiếu xin lỗi"),
    ("dossiers_digitised", "Hồ sơ được số hóa"), ("results_digitised", "Kết quả được số hóa"),
)  # fmt: skip
ANNEX_IV_RATES = ("Tỷ lệ trước và đúng hạn", "Tỷ lệ quá hạn có phiếu xin lỗi", "Tỷ lệ tiếp nhận trực tuyến")


@dataclass
class DossierCountsRow:
    """A line of annex IV from the one-stop rows: the unit, each count (None: not reported), the rates as text."""

    unit: str
    counts: list[int | None]
    rates: list[str]

    @property
    def cells(self) -> list[str]:
        return ["—" if value is None else format_number(value, 0, grouped=True) for value in self.counts] + self.rates


@dataclass
class MissingRow:
    """Units and periods of an indicator whose figures are still missing (the year report's annex)."""

    indicator: str
    unit: str
    periods: str
    count: int


@dataclass
class ReportData:
    kind: str
    parent_authority: str
    issuer: str
    # The issuer's name in the header, one bold line each (ỦY BAN NHÂN DÂN / HUYỆN CAO LỘC).
    issuer_lines: list[str]
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
    annex_units_total: UnitTaskRow | None = None
    annex_dossiers_total: DossierRow | None = None
    # The periods the window's figures cover ("T7–T9/2024"), and the year to date's where shown ("T1–T9/2024").
    window_periods: str = ""
    year_to_date_periods: str = ""
    # The year report: per indicator, the units and periods with no approved figure, and how many figures.
    annex_missing: list[MissingRow] = field(default_factory=list)
    missing_count: int = 0
    dossier_periods: str = ""  # the periods the dossier annex's figures cover
    # Annex IV from the one-stop rows, when the plan's units have any in the window (else the figures' table above).
    annex_dossier_counts: list[DossierCountsRow] = field(default_factory=list)
    annex_dossier_counts_total: DossierCountsRow | None = None

    @property
    def annex_iv_headers(self) -> list[str]:
        return [header for _key, header in ANNEX_IV_COLUMNS] + list(ANNEX_IV_RATES)

    @property
    def annex_targets_headers(self) -> list[str]:
        ytd = [f"Lũy kế {self.year_to_date_periods}"] if self.year_to_date_periods else []
        return ["Lĩnh vực", "Chỉ tiêu", "Mục tiêu", "Kết quả", "Kỳ số liệu", *ytd, "Đánh giá"]

    annex_inspections: InspectionAnnex | None = None


def date_words(day: datetime.date) -> str:
    # NĐ 30/2020: days below 10 and months 1–2 take a leading zero.
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def document_number(number: str, symbol: str) -> str:
    """The number alone: a number typed with its symbol ("125/BC-UBND") loses it, so the symbol prints once."""
    number = number.strip()
    if symbol and number.upper().endswith(f"/{symbol.strip().upper()}"):
        number = number[: -len(symbol.strip()) - 1].strip()
    return number


def _printed_number(number: str, symbol: str) -> str:
    # NĐ 30/2020: numbers below 10 take a leading zero; an unnumbered draft leaves a dotted blank.
    number = document_number(number, symbol)
    if number.isdigit() and int(number) < 10:
        return f"{int(number):02d}"
    return number or BLANK


def _plan_reference(plan: Plan) -> str:
    issued = f" ngày {plan.issue_date:%d/%m/%Y}" if plan.issue_date else f" ngày {BLANK}/{BLANK}/{BLANK}"
    return f"Kế hoạch số {_printed_number(plan.number, plan.symbol)}/{plan.symbol}{issued}"


def _committee_territory(unit: Unit) -> str | None:
    """The territory a People's Committee governs ("huyện Cao Lộc"), or None for any other body.

    Its name says so ("UBND xã Định Hưng"), or its kind does: a unit whose administrative
    level differs from its parent's heads that level (a province, a district, a commune).
    """
    name = " ".join(unit.name.split())
    for prefix in _COMMITTEE_PREFIXES:
        if name.lower().startswith(prefix):
            return name[len(prefix) :]
    level = unit.kind.administrative_level
    parent_level = unit.parent.kind.administrative_level if unit.parent else None
    return name if level and level != parent_level else None


def header_lines(unit: Unit) -> tuple[str, list[str]]:
    """The left header column (NĐ 30/2020, domain.md): the parent's line, then the issuer's bold lines.

    A People's Committee writes no parent line, its own name in full on two lines; a body under
    a parent (an office, a department) writes the parent, abbreviated, then its own name.
    """
    territory = _committee_territory(unit)
    if territory is not None:
        return "", [_COMMITTEE, territory.upper()]
    parent = ""
    if unit.parent is not None:
        parent_territory = _committee_territory(unit.parent)
        parent = f"UBND {parent_territory}" if parent_territory is not None else unit.parent.name
    return parent.upper(), [unit.name.upper()]


_MARKUP = re.compile(r"\*\*|__|(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)|^#+\s*", re.MULTILINE)
_BULLET = re.compile(r"^\s*[*•+]\s+", re.MULTILINE)


def plain(text: str) -> str:
    """Narrative text as a document prints it: list bullets as "- ", markdown emphasis and headings dropped."""
    return _MARKUP.sub("", _BULLET.sub("- ", text or "")).strip()


def recipient_lines(text: str, drafting_unit: str = "") -> list[str]:
    """Recipients as NĐ 30/2020 lists them: each "- name;", the last "- Lưu: VT, <drafting unit>." with a full stop.

    A filing line that names only the office of records ("Lưu: VT", as plans are often typed)
    gets the drafting unit's short name; one that names a unit is left as typed.
    """
    names = [re.sub(r"^[-+*•]\s*", "", line.strip()).rstrip(" ;.,") for line in text.splitlines()]
    names = [name for name in names if name]
    filing = _FILING.match(names[-1]) if names else None
    if drafting_unit and filing is None:
        names.append(f"Lưu: VT, {drafting_unit}")
    elif drafting_unit and filing is not None and (filing.group(1) or "VT").strip().upper() == "VT":
        names[-1] = f"Lưu: VT, {drafting_unit}"
    return [f"- {name}" + ("." if index == len(names) - 1 else ";") for index, name in enumerate(names)]


# "Lưu: VT, NV" or a bare "Lưu"; not a recipient whose name starts with the word ("Lưu trữ lịch sử").
_FILING = re.compile(r"^lưu\s*(?::(.*))?$", re.IGNORECASE)
# The type word that opens an office's name, which its short name leaves out (Phòng Nội vụ: NV).
_OFFICE_WORDS = ("phòng ", "sở ", "ban ", "trung tâm ", "chi cục ")


def unit_short_name(name: str) -> str:
    """The short name a document files under: "Phòng Nội vụ" NV, "Phòng Tài chính - Kế hoạch" TCKH, "Văn phòng …" VP."""
    name = " ".join(name.split())
    if name.lower().startswith("văn phòng"):
        return "VP"
    for word in _OFFICE_WORDS:
        if name.lower().startswith(word):
            name = name[len(word) :]
            break
    return "".join(word[0].upper() for word in re.findall(r"\w+", name) if word.lower() != "và")


def drafting_unit(issuer: Unit) -> str:
    """The short name of the office that drafts the issuer's reports: its secretariat's (Phòng Nội vụ), if any."""
    drafting = (
        Unit.objects.filter(path__startswith=issuer.path, memberships__role=Role.SECRETARIAT)
        .exclude(pk=issuer.pk)
        .order_by("path")
        .values_list("name", flat=True)
        .first()
    )
    return unit_short_name(drafting) if drafting else ""


@translation.override(DOCUMENT_LANGUAGE)
def report_data(*, plan: Plan, kind: str, narrative: ReportNarrative | None = None) -> ReportData:
    """The report's data, written in Vietnamese whoever asks: 87,5% with a decimal comma, in the PDF and in Excel.

    An official document (NĐ 30/2020) is Vietnamese; the interface's language is the reader's.
    """
    with translation.override("vi"):
        return _report_data(plan=plan, kind=kind, narrative=narrative)


def _report_data(*, plan: Plan, kind: str, narrative: ReportNarrative | None) -> ReportData:
    start, cutoff = report_window(kind, plan.year)
    year_start = year_window(plan.year)[0]
    narrative = narrative or ReportNarrative(plan=plan, kind=kind)
    issuer = Unit.objects.select_related("kind", "parent__kind").get(pk=plan.issuing_unit_id)
    # The window's figures only: a period ending after the cut-off (the half-year's in the Q1
    # report) or begun before the window (the first half's in the Q3 report) is not in it.
    in_window = evaluate_window(plan=plan, window=(start, cutoff), day=cutoff)
    # The status is the plan's year target judged on the year to date, with the same periods bound.
    to_date = in_window if start == year_start else evaluate_window(plan=plan, window=(year_start, cutoff), day=cutoff)
    snapshots = {pk: _Figures(in_window[pk], to_date[pk]) for pk in in_window}
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
    history = _task_history(plan, cutoff)
    sections: list[AreaSection] = []
    unit_rows: defaultdict[str, Counter[str]] = defaultdict(Counter)
    annex_targets: list[list[str]] = []
    area_sentences: dict[str, str] = {}
    for area in areas:
        area_targets = [(target, indicators[target.pk]) for target in targets[area.pk]]
        section, area_sentences[f"area_{area.number}"] = _area_section(
            area, area_targets, tasks[area.pk], snapshots, hidden[area.pk], cutoff, narrative, history
        )
        sections.append(section)
        for shown in section.targets:
            for result in shown.indicators:
                ytd = [result.year_to_date or "—"] if start != year_start else []
                annex_targets.append(
                    [str(area.number), result.name, result.rule, result.value, result.covered or "—", *ytd,
                     result.status]
                )  # fmt: skip
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
    facts = _Facts(
        plan=plan, issuer=issuer.name, period=period, sections=sections, cutoff=cutoff,
        returned=history.returned, lead_units=len(unit_rows),
    )  # fmt: skip
    generated = _generated_sentences(facts) | area_sentences
    parent_authority, issuer_lines = header_lines(issuer)
    annex_units = [UnitTaskRow(unit=name, **dict(c)) for name, c in sorted(unit_rows.items())]
    annex_dossiers, dossiers_total, dossier_periods = _dossier_rows(plan, start, cutoff, year_start)
    one_stop = annex_dossiers_of(plan, start, cutoff, "Tổng cộng")
    if one_stop.first is not None and one_stop.last is not None:
        dossier_periods = periods_label(Frequency.MONTHLY, *_month_window(one_stop.first, one_stop.last))
    missing = _missing_rows(plan, start, cutoff) if kind == ReportKind.YEAR else []
    return ReportData(
        kind=kind,
        parent_authority=parent_authority,
        issuer=" ".join(issuer_lines),
        issuer_lines=issuer_lines,
        reference=f"Số: {_printed_number(narrative.number, narrative.symbol)}/{narrative.symbol}",
        place_and_date=f"{plan.place or issuer.name}, {date_words(narrative.report_date or cutoff)}",
        subject=f"Kết quả thực hiện công tác cải cách hành chính {period} {plan.year}",
        window_periods=periods_label(Frequency.MONTHLY, start, cutoff),
        year_to_date_periods="" if start == year_start else periods_label(Frequency.MONTHLY, year_start, cutoff),
        annex_missing=missing,
        dossier_periods=dossier_periods,
        missing_count=sum(row.count for row in missing),
        intro=(
            f"Thực hiện {_plan_reference(plan)}"
            + f" về {plan.title[:1].lower()}{plan.title[1:]}, {issuer.name} báo cáo kết quả thực hiện công tác "
            f"cải cách hành chính {period} {plan.year} (số liệu từ ngày {start:%d/%m/%Y} đến ngày {cutoff:%d/%m/%Y}) "
            "như sau:"
        ),
        window=f"{start:%d/%m/%Y} – {cutoff:%d/%m/%Y}",
        cutoff=f"{cutoff:%d/%m/%Y}",
        direction=plain(narrative.direction) or generated["direction"],
        areas=sections,
        strengths=plain(narrative.strengths) or generated["strengths"],
        weaknesses=plain(narrative.weaknesses) or generated["weaknesses"],
        causes=plain(narrative.causes) or generated["causes"],
        next_tasks=plain(narrative.next_tasks) or generated["next_tasks"],
        proposals=plain(narrative.proposals),
        annex_targets=annex_targets,
        annex_units=annex_units,
        annex_dossiers=annex_dossiers,
        inspections_note="Chưa có dữ liệu kiểm tra CCHC trên hệ thống trong kỳ báo cáo.",
        signing_authority=narrative.signing_authority,
        signer_capacity=narrative.signer_capacity,
        signer_title=narrative.signer_title,
        signer_name=narrative.signer_name or _plan_signer_if_same_title(plan, narrative),
        recipients=recipient_lines(narrative.recipients or plan.recipients, drafting_unit(issuer)),
        generated_sentences=generated,
        annex_units_total=_units_total(annex_units),
        annex_dossiers_total=dossiers_total,
        annex_dossier_counts=[_counts_row(row) for row in one_stop.rows],
        annex_dossier_counts_total=_counts_row(one_stop.total) if one_stop.total else None,
        annex_inspections=report_annex(plan, start, cutoff),
    )


def plan_gaps(plan: Plan) -> list[str]:
    """The plan's blanks every report of it would print dotted (flagged on the reports page, no query)."""
    gaps = []
    if not plan.number.strip():
        gaps.append(_("Kế hoạch chưa có số: báo cáo sẽ in “Kế hoạch số ....../%(symbol)s”.") % {"symbol": plan.symbol})
    if plan.issue_date is None:
        gaps.append(_("Kế hoạch chưa có ngày ban hành: báo cáo sẽ in ngày để trống."))
    return gaps


def report_gaps(*, plan: Plan, narrative: ReportNarrative | None) -> list[str]:
    """What the narrative page flags before generation: the blanks the document would print dotted."""
    gaps = plan_gaps(plan)
    if narrative is None or not document_number(narrative.number, narrative.symbol):
        gaps.append(_("Báo cáo chưa có số: sẽ in “Số: ....../BC-UBND” để văn thư điền."))
    if narrative is None or not narrative.proposals.strip():
        gaps.append(_("Mục V (Kiến nghị, đề xuất) chưa có nội dung: mục này sẽ không được in."))
    return gaps


@dataclass
class _TaskHistory:
    results: dict[int, str]
    extensions: dict[int, str]
    returned: int


def _task_history(plan: Plan, cutoff: datetime.date) -> _TaskHistory:
    """Each task's latest progress report and its extensions up to the cut-off, and the figures returned."""
    results: dict[int, str] = {}
    reports = ProgressReport.objects.filter(task__area__plan=plan, role="lead", created_at__date__lte=cutoff)
    for task_id, text in reports.order_by("task_id", "-created_at", "-pk").values_list("task_id", "text"):
        results.setdefault(task_id, plain(text))
    extensions: defaultdict[int, list[str]] = defaultdict(list)
    requests = ExtensionRequest.objects.filter(task__area__plan=plan, requested_at__date__lte=cutoff)
    for task_id, new_due, reason, state in requests.order_by("requested_at", "pk").values_list(
        "task_id", "new_due_date", "reason", "state"
    ):
        answer = _EXTENSION_ANSWERS.get(state, "đang đề nghị gia hạn")
        extensions[task_id].append(f"{answer} đến ngày {new_due:%d/%m/%Y} ({plain(reason).rstrip('.')})")
    returned = Measurement.objects.filter(
        indicator__area__plan=plan, status=MeasurementStatus.RETURNED, period__end__lte=cutoff
    ).count()
    return _TaskHistory(results, {k: "; ".join(v) for k, v in extensions.items()}, returned)


def _units_total(rows: list[UnitTaskRow]) -> UnitTaskRow | None:
    if not rows:
        return None
    return UnitTaskRow(
        unit="Tổng cộng", assigned=sum(r.assigned for r in rows), on_time=sum(r.on_time for r in rows),
        late=sum(r.late for r in rows), not_done=sum(r.not_done for r in rows),
    )  # fmt: skip


def _plan_signer_if_same_title(plan: Plan, narrative: ReportNarrative) -> str:
    # The plan's signer signs the report only in the same capacity: the chairman's
    # name must not appear under the default "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH".
    same = " ".join(plan.signer_title.split()).upper() == " ".join(narrative.signer_title.split()).upper()
    return plan.signer_name if same else ""


def _task_name(task: Task) -> str:
    # The title is cut at 120 characters for lists ("…"); the report names the task in full.
    title = " ".join(plain(task.title).split())
    return title if title and not title.endswith("…") else " ".join(plain(task.text).split()).rstrip(" ;.")


def _task_line(
    area: ReformArea, task: Task, state: TaskState, history: _TaskHistory, cutoff: datetime.date
) -> TaskLine:
    lead = task.lead_unit.name + (_ASSUMED if task.assignment_assumed else "") if task.lead_unit else ""
    return TaskLine(
        number=f"{area.number}.{task.position}", title=_task_name(task), lead_unit=lead, state=str(state.label),
        due_date=f"{task.due_date:%d/%m/%Y}" if task.due_date else "",
        completed_on=f"{task.completed_on:%d/%m/%Y}" if task.completed_on else "",
        result=(history.results.get(task.pk) or plain(task.progress_note)).rstrip(" ."),
        extensions=history.extensions.get(task.pk, ""),
        pressing=state == TaskState.OVERDUE or (
            state not in _DONE and task.due_date is not None
            and task.due_date <= cutoff + datetime.timedelta(days=_NEXT_PERIOD_DAYS)
        ),
    )  # fmt: skip


def _area_section(
    area: ReformArea, area_targets: list[tuple[Target, list[Indicator]]], tasks: list[Task],
    snapshots: dict[int, _Figures], hidden: list[Indicator], cutoff: datetime.date,
    narrative: ReportNarrative, history: _TaskHistory,
) -> tuple[AreaSection, str]:  # fmt: skip
    """The area's section, and the comment generated for it (shown when the secretariat wrote none)."""
    targets = [
        TargetResult(text=plain(target.text), indicators=[_result(i, snapshots.get(i.pk)) for i in target_indicators])
        for target, target_indicators in area_targets
    ]
    if hidden:
        targets.append(
            TargetResult(
                text="Chỉ tiêu nêu trong nhiệm vụ", indicators=[_result(i, snapshots.get(i.pk)) for i in hidden]
            )
        )
    states: Counter[str] = Counter()
    done: list[TaskLine] = []
    not_done: list[TaskLine] = []
    for task in tasks:
        state = task.state_as_of(cutoff)
        if state == TaskState.CANCELLED:
            continue
        states[state] += 1
        (done if state in _DONE else not_done).append(_task_line(area, task, state, history, cutoff))
    total = sum(states.values())
    on_time, late = states[TaskState.COMPLETED_ON_TIME], states[TaskState.COMPLETED_LATE]
    unjudged = (IndicatorStatus.NO_DATA, IndicatorStatus.NOT_APPLICABLE)
    judged = [r for t in targets for r in t.indicators if r.status_code not in unjudged]
    good = [r for r in judged if r.status_code in (IndicatorStatus.ACHIEVED, IndicatorStatus.ON_TRACK)]
    behind = [f"{r.name} ({r.judged}, mục tiêu {r.rule})" for r in judged if r.status_code in _BEHIND]
    generated = f"Hoàn thành {on_time + late}/{total} nhiệm vụ ({on_time} đúng hạn, {late} trễ hạn)."
    if judged:
        generated += f" {len(good)}/{len(judged)} chỉ tiêu có số liệu đạt hoặc đúng tiến độ."
    if behind:
        generated += " Chỉ tiêu chưa đạt tiến độ: " + "; ".join(behind) + "."
    section = AreaSection(
        number=area.number, name=area.name, targets=targets, tasks_total=total, tasks_on_time=on_time,
        tasks_late=late, tasks_not_done=total - on_time - late, not_done=not_done,
        comment=plain((narrative.area_comments or {}).get(str(area.number), "")) or generated,
        done=done, indicators_behind=behind,
    )  # fmt: skip
    return section, generated


@dataclass(frozen=True)
class _Figures:
    """An indicator's evaluation over the report's window, and over the year to date (the same for Q1, H1, year)."""

    window: IndicatorSnapshot
    year_to_date: IndicatorSnapshot


def _written(indicator: Indicator, snapshot: IndicatorSnapshot | None) -> str:
    if snapshot is None or snapshot.value is None:
        return "Chưa có số liệu"
    if indicator.kind == "milestone":
        return "Đạt" if snapshot.value >= 1 else "Chưa đạt"
    suffix = "%" if indicator.kind == "ratio" else f" {indicator.unit_of_measure}".rstrip()
    return format_number(snapshot.value, 1, grouped=True) + suffix


def _result(indicator: Indicator, figures: _Figures | IndicatorSnapshot | None) -> IndicatorResult:
    if isinstance(figures, IndicatorSnapshot):
        figures = _Figures(figures, figures)
    window = figures.window if figures else None
    # Judged on the year to date: a year's target (70 % disbursed) is not a quarter's.
    judged = figures.year_to_date if figures else None
    code = judged.status if judged else IndicatorStatus.NO_DATA
    # A level's year to date is its window's latest figure, unless the window has none (the half-year's
    # figure in the Q3 report): then the figure it was judged on is shown, labelled, beside "no data".
    separate = (
        figures is not None
        and figures.year_to_date is not figures.window
        and (not is_level(indicator) or figures.window.value is None)
    )
    ytd = figures.year_to_date if separate and figures else None
    return IndicatorResult(
        name=plain(indicator.name), rule=indicator.rule, value=_written(indicator, window), status=str(_STATUS[code]),
        status_code=code, reason=status_reason(indicator, judged), covered=snapshot_label(indicator, window),
        year_to_date=_written(indicator, ytd) if ytd is not None and ytd.value is not None else "",
        year_to_date_covered=snapshot_label(indicator, ytd),
    )  # fmt: skip


@dataclass
class _Facts:
    """What the generated narrative is drafted from."""

    plan: Plan
    issuer: str
    period: str
    sections: list[AreaSection]
    cutoff: datetime.date
    returned: int
    lead_units: int


def _generated_sentences(facts: _Facts) -> dict[str, str]:
    """A draft of sections I, III and IV from the data, for the secretariat to edit (section V is theirs)."""
    sections = facts.sections
    total = sum(s.tasks_total for s in sections)
    done = sum(s.tasks_on_time + s.tasks_late for s in sections)
    late = sum(s.tasks_late for s in sections)
    indicators = sum(len(t.indicators) for s in sections for t in s.targets)
    when = f"{facts.period} {facts.plan.year}"
    direction = (
        f"{facts.issuer} đã ban hành {_plan_reference(facts.plan)} với {len(sections)} lĩnh vực, {indicators} chỉ tiêu "
        f"và {total} nhiệm vụ, giao {facts.lead_units} cơ quan, đơn vị chủ trì thực hiện; tiến độ nhiệm vụ và số "
        f"liệu chỉ tiêu được các đơn vị cập nhật, Phòng Nội vụ theo dõi, tổng hợp trên hệ thống.\n"
        f"Trong {when}, đến thời điểm báo cáo đã hoàn thành {done}/{total} nhiệm vụ ({late} nhiệm vụ hoàn thành "
        f"trễ hạn)."
    )
    complete = [f"{s.number}. {s.name}" for s in sections if s.tasks_total and not s.tasks_not_done]
    on_track = [f"{s.number}. {s.name}" for s in sections if not s.indicators_behind and s.tasks_total]
    strengths = [f"Đã hoàn thành {done}/{total} nhiệm vụ, trong đó {done - late} nhiệm vụ đúng hạn."]
    if complete:
        strengths.append("Hoàn thành toàn bộ nhiệm vụ ở các lĩnh vực: " + "; ".join(complete) + ".")
    elif on_track:
        strengths.append("Các chỉ tiêu có số liệu đạt hoặc đúng tiến độ ở các lĩnh vực: " + "; ".join(on_track) + ".")
    weaknesses, causes = [], []
    if total > done:
        weaknesses.append(f"Còn {total - done}/{total} nhiệm vụ chưa hoàn thành.")
    if late:
        weaknesses.append(f"{late} nhiệm vụ hoàn thành trễ hạn.")
    behind = [f"{s.number}. {s.name}" for s in sections if s.indicators_behind]
    if behind:
        weaknesses.append("Có chỉ tiêu chưa đạt tiến độ ở các lĩnh vực: " + "; ".join(behind) + ".")
    if facts.returned:
        weaknesses.append(f"{facts.returned} số liệu chỉ tiêu bị trả lại để đơn vị rà soát, nhập lại.")
    extended = [t for s in sections for t in (*s.done, *s.not_done) if t.extensions]
    for task in extended:
        causes.append(f"Nhiệm vụ {task.number} ({task.title}): {task.extensions}.")
    if total > done and not extended:
        causes.append(
            "Một số đơn vị chủ trì chưa cập nhật kịp thời tiến độ, kết quả thực hiện nhiệm vụ trên hệ thống "
            "(đề nghị Phòng Nội vụ bổ sung nguyên nhân cụ thể)."
        )
    open_tasks = [t for s in sections for t in s.not_done]
    due = [t for t in open_tasks if t.pressing]
    next_tasks = [
        (f"Tiếp tục thực hiện {len(open_tasks)} nhiệm vụ chưa hoàn thành"
         + ("; tập trung vào các nhiệm vụ quá hạn và đến hạn trong kỳ tới:" if due else ".")) if open_tasks else "",
        *(f"- Nhiệm vụ {t.number}: {t.title} ({t.lead_unit or 'chưa phân công'}"
          + (f", hạn {t.due_date}" if t.due_date else "") + ")." for t in due),
        *(f"- Phấn đấu đạt chỉ tiêu: {name}." for s in sections for name in s.indicators_behind),
    ]  # fmt: skip
    return {
        "direction": direction,
        "strengths": "\n".join(strengths),
        "weaknesses": "\n".join(weaknesses),
        "causes": "\n".join(causes),
        "next_tasks": "\n".join(line for line in next_tasks if line),
    }


def _dossier_row(name: str, resolved: Decimal, on_time: Decimal) -> DossierRow:
    return DossierRow(unit=name, resolved_count=resolved, on_time_count=on_time)


def _missing_rows(plan: Plan, start: datetime.date, cutoff: datetime.date) -> list[MissingRow]:
    """The year report's annex: per indicator and unit, the periods still without an approved figure."""
    return [
        MissingRow(
            indicator=plain(gap.indicator.name),
            unit=gap.unit.name,
            periods=", ".join(period_label(s.frequency, s.number, plan.year) for s in gap.periods),
            count=len(gap.periods),
        )  # fmt: skip
        for gap in missing_figures(plan=plan, window=(start, cutoff))
    ]


def _dossier_figures(
    indicator: Indicator, start: datetime.date, cutoff: datetime.date, covered: list[datetime.date]
) -> dict[str, tuple[str, Decimal, Decimal]]:
    """Per unit path: its name, dossiers resolved, resolved on time, from the periods inside the window.

    `covered` receives the first period's start and the last one's end (the annex names them).
    """
    rows: dict[str, tuple[str, Decimal, Decimal]] = {}
    figures = Measurement.objects.filter(
        indicator=indicator, status=MeasurementStatus.APPROVED, period__start__gte=start, period__end__lte=cutoff
    ).values_list("unit__name", "unit__path", "numerator", "denominator", "period__start", "period__end")
    first: datetime.date | None = None
    last: datetime.date | None = None
    for name, path, numerator, denominator, period_start, period_end in figures:
        unit_name, resolved, on_time = rows.get(path, (name, Decimal(0), Decimal(0)))
        rows[path] = (unit_name, resolved + (denominator or 0), on_time + (numerator or 0))
        first = period_start if first is None else min(first, period_start)
        last = period_end if last is None else max(last, period_end)
    if first is not None and last is not None:
        covered[:] = [first, last]
    return rows


def _with_year(row: DossierRow, year: tuple[str, Decimal, Decimal] | None) -> DossierRow:
    if year is not None:
        row.year_counts = (year[1], year[2])
    return row


def _dossier_rows(
    plan: Plan, start: datetime.date, cutoff: datetime.date, year_start: datetime.date
) -> tuple[list[DossierRow], DossierRow | None, str]:
    """One-stop dossier statistics by unit, from the on-time dossiers indicator's approved figures, and their total.

    The window's figures; in a report whose window does not start the year (Q3), the year to date beside
    them; and the periods the window's figures cover ("T7–T9/2024").
    """
    indicator = (
        Indicator.objects.of_plan(plan).filter(numerator_label__icontains="hồ sơ giải quyết", kind="ratio").first()
    )
    if indicator is None:
        return [], None, ""
    covered: list[datetime.date] = []
    rows = _dossier_figures(indicator, start, cutoff, covered)
    year = _dossier_figures(indicator, year_start, cutoff, []) if start != year_start else {}
    result = [
        _with_year(_dossier_row(name, resolved, on_time), year.get(path))
        for path, (name, resolved, on_time) in sorted(rows.items())
    ]
    if not result:
        return [], None, ""
    total = _with_year(_dossier_row("Tổng cộng", *_sums(rows)), ("Tổng cộng", *_sums(year)) if year else None)
    return result, total, periods_label(indicator.frequency, *covered)


def _counts_row(row: CountsRow) -> DossierCountsRow:
    def count(key: str) -> int | None:
        if key == "received":
            return row.received
        if key == "resolved":
            return row.resolved
        return row.counts.get(key)

    rates = [row.on_time_percent, row.apology_percent, row.online_percent]
    return DossierCountsRow(
        unit=row.label,
        counts=[count(key) for key, _header in ANNEX_IV_COLUMNS],
        rates=["—" if rate is None else format_percent(rate) for rate in rates],
    )


def _month_window(first: datetime.date, last: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Dates that `periods_label` reads as the months first … last (a window opening on the 1st opens that month)."""
    return first, last.replace(day=14)


def _sums(rows: dict[str, tuple[str, Decimal, Decimal]]) -> tuple[Decimal, Decimal]:
    return sum((r for _n, r, _o in rows.values()), Decimal(0)), sum((o for _n, _r, o in rows.values()), Decimal(0))
