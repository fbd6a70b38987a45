"""Pages of the core: home, plans, reform areas, units. Thin: check access, read, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from parplan.access import (
    can_read_unit,
    get_plan_for_user,
    get_unit_for_user,
    has_plan_perm,
    has_unit_perm,
    visible_plans,
)
from parplan.dashboard import RANK_WEIGHTS, dashboard_for
from parplan.forms import UnitContactForm
from parplan.models import Membership, Notification, Plan, PlanStatus, ReformArea, Role, Unit
from parplan.notifications import notifications_mark_read
from parplan.services import unit_update_contact
from targets.models import Indicator
from tasks.models import Task


def home(request: HttpRequest) -> HttpResponse:
    """The steering committee lands on the dashboard; others on the newest active plan."""
    if Membership.objects.filter(user=request.user, role=Role.STEERING).exists():
        return redirect("dashboard")
    plan = visible_plans(request.user).filter(status=PlanStatus.ACTIVE).order_by("-year").first()
    if plan is None:
        return redirect("plan-list")
    return redirect("plan-detail", pk=plan.pk)


def plan_list(request: HttpRequest) -> HttpResponse:
    return render(request, "parplan/plan_list.html", {"plans": visible_plans(request.user).order_by("-year")})


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    areas = ReformArea.objects.filter(plan=plan).for_overview()
    return render(
        request,
        "parplan/plan_detail.html",
        {
            "plan": plan,
            "areas": areas,
            "responsibilities": plan.responsibilities.prefetch_related("units"),
            "can_review": has_plan_perm(request.user, "parplan.review_figures", plan),
        },
    )


def area_detail(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    area = get_object_or_404(ReformArea.objects.filter(plan=plan).for_overview(), number=number)
    return render(request, "parplan/area_detail.html", {"plan": plan, "area": area})


def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_unit_for_user(request.user, code)
    # The parent may lie outside the reader's tree (a province above a district plan).
    parent_visible = unit.parent is not None and can_read_unit(request.user, unit.parent)
    plans = visible_plans(request.user)
    tasks = Task.objects.filter(area__plan__in=plans).involving_unit(unit).with_unit_role(unit).for_list()
    indicators = (
        Indicator.objects.filter(target__area__plan__in=plans, applies_to_level=unit.kind.administrative_level)
        .exclude(applies_to_level="")
        .select_related("target__area__plan")
    )
    return render(
        request,
        "parplan/unit_detail.html",
        {
            "unit": unit,
            "parent_visible": parent_visible,
            "tasks": tasks,
            "indicators": indicators,
            "children": unit.children.select_related("kind").order_by("position", "name"),
            "members": Membership.objects.filter(unit=unit).select_related("user").order_by("role"),
            "responsibilities": unit.responsibilities.filter(plan__in=plans).select_related("plan"),
            "can_edit": has_unit_perm(request.user, "parplan.change_unit", unit),
        },
    )


def unit_edit(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_unit_for_user(request.user, code, perm="change")
    form = UnitContactForm.for_unit(unit, request.POST or None)
    if request.method == "POST" and form.is_valid():
        unit_update_contact(unit=unit, **form.cleaned_data)
        messages.success(request, _("Đã lưu thông tin đơn vị."))
        return redirect("unit-detail", code=unit.code)
    return render(request, "parplan/unit_edit.html", {"unit": unit, "form": form})


def notification_list(request: HttpRequest) -> HttpResponse:
    """The person's notices, unread ones flagged; they stay unread until the person marks them read (POST)."""
    notices = Notification.objects.filter(recipient=request.user)[:100]
    if request.method == "POST":
        notifications_mark_read(user=request.user)
        return redirect("notifications")
    return render(request, "parplan/notifications.html", {"notices": notices})


def dashboard(request: HttpRequest) -> HttpResponse:
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
        return render(request, "parplan/dashboard_ranking.html", {"plan": plan, "unit": unit, "page": page,
                                                                  "offset": page.start_index() - 1})  # fmt: skip
    ranking, hidden = _ranking_shown(board.ranking)
    return render(
        request,
        "parplan/dashboard.html",
        {"plan": plan, "plans": plans.order_by("-year"), "board": board, "unit": unit, "units": allowed_units,
         "sees_all": sees_all, "weights": RANK_WEIGHTS, "ranking": ranking, "ranking_hidden": hidden},
    )  # fmt: skip


def dashboard_units(user: object, plan: Plan, sees_all: bool, code: str = "") -> list[Unit]:
    """Units the dashboard can be filtered to: the issuer's own units (and the one asked for), or the person's.

    Only one level of the tree is listed: a province has thousands of units, and a
    select with all of them would cost more to render than the dashboard itself.
    """
    if sees_all:
        units = Unit.objects.filter(Q(parent=plan.issuing_unit) | Q(code=code, path__startswith=plan.issuing_unit.path))
        return list(units.exclude(pk=plan.issuing_unit_id).only("pk", "code", "name", "path").order_by("path"))
    return [m.unit for m in Membership.objects.for_user(user).can_act_for_unit()]


RANKING_EDGE = 10


def _ranking_shown(ranking: list) -> tuple[list, int]:
    """The top and bottom of a long ranking; the middle is on the full ranking page."""
    numbered = list(enumerate(ranking, start=1))
    if len(numbered) <= 2 * RANKING_EDGE:
        return numbered, 0
    return numbered[:RANKING_EDGE] + numbered[-RANKING_EDGE:], len(numbered) - 2 * RANKING_EDGE
