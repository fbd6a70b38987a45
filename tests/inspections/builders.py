"""Inspection records for the tests, written through the services as the pages write them."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import get_user_model

from inspections.models import Finding, InspectionKind, InspectionPlan, Recommendation, Severity, Visit
from inspections.services import (
    PlanInput,
    VisitInput,
    finding_add,
    inspection_plan_create,
    recommendation_add,
    visit_record,
)
from parplan.models import Plan, Unit, UnitKind

SCOPE_KINDS = ("office", "town", "commune")


def fresh_plan(plan: Plan, kind: str = InspectionKind.PAR, *, conducting: str = "183-NV") -> InspectionPlan:
    """The plan's inspection plan of `kind`, new: the demo's one (and its visits) taken away first."""
    InspectionPlan.objects.filter(plan=plan, kind=kind).delete()
    secretariat = get_user_model().objects.get(username="noivu")
    return inspection_plan_create(
        plan=plan,
        data=PlanInput(
            kind=kind,
            conducting_unit=Unit.objects.get(code=conducting),
            decision_number="1/QĐ",
            decision_date=datetime.date(plan.year, 1, 10),
            topics="",
            areas=list(plan.areas.all()),
            scope_kinds=list(UnitKind.objects.filter(code__in=SCOPE_KINDS)),
            team=[secretariat],
            lead=secretariat,
        ),  # fmt: skip
        user=secretariat,
    )


def visit(
    inspection_plan: InspectionPlan,
    code: str,
    day: datetime.date,
    *,
    unannounced: bool = False,
    direct: bool = True,
    **checks: Any,
) -> Visit:
    secretariat = get_user_model().objects.get(username="noivu")
    return visit_record(
        inspection_plan=inspection_plan,
        data=VisitInput(
            unit=Unit.objects.get(code=code),
            start_date=day,
            end_date=day,
            unannounced=unannounced,
            direct=direct,
            team=[secretariat],
            lead=secretariat,
            conclusion="",
            checks={},
        ),  # fmt: skip
        user=secretariat,
    )


def finding(visit_: Visit, deadline: datetime.date, *, area: int = 2) -> Finding:
    secretariat = get_user_model().objects.get(username="noivu")
    return finding_add(visit=visit_, area=visit_.inspection_plan.plan.areas.get(number=area),
                       severity=Severity.MEDIUM, text="Chưa niêm yết TTHC.", deadline=deadline,
                       user=secretariat)  # fmt: skip


def recommendation(visit_: Visit, deadline: datetime.date, found: Finding | None = None) -> Recommendation:
    secretariat = get_user_model().objects.get(username="noivu")
    return recommendation_add(visit=visit_, text="Niêm yết đủ TTHC.", deadline=deadline, finding=found,
                              user=secretariat)  # fmt: skip
