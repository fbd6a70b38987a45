"""Pages of the core: home, plans, reform areas, units. Thin: check access, read, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from parplan.access import (
    can_read_unit,
    get_plan_for_user,
    get_unit_for_user,
    has_perm_at,
    has_plan_perm,
    has_unit_perm,
    holds_unit_right_in,
    is_administrator,
    scope_filter,
    visible_plans,
)
from parplan.feedback import say_saved
from parplan.forms import (
    AreaEditForm,
    PlanEditForm,
    ResponsibilityEditForm,
    UnitContactForm,
    UnitEndForm,
    UnitsMergeForm,
    UnitStructureForm,
)
from parplan.health import run_checks
from parplan.http import AuthenticatedHttpRequest
from parplan.models import Membership, Plan, PlanStatus, ReformArea, Role, Unit
from parplan.registries import area_prefetch, area_sections, unit_sections
from parplan.services import (
    area_edit,
    plan_activate,
    plan_details_update,
    responsibility_edit,
    unit_create,
    unit_end,
    unit_update,
    unit_update_contact,
    units_merge,
)


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
            # The steering committee reads every figure and enters none: no link to a page saying so.
            "can_enter": holds_unit_right_in(request.user, "parplan.enter_figures", plan),
            "can_edit": has_plan_perm(request.user, _CHANGE_PLAN, plan) and plan.status != PlanStatus.CLOSED,
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
            "can_manage": has_perm_at(request.user, _MANAGE_UNITS, unit.path),
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


# --- Editing a plan (the secretariat of its issuer) -------------------------------------------

_CHANGE_PLAN = "parplan.change_plan"


@require_http_methods(["GET", "POST"])
def plan_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk, perm=_CHANGE_PLAN)
    initial = {name: getattr(plan, name) for name in PlanEditForm.FIELDS}
    form = PlanEditForm(request.POST or None, initial=initial, plan_status=plan.status)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in PlanEditForm.FIELDS}
        if _saved(
            request,
            form,
            lambda: plan_details_update(plan=plan, user=request.user, reason=form.cleaned_data["reason"], **fields),
        ):
            return redirect("plan-detail", pk=plan.pk)
    return _part_form(request, plan, form, _("Sửa thông tin kế hoạch"))


@require_POST
def plan_activate_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk, perm=_CHANGE_PLAN)
    try:
        plan_activate(plan=plan, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã kích hoạt kế hoạch: các đơn vị thấy nhiệm vụ, chỉ tiêu của mình."))
    return redirect("plan-detail", pk=plan.pk)


@require_http_methods(["GET", "POST"])
def area_edit_view(request: AuthenticatedHttpRequest, pk: int, number: int | None = None) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk, perm=_CHANGE_PLAN)
    area = get_object_or_404(plan.areas, number=number) if number is not None else None
    initial = {"name": area.name, "targets_heading": area.targets_heading} if area else {"targets_heading": "Chỉ tiêu"}
    form = AreaEditForm(request.POST or None, initial=initial, plan_status=plan.status)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _saved(request, form, lambda: area_edit(
            plan=plan, number=number, name=data["name"], targets_heading=data["targets_heading"], user=request.user,
            reason=data["reason"],
        )):  # fmt: skip
            return redirect("plan-detail", pk=plan.pk)
    title = _("Sửa lĩnh vực %(number)s") % {"number": number} if area else _("Thêm lĩnh vực")
    return _part_form(request, plan, form, title)


@require_http_methods(["GET", "POST"])
def responsibility_edit_view(request: AuthenticatedHttpRequest, pk: int, number: int | None = None) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk, perm=_CHANGE_PLAN)
    item = get_object_or_404(plan.responsibilities, number=number) if number is not None else None
    initial = {"heading": item.heading, "text": item.text, "units": list(item.units.all())} if item else {}
    form = ResponsibilityEditForm(
        request.POST or None, initial=initial, plan_status=plan.status, issuer=plan.issuing_unit,
        named=initial.get("units", []),
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _saved(request, form, lambda: responsibility_edit(
            plan=plan, number=number, heading=data["heading"], text=data["text"], units=data["units"],
            user=request.user, reason=data["reason"],
        )):  # fmt: skip
            return redirect("plan-detail", pk=plan.pk)
    title = _("Sửa mục tổ chức thực hiện %(number)s") % {"number": number} if item else _("Thêm mục tổ chức thực hiện")
    return _part_form(request, plan, form, title)


# --- Keeping units current (the secretariat of their authority) ------------------------------

_MANAGE_UNITS = "parplan.add_unit"


def _managed_unit(request: AuthenticatedHttpRequest, code: str, *, by_parent: bool = False) -> Unit:
    """The unit if the person's secretariat keeps it; `by_parent`: keeps the unit above it.

    Renaming, moving, merging or ending a unit is decided above it: a commune's secretariat adds units under
    its commune, but does not end or move the commune itself.
    """
    unit = get_unit_for_user(request.user, code)
    if not by_parent:
        allowed = has_perm_at(request.user, _MANAGE_UNITS, unit.path)
    elif unit.parent is not None:
        allowed = has_perm_at(request.user, _MANAGE_UNITS, unit.parent.path)
    else:
        allowed = is_administrator(request.user)  # the top of the tree
    if not allowed:
        raise PermissionDenied
    return unit


def _managed_units(request: AuthenticatedHttpRequest) -> Any:
    """The units the person's secretariat keeps: its authorities' subtrees."""
    scope = scope_filter(request.user, _MANAGE_UNITS, "path")
    units = Unit.objects.select_related("kind").order_by("path")
    return units if scope is None else units.filter(scope)


@require_http_methods(["GET", "POST"])
def unit_new(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """A new unit under `code` (an office set up, a ward formed)."""
    parent = _managed_unit(request, code)
    initial = {"parent": parent, "kind": parent.children.values_list("kind", flat=True).first()}
    form = UnitStructureForm(request.POST or None, initial=initial, parents=_managed_units(request).current())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            unit = unit_create(code=data["code"], name=data["name"], kind=data["kind"], parent=data["parent"],
                               user=request.user, reason=data["reason"])  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã thêm đơn vị %(unit)s.") % {"unit": unit})
            return redirect("unit-detail", code=unit.code)
    return _unit_form(request, parent, form, _("Thêm đơn vị trực thuộc %(unit)s") % {"unit": parent})


@require_http_methods(["GET", "POST"])
def unit_structure(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """Rename, recode, re-kind or move a unit; its history, rights and work follow it."""
    unit = _managed_unit(request, code, by_parent=True)
    initial = {"code": unit.code, "name": unit.name, "kind": unit.kind, "parent": unit.parent}
    parents = _managed_units(request).current().exclude(path__startswith=unit.path)
    form = UnitStructureForm(request.POST or None, initial=initial, parents=parents, parent_required=False)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            unit = unit_update(unit=unit, code=data["code"], name=data["name"], kind=data["kind"],
                               parent=data["parent"] or unit.parent, position=unit.position, user=request.user,
                               reason=data["reason"])  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect("unit-detail", code=unit.code)
    return _unit_form(request, unit, form, _("Sửa tên, mã, loại, nơi trực thuộc"))


@require_http_methods(["GET", "POST"])
def unit_merge(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """Merge other units into this one on a date: their open work comes here, their past stays theirs."""
    into = _managed_unit(request, code)
    ancestors = into.path.strip("/").split("/")
    candidates = _managed_units(request).current().exclude(code__in=ancestors).exclude(path__startswith=into.path)
    form = UnitsMergeForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            merged = units_merge(units=data["units"], into=into, on=data["on"], user=request.user,
                                 reason=data["reason"])  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            moved = ", ".join(f"{count} {label}" for label, count in merged.moved.items() if count)
            messages.success(
                request,
                _("Đã hợp nhất %(units)s vào %(into)s.")
                % {"units": ", ".join(u.name for u in merged.ended), "into": into}
                + (" " + _("Chuyển sang: %(moved)s.") % {"moved": moved} if moved else ""),
            )
            return redirect("unit-detail", code=into.code)
    return _unit_form(request, into, form, _("Hợp nhất đơn vị vào %(unit)s") % {"unit": into})


@require_http_methods(["GET", "POST"])
def unit_end_view(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    unit = _managed_unit(request, code, by_parent=True)
    form = UnitEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            unit_end(unit=unit, on=form.cleaned_data["on"], user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("%(unit)s đã ngừng hoạt động; những gì đơn vị đã làm vẫn được giữ.") % {"unit": unit}
            )
            return redirect("unit-detail", code=unit.code)
    return _unit_form(request, unit, form, _("Cho đơn vị ngừng hoạt động"))


def _unit_form(request: AuthenticatedHttpRequest, unit: Unit, form: forms.Form, title: str) -> HttpResponse:
    return render(request, "parplan/unit_form.html", {"unit": unit, "form": form, "title": title})


def _saved(request: AuthenticatedHttpRequest, form: forms.Form, write: Callable[[], object]) -> bool:
    """Run the service; a rule it refuses (a closed plan, a reason missing) goes on the form, not a 500."""
    try:
        write()
    except ValidationError as error:
        form.add_error(None, error)
        return False
    messages.success(request, _("Đã lưu."))
    return True


def _part_form(request: AuthenticatedHttpRequest, plan: Plan, form: forms.Form, title: str) -> HttpResponse:
    return render(request, "parplan/plan_part_edit.html", {"plan": plan, "form": form, "title": title})


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
