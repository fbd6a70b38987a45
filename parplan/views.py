"""Pages of the core: home, plans, reform areas, units. Thin: check access, read, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from parplan.access import (
    can_read_unit,
    get_plan_for_user,
    get_unit_for_user,
    has_plan_perm,
    has_unit_perm,
    visible_plans,
)
from parplan.feedback import say_saved
from parplan.forms import UnitContactForm
from parplan.health import run_checks
from parplan.http import AuthenticatedHttpRequest
from parplan.models import Membership, PlanStatus, ReformArea, Role
from parplan.registries import area_prefetch, area_sections, unit_sections
from parplan.services import unit_update_contact


def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The steering committee lands on the dashboard; others on the newest active plan."""
    if Membership.objects.filter(user=request.user, role=Role.STEERING).exists():
        return redirect("dashboard")
    plan = visible_plans(request.user).filter(status=PlanStatus.ACTIVE).order_by("-year").first()
    if plan is None:
        return redirect("plan-list")
    return redirect("plan-detail", pk=plan.pk)


def plan_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "parplan/plan_list.html", {"plans": visible_plans(request.user).order_by("-year")})


def plan_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    areas = ReformArea.objects.filter(plan=plan).for_overview(*area_prefetch())
    return render(
        request,
        "parplan/plan_detail.html",
        {
            "plan": plan,
            "areas": areas,
            "area_sections": area_sections(),
            "responsibilities": plan.responsibilities.prefetch_related("units"),
            "can_review": has_plan_perm(request.user, "parplan.review_figures", plan),
        },
    )


def area_detail(request: AuthenticatedHttpRequest, pk: int, number: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    area = get_object_or_404(ReformArea.objects.filter(plan=plan).for_overview(*area_prefetch()), number=number)
    return render(request, "parplan/area_detail.html", {"plan": plan, "area": area, "area_sections": area_sections()})


def unit_detail(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    unit = get_unit_for_user(request.user, code)
    # The parent may lie outside the reader's tree (a province above a district plan).
    parent_visible = unit.parent is not None and can_read_unit(request.user, unit.parent)
    plans = visible_plans(request.user)
    # Tasks, indicators (and later apps) add their own parts of the page.
    sections = [
        {"template": section.template, "data": section.context(request.user, unit, plans)}
        for section in unit_sections()
    ]
    return render(
        request,
        "parplan/unit_detail.html",
        {
            "unit": unit,
            "parent_visible": parent_visible,
            "sections": sections,
            "children": unit.children.select_related("kind").order_by("position", "name"),
            "members": Membership.objects.filter(unit=unit).select_related("user").order_by("role"),
            "responsibilities": unit.responsibilities.filter(plan__in=plans).select_related("plan"),
            "can_edit": has_unit_perm(request.user, "parplan.change_unit", unit),
        },
    )


def unit_edit(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    unit = get_unit_for_user(request.user, code, perm="change")
    form = UnitContactForm.for_unit(unit, request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = unit_update_contact(unit=unit, **form.cleaned_data)
        say_saved(request, changed=saved.changed, done=_("Đã lưu thông tin đơn vị."))
        return redirect("unit-detail", code=unit.code)
    return render(request, "parplan/unit_edit.html", {"unit": unit, "form": form})


@login_not_required
def healthz(request: HttpRequest) -> JsonResponse:
    """For the proxy and monitoring: 200 when every check passes, 503 naming the one that failed.

    No session, no personal data: only which part works.
    """
    checks = run_checks()
    ok = all(check.ok for check in checks)
    body = {"status": "ok" if ok else "failing", **{c.name: {"ok": c.ok, "detail": c.detail} for c in checks}}
    response = JsonResponse(body, status=200 if ok else 503)
    response["Cache-Control"] = "no-store"
    return response
