"""Inspection screens: thin views over inspections.access, selectors and services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inspections.access import (
    MANAGE,
    can_answer,
    can_manage,
    get_finding_for_user,
    get_plan_for_user,
    get_recommendation_for_user,
    get_visit_for_user,
    readable_plans,
    unit_recommendations,
    unit_visits,
)
from inspections.forms import (
    AnswerForm,
    ExtensionForm,
    FindingForm,
    FindingSettleForm,
    InspectionPlanForm,
    PlannedUnitForm,
    RecommendationForm,
    ReturnForm,
    VisitForm,
)
from inspections.selectors import plan_progress, plan_visits, recommendations_for_units, visit_page
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
    recommendation_decide_extension,
    recommendation_request_extension,
    recommendation_return,
    visit_record,
)
from parplan.access import get_plan_for_user as get_par_plan_for_user
from parplan.access import has_plan_perm, visible_plans
from parplan.http import AuthenticatedHttpRequest


def _add_errors(form: forms.BaseForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, problems in error.message_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


def _form_page(request: AuthenticatedHttpRequest, form: forms.BaseForm, *, title: str, back: str,
               multipart: bool = False) -> HttpResponse:  # fmt: skip
    return render(request, "inspections/form.html", {"form": form, "title": title, "back": back,
                                                     "multipart": multipart})  # fmt: skip


def _saved(request: AuthenticatedHttpRequest, form: forms.BaseForm, save: Callable[[], Any], message: str) -> bool:
    try:
        save()
    except ValidationError as error:
        _add_errors(form, error)
        return False
    messages.success(request, message)
    return True


def inspection_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The plans the person reads, and the recommendations to the units they act for."""
    user = request.user
    recommendations = recommendations_for_units(unit_recommendations(user))
    creatable = [plan for plan in visible_plans(user) if has_plan_perm(user, MANAGE, plan)]
    return render(
        request,
        "inspections/home.html",
        {"plans": readable_plans(user), "recommendations": recommendations, "today": timezone.localdate(),
         "creatable": creatable, "visits": unit_visits(user).order_by("-start_date")},
    )  # fmt: skip


def plan_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = get_par_plan_for_user(request.user, pk, MANAGE)
    form = InspectionPlanForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        values = PlanInput(
            kind=data["kind"], conducting_unit=data["conducting_unit"], decision_number=data["decision_number"],
            decision_date=data["decision_date"], topics=data["topics"], areas=list(data["areas"]),
            scope_kinds=list(data["scope_kinds"]), team=list(data["team"]), lead=data["lead"],
        )  # fmt: skip
        created: list[Any] = []
        if _saved(request, form, lambda: created.append(inspection_plan_create(plan=plan, data=values,
                                                                               user=request.user)),
                  _("Đã lập kế hoạch kiểm tra.")):  # fmt: skip
            return redirect("inspection-plan", pk=created[0].pk)
    return _form_page(request, form, title=_("Lập kế hoạch kiểm tra"), back=reverse("inspections"))


def plan_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    inspection_plan = get_plan_for_user(request.user, pk)
    today = timezone.localdate()
    return render(
        request,
        "inspections/plan_detail.html",
        {
            "inspection_plan": inspection_plan,
            "progress": plan_progress(inspection_plan, today),
            "planned": inspection_plan.planned.select_related("unit"),
            "visits": plan_visits(inspection_plan),
            "team": inspection_plan.team.all(),
            "areas": inspection_plan.areas.order_by("number"),
            "can_manage": can_manage(request.user, inspection_plan),
            "planned_form": PlannedUnitForm(inspection_plan=inspection_plan),
        },
    )


@require_POST
def planned_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    inspection_plan = get_plan_for_user(request.user, pk, manage=True)
    form = PlannedUnitForm(request.POST, inspection_plan=inspection_plan)
    if form.is_valid():
        data = form.cleaned_data
        if _saved(request, form, lambda: planned_unit_add(inspection_plan=inspection_plan, unit=data["unit"],
                                                          month=data["month"], unannounced=data["unannounced"]),
                  _("Đã thêm đơn vị vào kế hoạch kiểm tra.")):  # fmt: skip
            return redirect("inspection-plan", pk=pk)
    return _form_page(request, form, title=_("Thêm đơn vị vào kế hoạch"), back=reverse("inspection-plan", args=[pk]))


def visit_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    inspection_plan = get_plan_for_user(request.user, pk, manage=True)
    form = VisitForm(request.POST or None, inspection_plan=inspection_plan)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        values = VisitInput(
            unit=data["unit"], start_date=data["start_date"], end_date=data["end_date"],
            unannounced=data["unannounced"], direct=data["direct"], team=list(data["team"]), lead=data["lead"],
            conclusion=data["conclusion"], checks=form.checks(),
        )  # fmt: skip
        created: list[Any] = []
        if _saved(request, form, lambda: created.append(visit_record(inspection_plan=inspection_plan, data=values,
                                                                     user=request.user)),
                  _("Đã ghi nhận đợt kiểm tra.")):  # fmt: skip
            return redirect("inspection-visit", pk=created[0].pk)
    return _form_page(request, form, title=_("Ghi nhận đợt kiểm tra"), back=reverse("inspection-plan", args=[pk]))


def visit_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    visit = get_visit_for_user(request.user, pk)
    visit = visit_page(visit.pk)
    user = request.user
    managing = can_manage(user, visit.inspection_plan)
    recommendations = list(visit.recommendations.all())
    return render(
        request,
        "inspections/visit_detail.html",
        {
            "visit": visit,
            "can_manage": managing,
            "recommendations": [(r, can_answer(user, r)) for r in recommendations],
            "today": timezone.localdate(),
            "settle_form": FindingSettleForm(),
            "return_form": ReturnForm(),
            "can_read_plan": managing
            or has_plan_perm(user, "inspections.view_inspectionplan", visit.inspection_plan.plan),
        },
    )


def finding_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    visit = get_visit_for_user(request.user, pk, manage=True)
    form = FindingForm(request.POST or None, request.FILES or None, visit=visit)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _saved(request, form, lambda: finding_add(visit=visit, area=data["area"], severity=data["severity"],
                                                     text=data["text"], deadline=data["deadline"],
                                                     files=data["files"], user=request.user),
                  _("Đã ghi vấn đề phát hiện.")):  # fmt: skip
            return redirect("inspection-visit", pk=visit.pk)
    return _form_page(
        request, form, title=_("Ghi vấn đề phát hiện"), back=reverse("inspection-visit", args=[pk]), multipart=True
    )


@require_POST
def finding_settle_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    finding = get_finding_for_user(request.user, pk, manage=True)
    visit = finding.visit
    form = FindingSettleForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        if _saved(request, form, lambda: finding_settle(finding=finding, outcome=data["outcome"], on=data["on"],
                                                        note=data["note"], user=request.user),
                  _("Đã ghi kết quả xử lý vấn đề.")):  # fmt: skip
            return redirect("inspection-visit", pk=visit.pk)
    return _form_page(request, form, title=_("Kết quả xử lý vấn đề"), back=reverse("inspection-visit", args=[visit.pk]))


def recommendation_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    visit = get_visit_for_user(request.user, pk, manage=True)
    form = RecommendationForm(request.POST or None, visit=visit)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _saved(request, form, lambda: recommendation_add(visit=visit, text=data["text"], deadline=data["deadline"],
                                                            finding=data["finding"], user=request.user),
                  _("Đã ghi kiến nghị.")):  # fmt: skip
            return redirect("inspection-visit", pk=visit.pk)
    return _form_page(request, form, title=_("Ghi kiến nghị"), back=reverse("inspection-visit", args=[pk]))


def recommendation_answer_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    recommendation = get_recommendation_for_user(request.user, pk, perm="answer")
    form = AnswerForm(request.POST or None, request.FILES or None, initial={"version": recommendation.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _saved(request, form, lambda: recommendation_answer(recommendation=recommendation, user=request.user,
                                                               text=data["text"], files=data["files"],
                                                               expected_version=data["version"]),
                  _("Đã gửi kết quả thực hiện kiến nghị.")):  # fmt: skip
            return redirect("inspection-visit", pk=recommendation.visit_id)
    back = reverse("inspection-visit", args=[recommendation.visit_id])
    return _form_page(request, form, title=_("Báo cáo kết quả thực hiện kiến nghị"), back=back, multipart=True)


def recommendation_extension_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    recommendation = get_recommendation_for_user(request.user, pk, perm="answer")
    form = ExtensionForm(request.POST or None, initial={"version": recommendation.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _saved(request, form, lambda: recommendation_request_extension(
                recommendation=recommendation, user=request.user, new_deadline=data["new_deadline"],
                reason=data["reason"], today=timezone.localdate(), expected_version=data["version"]),
                _("Đã gửi đề nghị gia hạn.")):  # fmt: skip
            return redirect("inspection-visit", pk=recommendation.visit_id)
    return _form_page(
        request, form, title=_("Đề nghị gia hạn"), back=reverse("inspection-visit", args=[recommendation.visit_id])
    )


def _opened_version(request: AuthenticatedHttpRequest) -> int | None:
    """The version the page showed (its forms carry it): a step on an older one is refused."""
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() else None


def _review(request: AuthenticatedHttpRequest, pk: int, action: Callable[..., Any], message: str,
            **values: Any) -> HttpResponse:  # fmt: skip
    recommendation = get_recommendation_for_user(request.user, pk, perm="review")
    try:
        action(recommendation=recommendation, user=request.user, expected_version=_opened_version(request), **values)
    except ValidationError as error:
        for problem in error.messages:
            messages.error(request, problem)
    else:
        messages.success(request, message)
    return redirect("inspection-visit", pk=recommendation.visit_id)


@require_POST
def recommendation_confirm_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _review(request, pk, recommendation_confirm, _("Đã xác nhận hoàn thành kiến nghị."),
                   today=timezone.localdate())  # fmt: skip


@require_POST
def recommendation_return_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    comment = request.POST.get("comment", "")
    return _review(request, pk, recommendation_return, _("Đã trả lại kiến nghị cho đơn vị."), comment=comment)


@require_POST
def recommendation_extension_decide_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    approve = request.POST.get("decision") == "approve"
    return _review(request, pk, recommendation_decide_extension, _("Đã quyết định về đề nghị gia hạn."),
                   approve=approve, note=request.POST.get("note", ""))  # fmt: skip
