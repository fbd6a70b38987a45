"""A year of made-up but plausible one-stop rows for every unit that handles procedure dossiers.

Deterministic (seeded by unit code and month), imported through the same checks as a
file (`dossier_rows_import`), so `demo` is repeatable: a second run finds the rows and
imports nothing. The stories the indicators show: online filing rising through the
year, a few late dossiers almost everywhere, Mẫu Sơn (remote) late more often and
apologising for only some, Phòng Tài nguyên và Môi trường missing an apology now and
then, and Thị trấn Cao Lộc with no late dossier all year.

The rows are loaded before the demo's typed figures and history (demo.figures): the
evaluation of each month's due date computes the dossier indicators' figures from them.
The demo loads them for the live plan, whose on-time and apology indicators it switches
to the dossier sources first (`demo_dossier_sources_switch`); the 2024 plan keeps the
figures its units typed.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model

from dossiers.indicators import APOLOGY, ON_TIME, ONLINE, dossier_figures_write
from dossiers.models import DossierMonth
from dossiers.reading import ParsedRow
from dossiers.services import dossier_rows_import
from parplan.models import Plan, Unit
from targets.models import Aggregation, Comparator, Frequency, Indicator, IndicatorKind, Scope, TargetType
from targets.parsing import ParsedIndicator
from targets.services import indicator_define, target_upsert
from targets.sources import Source

_KINDS = ("office", "town", "commune")
_SLOW_UNIT = "06238"  # Mẫu Sơn: a remote commune, late more often, apologises for half
_NEVER_LATE = "06187"  # Thị trấn Cao Lộc
_FORGETFUL_OFFICE = "TNMT"  # suffix of the office that now and then issues no apology
# Dossiers received in a month, by kind of unit.
_VOLUME = {"office": (12, 70), "town": (120, 260), "commune": (35, 140)}


# The seed's indicators of the one-stop dossiers, by their numerator's label, and the source that feeds them.
_FED = {
    "hồ sơ giải quyết trước và đúng hạn": ON_TIME,
    "hồ sơ trễ hạn có giải trình và xin lỗi": APOLOGY,
}


def demo_dossier_sources_switch(*, plan: Plan) -> int:
    """From this year the one-stop system's export feeds the on-time and apology indicators; returns how many.

    The 2024 plan keeps the figures its units typed (its history as it happened); the
    live plan, copied from it, has these two computed from the dossier rows instead.
    """
    switched = 0
    for indicator in Indicator.objects.of_plan(plan).filter(numerator_label__in=_FED, source=Source.UNITS):
        switched += indicator_define(indicator=indicator, source=_FED[indicator.numerator_label]).changed
    return switched


# The live plan's target of online filing, which the 2024 plan did not have (its area 7 counts
# work files handled online, another thing): from the one-stop system's own counts.
ONLINE_TARGET = (
    "Tỷ lệ hồ sơ thủ tục hành chính được tiếp nhận trực tuyến trên tổng số hồ sơ tiếp nhận của các cơ quan "
    "chuyên môn, UBND cấp xã đạt từ 50% trở lên."
)


def demo_online_target_add(*, plan: Plan) -> Indicator | None:
    """The live plan's online-filing target, fed by the dossier rows, over the units the on-time one counts.

    Added once, after the plan's last target of area 3 (procedures); None when the plan
    has no on-time indicator fed by the rows to take the units from.
    """
    on_time = Indicator.objects.of_plan(plan).filter(source=ON_TIME).select_related("area").first()
    if on_time is None:
        return None
    area = on_time.area
    existing = area.targets.filter(text=ONLINE_TARGET).first()
    position = existing.position if existing else 1 + max((t.position for t in area.targets.all()), default=0)
    parsed = ParsedIndicator(
        name="Tỷ lệ hồ sơ TTHC được tiếp nhận trực tuyến", kind=IndicatorKind.RATIO, comparator=Comparator.GTE,
        threshold=Decimal(50), unit_of_measure="%",
    )  # fmt: skip
    target = target_upsert(area=area, position=position, text=ONLINE_TARGET, indicators=[parsed])
    indicator = target.indicators.get()
    indicator_define(
        indicator=indicator, scope_units=list(on_time.scope_units.all()), frequency=Frequency.MONTHLY,
        scope=Scope.UNITS, aggregation=Aggregation.RATIO_OF_SUMS, target_type=TargetType.LEVEL, source=ONLINE,
        numerator_label="hồ sơ tiếp nhận trực tuyến", denominator_label="hồ sơ tiếp nhận",
    )  # fmt: skip
    return indicator


def demo_dossiers_load(*, plan: Plan, until: datetime.date | None = None) -> int:
    """Import the months of rows of each office, town and commune of the plan's authority; the rows imported.

    Twelve months for a past year; for the live one (`until`, today), the months the
    one-stop system has closed by then (month M closes on the 14th of M).
    """
    units = list(Unit.objects.below(plan.issuing_unit).filter(kind__code__in=_KINDS).select_related("kind"))
    if DossierMonth.objects.filter(unit__in=units, month__year=plan.year).exists():
        return 0
    until = until or datetime.date(plan.year, 12, 31)
    months = [m for m in range(1, 13) if datetime.date(plan.year, m, 14) < until]
    rows = [row for unit in units for row in _unit_year(unit, plan.year) if row.month.month in months]
    if not rows:
        return 0
    secretariat = get_user_model().objects.get(username="noivu")
    batch = dossier_rows_import(plan=plan, rows=rows, source="Hệ thống một cửa (dữ liệu mẫu)", user=secretariat)
    # The figures now, so that the demo's typed figures find them and leave these indicators alone.
    dossier_figures_write(plan, until)
    return batch.done_rows


def _unit_year(unit: Unit, year: int) -> list[ParsedRow]:
    rng = random.Random(f"one-stop-{unit.code}")
    low, high = _VOLUME.get(unit.kind.code, _VOLUME["commune"])
    carried = rng.randint(low // 10, low // 3)
    rows = []
    for month in range(1, 13):
        counts = _month(rng, unit.code, month, carried, rng.randint(low, high))
        stored: dict[str, int | None] = dict(counts)
        rows.append(ParsedRow(0, unit.pk, datetime.date(year, month, 1), stored))
        # Next month opens with what this one left open.
        carried = counts["pending_on_time"] + counts["pending_overdue"] + counts["awaiting_supplements"]
        carried += counts["paused"]
    return rows


def _month(rng: random.Random, code: str, month: int, carried: int, received: int) -> dict[str, int]:
    online = int(received * min(0.9, 0.42 + 0.03 * month + rng.uniform(-0.05, 0.05)))
    by_post = rng.randint(0, max(1, received // 25))
    in_person = received - online - by_post
    available = carried + received
    withdrawn = rng.choice((0, 0, 0, 1))
    awaiting = rng.randint(0, max(1, available // 40))
    paused = rng.choice((0, 0, 0, 0, 1))
    pending_overdue = 0 if code == _NEVER_LATE else rng.choice((0, 0, 0, 0, 1))
    pending_on_time = int(available * rng.uniform(0.08, 0.16))
    resolved = available - withdrawn - awaiting - paused - pending_overdue - pending_on_time
    if code == _NEVER_LATE:
        late = 0
    elif code == _SLOW_UNIT:
        late = rng.randint(2, 6)
    else:
        late = rng.choice((0, 0, 0, 1, 1, 2))
    late = min(late, resolved)
    early = int((resolved - late) * rng.uniform(0.5, 0.7))
    apologised = late
    if code == _SLOW_UNIT:
        apologised = late // 2
    elif code.endswith(_FORGETFUL_OFFICE) and late and month % 4 == 0:
        apologised = late - 1
    return {
        "carried_over": carried, "received_online": online, "received_in_person": in_person,
        "received_by_post": by_post, "resolved_early": early, "resolved_on_time": resolved - late - early,
        "resolved_late": late, "pending_on_time": pending_on_time, "pending_overdue": pending_overdue,
        "awaiting_supplements": awaiting, "paused": paused, "withdrawn": withdrawn, "apologised": apologised,
        "dossiers_digitised": int(received * rng.uniform(0.7, 0.95)),
        "results_digitised": int(resolved * rng.uniform(0.6, 0.9)),
    }  # fmt: skip
