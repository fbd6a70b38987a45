"""The dashboard page: a plan's indicators, tasks and units at a glance. Thin: check access, read, render."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from dashboard.selectors import RANK_WEIGHTS, UnitRank, dashboard_for
from parplan.access import has_plan_perm, visible_plans
from parplan.http import AuthenticatedHttpRequest
from parplan.models import Membership, Plan, PlanStatus, Unit


def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The plan at a glance; a unit's people see it filtered to their unit."""
    plans = visible_plans(request.user)
    wanted = request.GET.get("plan")
    plan = (plans.filter(pk=wanted).first() if wanted and wanted.isdigit() else None) or (
        plans.filter(status=PlanStatus.ACTIVE).order_by("-year").first() or plans.order_by("-year").first()
    )
    if plan is None:
        return redirect("plan-list")
    sees_all = has_plan_perm(request.user, "parplan.view_plan", plan)
    wanted_code = request.GET.get("unit", "")
    allowed_units = dashboard_units(request.user, plan, sees_all, wanted_code)
    code = wanted_code or ("" if sees_all else allowed_units[0].code if allowed_units else "")
    unit = next((u for u in allowed_units if u.code == code), None) if code else None
    if not sees_all and unit is None:
        raise PermissionDenied
    board = dashboard_for(plan=plan, role="all" if sees_all else "unit", unit=unit, today=timezone.localdate())
    if request.GET.get("view") == "ranking":
        page = Paginator(board.ranking, 50).get_page(request.GET.get("page"))
        return render(request, "dashboard/dashboard_ranking.html", {"plan": plan, "unit": unit, "page": page,
                                                                  "offset": page.start_index() - 1})  # fmt: skip
    ranking, hidden = _ranking_shown(board.ranking)
    return render(
        request,
        "dashboard/dashboard.html",
        {"plan": plan, "plans": plans.order_by("-year"), "board": board, "unit": unit, "units": allowed_units,
         "sees_all": sees_all, "weights": RANK_WEIGHTS, "ranking": ranking, "ranking_hidden": hidden},
    )  # fmt: skip


def dashboard_units(user: User, plan: Plan, sees_all: bool, code: str = "") -> list[Unit]:
    """Units the dashboard can be filtered to: the issuer's own units (and the one asked for), or the person's.

    Only one level of the tree is listed: a province has thousands of units, and a
    select with all of them would cost more to render than the dashboard itself.
    """
    if sees_all:
        units = Unit.objects.filter(Q(parent=plan.issuing_unit) | Q(code=code, path__startswith=plan.issuing_unit.path))
        return list(units.exclude(pk=plan.issuing_unit_id).only("pk", "code", "name", "path").order_by("path"))
    return [m.unit for m in Membership.objects.for_user(user).can_act_for_unit()]


RANKING_EDGE = 10


def _ranking_shown(ranking: list[UnitRank]) -> tuple[list[tuple[int, UnitRank]], int]:
    """The top and bottom of a long ranking; the middle is on the full ranking page."""
    numbered = list(enumerate(ranking, start=1))
    if len(numbered) <= 2 * RANKING_EDGE:
        return numbered, 0
    return numbered[:RANKING_EDGE] + numbered[-RANKING_EDGE:], len(numbered) - 2 * RANKING_EDGE
