"""Access to inspections, checked in one place (see parplan.access for the rule).

- The secretariat (its role's rights over the authority) plans and records
  inspections of every kind; the people of the conducting unit (Phòng Tư pháp
  for the law-enforcement monitoring) record those of their own plan.
- The steering committee reads everything (its role's view rights).
- An inspected unit's people (head, staff) see the visits of their own unit and
  answer its recommendations, and nothing else: not the plan, not other units' visits.

Everything else is denied.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse

from evidence.owners import EvidenceOwner
from inspections.models import Finding, InspectionPlan, Recommendation, RecommendationState, Visit
from parplan.access import has_plan_perm, scope_filter
from parplan.models import Membership

MANAGE = "inspections.change_inspectionplan"
READ = "inspections.view_inspectionplan"


def _acting_units(user: User) -> list[int]:
    """Ids of the units whose people `user` is (head or staff), cached on the user for the request."""
    cached: list[int] | None = getattr(user, "_inspections_units", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).can_act_for_unit().values_list("unit_id", flat=True))
        setattr(user, "_inspections_units", cached)  # noqa: B010
    return cached


def can_manage(user: User, inspection_plan: InspectionPlan) -> bool:
    """Plan and record: the secretariat over the authority, or the conducting unit's people."""
    if not user.is_active:
        return False
    return has_plan_perm(user, MANAGE, inspection_plan.plan) or inspection_plan.conducting_unit_id in _acting_units(
        user
    )


def can_read_plan(user: User, inspection_plan: InspectionPlan) -> bool:
    return can_manage(user, inspection_plan) or (user.is_active and has_plan_perm(user, READ, inspection_plan.plan))


def readable_plans(user: User) -> QuerySet[InspectionPlan]:
    plans = InspectionPlan.objects.for_list()
    if not user.is_active:
        return plans.none()
    scope = scope_filter(user, READ, "plan__issuing_unit__path")
    if scope is None:
        return plans
    return plans.filter(scope | Q(conducting_unit__in=_acting_units(user)))


def readable_visits(user: User) -> QuerySet[Visit]:
    """Visits of the plans the person reads, and those of their own units."""
    visits = Visit.objects.select_related("unit", "inspection_plan__plan__issuing_unit")
    if not user.is_active:
        return visits.none()
    scope = scope_filter(user, READ, "inspection_plan__plan__issuing_unit__path")
    if scope is None:
        return visits
    mine = _acting_units(user)
    return visits.filter(scope | Q(inspection_plan__conducting_unit__in=mine) | Q(unit__in=mine))


def get_plan_for_user(user: User, pk: int, *, manage: bool = False) -> InspectionPlan:
    inspection_plan = get_object_or_404(readable_plans(user), pk=pk)
    if manage and not can_manage(user, inspection_plan):
        raise PermissionDenied
    return inspection_plan


def get_visit_for_user(user: User, pk: int, *, manage: bool = False) -> Visit:
    visit = get_object_or_404(readable_visits(user), pk=pk)
    if manage and not can_manage(user, visit.inspection_plan):
        raise PermissionDenied
    return visit


def get_finding_for_user(user: User, pk: int, *, manage: bool = False) -> Finding:
    """A finding, through its visit's check (404 for a finding of a visit the user cannot read)."""
    finding = get_object_or_404(Finding, pk=pk)
    finding.visit = get_visit_for_user(user, finding.visit_id, manage=manage)
    return finding


def can_answer(user: User, recommendation: Recommendation) -> bool:
    """The inspected unit's own people answer, ask for more time, while it is not yet confirmed."""
    return (
        user.is_active
        and recommendation.unit_id in _acting_units(user)
        and recommendation.state != RecommendationState.CONFIRMED
    )


def get_recommendation_for_user(user: User, pk: int, *, perm: str = "view") -> Recommendation:
    """The recommendation if its visit is readable (404), and `perm` ("answer", "review") is held (403)."""
    recommendation = get_object_or_404(
        Recommendation.objects.select_related("unit", "visit__inspection_plan__plan__issuing_unit").filter(
            visit__in=readable_visits(user)
        ),
        pk=pk,
    )
    if perm == "answer" and not can_answer(user, recommendation):
        raise PermissionDenied
    if perm == "review" and not can_manage(user, recommendation.visit.inspection_plan):
        raise PermissionDenied
    return recommendation


def unit_visits(user: User) -> QuerySet[Visit]:
    """The visits to the units the person acts for (head, staff)."""
    return Visit.objects.select_related("unit", "inspection_plan").filter(unit__in=_acting_units(user))


def unit_recommendations(user: User) -> QuerySet[Recommendation]:
    """The recommendations to the units the person acts for (head, staff)."""
    return Recommendation.objects.for_list().filter(unit__in=_acting_units(user))


# --- Evidence of findings and of the units' answers (registered in InspectionsConfig.ready) ---


def _can_view_owner_files(user: User, visit: Visit) -> bool:
    return readable_visits(user).filter(pk=visit.pk).exists()


def _finding_for_evidence(pk: int, for_update: bool) -> Finding | None:
    rows = Finding.objects.select_related("visit__unit", "visit__inspection_plan__plan__issuing_unit")
    if for_update:
        rows = rows.select_for_update(of=("self",))
    return rows.filter(pk=pk).first()


def _recommendation_for_evidence(pk: int, for_update: bool) -> Recommendation | None:
    rows = Recommendation.objects.select_related("unit", "visit__inspection_plan__plan__issuing_unit")
    if for_update:
        rows = rows.select_for_update(of=("self",))
    return rows.filter(pk=pk).first()


def _recommendation_frozen(recommendation: Recommendation) -> str | None:
    from django.utils.translation import gettext as _

    if recommendation.state == RecommendationState.OPEN:
        return None
    return _("Kiến nghị đã báo cáo hoặc đã xác nhận: tài liệu kiểm chứng được giữ nguyên.")


FINDING_EVIDENCE = EvidenceOwner(
    load=_finding_for_evidence,
    can_view=lambda user, finding: _can_view_owner_files(user, finding.visit),
    can_remove=lambda user, finding: can_manage(user, finding.visit.inspection_plan),
    frozen=lambda finding: None,
    page=lambda finding: reverse("inspection-visit", args=[finding.visit_id]),
)

RECOMMENDATION_EVIDENCE = EvidenceOwner(
    load=_recommendation_for_evidence,
    can_view=lambda user, recommendation: _can_view_owner_files(user, recommendation.visit),
    can_remove=lambda user, recommendation: can_answer(user, recommendation),
    frozen=_recommendation_frozen,
    page=lambda recommendation: reverse("inspection-visit", args=[recommendation.visit_id]),
)
