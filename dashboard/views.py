"""The dashboard page: a plan's indicators, tasks and units at a glance. Thin: check access, read, render."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from dashboard.selectors import ATTENTION_ROWS, RANK_MIN_PARTS, RANK_WEIGHTS, Dashboard, UnitRank, dashboard_for
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
    view = request.GET.get("view")
    if view == "ranking":
        page = Paginator(board.ranking, 50).get_page(request.GET.get("page"))
        context: dict[str, Any] = {"page": page, "lines": rank_lines(list(page)), "unranked": board.unranked}
        return render(request, "dashboard/dashboard_ranking.html", {"plan": plan, "unit": unit, **context})
    if view in ATTENTION_LISTS:
        context = _attention_list(board, view, request.GET.get("kind", ""), request.GET.get("page"))
        context |= {"plan": plan, "unit": unit, "sees_all": sees_all, "view": view}
        return render(request, "dashboard/dashboard_attention.html", context)
    top, bottom, hidden = _ranking_shown(board.ranking)
    return render(
        request,
        "dashboard/dashboard.html",
        {"plan": plan, "plans": plans.order_by("-year"), "board": board, "unit": unit, "units": allowed_units,
         "sees_all": sees_all, "weights": RANK_WEIGHTS, "min_parts": RANK_MIN_PARTS, "ranking_top": top,
         "ranking_bottom": bottom, "ranking_hidden": hidden, "rows": ATTENTION_ROWS},
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
ATTENTION_PAGE = 50
# The full needs-attention lists (?view=…): the overdue tasks and the missing figures belong to
# units and filter by their kind; the indicators behind are the authority's, of no unit's kind.
ATTENTION_LISTS = {"overdue", "off_track", "missing"}

RankLine = tuple[int | None, UnitRank]


def rank_lines(ranks: Sequence[UnitRank]) -> list[RankLine]:
    """Each line with the rank number to print: once per tied group, on its first line shown."""
    lines: list[RankLine] = []
    for i, rank in enumerate(ranks):
        lines.append((rank.rank if i == 0 or ranks[i - 1].rank != rank.rank else None, rank))
    return lines


def _ranking_shown(ranking: list[UnitRank]) -> tuple[list[RankLine], list[RankLine], int]:
    """The top and bottom of a long ranking; the middle is on the full ranking page."""
    if len(ranking) <= 2 * RANKING_EDGE:
        return rank_lines(ranking), [], 0
    return rank_lines(ranking[:RANKING_EDGE]), rank_lines(ranking[-RANKING_EDGE:]), len(ranking) - 2 * RANKING_EDGE


def _attention_list(board: Dashboard, view: str, kind: str, page: str | None) -> dict[str, Any]:
    """One needs-attention list, whole, filtered to a kind of unit and paginated."""
    rows: Sequence[Any]
    if view == "overdue":
        kinds, rows = board.overdue_kinds, board.overdue_tasks
        rows = [t for t in rows if t["lead_unit__kind__code"] == kind] if kind else rows
    elif view == "missing":
        kinds, rows = board.missing_kinds, board.missing_figures
        rows = [m for m in rows if m["unit__kind__code"] == kind] if kind else rows
    else:
        kinds, rows, kind = [], board.off_track, ""
    return {"board": board, "kinds": kinds, "kind": kind, "page": Paginator(rows, ATTENTION_PAGE).get_page(page)}
