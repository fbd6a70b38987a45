"""The reads of inspection pages: a plan's progress toward coverage, a visit's page, a unit's list."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections.access import readable_visits
from inspections.indicators import COVERAGE, Fraction, coverage, findings_handled, inspected_units, units_in_scope
from inspections.models import (
    Finding,
    FindingOutcome,
    InspectionKind,
    InspectionPlan,
    Recommendation,
    RecommendationState,
    Visit,
)
from parplan.formatting import format_number
from parplan.i18n import site_language
from parplan.models import Plan, Unit
from targets.models import Indicator


@dataclass(frozen=True)
class KindProgress:
    """Units of one kind: in scope, inspected directly so far."""

    name: str
    in_scope: int
    inspected: int

    @property
    def percent(self) -> Decimal | None:
        return Decimal(self.inspected * 100) / self.in_scope if self.in_scope else None


@dataclass(frozen=True)
class PlanProgress:
    kinds: list[KindProgress]
    total: KindProgress
    threshold: Decimal | None
    unannounced: int
    scheduled: int

    @property
    def badge_css(self) -> str:
        """The badge's classes beside the threshold line (static/css/parplan.css)."""
        return "badge badge-approved" if self.meets_threshold else "badge badge-draft"

    @property
    def meets_threshold(self) -> bool:
        percent = self.total.percent
        return percent is not None and self.threshold is not None and percent > self.threshold


def coverage_threshold(plan: Plan) -> Decimal | None:
    """The threshold of the plan's coverage indicator (the seed's "> 30 %"), None without one."""
    indicator = Indicator.objects.of_plan(plan).filter(source=COVERAGE, threshold__isnull=False).first()
    return indicator.threshold if indicator else None


def plan_progress(inspection_plan: InspectionPlan, day: datetime.date) -> PlanProgress:
    """Units inspected directly / units in scope, by kind of unit and in all, with the target's threshold."""
    scope = units_in_scope(inspection_plan)
    done = inspected_units(inspection_plan, day)
    by_kind: dict[str, list[int]] = {}
    for unit in scope:
        counts = by_kind.setdefault(unit.kind.name, [0, 0])
        counts[0] += 1
        counts[1] += unit.pk in done
    kinds = [KindProgress(name, total, inspected) for name, (total, inspected) in sorted(by_kind.items())]
    total = KindProgress("", len(scope), sum(k.inspected for k in kinds))
    visits = inspection_plan.visits.aggregate(
        unannounced_visits=Count("pk", filter=Q(unannounced=True)),
        scheduled_visits=Count("pk", filter=Q(unannounced=False)),
    )
    return PlanProgress(kinds, total, coverage_threshold(inspection_plan.plan), visits["unannounced_visits"],
                        visits["scheduled_visits"])  # fmt: skip


def plan_visits(inspection_plan: InspectionPlan) -> QuerySet[Visit]:
    return (
        inspection_plan.visits.select_related("unit", "lead")
        .annotate(
            finding_count=Count("findings", distinct=True),
            open_recommendations=Count(
                "recommendations",
                filter=~Q(recommendations__state=RecommendationState.CONFIRMED),
                distinct=True,
            ),
        )
        .order_by("-start_date", "unit__path")
    )


def visit_page(visit_pk: int) -> Visit:
    """The visit with its team, checks, findings (and their files) and recommendations, in a fixed number of queries."""
    return (
        Visit.objects.select_related(
            "unit", "lead", "inspection_plan__plan__issuing_unit", "inspection_plan__conducting_unit"
        )
        .prefetch_related(
            "team",
            "checks__area",
            Prefetch("findings", queryset=Finding.objects.select_related("area").prefetch_related("evidence")),
            Prefetch(
                "recommendations",
                queryset=Recommendation.objects.select_related("finding", "responded_by").prefetch_related("evidence"),
            ),
        )
        .get(pk=visit_pk)
    )


def recommendations_for_units(recommendations: QuerySet[Recommendation]) -> QuerySet[Recommendation]:
    return recommendations.select_related("visit__unit").prefetch_related("evidence")


def overdue_by_unit(plan: Plan, day: datetime.date) -> list[tuple[str, int]]:
    """(unit name, recommendations past their deadline and not confirmed), most first."""
    rows = (
        Recommendation.objects.filter(visit__inspection_plan__plan=plan)
        .overdue_on(day)
        .values("unit__name")
        .annotate(count=Count("pk"))
        .order_by("-count", "unit__name")
    )
    return [(row["unit__name"], row["count"]) for row in rows]


# --- The periodic report's annex III and the dashboard -------------------------------------


@dataclass(frozen=True)
class AreaFindings:
    number: int
    name: str
    found: int
    handled: int
    referred: int
    open: int


@dataclass(frozen=True)
class VisitRow:
    day: str
    unit: str
    kind: str
    form: str
    findings: int
    recommendations: int


@dataclass(frozen=True)
class InspectionAnnex:
    """What the report's annex III prints for the window [start, end]: plain data, as the report hashes it.

    Labels are written in the site's language, the document's, whatever the request's.
    """

    visits: list[VisitRow]
    areas: list[AreaFindings]
    states: list[tuple[str, int]]
    overdue: int
    coverage: Fraction | None
    threshold: str | None
    findings_handled: Fraction


def report_annex(plan: Plan, start: datetime.date, end: datetime.date) -> InspectionAnnex | None:
    """The visits that began in the window, their findings by area, their recommendations by state; None without any."""
    visits = list(
        Visit.objects.filter(inspection_plan__plan=plan, start_date__gte=start, start_date__lte=end)
        .select_related("unit", "inspection_plan")
        .annotate(finding_count=Count("findings", distinct=True), recommendation_count=Count("recommendations",
                                                                                            distinct=True))
        .order_by("start_date", "unit__path")
    )  # fmt: skip
    if not visits:
        return None
    findings = Finding.objects.filter(visit__in=visits)
    by_area = (
        findings.values("area__number", "area__name")
        .annotate(
            found=Count("pk"),
            handled=Count("pk", filter=Q(outcome=FindingOutcome.HANDLED)),
            referred=Count("pk", filter=Q(outcome=FindingOutcome.REFERRED)),
            still_open=Count("pk", filter=Q(outcome=FindingOutcome.OPEN)),
        )
        .order_by("area__number")
    )
    areas = [
        AreaFindings(row["area__number"], row["area__name"], row["found"], row["handled"], row["referred"],
                     row["still_open"])
        for row in by_area
    ]  # fmt: skip
    recommendations = Recommendation.objects.filter(visit__in=visits)
    counts = dict(recommendations.values_list("state").annotate(n=Count("pk")).values_list("state", "n"))
    with site_language():
        states = [(str(state.label), counts.get(state.value, 0)) for state in RecommendationState]
        rows = [_visit_row(visit) for visit in visits]
    threshold = coverage_threshold(plan)
    par = InspectionPlan.objects.select_related("plan__issuing_unit").filter(plan=plan, kind=InspectionKind.PAR).first()
    return InspectionAnnex(
        visits=rows,
        areas=areas,
        states=states,
        overdue=recommendations.overdue_on(end + datetime.timedelta(days=1)).count(),
        coverage=coverage(par, end) if par is not None else None,
        threshold=format_number(threshold, grouped=True) if threshold is not None else None,
        findings_handled=findings_handled(plan, start, end, end),
    )


def _visit_row(visit: Visit) -> VisitRow:
    form = _("Đột xuất") if visit.unannounced else _("Theo kế hoạch")
    if not visit.direct:
        form = f"{form}, {_('qua báo cáo')}"
    return VisitRow(
        day=f"{visit.start_date:%d/%m/%Y}", unit=visit.unit.name, kind=visit.inspection_plan.get_kind_display(),
        form=form, findings=getattr(visit, "finding_count", 0),
        recommendations=getattr(visit, "recommendation_count", 0),
    )  # fmt: skip


# --- A unit's page ---------------------------------------------------------------------------


def unit_page_inspections(user: User, unit: Unit, plans: QuerySet[Plan]) -> dict[str, Any]:
    """The unit page's inspections section: the unit's visits and its recommendations not yet confirmed.

    Only what the person may read (inspections.access.readable_visits): another
    unit's people see nothing of this unit's visits. Two queries, whatever the sizes.
    """
    visits = (
        readable_visits(user)
        .filter(unit=unit, inspection_plan__plan__in=plans)
        .select_related("inspection_plan")
        .order_by("-start_date")
    )
    recommendations = (
        Recommendation.objects.filter(visit__in=visits)
        .exclude(state=RecommendationState.CONFIRMED)
        .select_related("visit__unit")
        .order_by("deadline", "pk")
    )
    return {"visits": list(visits), "recommendations": list(recommendations), "today": timezone.localdate()}
