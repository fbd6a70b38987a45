"""The dashboard: its numbers against the records, its query budget, its cache and who sees what.

`small_plan` is made by hand so every number can be worked out on paper: issuer T99 with
three units, two areas, five indicators and ten tasks, seen on 17/07/2024, when Tháng 07's
window has closed (14/07) and its figures are due on 20/07. Each test recomputes what the
page should say with plain loops over the records and compares it with `build_dashboard`
and with the rendered page; a few worked-out values pin the loops themselves.
"""

from __future__ import annotations

import datetime
import functools
import pickle
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.template.base import Template
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dashboard.selectors import RANK_WEIGHTS, build_dashboard, dashboard_for, dashboard_invalidate
from parplan.models import Plan, Role, Unit, UnitKind
from parplan.services import membership_add, unit_update, unit_upsert
from planio.interchange import plan_import
from targets.charts import period_names
from targets.evaluation import evaluate_plan, evaluate_plan_once
from targets.figure_counts import figures_on_time_keep
from targets.models import (
    FiguresSentOnTime,
    Frequency,
    Indicator,
    IndicatorSnapshot,
    IndicatorStatus,
    Measurement,
    MeasurementStatus,
    Period,
)
from targets.services import (
    FigureInput,
    evaluations_run_marked,
    indicator_define,
    measurement_approve,
    measurement_reopen,
    measurement_return,
    measurement_save,
    plan_generate_periods,
)
from targets.sources import Source
from tasks.models import ProgressStatus, Task, TaskState
from tasks.services import (
    task_cancel,
    task_claim_completion,
    task_confirm_completion,
    task_create,
    task_report_progress,
    task_update,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2024, 7, 17)
TZ = timezone.get_fixed_timezone(7 * 60)  # Asia/Ho_Chi_Minh has no daylight saving
ISSUER, UNIT_A, UNIT_B, UNIT_C = "T99", "T99-A", "T99-B", "T99-C"
NAMES = {UNIT_A: "Xã An Phú", UNIT_B: "Xã Bình Minh", UNIT_C: "Phòng Công Thương"}
INDICATOR_COLUMNS = ["achieved", "on_track", "at_risk", "off_track", "not_achieved", "not_applicable", "no_data"]
TASK_COLUMNS = ["on_time", "late", "overdue", "in_progress"]
GOOD = {IndicatorStatus.ACHIEVED, IndicatorStatus.ON_TRACK}
SENT = {MeasurementStatus.SUBMITTED, MeasurementStatus.APPROVED}
COMMUNE, OTHER_COMMUNE = "06184", "06190"


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    cache.clear()


# --- A clock the services and the view both read ------------------------------------


class Clock:
    """`timezone.now()` pinned to a chosen local day, so figures can be sent early or late."""

    def __init__(self) -> None:
        self.moment = self._at(TODAY)

    @staticmethod
    def _at(day: datetime.date) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(9), tzinfo=TZ).astimezone(datetime.UTC)

    def set(self, day: datetime.date) -> None:
        self.moment = self._at(day)

    def now(self) -> datetime.datetime:
        return self.moment


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    # `timezone.localdate()` and the session expiry read it through the module too.
    monkeypatch.setattr(timezone, "now", clock.now)
    return clock


# --- The hand-made plan ----------------------------------------------------------------


RATIO = {"kind": "ratio", "comparator": "gte", "unit_of_measure": "%", "aggregation": "ratio_of_sums"}
PLAN_DOCUMENT = {
    "format": "parplan-plan",
    "version": 1,
    "unit_kinds": [
        {"code": "huyen-thu", "name": "Huyện (thử)", "administrative_level": "cấp huyện"},
        {"code": "xa-thu", "name": "Xã (thử)", "administrative_level": "cấp xã"},
    ],
    "units": [
        {"code": ISSUER, "name": "Huyện Thử Nghiệm", "kind": "huyen-thu", "parent": None},
        *({"code": code, "name": name, "kind": "xa-thu", "parent": ISSUER} for code, name in NAMES.items()),
    ],
    "plan": {"issuing_unit": ISSUER, "year": 2024, "title": "Kế hoạch CCHC huyện Thử Nghiệm năm 2024",
             "status": "active"},  # fmt: skip
    "areas": [
        {
            "number": 1,
            "name": "Cải cách thể chế",
            "targets": [
                {"text": "Trên 90% hồ sơ giải quyết đúng hạn.", "indicators": [{
                    "name": "Tỷ lệ hồ sơ giải quyết đúng hạn", **RATIO, "threshold": "90", "target_type": "level",
                    "frequency": "monthly", "scope": "units", "source": "units",
                    "scope_units": [UNIT_A, UNIT_B, UNIT_C]}]},
                {"text": "Rà soát ít nhất 10 văn bản quy phạm.", "indicators": [{
                    "name": "Số văn bản được rà soát", "kind": "count", "comparator": "gte", "threshold": "10",
                    "unit_of_measure": "văn bản", "aggregation": "sum", "target_type": "cumulative",
                    "frequency": "quarterly", "scope": "authority", "source": "secretariat"}]},
            ],
        },
        {
            "number": 2,
            "name": "Cải cách thủ tục hành chính",
            "targets": [
                {"text": "Trên 95% hồ sơ trực tuyến.", "indicators": [{
                    "name": "Tỷ lệ hồ sơ trực tuyến", **RATIO, "threshold": "95", "target_type": "level",
                    "frequency": "monthly", "scope": "units", "source": "units", "scope_units": [UNIT_A, UNIT_B]}]},
                {"text": "Ban hành quy chế một cửa.", "indicators": [{
                    "name": "Ban hành quy chế một cửa", "kind": "milestone", "aggregation": "milestone",
                    "frequency": "year", "scope": "authority", "source": "secretariat"}]},
                {"text": "Trên 80% người dân hài lòng.", "indicators": [{
                    "name": "Tỷ lệ hài lòng", **RATIO, "threshold": "80", "target_type": "level",
                    "frequency": "quarterly", "scope": "units", "source": "units", "scope_units": [UNIT_B, UNIT_C]}]},
            ],
        },
    ],
}  # fmt: skip


@dataclass
class SmallPlan:
    plan: Plan
    units: dict[str, Unit]
    indicators: dict[str, Indicator]
    tasks: dict[str, Task]
    periods: dict[tuple[str, int], Period]
    pending: Measurement  # Phòng Công Thương's satisfaction figure for Quý I: sent late, not yet approved
    extra: dict[str, Any] = field(default_factory=dict)


def _send(
    clock: Clock, user: Any, indicator: Indicator, unit: Unit, period: Period, on: datetime.date,
    approve: bool = True, **numbers: Any,
) -> Measurement:  # fmt: skip
    clock.set(on)
    values: dict[str, Any] = {k: Decimal(v) for k, v in numbers.items()}
    figure = FigureInput(**values)
    measurement = measurement_save(indicator=indicator, unit=unit, period=period, figure=figure, user=user, submit=True)
    if approve:
        measurement_approve(measurement=measurement, user=user)
    return measurement


def _on(month: int, day: int) -> datetime.date:
    return datetime.date(2024, month, day)


def _build_small_plan(clock: Clock, secretariat: Any) -> SmallPlan:
    plan = plan_import(PLAN_DOCUMENT)
    plan = Plan.objects.select_related("issuing_unit").get(pk=plan.pk)
    plan_generate_periods(plan=plan)
    units = {u.code: u for u in Unit.objects.filter(code__in=[ISSUER, *NAMES])}
    a, b, c, issuer = units[UNIT_A], units[UNIT_B], units[UNIT_C], units[ISSUER]
    found = {i.name: i for i in Indicator.objects.of_plan(plan)}
    indicators = {
        "dossiers": found["Tỷ lệ hồ sơ giải quyết đúng hạn"],  # I1: A, B, C monthly
        "reviews": found["Số văn bản được rà soát"],  # I2: the authority's own count
        "online": found["Tỷ lệ hồ sơ trực tuyến"],  # I3: A, B monthly
        "one_stop": found["Ban hành quy chế một cửa"],  # I4: no figure at all
        "satisfaction": found["Tỷ lệ hài lòng"],  # I5: B, C quarterly
    }
    periods = {(p.frequency, p.number): p for p in Period.objects.filter(plan=plan)}
    month = {m: periods[(Frequency.MONTHLY, m)] for m in range(1, 13)}
    quarter = {q: periods[(Frequency.QUARTERLY, q)] for q in range(1, 5)}
    dossiers, online, satisfaction = indicators["dossiers"], indicators["online"], indicators["satisfaction"]
    send = functools.partial(_send, clock, secretariat)
    for m in range(1, 7):
        # A sends on the 18th (Tháng 03 late, on the 25th), B on the 19th, C on the 20th itself and not Tháng 06.
        send(dossiers, a, month[m], _on(m, 25 if m == 3 else 18), numerator=90 + m, denominator=100)
        send(dossiers, b, month[m], _on(m, 19), numerator=88, denominator=100)
        if m < 6:
            send(dossiers, c, month[m], _on(m, 20), numerator=100, denominator=100)
        send(online, a, month[m], _on(m, 18), numerator=80, denominator=100)
    # Tháng 07 closed on 14/07: only A has sent its dossiers figure, not yet approved.
    send(dossiers, a, month[7], _on(7, 16), approve=False, numerator=97, denominator=100)
    send(indicators["reviews"], issuer, quarter[1], _on(3, 19), value=7)
    send(indicators["reviews"], issuer, quarter[2], _on(6, 19), value=5)
    send(satisfaction, b, quarter[1], _on(3, 18), numerator=78, denominator=100)
    returned = send(satisfaction, b, quarter[2], _on(6, 18), approve=False, numerator=60, denominator=100)
    measurement_return(measurement=returned, user=secretariat, comment="Thiếu phiếu khảo sát.")
    pending = send(satisfaction, c, quarter[1], _on(4, 2), approve=False, numerator=70, denominator=100)

    clock.set(TODAY)
    area1, area2 = plan.areas.get(number=1), plan.areas.get(number=2)

    def task(area: Any, title: str, lead: Unit, due: datetime.date, coordinating: tuple[Unit, ...] = ()) -> Task:
        return task_create(
            area=area, text=f"{title}.", title=title, user=secretariat, lead_unit=lead,
            coordinating_units=coordinating, due_date=due,
        )  # fmt: skip

    def complete(t: Task, claimed: datetime.date, confirmed: datetime.date | None) -> None:
        t = task_claim_completion(task=t, user=secretariat, today=claimed, text="Đã hoàn thành.")
        if confirmed:
            task_confirm_completion(task=t, user=secretariat, today=confirmed)

    def progress(t: Task, percent: int) -> None:
        task_report_progress(task=t, user=secretariat, status=ProgressStatus.IN_PROGRESS, percent=percent,
                             text=f"Đã làm {percent}%.")  # fmt: skip

    tasks = {
        "t1": task(area1, "Rà soát quy chế làm việc", a, _on(3, 31)),  # on time
        "t2": task(area1, "Kiện toàn tổ công tác", a, _on(4, 30)),  # late
        "t3": task(area1, "Tự kiểm tra văn bản", b, _on(6, 30)),  # overdue
        "t4": task(area1, "Hệ thống hóa văn bản", b, _on(9, 30), (a, c)),  # in progress
        "t5": task(area2, "Công khai thủ tục mới", c, _on(12, 31)),  # not started
        "t6": task(area2, "Số hóa hồ sơ", c, _on(5, 31), (a, b)),  # overdue
        "t7": task(area2, "Cập nhật cổng dịch vụ công", a, _on(8, 31), (b, c)),  # in progress
        "t8": task(area2, "Khảo sát sự hài lòng", b, _on(6, 30)),  # awaiting confirmation
        "t9": task(area2, "Tập huấn một cửa", c, _on(10, 31)),  # cancelled
        "t10": task(area2, "Niêm yết thủ tục", a, _on(6, 15)),  # on time
    }
    complete(tasks["t1"], _on(3, 20), _on(3, 21))
    complete(tasks["t2"], _on(5, 15), _on(5, 16))
    progress(tasks["t3"], 40)
    progress(tasks["t4"], 30)
    progress(tasks["t6"], 50)
    progress(tasks["t7"], 20)
    complete(tasks["t8"], _on(6, 25), None)
    task_cancel(task=tasks["t9"], user=secretariat, reason="Gộp vào nhiệm vụ khác.")
    complete(tasks["t10"], _on(6, 10), _on(6, 12))
    for day in (_on(3, 20), _on(5, 20), _on(6, 20), TODAY):
        evaluate_plan(plan=plan, day=day)
    tasks = {key: Task.objects.get(pk=t.pk) for key, t in tasks.items()}
    return SmallPlan(plan, units, indicators, tasks, periods, pending)


@pytest.fixture
def small_plan(clock: Clock, secretariat: Any, steering: Any) -> SmallPlan:
    small = _build_small_plan(clock, secretariat)
    # As the nightly run leaves it: the day's counts of figures sent on time kept for the ranking (each
    # figure sent afterwards counts its unit's again).
    figures_on_time_keep(plan=small.plan, day=TODAY)
    # T99 is an authority of its own: the cast's secretariat and committee serve it too.
    membership_add(user=secretariat, unit=small.units[ISSUER], role=Role.SECRETARIAT)
    membership_add(user=steering, unit=small.units[ISSUER], role=Role.STEERING)
    return small


@pytest.fixture
def unit_b_head(small_plan: SmallPlan) -> Any:
    user = get_user_model().objects.create_user("binhminh.lanhdao", password="x", first_name="Lý Văn Bình")
    membership_add(user=user, unit=small_plan.units[UNIT_B], role=Role.UNIT_HEAD)
    return user


def _grow(small: SmallPlan, clock: Clock, secretariat: Any) -> None:
    """Many more units, figures, tasks and evaluation days: the large size of the query budget."""
    kind = UnitKind.objects.get(code="xa-thu")
    issuer = small.units[ISSUER]
    more = [
        unit_upsert(code=f"T99-X{i:02d}", name=f"Xã Mở Rộng {i:02d}", kind=kind, parent=issuer, position=10 + i)
        for i in range(15)
    ]
    dossiers, satisfaction = small.indicators["dossiers"], small.indicators["satisfaction"]
    indicator_define(indicator=dossiers, scope_units=[*dossiers.scope_units.all(), *more])
    indicator_define(indicator=satisfaction, scope_units=[*satisfaction.scope_units.all(), *more])
    for i, unit in enumerate(more):
        for m in range(1, 7):
            _send(clock, secretariat, dossiers, unit, small.periods[(Frequency.MONTHLY, m)], _on(m, 15 + i % 10),
                  numerator=70 + i, denominator=100)  # fmt: skip
        _send(clock, secretariat, satisfaction, unit, small.periods[(Frequency.QUARTERLY, 1)], _on(3, 18 + i % 5),
              approve=i % 2 == 0, numerator=60 + 2 * i, denominator=100)  # fmt: skip
    clock.set(TODAY)
    areas = list(small.plan.areas.all())
    for i in range(60):
        task = task_create(
            area=areas[i % 2], text=f"Nhiệm vụ mở rộng số {i + 1}.", user=secretariat, lead_unit=more[i % 15],
            coordinating_units=[more[(i + 1) % 15], more[(i + 2) % 15]], due_date=_on(4 + i % 8, 10),
        )  # fmt: skip
        if i % 3 == 0:
            task_report_progress(task=task, user=secretariat, status=ProgressStatus.IN_PROGRESS, percent=10 + i,
                                 text="Đang làm.")  # fmt: skip
        elif i % 3 == 1:
            task = task_claim_completion(task=task, user=secretariat, today=_on(4 + i % 5, 20), text="Đã hoàn thành.")
            task_confirm_completion(task=task, user=secretariat, today=_on(4 + i % 5, 21))
    day = _on(5, 1)
    while day <= TODAY:
        evaluate_plan(plan=small.plan, day=day)
        day += datetime.timedelta(days=1)


@pytest.fixture(params=["small", "large"])
def sized_plan(request: pytest.FixtureRequest, small_plan: SmallPlan, clock: Clock, secretariat: Any) -> SmallPlan:
    if request.param == "large":
        _grow(small_plan, clock, secretariat)
    small_plan.extra["size"] = request.param
    return small_plan


# --- What the page should say, from the records ----------------------------------------


def _relevant_indicators(plan: Plan, unit: Unit | None) -> list[Indicator]:
    """All of the plan's indicators; for a unit, those it (or a unit below it) reports."""
    indicators = list(Indicator.objects.of_plan(plan).prefetch_related("scope_units"))
    if unit is None:
        return indicators
    return [i for i in indicators if any(u.path.startswith(unit.path) for u in i.scope_units.all())]


def _latest_status(indicator: Indicator, unit: Unit) -> str:
    snapshot = IndicatorSnapshot.objects.filter(indicator=indicator, unit=unit, day__lte=TODAY).order_by("-day").first()
    return snapshot.status if snapshot else IndicatorStatus.NO_DATA


def _tasks_seen(plan: Plan, unit: Unit | None) -> list[Task]:
    tasks = Task.objects.filter(area__plan=plan).select_related("area").prefetch_related("coordinating_units")
    return [t for t in tasks if unit is None or t.lead_unit_id == unit.pk or unit in list(t.coordinating_units.all())]


def expected_areas(plan: Plan, unit: Unit | None) -> dict[int, list[int]]:
    """Per area number: the seven indicator counts, then the four task counts, as the table shows them."""
    subject = unit or plan.issuing_unit
    indicators: dict[int, Counter[str]] = {a.number: Counter() for a in plan.areas.all()}
    for indicator in _relevant_indicators(plan, unit):
        indicators[indicator.area.number][_latest_status(indicator, subject)] += 1
    tasks: dict[int, Counter[str]] = {a.number: Counter() for a in plan.areas.all()}
    for task in _tasks_seen(plan, unit):
        tasks[task.area.number][task.state_on(TODAY)] += 1
    return {
        number: [indicators[number][s] for s in INDICATOR_COLUMNS] + [tasks[number][s] for s in TASK_COLUMNS]
        for number in indicators
    }


@dataclass(frozen=True)
class Rank:
    code: str
    tasks: tuple[int, int]  # on time, led
    figures: tuple[int, int]  # sent by the due date, expected for closed periods
    indicators: tuple[int, int]  # achieved or on track, with data
    score: Decimal | None  # None: "not enough data", fewer than two parts apply
    rank: int | None = None


def expected_ranking(plan: Plan, weights: dict[str, Decimal], only: Unit | None = None) -> list[Rank]:
    """The stated rule, recomputed unit by unit (docs/dashboard.md): the ranked units by rank, then the others.

    A part counts only when it has something to count; its weight is shared out among the
    parts that do. Fewer than two parts: not ranked. Equal scores share the rank 1 + the
    number of units scoring more.
    """
    closed = [p for p in Period.objects.filter(plan=plan) if p.end < TODAY]
    indicators = list(Indicator.objects.of_plan(plan).prefetch_related("scope_units"))
    figures = {
        (m.indicator_id, m.unit_id, m.period_id): m for m in Measurement.objects.filter(indicator__area__plan=plan)
    }
    tasks = list(Task.objects.filter(area__plan=plan, cancelled_at__isnull=True))
    ranks = []
    for unit in Unit.objects.below(plan.issuing_unit):
        if only is not None and unit != only:
            continue
        led = [t for t in tasks if t.lead_unit_id == unit.pk]
        on_time = sum(t.state_on(TODAY) == TaskState.COMPLETED_ON_TIME for t in led)
        expected = sent = 0
        judged = good = 0
        for indicator in indicators:
            if unit not in list(indicator.scope_units.all()):
                continue
            status = _latest_status(indicator, unit)
            judged += status not in (IndicatorStatus.NO_DATA, IndicatorStatus.NOT_APPLICABLE)
            good += status in GOOD
            if indicator.source != Source.UNITS:
                continue
            for period in closed:
                if period.frequency != indicator.frequency:
                    continue
                expected += 1
                figure = figures.get((indicator.pk, unit.pk, period.pk))
                sent += bool(
                    figure
                    and figure.status in SENT
                    and timezone.localtime(figure.submitted_at).date() <= period.due_date
                )
        parts = {"tasks": (on_time, len(led)), "figures": (sent, expected), "indicators": (good, judged)}
        applying = {name: (part, whole) for name, (part, whole) in parts.items() if whole}
        if not applying:
            continue
        score = None
        if len(applying) >= 2:
            used = sum((weights[name] for name in applying), Decimal(0))
            mix = sum(
                (weights[name] * Decimal(part) / Decimal(whole) for name, (part, whole) in applying.items()), Decimal(0)
            )
            score = (mix / used * 100).quantize(Decimal("0.1"))
        ranks.append(Rank(unit.code, parts["tasks"], parts["figures"], parts["indicators"], score))
    scored = [r.score for r in ranks if r.score is not None]
    ranks = [
        Rank(r.code, r.tasks, r.figures, r.indicators, r.score, 1 + sum(s > r.score for s in scored))
        if r.score is not None
        else r
        for r in ranks
    ]
    return sorted(ranks, key=lambda r: (r.score is None, -(r.score or 0), _name(r.code)))


def _name(code: str) -> str:
    return NAMES.get(code) or Unit.objects.get(code=code).name


def board_ranking(board: Any) -> list[Rank]:
    return [
        Rank(r.code, (r.tasks_on_time, r.tasks_assigned), (r.figures_on_time, r.figures_expected),
             (r.indicators_good, r.indicators_judged), r.score, r.rank)
        for r in [*board.ranking, *board.unranked]
    ]  # fmt: skip


def expected_missing(plan: Plan, unit: Unit | None) -> tuple[str, dict[str, int]]:
    """Units without a sent figure for the last closed monthly period: {code: indicators missing}."""
    period = max(
        (p for p in Period.objects.filter(plan=plan, frequency="monthly") if p.end < TODAY), key=lambda p: p.end
    )
    missing: Counter[str] = Counter()
    for indicator in Indicator.objects.of_plan(plan).filter(source=Source.UNITS, frequency="monthly"):
        for scope_unit in indicator.scope_units.all():
            if unit is not None and scope_unit != unit:
                continue
            sent = Measurement.objects.filter(
                indicator=indicator, unit=scope_unit, period=period, status__in=SENT
            ).exists()
            if not sent:
                missing[scope_unit.code] += 1
    return period.label, dict(missing)


def expected_overdue(plan: Plan, unit: Unit | None) -> list[int]:
    overdue = [t for t in _tasks_seen(plan, unit) if t.state_on(TODAY) == TaskState.OVERDUE]
    return [t.pk for t in sorted(overdue, key=lambda t: t.due_date)]


def expected_off_track(plan: Plan, unit: Unit | None) -> list[int]:
    subject = unit or plan.issuing_unit
    return [
        i.pk
        for i in sorted(_relevant_indicators(plan, unit), key=lambda i: (i.area.number, i.pk))
        if _latest_status(i, subject) == IndicatorStatus.OFF_TRACK
    ]


# --- Reading the rendered page ---------------------------------------------------------


class Element:
    def __init__(self, tag: str, attrs: dict[str, str]) -> None:
        self.tag, self.attrs = tag, attrs
        self.children: list[Element] = []
        self.parts: list[str] = []

    @property
    def text(self) -> str:
        return " ".join("".join(self.parts).split())

    def all(self, tag: str, cls: str | None = None, id: str | None = None) -> list[Element]:
        found = []
        for child in self.children:
            if child.tag == tag and (cls is None or cls in child.attrs.get("class", "").split()):
                if id is None or child.attrs.get("id") == id:
                    found.append(child)
            found += child.all(tag, cls, id)
        return found

    def one(self, tag: str, cls: str | None = None, id: str | None = None) -> Element:
        found = self.all(tag, cls, id)
        assert len(found) == 1, f"{len(found)} <{tag} class={cls} id={id}>"
        return found[0]


class Page(HTMLParser):
    """A small tree of the page (the standard library only); `text` gathers nested text."""

    VOID = {"area", "br", "col", "hr", "img", "input", "link", "meta", "source", "wbr"}

    def __init__(self, html: str) -> None:
        super().__init__()
        self.root = Element("root", {})
        self.stack = [self.root]
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(element)
        if tag not in self.VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Element(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        for element in self.stack[1:]:
            element.parts.append(data)


def page_areas(page: Page) -> dict[int, list[int]]:
    rows = page.root.one("table", "dash-areas").one("tbody").all("tr")
    shown = {}
    for row in rows:
        cells = [td.text for td in row.all("td")]
        shown[int(cells[0].split(".")[0])] = [int(c) for c in cells[1:]]
    return shown


def page_weights(page: Page) -> dict[str, Decimal]:
    """The mix as the page states it: "Điểm = 40% … + 30% … + 30% …"."""
    text = page.root.one("section", id="ranking").one("p", "rule").text
    tasks, figures, indicators = re.findall(r"(\d+)%", text)
    return {k: Decimal(v) / 100 for k, v in (("tasks", tasks), ("figures", figures), ("indicators", indicators))}


def page_ranking(page: Page) -> list[tuple[str, Decimal, list[tuple[int, int]]]]:
    ranked = []
    for li in page.root.one("ol", "ranking").all("li"):
        if not li.all("span", "rank-name"):
            continue  # "nothing to rank yet"
        counts = [(int(a), int(b)) for a, b in re.findall(r"(\d+)/(\d+)", li.one("small").text)]
        score = Decimal(li.one("strong").text.replace(",", "."))
        ranked.append((li.one("span", "rank-name").text, score, counts))
    return ranked


def page_rank_numbers(page: Page) -> list[str]:
    """The rank a reader sees on each line of the ranking: a list item's own number, or the one written in it."""
    numbers = []
    for li in page.root.one("ol", "ranking").all("li"):
        written = li.all("span", "rank-no")
        numbers.append(li.attrs.get("value") or (written[0].text if written else ""))
    return numbers


def page_unranked(page: Page) -> list[tuple[str, list[tuple[int, int]]]]:
    """The units listed apart as "not enough data", with the counts they have."""
    lists = page.root.one("section", id="ranking").all("ul", "unranked")
    lines = [li for ul in lists for li in ul.all("li")]
    return [
        (
            li.one("span", "rank-name").text,
            [(int(a), int(b)) for a, b in re.findall(r"(\d+)/(\d+)", li.one("small").text)],
        )
        for li in lines
    ]


def page_links(page: Page, heading: str) -> list[str]:
    """The links of the "needs attention" list under `heading`."""
    section = page.root.all("section", "card")[1]
    headings = section.all("h3")
    lists = section.all("ul")
    index = next(i for i, h in enumerate(headings) if h.text.startswith(heading))
    return [a.attrs["href"] for a in lists[index].all("a")]


def page_missing(page: Page) -> tuple[str, list[str]]:
    section = page.root.all("section", "card")[1]
    heading = next(h.text for h in section.all("h3") if h.text.startswith("Chưa gửi số liệu"))
    label = re.sub(r" \(\d+\)$", "", heading.removeprefix("Chưa gửi số liệu").strip())
    return label, [li.text for li in section.all("ul")[2].all("li")]


def _dashboard(client: Client, plan: Plan, unit: str | None = None) -> Any:
    query = {"plan": plan.pk} | ({"unit": unit} if unit else {})
    response = client.get(reverse("dashboard"), query)
    assert response.status_code == 200
    return response


# --- (1) Truthfulness --------------------------------------------------------------------


def test_hand_made_plan_has_every_status_and_state_to_count(small_plan):
    """The data set is worth checking against: each column of the table has something in it, but "not achieved"
    and "not applicable" (mid-year, no obligation missed, every rate has something to count; the status rule's
    table, tests/targets/test_status_rule.py, covers them)."""
    plan = small_plan.plan
    assert expected_areas(plan, None) == {1: [1, 1, 0, 0, 0, 0, 0, 1, 1, 1, 1], 2: [0, 0, 1, 1, 0, 0, 1, 1, 0, 1, 1]}
    assert RANK_WEIGHTS == {"tasks": Decimal("0.4"), "figures": Decimal("0.3"), "indicators": Decimal("0.3")}
    assert expected_ranking(plan, RANK_WEIGHTS) == [
        # A: 40% × 2/4 + 30% × 12/14 (Tháng 03 late; of Tháng 07, closed on 14/07, one sent) + 30% × 1/2
        Rank(UNIT_A, (2, 4), (12, 14), (1, 2), Decimal("60.7"), 1),
        # C: 30% × 5/9 (Tháng 06 missing, Quý I sent late) + 30% × 1/1
        Rank(UNIT_C, (0, 2), (5, 9), (1, 1), Decimal("46.7"), 2),
        # B: 30% × 7/16 (Quý II returned, "online" never sent); no indicator on track
        Rank(UNIT_B, (0, 3), (7, 16), (0, 2), Decimal("13.1"), 3),
    ]
    assert expected_missing(plan, None) == ("Tháng 07/2024", {UNIT_A: 1, UNIT_B: 2, UNIT_C: 1})


def test_selector_counts_equal_the_records(small_plan):
    plan = small_plan.plan
    board = build_dashboard(plan=plan, unit=None, today=TODAY)

    shown = {a.number: [a.indicators[s] for s in INDICATOR_COLUMNS] + [a.tasks[s] for s in TASK_COLUMNS]
             for a in board.areas}  # fmt: skip
    assert shown == expected_areas(plan, None)
    assert board_ranking(board) == expected_ranking(plan, RANK_WEIGHTS)
    label, missing = expected_missing(plan, None)
    assert board.missing_period == label
    assert {m["unit__code"]: m["n"] for m in board.missing_figures} == missing
    assert [m["n"] for m in board.missing_figures] == sorted(missing.values(), reverse=True)
    assert [t["pk"] for t in board.overdue_tasks] == expected_overdue(plan, None)
    assert [r.pk for r in board.off_track] == expected_off_track(plan, None)
    assert board.day == TODAY


def test_indicator_rows_show_latest_value_status_and_trend(small_plan):
    plan, issuer = small_plan.plan, small_plan.units[ISSUER]
    board = build_dashboard(plan=plan, unit=None, today=TODAY)

    assert len(board.indicators) == Indicator.objects.of_plan(plan).count()
    for row in board.indicators:
        history = list(IndicatorSnapshot.objects.filter(indicator_id=row.pk, unit=issuer).order_by("day"))
        assert row.status == (history[-1].status if history else IndicatorStatus.NO_DATA)
        assert row.value == (history[-1].value if history else None)
        assert row.trend == [float(s.value) for s in history if s.value is not None]
        assert (row.chart is not None) is (len(row.trend) >= 2)
    dossiers = next(r for r in board.indicators if r.pk == small_plan.indicators["dossiers"].pk)
    # Σ numerators / Σ denominators over A (91…96), B (6 × 88) and C (5 × 100), Tháng 01 to 06.
    assert (dossiers.status, round(dossiers.value, 2)) == (IndicatorStatus.ON_TRACK, Decimal("93.47"))


def test_page_shows_the_same_numbers_as_the_records(small_plan, client_for, steering):
    plan = small_plan.plan
    page = Page(_dashboard(client_for(steering), plan).content.decode())

    assert page_areas(page) == expected_areas(plan, None)
    weights = page_weights(page)
    assert weights == RANK_WEIGHTS
    ranking = [r for r in expected_ranking(plan, weights) if r.score is not None]
    assert page_ranking(page) == [(NAMES[r.code], r.score, [r.tasks, r.figures, r.indicators]) for r in ranking]
    assert page_rank_numbers(page) == [str(r.rank) for r in ranking]
    label, missing = expected_missing(plan, None)
    shown_label, shown_missing = page_missing(page)
    assert shown_label == label
    assert sorted(shown_missing) == sorted(f"{NAMES[code]}: {n} chỉ số" for code, n in missing.items())
    assert page_links(page, "Chưa gửi số liệu") == [
        reverse("figures-entry", args=[plan.pk, code])
        for code in sorted(missing, key=lambda code: (-missing[code], NAMES[code]))
    ]
    assert page_links(page, "Nhiệm vụ quá hạn") == [
        reverse("task-detail", args=[pk]) for pk in expected_overdue(plan, None)
    ]
    assert page_links(page, "Chỉ số chậm") == [
        reverse("indicator-detail", args=[pk]) for pk in expected_off_track(plan, None)
    ]


def test_unit_filter_counts_only_what_involves_the_unit(small_plan, client_for, steering):
    """B leads t3, t4 (coordinated by two units) and t8, and coordinates t6 and t7."""
    plan, unit = small_plan.plan, small_plan.units[UNIT_B]
    board = build_dashboard(plan=plan, unit=unit, today=TODAY)

    expected = expected_areas(plan, unit)
    # Its own indicators only (the authority's count and milestone are not the unit's "no data").
    assert expected == {1: [0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 1], 2: [0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 1]}
    shown = {a.number: [a.indicators[s] for s in INDICATOR_COLUMNS] + [a.tasks[s] for s in TASK_COLUMNS]
             for a in board.areas}  # fmt: skip
    assert shown == expected
    assert [r.code for r in board.ranking] == [UNIT_B]
    assert [(r.code, r.score) for r in expected_ranking(plan, RANK_WEIGHTS, only=unit)] == [
        (board.ranking[0].code, board.ranking[0].score)
    ]
    assert {m["unit__code"]: m["n"] for m in board.missing_figures} == expected_missing(plan, unit)[1]
    assert [t["pk"] for t in board.overdue_tasks] == expected_overdue(plan, unit)
    assert [r.pk for r in board.off_track] == expected_off_track(plan, unit)

    page = Page(_dashboard(client_for(steering), plan, UNIT_B).content.decode())
    assert page_areas(page) == expected
    assert [name for name, _, _ in page_ranking(page)] == [NAMES[UNIT_B]]


def test_unit_head_sees_their_unit_s_numbers(small_plan, client_for, unit_b_head):
    plan = small_plan.plan
    page = Page(_dashboard(client_for(unit_b_head), plan).content.decode())

    assert page.root.one("h1").text == f"Bảng điều hành CCHC: {NAMES[UNIT_B]}"
    assert page_areas(page) == expected_areas(plan, small_plan.units[UNIT_B])
    assert [(o.attrs["value"], o.text) for o in page.root.one("select", id="unit").all("option")] == [
        (UNIT_B, NAMES[UNIT_B])
    ]
    assert [name for name, _, _ in page_ranking(page)] == [NAMES[UNIT_B]]
    # Named, not linked: the figures entry page of a unit is for its own people and the secretariat.
    assert page_missing(page)[1] == [f"{NAMES[UNIT_B]}: 2 chỉ số"]
    assert page_links(page, "Chưa gửi số liệu") == []


def test_ranking_reads_each_indicator_s_latest_result_after_one_is_re_evaluated(small_plan):
    """An approval re-evaluates one indicator for its day; the others keep their last result."""
    plan = small_plan.plan
    before = build_dashboard(plan=plan, unit=None, today=TODAY).ranking
    tomorrow = TODAY + datetime.timedelta(days=1)
    evaluate_plan(plan=plan, day=tomorrow, indicator_ids=[small_plan.indicators["satisfaction"].pk])

    after = build_dashboard(plan=plan, unit=None, today=tomorrow).ranking
    assert [(r.code, r.indicators_good, r.indicators_judged) for r in after] == [
        (r.code, r.indicators_good, r.indicators_judged) for r in before
    ]


# --- (2) Query budget ----------------------------------------------------------------------

# build_dashboard, whatever the plan's size:
#  1. the plan's reform areas
#  2. the plan's monthly periods (the trend charts' period names, and the last closed month)
#  3. its indicators, with their areas (filtered to a unit: those it or a unit below it reports)
#  4. the last 12 evaluation days (DISTINCT day)
#  5. the authority's (or the unit's) snapshots of those days
#  6. task counts per area and state
#  7. the first overdue tasks
#  8. units missing figures for the last closed month, with counts
#  9. ranking: tasks led and completed on time per unit
# 10. ranking: closed periods' frequencies
# 11. ranking: figures expected per unit and frequency
# 12. ranking: figures sent by their due date per unit (the counts kept for the day)
# 13. ranking: indicator results per unit on each indicator's latest evaluation day
# 14. ranking: the units below the issuer
BUILD_QUERIES = 14
# The page, before the dashboard: session, user, the person's secretariat and committee
# memberships and their role groups' rights, the chosen plan, the units of the filter; after
# it, the header's memberships and unread notices, and the plans of the plan select; and the
# official ranking, for those who read the authority's scoring results: its finished scoring
# rounds (none here; two more per group with a finished round: its scores, its units).
OFFICIAL_RANKING_QUERIES = 1
PAGE_QUERIES_WARM = 9 + OFFICIAL_RANKING_QUERIES
# The inspection panel, for those who read the plan's inspections: the plan's inspection plan (none
# here), built and cached with the board's lifetime (inspections/templatetags/inspection_board.py).
INSPECTION_PANEL_QUERIES = 1
PAGE_QUERIES_COLD = PAGE_QUERIES_WARM + BUILD_QUERIES + INSPECTION_PANEL_QUERIES


def test_selector_query_count_does_not_grow_with_the_data(sized_plan, django_assert_num_queries):
    if sized_plan.extra["size"] == "large":
        assert Task.objects.filter(area__plan=sized_plan.plan).count() > 60
        assert IndicatorSnapshot.objects.filter(indicator__area__plan=sized_plan.plan).count() > 2000
    with django_assert_num_queries(BUILD_QUERIES):
        board = build_dashboard(plan=sized_plan.plan, unit=None, today=TODAY)
    assert len(board.ranking) == (3 if sized_plan.extra["size"] == "small" else 18)
    with django_assert_num_queries(BUILD_QUERIES):
        build_dashboard(plan=sized_plan.plan, unit=sized_plan.units[UNIT_B], today=TODAY)


def test_page_query_count_does_not_grow_with_the_data(sized_plan, client_for, steering, django_assert_num_queries):
    client = client_for(steering)
    with django_assert_num_queries(PAGE_QUERIES_COLD):
        cold = _dashboard(client, sized_plan.plan)
    # Warm: the same page from the cache, only the request's own queries.
    with django_assert_num_queries(PAGE_QUERIES_WARM):
        warm = _dashboard(client, sized_plan.plan)
    assert page_areas(Page(warm.content.decode())) == page_areas(Page(cold.content.decode()))


def test_unit_head_page_query_count(sized_plan, unit_b_head, client_for, django_assert_num_queries):
    client = client_for(unit_b_head)
    # As for the committee, less the role groups' rights (a unit head has no role with rights
    # over plans) and the official ranking (not theirs to read); the plan is found through the
    # person's units, in the same one query.
    with django_assert_num_queries(PAGE_QUERIES_WARM - 1 - OFFICIAL_RANKING_QUERIES + BUILD_QUERIES):
        _dashboard(client, sized_plan.plan)


# --- (3) Cache invalidation ------------------------------------------------------------------


def test_unrelated_requests_do_not_rebuild_the_dashboard(
    small_plan, client_for, steering, secretariat, django_assert_num_queries
):
    plan = small_plan.plan
    client = client_for(steering)
    with django_assert_num_queries(PAGE_QUERIES_COLD):
        first = page_areas(Page(_dashboard(client, plan).content.decode()))
    assert client_for(secretariat).get(reverse("plan-detail", args=[plan.pk])).status_code == 200
    # A write outside the services does not tell the dashboard: the cached numbers are served.
    Task.objects.filter(pk=small_plan.tasks["t5"].pk).update(status=ProgressStatus.IN_PROGRESS)
    with django_assert_num_queries(PAGE_QUERIES_WARM):
        assert page_areas(Page(_dashboard(client, plan).content.decode())) == first


def test_the_dashboard_is_cached_once_per_language(seed_plan, client_for, steering):
    # The board holds text made in the reader's language (the rules, the period's name).
    client = client_for(steering)
    vietnamese = _dashboard(client, seed_plan).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = _dashboard(client, seed_plan).content.decode()
    assert "Đạt / không đạt" in vietnamese and "Đạt / không đạt" not in english
    assert "Achieved / not achieved" in english
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    assert "Đạt / không đạt" in _dashboard(client, seed_plan).content.decode()


def test_approving_a_figure_changes_the_next_render(
    small_plan, client_for, steering, secretariat, django_capture_on_commit_callbacks, django_assert_num_queries
):
    plan = small_plan.plan
    client = client_for(steering)
    before = Page(_dashboard(client, plan).content.decode())
    assert page_areas(before)[2][:7] == [0, 0, 1, 1, 0, 0, 1]

    with django_capture_on_commit_callbacks(execute=True):
        measurement_approve(measurement=small_plan.pending, user=secretariat)
    # Beat's sweep of the approval's mark, a debounce window later.
    evaluations_run_marked(now=timezone.now() + datetime.timedelta(hours=1))

    # Satisfaction: (78 + 70) / 200 = 74% < 95% of 80%: off track for the authority and for C.
    with django_assert_num_queries(PAGE_QUERIES_COLD):
        after = Page(_dashboard(client, plan).content.decode())
    assert page_areas(after)[2][:7] == [0, 0, 0, 2, 0, 0, 1]
    assert page_areas(after) == expected_areas(plan, None)
    assert [r for r in page_ranking(after) if r[0] == NAMES[UNIT_C]][0][2][2] == (1, 2)


def test_reporting_progress_changes_the_next_render(
    small_plan, client_for, steering, secretariat, django_capture_on_commit_callbacks
):
    plan = small_plan.plan
    client = client_for(steering)
    assert page_areas(Page(_dashboard(client, plan).content.decode()))[2][7:] == [1, 0, 1, 1]

    with django_capture_on_commit_callbacks(execute=True):
        task_report_progress(task=small_plan.tasks["t5"], user=secretariat, status=ProgressStatus.IN_PROGRESS,
                             percent=10, text="Đã bắt đầu.")  # fmt: skip

    assert page_areas(Page(_dashboard(client, plan).content.decode()))[2][7:] == [1, 0, 1, 2]


def test_editing_a_task_changes_the_next_render_for_every_filter(
    small_plan, client_for, steering, unit_b_head, secretariat, django_capture_on_commit_callbacks
):
    plan = small_plan.plan
    committee, head = client_for(steering), client_for(unit_b_head)
    assert page_areas(Page(_dashboard(committee, plan).content.decode()))[1][7:] == [1, 1, 1, 1]
    assert page_areas(Page(_dashboard(head, plan).content.decode()))[1][7:] == [0, 0, 1, 1]
    t4 = small_plan.tasks["t4"]

    with django_capture_on_commit_callbacks(execute=True):
        task_update(task=t4, expected_version=t4.version, user=secretariat, due_date=_on(7, 1))

    assert page_areas(Page(_dashboard(committee, plan).content.decode()))[1][7:] == [1, 1, 2, 0]
    assert page_areas(Page(_dashboard(head, plan).content.decode()))[1][7:] == [0, 0, 2, 0]


def test_returning_a_figure_changes_the_next_render(
    small_plan, client_for, steering, secretariat, django_capture_on_commit_callbacks
):
    """docs/dashboard.md: returned figures drop the cache too; A's Tháng 07 is then not sent."""
    plan = small_plan.plan
    client = client_for(steering)
    assert f"{NAMES[UNIT_A]}: 1 chỉ số" in page_missing(Page(_dashboard(client, plan).content.decode()))[1]
    sent = Measurement.objects.get(unit__code=UNIT_A, indicator=small_plan.indicators["dossiers"],
                                   period=small_plan.periods[(Frequency.MONTHLY, 7)])  # fmt: skip

    with django_capture_on_commit_callbacks(execute=True):
        measurement_return(measurement=sent, user=secretariat, comment="Sai mẫu số.")

    assert f"{NAMES[UNIT_A]}: 2 chỉ số" in page_missing(Page(_dashboard(client, plan).content.decode()))[1]


# --- (4) Access ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["steering", "secretariat", "administrator"])
def test_committee_and_secretariat_see_every_unit(request, client_for, current_plan, who):
    # Without ?plan= the dashboard opens on the active plan (this year's), not on the closed 2024 one.
    response = client_for(request.getfixturevalue(who)).get(reverse("dashboard"))
    assert response.status_code == 200
    assert response.context["plan"] == current_plan
    options = Page(response.content.decode()).root.one("select", id="unit").all("option")
    assert options[0].text == "Toàn cơ quan" and options[0].attrs["value"] == ""
    assert [o.attrs["value"] for o in options[1:]] == list(
        Unit.objects.below(current_plan.issuing_unit).order_by("path").values_list("code", flat=True)
    )
    assert response.context["unit"] is None


@pytest.mark.parametrize(
    ("who", "code"),
    [("commune_head", COMMUNE), ("commune_staff", COMMUNE), ("other_commune_head", OTHER_COMMUNE),
     ("office_head", "183-TP")],
)  # fmt: skip
def test_unit_people_see_only_their_unit(request, client_for, who, code):
    response = client_for(request.getfixturevalue(who)).get(reverse("dashboard"))
    assert response.status_code == 200
    page = Page(response.content.decode())
    assert [o.attrs["value"] for o in page.root.one("select", id="unit").all("option")] == [code]
    assert "Toàn cơ quan" not in response.content.decode()
    name = Unit.objects.get(code=code).name
    assert page.root.one("h1").text.endswith(name)
    assert [r[0] for r in page_ranking(page)] + [r[0] for r in page_unranked(page)] == [name]


@pytest.mark.parametrize(("who", "code"), [("commune_head", OTHER_COMMUNE), ("other_commune_head", COMMUNE),
                                           ("commune_staff", "183-TP")])  # fmt: skip
def test_unit_people_cannot_filter_to_another_unit(request, client_for, who, code):
    response = client_for(request.getfixturevalue(who)).get(reverse("dashboard"), {"unit": code})
    assert response.status_code == 403


def test_outsider_is_sent_to_the_plan_list(client_for, outsider, seed_plan):
    response = client_for(outsider).get(reverse("dashboard"))
    assert response.status_code == 302
    assert response.url == reverse("plan-list")


def test_anonymous_is_sent_to_log_in(client, seed_plan):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={reverse('dashboard')}"


def test_steering_committee_lands_on_the_dashboard(client_for, steering, secretariat, current_plan):
    response = client_for(steering).get(reverse("home"))
    assert (response.status_code, response.url) == (302, reverse("dashboard"))
    # Others land on the newest active plan: this year's, not the closed 2024 one.
    assert client_for(secretariat).get(reverse("home")).url == reverse("plan-detail", args=[current_plan.pk])


def test_any_year_can_be_chosen(small_plan, client_for, steering, seed_plan):
    client = client_for(steering)
    assert client.get(reverse("dashboard"), {"plan": small_plan.plan.pk}).context["plan"] == small_plan.plan
    assert client.get(reverse("dashboard"), {"plan": seed_plan.pk}).context["plan"] == seed_plan


# --- (5) Colour is never the only signal; printing -----------------------------------------


def test_every_status_has_a_text_label(small_plan, client_for, steering):
    page = Page(_dashboard(client_for(steering), small_plan.plan).content.decode())
    rows = page.root.one("table", "dash-indicators").one("tbody").all("tr")
    assert len(rows) == 5
    labels = {s.value: s.label for s in IndicatorStatus}
    seen = set()
    for row in rows:
        status = row.one("span", "status")
        value = next(c.removeprefix("status-") for c in status.attrs["class"].split() if c.startswith("status-"))
        assert status.text == labels[value]
        # And the reason in words beside it (targets.status.status_reason).
        assert row.one("small", "reason").text.strip()
        seen.add(value)
    # Five indicators, five different statuses, each named.
    assert len(seen) == 5
    assert len(page.root.all("polyline")) >= 1
    assert all(p.attrs["points"] for p in page.root.all("polyline"))


def test_print_stylesheet_is_a4_and_hides_the_navigation():
    css = (Path(settings.BASE_DIR) / "static" / "css" / "parplan.css").read_text(encoding="utf-8")
    assert "@page { size: A4" in css
    print_rules = css[css.index("@media print") :]
    assert re.search(r"\.no-print, \.site-header \{ display: none; \}", print_rules)


def _long_ranking(monkeypatch: pytest.MonkeyPatch, scores: list[int]) -> None:
    """The dashboard's ranking replaced by units scoring `scores`, ranked as the selector ranks them."""
    from dashboard import views
    from dashboard.selectors import UnitRank, dashboard_for

    ranks = [
        UnitRank(code=f"U{i:03d}", name=f"Đơn vị {i:03d}", tasks_assigned=1, tasks_on_time=1, figures_expected=0,
                 figures_on_time=0, indicators_judged=0, indicators_good=0, score=Decimal(score))
        for i, score in enumerate(scores, start=1)
    ]  # fmt: skip
    for rank, score in zip(ranks, scores, strict=True):
        rank.rank = 1 + sum(other > score for other in scores)  # the competition rank the selector gives
    real = dashboard_for  # the function dashboard.views calls, patched there below

    def with_long_ranking(**kwargs):
        board = real(**kwargs)
        board.ranking = ranks
        return board

    monkeypatch.setattr(views, "dashboard_for", with_long_ranking)


def test_a_long_ranking_shows_its_top_and_bottom_ten_and_links_the_full_list(client_for, secretariat, monkeypatch):
    _long_ranking(monkeypatch, [100 - i for i in range(1, 46)])
    client = client_for(secretariat)
    page = client.get("/dashboard/").content.decode()
    shown = re.findall(r'<span class="rank-no">(\d+)</span> <span class="rank-name">(Đơn vị \d+)</span>', page)
    assert [int(v) for v, _ in shown] == [*range(1, 11), *range(36, 46)]
    assert "25 đơn vị ở giữa" in page
    full = client.get("/dashboard/", {"view": "ranking", "page": 2}).content.decode()
    assert "Đơn vị 051" not in full and "Đơn vị 045" in full and ">45<" in full


def test_the_gap_of_a_long_ranking_prints_no_rank_number(client_for, secretariat, monkeypatch):
    """Issue 12: the "…" between the top and the bottom ten repeated the next line's number."""
    _long_ranking(monkeypatch, [100 - i for i in range(1, 46)])
    numbers = page_rank_numbers(Page(client_for(secretariat).get("/dashboard/").content.decode()))
    printed = [n for n in numbers if n]
    assert len(printed) == 20
    assert [n for n, times in Counter(printed).items() if times > 1] == []
    # An <ol> numbers each item itself unless told not to: the numbers are the written ones only.
    css = (Path(settings.BASE_DIR) / "static" / "css" / "parplan.css").read_text(encoding="utf-8")
    assert ".ranking { list-style: none;" in css


def test_tied_units_share_a_rank_printed_once_on_the_dashboard_and_the_full_list(client_for, secretariat, monkeypatch):
    _long_ranking(monkeypatch, [90, 80, 80, 80, 70, *range(60, 40, -1)])
    client = client_for(secretariat)
    numbers = page_rank_numbers(Page(client.get("/dashboard/").content.decode()))
    assert numbers[:6] == ["1", "2", "", "", "5", "6"]
    full = Page(client.get("/dashboard/", {"view": "ranking"}).content.decode())
    cells = [row.all("td")[0].text for row in full.root.one("table", "ranking-full").one("tbody").all("tr")]
    assert cells[:6] == ["1", "2", "", "", "5", "6"]


def test_a_dashboard_cached_in_english_is_not_served_in_vietnamese(client_for, steering, seed_plan):
    # The rules are written with the language's decimal mark: one cached board per language.
    on_time = Indicator.objects.get(area__plan=seed_plan, area__number=3, target__position=3)
    indicator_define(indicator=on_time, threshold=Decimal("99.5"))
    client = client_for(steering)
    pages = {}
    for language in ("en", "vi"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        pages[language] = client.get(reverse("dashboard") + f"?plan={seed_plan.pk}").content.decode()
    assert '<td class="rule short-cell" data-label="Target">&gt; 99.5 %</td>' in pages["en"]
    # (Not "99.5" alone: the charts' coordinates are written with a point in every language.)
    assert '<td class="rule short-cell" data-label="Mục tiêu">&gt; 99,5 %</td>' in pages["vi"]
    assert "99.5 %" not in pages["vi"]


# --- (6) A fair ranking, whole needs-attention lists (issue 12, items 3 and 4) ----------------


def _add_unit(small: SmallPlan, code: str, name: str, kind: str = "xa-thu") -> Unit:
    kind_row, _ = UnitKind.objects.get_or_create(code=kind, defaults={"name": f"Loại {kind}"})
    return unit_upsert(code=code, name=name, kind=kind_row, parent=small.units[ISSUER], position=50)


def _lead_on_time_task(small: SmallPlan, secretariat: Any, unit: Unit) -> Task:
    """A task `unit` leads, due 31/03 and confirmed done on 21/03."""
    task = task_create(area=small.plan.areas.get(number=1), text=f"Việc của {unit.name}.", user=secretariat,
                       lead_unit=unit, due_date=_on(3, 31))  # fmt: skip
    task = task_claim_completion(task=task, user=secretariat, today=_on(3, 20), text="Đã hoàn thành.")
    return task_confirm_completion(task=task, user=secretariat, today=_on(3, 21))


def _report_dossiers(small: SmallPlan, *units: Unit) -> None:
    """`units` join the monthly dossiers indicator: seven closed months expected, none sent."""
    dossiers = small.indicators["dossiers"]
    indicator_define(indicator=dossiers, scope_units=[*dossiers.scope_units.all(), *units])


def test_a_unit_without_tasks_is_scored_on_its_other_parts_only(small_plan, secretariat, client_for, steering):
    """Issue 12: units with no task took the whole 40 % task share and ranked first."""
    plan = small_plan.plan
    for key in ("t5", "t6"):  # C's tasks; t9 is already cancelled
        task_cancel(task=small_plan.tasks[key], user=secretariat, reason="Không còn phù hợp.")

    board = build_dashboard(plan=plan, unit=None, today=TODAY)
    c = next(r for r in board.ranking if r.code == UNIT_C)
    assert (c.tasks_on_time, c.tasks_assigned) == (0, 0)
    # (30 % × 5/9 + 30 % × 1/1) ÷ 60 %, not 40 % + 30 % × 5/9 + 30 % = 86.7.
    assert c.score == Decimal("77.8")
    assert c.weights == {"tasks": None, "figures": Decimal(50), "indicators": Decimal(50)}
    assert board_ranking(board) == expected_ranking(plan, RANK_WEIGHTS)

    page = Page(_dashboard(client_for(steering), plan).content.decode())
    line = next(li for li in page.root.one("ol", "ranking").all("li") if NAMES[UNIT_C] in li.text)
    assert "nhiệm vụ đúng hạn 0/0 (không tính)" in line.text
    assert "số liệu đúng hạn 5/9 (50%)" in line.text and "chỉ số đạt 1/1 (50%)" in line.text
    a_line = next(li for li in page.root.one("ol", "ranking").all("li") if NAMES[UNIT_A] in li.text)
    assert "2/4 (40%)" in a_line.text and "12/14 (30%)" in a_line.text and "1/2 (30%)" in a_line.text


def test_units_with_equal_scores_share_a_rank(small_plan, secretariat, client_for, steering):
    plan = small_plan.plan
    twins = [_add_unit(small_plan, f"T99-S{i}", f"Xã Song Sinh {i}") for i in (1, 2)]
    for unit in twins:
        _lead_on_time_task(small_plan, secretariat, unit)
    _report_dossiers(small_plan, *twins)

    board = build_dashboard(plan=plan, unit=None, today=TODAY)
    # Each: 40 % × 1/1 + 30 % × 0/7 over 70 % = 57.1, between A (60.7) and C (46.7).
    assert [(r.code, r.score, r.rank) for r in board.ranking] == [
        (UNIT_A, Decimal("60.7"), 1), ("T99-S1", Decimal("57.1"), 2), ("T99-S2", Decimal("57.1"), 2),
        (UNIT_C, Decimal("46.7"), 4), (UNIT_B, Decimal("13.1"), 5),
    ]  # fmt: skip
    assert board_ranking(board) == expected_ranking(plan, RANK_WEIGHTS)
    page = Page(_dashboard(client_for(steering), plan).content.decode())
    assert page_rank_numbers(page) == ["1", "2", "", "4", "5"]
    assert [li.attrs["data-rank"] for li in page.root.one("ol", "ranking").all("li")] == ["1", "2", "2", "4", "5"]


def test_units_with_too_little_data_are_listed_apart(small_plan, secretariat, client_for, steering):
    plan = small_plan.plan
    lone = _add_unit(small_plan, "T99-L", "Xã Lẻ Loi")
    _lead_on_time_task(small_plan, secretariat, lone)  # tasks only: 1/1, nothing else to count

    board = build_dashboard(plan=plan, unit=None, today=TODAY)
    assert [r.code for r in board.ranking] == [UNIT_A, UNIT_C, UNIT_B]
    assert [(r.code, r.score, r.rank) for r in board.unranked] == [("T99-L", None, None)]
    assert board_ranking(board) == expected_ranking(plan, RANK_WEIGHTS)

    page = Page(_dashboard(client_for(steering), plan).content.decode())
    assert "Xã Lẻ Loi" not in page.root.one("ol", "ranking").text
    assert page_unranked(page) == [("Xã Lẻ Loi", [(1, 1), (0, 0), (0, 0)])]
    section = page.root.one("section", id="ranking")
    assert "Chưa đủ dữ liệu (1)" in [h.text for h in section.all("h3")]
    assert "Chỉ số tiến độ, không phải kết quả chấm điểm Chỉ số CCHC." in section.text
    listed = Page(client_for(steering).get(reverse("dashboard"), {"plan": plan.pk, "view": "ranking"}).content.decode())
    rows = listed.root.one("table", "unranked").one("tbody").all("tr")
    assert [[td.text for td in row.all("td")] for row in rows] == [["Xã Lẻ Loi", "1/1", "0/0", "0/0"]]


def _attention_page(client: Client, plan: Plan, view: str, **query: Any) -> Page:
    response = client.get(reverse("dashboard"), {"plan": plan.pk, "view": view, **query})
    assert response.status_code == 200
    return Page(response.content.decode())


def _attention_rows(page: Page) -> list[list[str]]:
    return [[td.text for td in row.all("td")] for row in page.root.one("table", "attention").one("tbody").all("tr")]


def test_needs_attention_lists_show_their_count_and_link_their_full_list(small_plan, client_for, steering):
    plan = small_plan.plan
    page = Page(_dashboard(client_for(steering), plan).content.decode())
    card = page.root.all("section", "card")[1]
    headings = [h.text for h in card.all("h3")]
    assert headings == ["Nhiệm vụ quá hạn (2)", "Chỉ số chậm, không đạt (1)", "Chưa gửi số liệu Tháng 07/2024 (3)"]
    more = [a.attrs["href"] for p in card.all("p", "attention-more") for a in p.all("a") if a.text == "Xem tất cả"]
    assert more == [f"?plan={plan.pk}&view={view}" for view in ("overdue", "off_track", "missing")]

    client = client_for(steering)
    overdue = _attention_page(client, plan, "overdue")
    assert [row[0].split(" ", 1)[1] for row in _attention_rows(overdue)] == ["Số hóa hồ sơ", "Tự kiểm tra văn bản"]
    behind = _attention_page(client, plan, "off_track")
    assert len(_attention_rows(behind)) == 1
    missing = _attention_page(client, plan, "missing")
    assert sorted(row[0] for row in _attention_rows(missing)) == sorted(NAMES.values())


def test_missing_figures_show_communes_beside_many_offices_and_filter_by_kind(
    small_plan, client_for, steering, monkeypatch
):
    """Issue 12: "Chưa gửi số liệu" stopped at ten units, all offices; no commune ever appeared."""
    from dashboard import views

    plan = small_plan.plan
    offices = [_add_unit(small_plan, f"T99-P{i:02d}", f"Phòng Thử {i:02d}", kind="phong-thu") for i in range(12)]
    _report_dossiers(small_plan, *offices)
    client = client_for(steering)

    _, shown = page_missing(Page(_dashboard(client, plan).content.decode()))
    assert len(shown) == 10
    # B misses two figures, every office one: sorted by count alone the first ten had one commune at most.
    assert {f"{name}: {n} chỉ số" for name, n in ((NAMES[UNIT_A], 1), (NAMES[UNIT_B], 2), (NAMES[UNIT_C], 1))} <= set(
        shown
    )
    page = Page(_dashboard(client, plan).content.decode())
    heading = next(h.text for h in page.root.all("h3") if h.text.startswith("Chưa gửi số liệu"))
    assert heading.endswith("(15)")
    kinds = {a.text: a.attrs["href"] for p in page.root.all("p", "attention-more") for a in p.all("a")}
    assert kinds["Loại phong-thu: 12"] == f"?plan={plan.pk}&view=missing&kind=phong-thu"
    assert kinds["Xã (thử): 3"] == f"?plan={plan.pk}&view=missing&kind=xa-thu"

    communes = _attention_rows(_attention_page(client, plan, "missing", kind="xa-thu"))
    assert sorted(row[0] for row in communes) == sorted(NAMES.values())
    monkeypatch.setattr(views, "ATTENTION_PAGE", 5)
    pages = [_attention_rows(_attention_page(client, plan, "missing", page=n)) for n in (1, 2, 3)]
    assert [len(rows) for rows in pages] == [5, 5, 5]
    assert len({row[0] for rows in pages for row in rows}) == 15
    pager = _attention_page(client, plan, "missing", page=3).root.one("nav", "pager")
    assert pager.text.startswith("‹ Trước Trang 3/3")


# --- (7) A dashboard for people who look rather than read (issue 12, item 6) ----------------


def test_the_dashboard_opens_with_what_is_off_track_who_lags_and_what_is_overdue(small_plan, client_for, steering):
    """Issue 12: the first screen of a phone held the areas' table; the three answers were far below."""
    plan = small_plan.plan
    board = build_dashboard(plan=plan, unit=None, today=TODAY)
    page = Page(_dashboard(client_for(steering), plan).content.decode())
    main = page.root.one("main")
    first = next(child for child in main.children if child.tag in ("section", "form"))
    assert first.attrs.get("class") == "dash-summary", "the summary comes before every other section and the filter"
    off_track, lagging, overdue = first.all("a", "tile")
    assert off_track.one("span", "tile-n").text == str(len(board.off_track)) and board.off_track
    assert overdue.one("span", "tile-n").text == str(len(board.overdue_tasks)) and board.overdue_tasks
    assert [line.text for line in overdue.all("span", "tile-line")][0].startswith(
        f"{board.overdue_tasks[0]['area__number']}.{board.overdue_tasks[0]['position']} "
    )
    # The lowest scores first: the units that lag.
    named = [line.text for line in lagging.all("span", "tile-line")]
    assert named and named[0].startswith(board.ranking[-1].name)
    assert len(named) == min(3, len(board.ranking))


def test_each_area_has_bars_that_add_up_to_its_counts(small_plan, client_for, steering):
    plan = small_plan.plan
    board = build_dashboard(plan=plan, unit=None, today=TODAY)
    for area in board.areas:
        for bar, total in ((area.indicator_bar, area.indicators_total), (area.task_bar, area.tasks_total)):
            assert sum(s.n for s in bar) == total
            if bar:
                assert [s.x for s in bar] == sorted(s.x for s in bar) and bar[0].x == 0
                assert abs(sum(s.width for s in bar) - 100) < 0.5
                assert all(abs(a.x + a.width - b.x) < 0.2 for a, b in zip(bar, bar[1:], strict=False))
    page = Page(_dashboard(client_for(steering), plan).content.decode())
    shown = page.root.one("ol", "areas").all("li")
    assert len(shown) == len(board.areas)
    for li, area in zip(shown, board.areas, strict=True):
        indicators, tasks = li.all("svg", "bar")
        # Words beside the bar and in its label: colour is never the only signal.
        assert f"{area.indicators_good}/{area.indicators_total}" in li.text
        assert f"{area.tasks_done}/{area.tasks_total}" in li.text
        assert indicators.attrs["role"] == "img" and indicators.attrs["aria-label"].startswith("Chỉ số: ")
        assert len(tasks.all("rect")) == 1 + len(area.task_bar)  # the track and one rectangle per state


def test_every_trend_chart_has_axes_a_threshold_period_names_a_title_and_a_description(
    small_plan, client_for, steering
):
    """Issue 12: the only charts were small lines without axes."""
    plan = small_plan.plan
    board = build_dashboard(plan=plan, unit=None, today=TODAY)
    charted = {row.pk: row for row in board.indicators if row.chart is not None}
    assert charted
    page = Page(_dashboard(client_for(steering), plan).content.decode())
    charts = page.root.all("svg", "trend")
    assert len(charts) == len(charted)
    for svg in charts:
        title, desc = svg.one("title", id=svg.attrs["aria-labelledby"].split()[0]), svg.one("desc")
        assert svg.attrs["aria-labelledby"].split()[1] == desc.attrs["id"]
        row = next(r for r in charted.values() if title.text == f"Diễn biến: {r.name}"[: len(title.text)])
        chart = row.chart
        assert chart is not None
        axis = svg.one("g", "axis")
        labels = [text.text for text in axis.all("text")]
        assert labels == [t.label for t in chart.y_ticks] + [t.label for t in chart.x_ticks]
        assert len(chart.y_ticks) >= 2 and len(set(t.label for t in chart.y_ticks)) == len(chart.y_ticks)
        # Period names: the month each evaluation reports, in the text alternative and on the axis.
        assert all(re.fullmatch(r"Tháng \d{2}/\d{4}", p.period) for p in chart.points)
        assert all(re.fullmatch(r"\d{2}/\d{2}", t.label) for t in chart.x_ticks)
        assert desc.text.startswith(f"{chart.points[0].period}: {chart.points[0].value}")
        thresholds = svg.all("line", "chart-threshold")
        assert len(thresholds) == (1 if chart.threshold_y is not None else 0)
        # The latest value is written next to its point.
        assert any(text.text == chart.points[-1].value for text in svg.all("text", "point-label"))


def test_a_trend_point_is_named_for_the_last_month_due_by_its_day(seed_plan):

    months = list(Period.objects.filter(plan=seed_plan, frequency="monthly").order_by("end"))
    november = next(m for m in months if m.number == 11)
    assert period_names(november.due_date, months) == (str(november), f"11/{november.end:%y}")
    # The day before November's due date still reports October.
    october = next(m for m in months if m.number == 10)
    assert period_names(november.due_date - datetime.timedelta(days=1), months)[0] == str(october)
    before = months[0].due_date - datetime.timedelta(days=1)
    assert period_names(before, months) == (f"{before:%d/%m/%Y}", f"{before:%d/%m}")


# --- Figures sent on time: the counts kept for the ranking ---------------------------------------


def _kept_on_time(plan: Plan) -> dict[int, int]:
    rows = FiguresSentOnTime.objects.filter(plan=plan, day=TODAY, sent_on_time__gt=0)
    return dict(rows.values_list("unit_id", "sent_on_time"))


def test_the_kept_counts_of_figures_sent_on_time_follow_each_figure_sent_returned_or_reopened(
    small_plan, clock, secretariat
):
    """Counted from the figures, the counts the ranking reads are the same after every write of a figure."""
    plan, b = small_plan.plan, small_plan.units[UNIT_B]
    dossiers = small_plan.indicators["dossiers"]
    counted = Measurement.objects.sent_on_time_by_unit(plan, TODAY)
    assert _kept_on_time(plan) == counted and counted[b.pk] == 7  # six months of dossiers and Quý I
    january = Measurement.objects.get(indicator=dossiers, unit=b, period=small_plan.periods[(Frequency.MONTHLY, 1)])
    measurement_reopen(measurement=january, user=secretariat, reason="Kiểm tra lại số liệu.")
    assert _kept_on_time(plan)[b.pk] == 6 == Measurement.objects.sent_on_time_by_unit(plan, TODAY)[b.pk]
    # Sent again today, after its due date: late, not counted.
    _send(clock, secretariat, dossiers, b, small_plan.periods[(Frequency.MONTHLY, 1)], TODAY, numerator=89,
          denominator=100)  # fmt: skip
    # Tháng 07 closed on 14/07 and is due on the 20th: sent today, it counts.
    _send(clock, secretariat, dossiers, b, small_plan.periods[(Frequency.MONTHLY, 7)], TODAY, approve=False,
          numerator=90, denominator=100)  # fmt: skip
    assert _kept_on_time(plan)[b.pk] == 7
    returned = Measurement.objects.get(indicator=dossiers, unit=b, period=small_plan.periods[(Frequency.MONTHLY, 7)])
    measurement_return(measurement=returned, user=secretariat, comment="Sai mẫu số.")
    assert _kept_on_time(plan) == Measurement.objects.sent_on_time_by_unit(plan, TODAY)
    assert _kept_on_time(plan)[b.pk] == 6


def test_counts_kept_for_another_day_are_not_read_the_figures_are_counted(
    small_plan, client_for, steering, django_assert_num_queries
):
    """The counts kept at last night's run are of the periods ended before that day: read on another day
    (no run since), the ranking counts the figures itself, one query more, and says the same."""
    plan = small_plan.plan
    kept_page = page_ranking(Page(_dashboard(client_for(steering), plan).content.decode()))
    FiguresSentOnTime.objects.filter(plan=plan).update(day=TODAY - datetime.timedelta(days=1), sent_on_time=99)
    dashboard_invalidate(plan.pk)
    with django_assert_num_queries(BUILD_QUERIES + 1):
        board = build_dashboard(plan=plan, unit=None, today=TODAY)
    counted = Measurement.objects.sent_on_time_by_unit(plan, TODAY)
    assert {r.code: r.figures_on_time for r in board.ranking} == {
        r.code: min(counted.get(small_plan.units[r.code].pk, 0), r.figures_expected) for r in board.ranking
    }
    assert page_ranking(Page(_dashboard(client_for(steering), plan).content.decode())) == kept_page


def test_the_nightly_run_keeps_every_units_count_of_the_day(small_plan):
    plan = small_plan.plan
    FiguresSentOnTime.objects.filter(plan=plan).delete()
    day = TODAY
    assert evaluate_plan_once(plan_id=plan.pk, day=day) is not None
    kept = FiguresSentOnTime.objects.filter(plan=plan)
    assert set(kept.values_list("unit_id", flat=True)) == set(Unit.objects.subtree_of(plan.issuing_unit).values_list(
        "pk", flat=True))  # fmt: skip
    assert set(kept.values_list("day", flat=True)) == {day}
    counts = {row.unit_id: row.sent_on_time for row in kept}
    assert {u: n for u, n in counts.items() if n} == Measurement.objects.sent_on_time_by_unit(plan, day)
    # Of the periods ended before the day: Tháng 07 (ended 14/07, A's sent 16/07) counts on 17/07, not on 10/07.
    a = small_plan.units[UNIT_A].pk
    assert counts[a] == Measurement.objects.sent_on_time_by_unit(plan, _on(7, 10))[a] + 1


def _indicator_values(page: Page) -> dict[str, str]:
    """The indicators' table: name → the value cell as shown."""
    rows = page.root.one("table", "dash-indicators").one("tbody").all("tr")
    return {row.one("td", "name-cell").text.strip(): row.one("td", "value-cell").text.split()[0] for row in rows}


def _templates_rendered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the templates rendered from now on, in order (a list that fills as pages are drawn)."""
    rendered: list[str] = []
    real_render = Template.render

    def counting_render(self: Template, context: Any) -> Any:
        rendered.append(str(self.origin.template_name))
        return real_render(self, context)

    monkeypatch.setattr(Template, "render", counting_render)
    return rendered


def test_the_indicators_table_is_rendered_once_per_board_and_again_for_a_new_one(
    small_plan, client_for, steering, secretariat, django_capture_on_commit_callbacks, monkeypatch
):
    """The table and its charts (most of the page) are cached under the board's key: a second request
    does not render them; an approval, which makes a new board, shows its new value."""
    plan = small_plan.plan
    client = client_for(steering)
    before = _indicator_values(Page(_dashboard(client, plan).content.decode()))
    assert before["Tỷ lệ hài lòng"] == "78,0%"  # B's Quý I: 78 / 100; C's figure still awaits review
    rendered = _templates_rendered(monkeypatch)
    _dashboard(client, plan)
    assert "targets/_trend_chart.html" not in rendered and "dashboard/dashboard.html" in rendered
    with django_capture_on_commit_callbacks(execute=True):
        measurement_approve(measurement=small_plan.pending, user=secretariat)
    evaluations_run_marked(now=timezone.now() + datetime.timedelta(hours=1))
    rendered.clear()
    after = _indicator_values(Page(_dashboard(client, plan).content.decode()))
    assert "targets/_trend_chart.html" in rendered
    assert after["Tỷ lệ hài lòng"] == "74,0%"  # (78 + 70) / 200


def test_a_worker_serves_the_board_it_read_last_without_unpickling_it_again(
    small_plan, client_for, steering, django_assert_num_queries, monkeypatch
):
    """A national board is 1.35 MB pickled: the board read for a key stays in the process's memory."""
    plan = small_plan.plan
    client = client_for(steering)
    first = page_areas(Page(_dashboard(client, plan).content.decode()))
    reads = []
    real_get = cache.get

    def counting_get(key: str, *args: Any, **kwargs: Any) -> Any:
        reads.append(key)
        return real_get(key, *args, **kwargs)

    monkeypatch.setattr(cache, "get", counting_get)
    with django_assert_num_queries(PAGE_QUERIES_WARM):
        assert page_areas(Page(_dashboard(client, plan).content.decode())) == first
    assert not [key for key in reads if key.startswith("dashboard-v")]


def test_after_redis_is_flushed_no_worker_serves_a_board_it_held_from_before(
    small_plan, client_for, steering, django_assert_num_queries
):
    """The generation counters start again after a flush, from a new value: the keys of the boards held
    in memory are never met again, and the next page is built from the records."""
    plan = small_plan.plan
    client = client_for(steering)
    assert page_areas(Page(_dashboard(client, plan).content.decode()))[2][7:] == [1, 0, 1, 1]
    # A write outside the services tells nobody; then Redis loses everything (a restart without disk).
    Task.objects.filter(pk=small_plan.tasks["t5"].pk).update(status=ProgressStatus.IN_PROGRESS)
    cache.clear()
    with django_assert_num_queries(PAGE_QUERIES_COLD):
        page = Page(_dashboard(client, plan).content.decode())
    assert page_areas(page) == expected_areas(plan, None)


def test_the_board_s_parts_are_rendered_once_per_board_and_never_cached_with_it(
    small_plan, client_for, steering, monkeypatch
):
    """Issue 17: a warm national page spent most of its CPU drawing the ranking, the needs-attention lists
    and the areas again from an unchanged board. They are rendered once per board and kept with it in the
    process's memory; the board in Redis (what another worker reads) carries none of that HTML."""
    plan = small_plan.plan
    client = client_for(steering)
    first = _dashboard(client, plan).content.decode()
    rendered = _templates_rendered(monkeypatch)
    second = _dashboard(client, plan).content.decode()
    drawn_from_the_board = {"dashboard/_rank_line.html", "dashboard/_bar.html", "dashboard/_attention_more.html"}
    assert "dashboard/dashboard.html" in rendered and not drawn_from_the_board & set(rendered)
    for page in (Page(first), Page(second)):
        assert page_areas(page) == expected_areas(plan, None)
    assert Page(second).root.one("section", id="ranking").text == Page(first).root.one("section", id="ranking").text

    board = dashboard_for(plan=plan, role="all", unit=None, today=timezone.localdate())
    assert {"summary", "areas-attention", "ranking", "indicators"} <= set(board.parts)
    assert pickle.loads(pickle.dumps(board)).parts == {}


def test_the_filter_s_units_are_read_on_every_request_the_board_s_parts_are_not(small_plan, client_for, steering):
    """A unit renamed or added tells no board (parplan.services): the filter, drawn outside the board's parts,
    shows it at once, where a list kept with the board would offer the old code, which chooses nothing."""
    plan = small_plan.plan
    client = client_for(steering)
    _dashboard(client, plan)
    unit_b = small_plan.units[UNIT_B]
    unit_update(unit=unit_b, code="T99-B2", name="Phòng mới đổi tên", kind=unit_b.kind, parent=unit_b.parent,
                position=unit_b.position)  # fmt: skip
    options = Page(_dashboard(client, plan).content.decode()).root.one("select", id="unit").all("option")
    assert [(o.attrs["value"], o.text) for o in options][2] == ("T99-B2", "Phòng mới đổi tên")


def test_a_renamed_unit_shows_at_once_in_the_ranking_kept_with_the_board(
    small_plan, client_for, steering, django_capture_on_commit_callbacks
):
    """The unit services announce a change to the plans above the unit (parplan.services): the board kept
    for the plan is dropped, so its ranking names the unit as it is now, not as it was until the board
    expired (15 minutes)."""
    plan = small_plan.plan
    client = client_for(steering)
    assert NAMES[UNIT_B] in Page(_dashboard(client, plan).content.decode()).root.one("section", id="ranking").text
    unit_b = small_plan.units[UNIT_B]
    with django_capture_on_commit_callbacks(execute=True):
        unit_update(unit=unit_b, code=unit_b.code, name="Phòng mới đổi tên", kind=unit_b.kind,
                    parent=unit_b.parent, position=unit_b.position)  # fmt: skip
    ranking = Page(_dashboard(client, plan).content.decode()).root.one("section", id="ranking").text
    assert "Phòng mới đổi tên" in ranking and NAMES[UNIT_B] not in ranking


def test_the_unit_filter_lists_the_issuer_s_units_escaped_with_the_chosen_one_selected(
    small_plan, client_for, steering
):
    """The filter's options are written in one pass (dashboard/templatetags/unit_options.py): names are
    escaped, the unit asked for is the one selected, and with none asked for the whole authority is."""
    plan = small_plan.plan
    Unit.objects.filter(code=UNIT_B).update(name='Phòng "Tư pháp" <Hộ tịch> & Chứng thực')
    dashboard_invalidate(plan.pk)
    client = client_for(steering)
    html = _dashboard(client, plan, UNIT_B).content.decode()
    assert "Phòng &quot;Tư pháp&quot; &lt;Hộ tịch&gt; &amp; Chứng thực</option>" in html
    options = Page(html).root.one("select", id="unit").all("option")
    assert [o.attrs["value"] for o in options] == ["", UNIT_A, UNIT_B, UNIT_C]
    assert [o.attrs["value"] for o in options if "selected" in o.attrs] == [UNIT_B]
    assert options[2].text == 'Phòng "Tư pháp" <Hộ tịch> & Chứng thực'
    options = Page(_dashboard(client, plan).content.decode()).root.one("select", id="unit").all("option")
    assert not [o for o in options if "selected" in o.attrs]


def test_a_yes_no_indicator_s_row_says_met_or_not_not_one(seed_plan, client_for, steering):
    """Found walking the portal: the dashboard wrote a yes/no indicator's value "1,0" where its page says "Đạt"."""
    response = _dashboard(client_for(steering), seed_plan)
    rows = [r for r in response.context["board"].indicators if r.kind == "milestone" and r.value is not None]
    assert rows, "the seed plan has yes/no indicators with a value"
    import lxml.html  # type: ignore[import-untyped]

    page = lxml.html.fromstring(response.content.decode())
    for row in rows:
        url = reverse("indicator-detail", args=[row.pk])
        [cell] = page.xpath(f"//tr[td[@class='name-cell']/a[@href='{url}']]/td[contains(@class, 'value-cell')]")
        assert cell.text.strip() == ("Đạt" if row.value >= 1 else "Không đạt")
