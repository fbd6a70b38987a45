"""Report screens: the narrative, generating a version (with progress), downloads."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inspections.access import get_visit_for_user
from inspections.selectors import visit_page
from parplan.access import get_plan_for_user, has_plan_perm, visible_plans
from parplan.feedback import say_saved
from parplan.files import send_stored_file
from parplan.http import AuthenticatedHttpRequest
from parplan.models import Plan
from reports.forms import NarrativeForm
from reports.models import GeneratedReport, ReportKind, ReportNarrative, report_window
from reports.renderers.inspection_record import render_inspection_record
from reports.selectors import plan_gaps, report_data, report_gaps
from reports.services import narrative_save, report_request, report_retry


def _can_write(user: User, plan: Plan) -> bool:
    return has_plan_perm(user, "reports.add_generatedreport", plan)


def _kind(kind: str) -> str:
    if kind not in ReportKind.values:
        raise Http404
    return kind


def report_home(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    kinds = [(kind, label, report_window(kind, plan.year)) for kind, label in ReportKind.choices]
    reports = GeneratedReport.objects.filter(plan=plan).select_related("author")
    return render(
        request, "reports/report_home.html",
        {"plan": plan, "kinds": kinds, "reports": reports, "can_write": _can_write(request.user, plan),
         "gaps": plan_gaps(plan)},
    )  # fmt: skip


def narrative_edit(request: AuthenticatedHttpRequest, pk: int, kind: str) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    kind = _kind(kind)
    if not _can_write(request.user, plan):
        raise PermissionDenied
    narrative = ReportNarrative.objects.filter(plan=plan, kind=kind).first() or ReportNarrative(plan=plan, kind=kind)
    data = report_data(plan=plan, kind=kind, narrative=narrative)
    areas = [(a.number, a.name, (narrative.area_comments or {}).get(str(a.number)) or a.comment) for a in data.areas]
    form = NarrativeForm.for_narrative(narrative, data.generated_sentences, areas, request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = narrative_save(plan=plan, kind=kind, user=request.user, **form.narrative_fields())
        generate = request.POST.get("action") == "generate"
        if saved.changed or not generate:
            say_saved(request, changed=saved.changed, done=_("Đã lưu nội dung báo cáo."))
        if generate:
            report = report_request(plan=plan, kind=kind, user=request.user)
            return redirect("report-detail", pk=report.pk)
        return redirect("report-narrative", pk=plan.pk, kind=kind)
    gaps = report_gaps(plan=plan, narrative=narrative)
    return render(request, "reports/narrative_form.html", {"plan": plan, "kind": kind, "form": form, "gaps": gaps,
                                                           "label": ReportKind(kind).label})  # fmt: skip


@require_POST
def report_generate_view(request: AuthenticatedHttpRequest, pk: int, kind: str) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    if not _can_write(request.user, plan):
        raise PermissionDenied
    report = report_request(plan=plan, kind=_kind(kind), user=request.user)
    return redirect("report-detail", pk=report.pk)


def _report_for_user(request: AuthenticatedHttpRequest, pk: int) -> GeneratedReport:
    return get_object_or_404(
        GeneratedReport.objects.select_related("plan", "author").filter(plan__in=visible_plans(request.user)), pk=pk
    )


def report_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = _report_for_user(request, pk)
    return render(
        request, "reports/report_detail.html", {"report": report, "can_write": _can_write(request.user, report.plan)}
    )


@require_POST
def report_retry_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = _report_for_user(request, pk)
    if not _can_write(request.user, report.plan):
        raise PermissionDenied
    try:
        report_retry(report=report, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã xếp lại việc tạo báo cáo."))
    return redirect("report-detail", pk=report.pk)


def report_status(request: AuthenticatedHttpRequest, pk: int) -> JsonResponse:
    report = _report_for_user(request, pk)
    return JsonResponse({"state": report.state, "progress": report.progress, "error": report.error})


def report_download(request: AuthenticatedHttpRequest, pk: int, fmt: str) -> HttpResponse:
    report = _report_for_user(request, pk)
    field = {"pdf": report.pdf, "xlsx": report.xlsx}.get(fmt)
    if not field:
        raise Http404
    return send_stored_file(request, field, field.name.rsplit("/", 1)[-1])


def inspection_record(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The visit's record (biên bản) as a PDF, for whoever reads the visit (inspections.access)."""
    visit = visit_page(get_visit_for_user(request.user, pk).pk)
    response = HttpResponse(render_inspection_record(visit), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bien-ban-kiem-tra-{visit.pk}.pdf"'
    return response
