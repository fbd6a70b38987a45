"""Dossier statistics screens: thin views over dossiers.access, selectors and services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dossiers.access import can_import, get_import_for_user, get_unit_for_user, readable_units
from dossiers.forms import MappingFormSet, UploadForm, parse_period
from dossiers.layout import BY_KEY, TEMPLATE_ORDER
from dossiers.models import ImportState
from dossiers.reading import CheckResult, ParsedRow, first_import_day, template_month
from dossiers.selectors import month_table, recent_imports, template_units, unit_year
from dossiers.services import (
    check_progress,
    dossier_import_check,
    dossier_import_confirm,
    dossier_import_recheck,
    dossier_import_result,
    import_progress,
    unit_mappings_save,
)
from dossiers.template import template_xlsx
from parplan.access import get_plan_for_user
from parplan.files import attachment_header
from parplan.http import AuthenticatedHttpRequest
from parplan.models import Plan, Unit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The table's columns, in the template's order (the file's totals are derived on screen).
COLUMNS = [(key, BY_KEY[key].header) for key in TEMPLATE_ORDER if key not in ("unit_code", "unit_name", "month")]


def dossier_table(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Every unit's (or the person's own units') rows for a month, with the total and the year's trend."""
    plan = get_plan_for_user(request.user, pk)
    units = readable_units(request.user, plan)
    if not units.exists():
        raise PermissionDenied
    month = parse_period(request.GET.get("month", ""))
    if month is not None and month.year != plan.year:
        message = _("Tháng %(month)s ngoài năm của kế hoạch (%(year)d): đang xem tháng gần nhất có số liệu.")
        messages.warning(request, message % {"month": f"{month:%m/%Y}", "year": plan.year})
        month = None
    table = month_table(plan, units, month)
    return render(
        request,
        "dossiers/table.html",
        {"plan": plan, "table": table, "columns": COLUMNS, "can_import": can_import(request.user, plan)},
    )


def dossier_unit(request: AuthenticatedHttpRequest, pk: int, code: str) -> HttpResponse:
    """A unit's own months, for its head."""
    plan = get_plan_for_user(request.user, pk)
    unit = get_unit_for_user(request.user, plan, code)
    return render(
        request, "dossiers/unit.html", {"plan": plan, "unit": unit, "year": unit_year(plan, unit), "columns": COLUMNS}
    )


def _plan_for_import(request: AuthenticatedHttpRequest, pk: int) -> Plan:
    plan = get_plan_for_user(request.user, pk)
    if not can_import(request.user, plan):
        raise PermissionDenied
    return plan


def dossier_import(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = _plan_for_import(request, pk)
    form = UploadForm(request.POST or None, request.FILES or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            batch, result = dossier_import_check(
                plan=plan, upload=form.cleaned_data["file"], user=request.user, default_month=form.default_month()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if result is None:
                messages.info(request, _("Tệp lớn: đang kiểm tra ở chế độ nền; trang tự cập nhật khi xong."))
            return redirect("dossier-import-detail", pk=batch.pk)
    # A coming year's plan: no month of it has closed, so every row would be refused; said before the upload.
    first_importable = first_import_day(plan.year, timezone.localdate())
    context = {"plan": plan, "form": form, "imports": recent_imports(plan), "first_importable": first_importable}
    return render(request, "dossiers/import.html", context)


def dossier_template(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = _plan_for_import(request, pk)
    units = template_units(plan)
    month = template_month(plan.year, timezone.localdate())  # the last closed, not the one under way
    response = HttpResponse(template_xlsx(units, f"{month:%m/%Y}" if month else None), content_type=XLSX)
    response["Content-Disposition"] = attachment_header(f"mau-so-lieu-ho-so-{plan.year}.xlsx")
    return response


def dossier_import_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The preview of a checked file, or its errors, row by row and column by column; then its progress."""
    batch = get_import_for_user(request.user, pk)
    result = dossier_import_result(batch)
    units = Unit.objects.below(batch.plan.issuing_unit).order_by("path")
    names = sorted(set(result.unknown_names)) if result else []
    mappings = MappingFormSet(initial=[{"name": name} for name in names], form_kwargs={"units": units}, prefix="map")
    return render(
        request,
        "dossiers/import_detail.html",
        {"plan": batch.plan, "batch": batch, "result": result, "columns": COLUMNS, "mappings": mappings,
         "progress": import_progress(batch), "preview": _preview(result),
         "rows_checked": check_progress(batch)},
    )  # fmt: skip


def _preview(result: CheckResult | None) -> list[tuple[ParsedRow, str]]:
    if result is None:
        return []
    names = dict(Unit.objects.filter(pk__in={row.unit_id for row in result.preview}).values_list("pk", "name"))
    return [(row, names[row.unit_id]) for row in result.preview]


@require_POST
def dossier_import_mappings(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    batch = get_import_for_user(request.user, pk)
    units = Unit.objects.below(batch.plan.issuing_unit)
    formset = MappingFormSet(request.POST, form_kwargs={"units": units}, prefix="map")
    if formset.is_valid():
        chosen = [(form.cleaned_data["name"], form.cleaned_data["unit"]) for form in formset.forms
                  if form.cleaned_data.get("unit")]  # fmt: skip
        saved = unit_mappings_save(plan=batch.plan, names=chosen)
        if batch.state not in (ImportState.CHECKED, ImportState.INVALID):
            # Checking, importing or imported already (a page left open): the names serve the next files.
            message = _("Đã lưu %(n)d tên đơn vị; tệp này đang được kiểm tra hoặc đã nhập nên không kiểm tra lại.")
            messages.info(request, message % {"n": saved})
        elif dossier_import_recheck(batch=batch, save=True) is None:
            messages.success(
                request, _("Đã lưu %(n)d tên đơn vị; tệp đang được kiểm tra lại ở chế độ nền.") % {"n": saved}
            )
        else:
            messages.success(request, _("Đã lưu %(n)d tên đơn vị; tệp đã được kiểm tra lại.") % {"n": saved})
    else:
        messages.error(request, _("Chưa lưu: chọn lại đơn vị."))
    return redirect("dossier-import-detail", pk=batch.pk)


@require_POST
def dossier_import_confirm_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    batch = get_import_for_user(request.user, pk)
    try:
        batch = dossier_import_confirm(batch=batch)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except Exception:  # the import rolled back and is marked failed; its page says why
        messages.error(request, _("Nhập không thành công; không dòng nào được lưu."))
    else:
        if batch.state == ImportState.IMPORTED:
            messages.success(request, _("Đã nhập %(n)d dòng số liệu.") % {"n": batch.done_rows})
        else:
            messages.info(request, _("Tệp lớn: đang nhập ở chế độ nền."))
    return redirect("dossier-import-detail", pk=batch.pk)


def dossier_import_status(request: AuthenticatedHttpRequest, pk: int) -> JsonResponse:
    batch = get_import_for_user(request.user, pk)
    # "done" and "failed" end the page's polling (static/js/parplan.js, shared with the reports).
    waiting = batch.state in (ImportState.RUNNING, ImportState.CHECKING)
    state = batch.state if waiting or batch.state == ImportState.FAILED else "done"  # checked: the page reloads
    return JsonResponse(
        {"state": state, "progress": import_progress(batch), "rows_checked": check_progress(batch), "error": ""}
    )
