"""The dashboard page: a plan's indicators, tasks and units at a glance. Thin: check access, read, render."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from dashboard.selectors import (
    ATTENTION_LISTS,
    ATTENTION_ROWS,
    RANK_MIN_PARTS,
    RANK_WEIGHTS,
    Dashboard,
    attention_rows,
    dashboard_for,
    dashboard_units,
    rank_lines,
    ranking_shown,
)
from parplan.access import has_plan_perm, visible_plans
from parplan.http import AuthenticatedHttpRequest
from parplan.models import PlanStatus
from scoring.access import can_read_authority_results
from scoring.selectors import official_rankings


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
    # Read on every request: units are renamed, added and merged without the plan's boards knowing.
    units, chosen = dashboard_units(request.user, plan, sees_all, wanted_code)
    code = wanted_code or ("" if sees_all or not units else units[0][0])
    unit = chosen.get(code) if code else None
    if not sees_all and unit is None:
        raise PermissionDenied
    board = dashboard_for(plan=plan, role="all" if sees_all else "unit", unit=unit, today=timezone.localdate())
    view = request.GET.get("view")
    if view == "ranking":
        page = Paginator(board.ranking, 50).get_page(request.GET.get("page"))
        context: dict[str, Any] = {"page": page, "lines": rank_lines(list(page)), "unranked": board.unranked}
        return render(request, "dashboard/dashboard_ranking.html", {"plan": plan, "unit": unit, **context})
    if view in ATTENTION_LISTS:
        context = _attention_list(board, view, request.GET.get("kind", ""), request.GET.get("page"))
        context |= {"plan": plan, "unit": unit, "sees_all": sees_all, "view": view}
        return render(request, "dashboard/dashboard_attention.html", context)
    top, bottom, hidden = ranking_shown(board.ranking)
    # The official ranking is the PAR-index scoring's, for those who read every unit's results.
    official = (
        official_rankings(plan.issuing_unit, year=plan.year)
        if can_read_authority_results(request.user, plan.issuing_unit)
        else []
    )
    return render(
        request,
        "dashboard/dashboard.html",
        {"plan": plan, "plans": plans.order_by("-year"), "board": board, "unit": unit, "units": units,
         "sees_all": sees_all, "weights": RANK_WEIGHTS, "min_parts": RANK_MIN_PARTS, "ranking_top": top,
         "ranking_bottom": bottom, "ranking_hidden": hidden, "rows": ATTENTION_ROWS, "official_rankings": official},
    )  # fmt: skip


ATTENTION_PAGE = 50


def _attention_list(board: Dashboard, view: str, kind: str, page: str | None) -> dict[str, Any]:
    """One needs-attention list, whole, filtered to a kind of unit and paginated."""
    kinds, rows, kind = attention_rows(board, view, kind)
    return {"board": board, "kinds": kinds, "kind": kind, "page": Paginator(rows, ATTENTION_PAGE).get_page(page)}
