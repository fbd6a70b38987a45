"""Indicator screens: the plan's indicators, one indicator, a unit's figures, the review queue."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from evidence.uploads import validate_uploads
from parplan.access import get_plan_for_user
from parplan.feedback import say_saved
from parplan.http import AuthenticatedHttpRequest
from parplan.models import Plan, Unit
from targets.access import (
    can_define,
    can_on_unit,
    can_open_plan_figure_evidence,
    can_review,
    enters_figures_in,
    figure_units_read,
    get_indicator_for_user,
    get_measurement_for_review,
    get_period_for_review,
    get_unit_for_figures,
    removable_figures,
    units_for_figures,
)
from targets.charts import history_chart
from targets.conflicts import FigureConflict, figure_conflict
from targets.forms import FigureForm, ReasonForm, ReturnForm, TargetEditForm, definition_form
from targets.models import IndicatorKind, Measurement, Period
from targets.selectors import figures_entry, indicator_page, periods_with_figures_for, plan_indicators, review_queue_of
from targets.services import (
    figure_check,
    indicator_define,
    measurement_approve,
    measurement_reopen,
    measurement_save,
    measurements_return,
    period_lock,
    period_reopen,
    target_edit,
)


def indicator_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    context = {"plan": plan, "rows": plan_indicators(plan), "can_review": can_review(request.user, plan),
               "can_enter": enters_figures_in(request.user, plan)}  # fmt: skip
    return render(request, "targets/indicator_list.html", context)


def indicator_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    indicator = get_indicator_for_user(request.user, pk)
    units_read = figure_units_read(request.user, indicator)
    page = indicator_page(indicator, units_read)
    return render(
        request,
        "targets/indicator_detail.html",
        {
            "indicator": indicator,
            "plan": indicator.area.plan,
            "page": page,
            "chart": history_chart(
                page.history,
                indicator.threshold,
                page.months,
                suffix="%" if indicator.kind == IndicatorKind.RATIO else "",
            ),  # fmt: skip
            "can_edit": can_define(request.user, indicator),
            "can_review": can_review(request.user, indicator.area.plan),
            "own_units_only": units_read is not None,
        },
    )


def indicator_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    indicator = get_indicator_for_user(request.user, pk, perm="change")
    form = definition_form(indicator, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        saved = indicator_define(indicator=indicator, scope_units=list(data.pop("scope_units")), **data)
        say_saved(request, changed=saved.changed, done=_("Đã lưu định nghĩa chỉ số."))
        return redirect("indicator-detail", pk=indicator.pk)
    return render(request, "targets/indicator_edit.html", {"indicator": indicator, "form": form})


@require_http_methods(["GET", "POST"])
def target_edit_view(
    request: AuthenticatedHttpRequest, pk: int, number: int, position: int | None = None
) -> HttpResponse:
    """Change a target of an area, or add one (`position` None); the plan's secretariat only."""
    plan = get_plan_for_user(request.user, pk, perm="parplan.change_plan")
    area = get_object_or_404(plan.areas, number=number)
    target = get_object_or_404(area.targets, position=position) if position is not None else None
    form = TargetEditForm(
        request.POST or None, initial={"text": target.text if target else ""}, plan_status=plan.status
    )
    if request.method == "POST" and form.is_valid():
        try:
            target_edit(area=area, position=position, text=form.cleaned_data["text"], user=request.user,
                        reason=form.cleaned_data["reason"])  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã lưu chỉ tiêu; chỉ số được đọc lại từ nội dung."))
            return redirect(f"{reverse('plan-detail', args=[plan.pk])}#area-{area.number}")
    title = (
        _("Sửa chỉ tiêu %(number)s") % {"number": f"{area.number}.{position}"}
        if target
        else _("Thêm chỉ tiêu vào lĩnh vực %(number)s") % {"number": area.number}
    )
    return render(request, "parplan/plan_part_edit.html", {"plan": plan, "form": form, "title": title})


def figures_home(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Pick the unit whose figures to enter (most people have one)."""
    plan = get_plan_for_user(request.user, pk)
    units = list(units_for_figures(request.user).filter(path__startswith=plan.issuing_unit.path))
    period = request.GET.get("period", "")
    period = period if period.isdigit() else ""
    if len(units) == 1:
        # The period asked for goes along (a link from a reminder names it), else the entry page's default.
        url = reverse("figures-entry", args=[plan.pk, units[0].code])
        return redirect(url + (f"?period={period}" if period else ""))
    return render(request, "targets/figures_home.html", {"plan": plan, "units": units, "period": period})


def figures_entry_view(request: AuthenticatedHttpRequest, pk: int, code: str) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    unit = get_unit_for_figures(request.user, code)
    periods = list(periods_with_figures_for(plan))
    if not periods:
        # A plan created by hand (admin) before its calendar was generated.
        raise Http404(_("Kế hoạch chưa có kỳ báo cáo."))
    period = _chosen_period(request, periods)
    rows = figures_entry(unit, period)
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    forms = [FigureForm(data, files, indicator=row.indicator, measurement=row.measurement) for row in rows]
    can_submit = can_on_unit(request.user, "submit_figures", unit)
    if request.method == "POST":
        submit = request.POST.get("action") == "submit"
        if submit and not can_submit:
            raise PermissionDenied
        conflicts: dict[int, FigureConflict] = {}
        saved = _save_figures(request, unit, period, forms, submit, conflicts)
        if saved == 0:
            messages.warning(request, _("Chưa lưu gì: chưa nhập số liệu nào cho kỳ này."))
            return redirect(f"{request.path}?period={period.pk}")
        if saved is not None:
            done = _("Đã gửi %(n)d số liệu để duyệt.") if submit else _("Đã lưu nháp %(n)d số liệu.")
            messages.success(request, done % {"n": saved})
            return redirect(f"{request.path}?period={period.pk}")
        if conflicts:
            forms = [_conflicted(request, form, conflicts[form.indicator.pk]) if form.indicator.pk in conflicts
                     else form for form in forms]  # fmt: skip
            messages.error(request, _("Chưa lưu: có số liệu vừa được người khác lưu; xem phần khác biệt bên dưới."))
        else:
            messages.error(request, _("Chưa lưu: vui lòng sửa các lỗi được đánh dấu bên dưới."))
    figures = [form.measurement for form in forms if form.measurement is not None]
    invalid = [form for form in forms if form.errors]
    for form in invalid[1:]:
        form.focus_errors = False  # one focus on the page: the first box to mend
    return render(
        request,
        "targets/figures_entry.html",
        {"plan": plan, "unit": unit, "period": period, "periods": periods, "forms": forms, "can_submit": can_submit,
         "removable_figures": removable_figures(figures), "invalid_forms": invalid,
         "editable": any(not form.locked for form in forms)},
    )  # fmt: skip


def _chosen_period(request: HttpRequest, periods: list[Period]) -> Period:
    wanted = request.GET.get("period") or request.POST.get("period")
    if wanted and wanted.isdigit():
        for period in periods:
            if period.pk == int(wanted):
                return period
    if request.method == "POST":
        # Figures go to the period the page showed, never to a default the sender did not see.
        raise Http404
    # By default the last period whose window has closed: the one being reported now.
    today = timezone.localdate()
    closed = [p for p in periods if p.end < today and p.frequency == "monthly"]
    return closed[-1] if closed else periods[0]


def _save_figures(
    request: AuthenticatedHttpRequest,
    unit: Unit,
    period: Period,
    forms: list[FigureForm],
    submit: bool,
    conflicts: dict[int, FigureConflict],
) -> int | None:
    """Save every typed figure or none: one bad row keeps the whole page unsaved.

    A figure someone else saved since the page was opened goes into `conflicts`, by indicator.
    """
    if not all([form.is_valid() for form in forms]):
        # Every error at once: the figures that did read are checked too, so that a wrong total in one
        # does not wait behind a typo in another for a second round.
        for form in forms:
            if form.is_valid() and not form.locked and not form.is_blank():
                _check_before_saving(form, unit, period)
        return None
    for form in forms:
        if (conflict := _sent_meanwhile(form)) is not None:
            conflicts[form.indicator.pk] = conflict
    if conflicts:
        return None
    editable = [form for form in forms if not form.locked and not form.is_blank()]
    # Check every figure before writing any: evidence files reach storage at once
    # and a rollback caused by a later figure would leave them behind.
    for form in editable:
        _check_before_saving(form, unit, period)
    if any(form.errors for form in editable):
        return None
    try:
        with transaction.atomic():
            for form in editable:
                try:
                    measurement_save(
                        indicator=form.indicator,
                        unit=unit,
                        period=period,
                        figure=form.figure(),
                        user=request.user,
                        submit=submit,
                        files=form.cleaned_data.get("files", []),
                        expected_version=form.cleaned_data.get("version"),
                    )
                except FigureConflict as conflict:
                    conflicts[form.indicator.pk] = conflict
                except ValidationError as error:
                    _attach(form, error)
            if conflicts or any(form.errors for form in editable):
                raise _RollBack
    except _RollBack:
        return None
    return len(editable)


class _RollBack(Exception):
    pass


def _sent_meanwhile(form: FigureForm) -> FigureConflict | None:
    """A figure the page showed open, sent or approved since: what was typed for it would be lost unsaid.

    Its form is locked now, so it reads the stored values; what was typed is read by a twin form.
    A page opened on a locked figure posts no version for it (disabled fields are not sent).
    """
    posted = form.data.get(form.add_prefix("version"))
    if not form.locked or form.measurement is None or posted in (None, "", str(form.measurement.version)):
        return None
    twin = FigureForm(form.data, None, indicator=form.indicator, measurement=None)
    if not twin.is_valid() or twin.is_blank():
        return None
    return figure_conflict(form.measurement, twin.figure().values())


def _conflicted(request: HttpRequest, form: FigureForm, conflict: FigureConflict) -> FigureForm:
    """The form again with what was typed, on the stored version: a second save is a deliberate choice."""
    data = request.POST.copy()
    data[form.add_prefix("version")] = str(conflict.current_version)
    again = FigureForm(data, None, indicator=form.indicator, measurement=conflict.current)
    again.conflict = conflict
    when = timezone.localtime(conflict.at).strftime("%d/%m/%Y %H:%M") if conflict.at else ""
    if again.locked:
        text = _("Số liệu này vừa được %(who)s lưu lúc %(when)s và không còn sửa được; số liệu của bạn CHƯA được lưu.")
    else:
        text = _("Số liệu này vừa được %(who)s lưu lúc %(when)s. Số liệu của bạn CHƯA được lưu; "
                 "hãy xem phần khác biệt rồi lưu lại nếu vẫn muốn.")  # fmt: skip
    again.is_valid()
    again.add_error(None, text % {"who": conflict.by, "when": when})
    return again


def _check_before_saving(form: FigureForm, unit: Unit, period: Period) -> None:
    """Attach to `form` every error its figure and its files would raise when saved."""
    try:
        figure_check(indicator=form.indicator, unit=unit, period=period, figure=form.figure())
    except ValidationError as error:
        _attach(form, error)
    try:
        validate_uploads(form.cleaned_data.get("files", []))
    except ValidationError as error:
        _attach(form, error)


def _attach(form: FigureForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


def review_queue(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    if not can_review(request.user, plan):
        raise PermissionDenied
    if request.method == "POST":
        done = _review_action(request, plan)
        if done is not None:
            return done
    queue = review_queue_of(plan, request.GET.get("unit"), request.GET.get("period"))
    page = Paginator(queue.figures, 50).get_page(request.GET.get("page"))
    # A refused action shows the page again as it was sent: the figures ticked and the reason typed.
    chosen = set(_chosen_ids(request)) if request.method == "POST" else set()
    return_form = ReturnForm(initial={"comment": request.POST.get("comment", "")}) if chosen else ReturnForm()
    context = {
        "plan": plan, "page": page, "periods": queue.periods, "return_form": return_form, "reason_form": ReasonForm(),
        "can_open_evidence": can_open_plan_figure_evidence(request.user, plan), "chosen": chosen,
        "returning": request.method == "POST" and request.POST.get("action") == "return",
        "units": queue.units, "unit": queue.unit, "period": queue.period,
        "filters": _queue_filters(queue.unit, queue.period),
    }  # fmt: skip
    return render(request, "targets/review_queue.html", context)


def _chosen_ids(request: HttpRequest) -> list[int]:
    return [int(i) for i in request.POST.getlist("measurement") if i.isdigit()]


def _review_action(request: AuthenticatedHttpRequest, plan: Plan) -> HttpResponse | None:
    """Approve or return the ticked figures and go back to the queue; None when refused (the page is shown again)."""
    action = request.POST.get("action")
    # In one order: two reviewers' batches that share figures lock them in the same order, never in a deadlock.
    chosen = Measurement.objects.filter(indicator__area__plan=plan, pk__in=_chosen_ids(request))
    measurements = list(chosen.select_related("period").order_by("pk"))
    if action in ("approve", "return") and not measurements:
        # Said before anything else (a missing reason, say): nothing would change anyway.
        messages.warning(request, _("Chưa chọn số liệu nào; hãy đánh dấu các số liệu cần duyệt hoặc trả lại."))
        return redirect(_review_url(request, plan))
    try:
        with transaction.atomic():
            if action == "approve":
                for measurement in measurements:
                    measurement_approve(measurement=measurement, user=request.user)
                messages.success(request, _("Đã duyệt %(n)d số liệu.") % {"n": len(measurements)})
            elif action == "return":
                data = _cleaned(ReturnForm(request.POST), missing=_("Cần ghi rõ lý do trả lại để đơn vị sửa."))
                measurements_return(measurements=measurements, user=request.user, comment=data["comment"])
                messages.success(request, _("Đã trả lại %(n)d số liệu.") % {"n": len(measurements)})
            else:
                raise ValidationError(_("Chưa chọn thao tác."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return None
    return redirect(_review_url(request, plan))


def _review_url(request: HttpRequest, plan: Plan) -> str:
    """The queue's page the reviewer was on, with its unit and period picked (what was done leaves it, so the
    next figures move up to it)."""
    kept = {key: request.GET[key] for key in ("unit", "period", "page") if request.GET.get(key, "").isalnum()}
    return reverse("figures-review", args=[plan.pk]) + (f"?{urlencode(kept)}" if kept else "")


def _queue_filters(unit: Unit | None, period: Period | None) -> str:
    """The picked unit and period as a query string's start, for the page links ("unit=06184&")."""
    picked = {"unit": unit.code if unit else "", "period": period.pk if period else ""}
    kept = {key: value for key, value in picked.items() if value}
    return f"{urlencode(kept)}&" if kept else ""


def _cleaned(form: BaseForm, *, missing: str) -> dict[str, Any]:
    """The form's data; otherwise its errors, `missing` saying what an empty field should hold."""
    if form.is_valid():
        return form.cleaned_data
    problems = [problem for errors in form.errors.as_data().values() for problem in errors]
    raise ValidationError([missing if problem.code == "required" else problem for problem in problems])


@require_POST
def measurement_reopen_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    measurement = get_measurement_for_review(request.user, pk)
    try:
        data = _cleaned(ReasonForm(request.POST), missing=_("Cần ghi lý do mở lại số liệu đã duyệt."))
        measurement_reopen(measurement=measurement, user=request.user, reason=data["reason"])
        messages.success(request, _("Đã mở lại số liệu để đơn vị sửa."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("indicator-detail", pk=measurement.indicator_id)


@require_POST
def period_lock_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    period = get_period_for_review(request.user, pk)
    try:
        if request.POST.get("action") == "reopen":
            data = _cleaned(ReasonForm(request.POST), missing=_("Cần ghi lý do mở lại kỳ báo cáo."))
            period_reopen(period=period, reason=data["reason"])
            messages.success(request, _("Đã mở khóa kỳ %(period)s.") % {"period": period})
        else:
            period_lock(period=period)
            messages.success(request, _("Đã khóa kỳ %(period)s.") % {"period": period})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("figures-review", pk=period.plan_id)
