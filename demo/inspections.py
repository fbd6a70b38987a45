"""A year of inspections for a demo plan: the secretariat's PAR inspections and the justice office's
monitoring of law enforcement, so the two computed indicators show real values (docs/inspections.md).

The tables below are 2024's; a plan of another year gets the same days of its own year, up to its
"today" (`until`): this year's live plan holds only what has happened by now. Loaded once (the
plans are the mark); the two indicators are evaluated on each month's due date, as `demo.figures`
does for the others, so their history has a trend.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from inspections.indicators import COVERAGE, FINDINGS_HANDLED
from inspections.models import InspectionKind, InspectionPlan, Severity
from inspections.services import (
    PlanInput,
    VisitInput,
    finding_add,
    finding_settle,
    inspection_plan_create,
    planned_unit_add,
    recommendation_add,
    recommendation_answer,
    recommendation_confirm,
    visit_record,
)
from parplan.models import Plan, Unit, UnitKind
from targets.evaluation import evaluate_plan
from targets.models import Frequency, Indicator
from targets.periods import periods_of

D = datetime.date

# (unit, planned month, unannounced, visit day or None, finding or None): the PAR inspection plan.
# Two visits to Đồng Đăng (counted once); twelve units of 35 in scope visited, a little over 30 %.
_PAR_UNITS: list[tuple[str, int, bool, datetime.date | None]] = [
    ("183-VP", 3, False, D(2024, 3, 12)),
    ("183-TP", 3, False, D(2024, 3, 20)),
    ("06184", 4, False, D(2024, 4, 9)),
    ("06190", 4, True, D(2024, 4, 23)),
    ("183-TCKH", 5, False, D(2024, 5, 14)),
    ("183-VHTT", 6, False, D(2024, 6, 11)),
    ("06187", 6, True, D(2024, 6, 25)),
    ("183-TNMT", 7, False, D(2024, 7, 16)),
    ("183-YT", 8, False, D(2024, 8, 13)),
    ("183-GDDT", 9, False, D(2024, 9, 10)),
    ("06184", 9, True, D(2024, 9, 24)),
    ("183-KTHT", 10, False, D(2024, 10, 8)),
    ("183-LDTBXH", 10, True, D(2024, 10, 22)),
    ("183-DT", 11, False, None),
]
# (unit, visit day, findings: (area, deadline, handled on or None)): the justice office's monitoring.
_LAW_VISITS: list[tuple[str, datetime.date, list[tuple[int, datetime.date, datetime.date | None]]]] = [
    ("183-TNMT", D(2024, 2, 27), [(2, D(2024, 3, 10), D(2024, 3, 5)), (2, D(2024, 3, 14), D(2024, 3, 12))]),
    ("06184", D(2024, 5, 7), [(2, D(2024, 6, 10), D(2024, 6, 3))]),
    ("183-KTHT", D(2024, 7, 9), [(2, D(2024, 8, 15), D(2024, 8, 20)), (2, D(2024, 9, 10), D(2024, 9, 2))]),
    ("06190", D(2024, 9, 17), [(2, D(2024, 10, 10), None)]),
]
_PAR_FINDINGS = {
    "183-VP": (3, Severity.MEDIUM, "Chưa niêm yết đầy đủ TTHC tại bộ phận một cửa."),
    "06184": (7, Severity.HIGH, "Nhiều hồ sơ trễ hạn chưa có văn bản xin lỗi người dân."),
    "06190": (4, Severity.LOW, "Chưa cập nhật quy chế làm việc theo quy định mới."),
    "183-TCKH": (5, Severity.MEDIUM, "Chưa đánh giá, phân loại công chức theo đúng quy trình."),
}


def demo_inspections_load(*, plan: Plan, until: datetime.date | None = None) -> int:
    """Load both inspection plans once, then evaluate their indicators month by month. Returns the visits loaded.

    `until` is the plan's "today" (default: 31/12 of its year): nothing after it is recorded.
    """
    if InspectionPlan.objects.filter(plan=plan).exists():
        return 0
    last = until or D(plan.year, 12, 31)

    def moved(day: datetime.date) -> datetime.date:
        return _in_year(day, plan.year)

    people = get_user_model().objects
    secretariat, head = people.get(username="noivu"), people.get(username="noivu.lanhdao")
    justice = people.get(username="tuphap.lanhdao")
    scope = list(UnitKind.objects.filter(code__in=["office", "town", "commune"]))
    areas = list(plan.areas.order_by("number"))
    par = inspection_plan_create(
        plan=plan,
        data=PlanInput(
            kind=InspectionKind.PAR,
            conducting_unit=Unit.objects.get(code="183-NV"),
            decision_number="125/QĐ-UBND",
            decision_date=min(moved(D(2024, 1, 22)), last),
            topics="Bộ phận một cửa; công khai TTHC; kỷ luật, kỷ cương hành chính.",
            areas=areas,
            scope_kinds=scope,
            team=[secretariat, head],
            lead=head,
        ),  # fmt: skip
        user=secretariat,
    )
    law = inspection_plan_create(
        plan=plan,
        data=PlanInput(
            kind=InspectionKind.LAW,
            conducting_unit=Unit.objects.get(code="183-TP"),
            decision_number="31/KH-PTP",
            decision_date=min(moved(D(2024, 1, 30)), last),
            topics="Theo dõi tình hình thi hành pháp luật về đất đai, xử lý vi phạm hành chính.",
            areas=[areas[1]],
            scope_kinds=scope,
            team=[justice],
            lead=justice,
        ),  # fmt: skip
        user=justice,
    )
    loaded = 0
    planned: set[str] = set()
    for code, month, unannounced, seed_day in _PAR_UNITS:
        unit = Unit.objects.get(code=code)
        if code not in planned:
            planned_unit_add(inspection_plan=par, unit=unit, month=month, unannounced=unannounced)
            planned.add(code)
        day = moved(seed_day) if seed_day is not None else None
        if day is None or day > last:
            continue  # planned, not yet visited
        visit = visit_record(
            inspection_plan=par,
            data=VisitInput(
                unit=unit,
                start_date=day,
                end_date=day,
                unannounced=unannounced,
                direct=True,
                team=[secretariat, head],
                lead=head,
                conclusion="Đơn vị cơ bản thực hiện đúng quy định.",
                checks={areas[0].pk: "Kế hoạch CCHC năm, báo cáo định kỳ.", areas[2].pk: "Niêm yết, công khai TTHC."},
            ),  # fmt: skip
            user=secretariat,
        )
        loaded += 1
        found = _PAR_FINDINGS.get(code)
        if found is None or (code == "06184" and day.month > 4):
            continue
        area, severity, text = found
        finding = finding_add(visit=visit, area=areas[area - 1], severity=severity, text=text,
                              deadline=day + datetime.timedelta(days=45), user=secretariat)  # fmt: skip
        recommendation = recommendation_add(visit=visit, text="Khắc phục: " + text[0].lower() + text[1:],
                                            deadline=day + datetime.timedelta(days=45), finding=finding,
                                            user=secretariat)  # fmt: skip
        confirmed_on = day + datetime.timedelta(days=30)
        if code in ("183-VP", "06190") and confirmed_on <= last:
            answered = timezone.make_aware(datetime.datetime.combine(confirmed_on - datetime.timedelta(days=5),
                                                                     datetime.time(9)))  # fmt: skip
            recommendation_answer(recommendation=recommendation, user=secretariat, text="Đơn vị đã khắc phục.",
                                  at=min(answered, timezone.now()))  # fmt: skip
            recommendation_confirm(recommendation=recommendation, user=secretariat, today=confirmed_on)
    for code, seed_day, findings in _LAW_VISITS:
        day = moved(seed_day)
        if day > last:
            continue
        visit = visit_record(
            inspection_plan=law,
            data=VisitInput(
                unit=Unit.objects.get(code=code),
                start_date=day,
                end_date=day,
                unannounced=False,
                direct=True,
                team=[justice],
                lead=justice,
                conclusion="Đã theo dõi tình hình thi hành pháp luật tại đơn vị.",
                checks={areas[1].pk: "Thi hành pháp luật về xử lý vi phạm hành chính."},
            ),  # fmt: skip
            user=justice,
        )
        loaded += 1
        for area, deadline, handled_on in findings:
            finding = finding_add(visit=visit, area=areas[area - 1], severity=Severity.MEDIUM,
                                  deadline=moved(deadline), text="Quyết định xử phạt chưa ghi đủ căn cứ pháp lý.",
                                  user=justice)  # fmt: skip
            if handled_on is not None and moved(handled_on) <= last:
                finding_settle(finding=finding, outcome="handled", on=moved(handled_on), note="", user=justice)
    indicator_ids = list(
        Indicator.objects.of_plan(plan).filter(source__in=[COVERAGE, FINDINGS_HANDLED]).values_list("pk", flat=True)
    )
    if indicator_ids:
        for spec in periods_of(Frequency.MONTHLY, plan.year):
            if spec.due_date <= last:
                evaluate_plan(plan=plan, day=spec.due_date, indicator_ids=indicator_ids)
    return loaded


def _in_year(day: datetime.date, year: int) -> datetime.date:
    """The same day in `year` (the tables' days are 2024's; 29/02 becomes 28/02)."""
    try:
        return day.replace(year=year)
    except ValueError:
        return day.replace(year=year, day=28)
