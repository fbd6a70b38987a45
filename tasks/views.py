"""Task screens: lists, the task page, and one view per workflow action."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parplan.access import get_plan_for_user
from parplan.feedback import say_saved
from parplan.forms import PortalForm
from parplan.http import AuthenticatedHttpRequest
from parplan.models import Unit
from tasks.access import (
    can_add_task,
    can_change_task,
    contributing_units_for,
    get_task_for_user,
    report_evidence_rights,
)
from tasks.exports import task_list_xlsx
from tasks.forms import (
    CancelForm,
    ClaimForm,
    CommentForm,
    ContributionForm,
    ExtensionDecisionForm,
    ExtensionRequestForm,
    TaskAssignForm,
    TaskCreateForm,
    TaskEditForm,
    TaskFilterForm,
    TaskProgressForm,
)
from tasks.models import ExtensionState, Task, TaskOccurrence
from tasks.selectors import (
    sees_all_tasks,
    task_list,
    task_page,
    unit_task_statistics,
    user_units,
    visible_plan_or_active,
)
from tasks.services import (
    TaskConflict,
    extension_decide,
    extension_request,
    occurrence_mark_done,
    task_assign,
    task_cancel,
    task_claim_completion,
    task_confirm_completion,
    task_contribute,
    task_create,
    task_report_progress,
    task_return_completion,
    task_update,
)

PAGE_SIZE = 25


def _add_errors(form: forms.BaseForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, problems in error.message_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


def _conflict_message(request: HttpRequest, conflict: TaskConflict) -> None:
    who = conflict.by or _("người khác")
    when = timezone.localtime(conflict.at).strftime("%d/%m/%Y %H:%M") if conflict.at else ""
    if conflict.changes:
        text = _("Nhiệm vụ vừa được %(who)s cập nhật lúc %(when)s. Thay đổi của bạn CHƯA được lưu; "
                 "hãy xem phần khác biệt bên dưới rồi lưu lại nếu vẫn muốn.")  # fmt: skip
    else:
        # A write that moved no field shown here (a period marked done, a unit added to coordinate).
        text = _("Nhiệm vụ vừa được %(who)s cập nhật lúc %(when)s, không đổi mục nào trên trang này. "
                 "Thay đổi của bạn CHƯA được lưu; bấm Lưu lần nữa nếu vẫn muốn.")  # fmt: skip
    messages.error(request, text % {"who": who, "when": when})


# --- Lists -------------------------------------------------------------------------


def task_list_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    plan = visible_plan_or_active(request.user, _int(request.GET.get("plan")))
    if plan is None:
        raise Http404
    all_units = sees_all_tasks(request.user, plan)
    units = (
        Unit.objects.below(plan.issuing_unit)
        if all_units
        else Unit.objects.filter(pk__in=[u.pk for u in user_units(request.user)])
    )
    form = TaskFilterForm(request.GET or None, plan=plan, units=units.order_by("path"))
    filters = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    tasks = task_list(plan=plan, user=request.user, today=today, filters=filters)
    if request.GET.get("format") == "xlsx":
        title = _("Danh sách nhiệm vụ — %(plan)s") % {"plan": plan.title}
        content = task_list_xlsx(tasks, title=title, generated=timezone.localtime())
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="nhiem-vu-{plan.year}.xlsx"'
        return response
    page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "tasks/task_list.html",
        {"plan": plan, "form": form, "page": page, "query": query.urlencode(), "all_units": all_units,
         "can_create": can_add_task(request.user, plan)},
    )  # fmt: skip


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def task_statistics(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    stats = unit_task_statistics(plan=plan, today=timezone.localdate())
    return render(request, "tasks/task_statistics.html", {"plan": plan, "stats": stats})


# --- The task page -------------------------------------------------------------------


def task_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    task = get_task_for_user(request.user, pk)
    today = timezone.localdate()
    user = request.user
    contributing = contributing_units_for(user, task)
    page = task_page(task)
    reporting = can_change_task(user, task, "report_progress")
    return render(
        request,
        "tasks/task_detail.html",
        {
            "task": task,
            "plan": task.area.plan,
            "page": page,
            "state": task.state_on(today),
            "evidence": report_evidence_rights(
                user, task, page.reports, reporting=reporting, contributing=contributing
            ),
            "can_report": reporting and not task.is_closed,
            "can_claim": can_change_task(user, task, "claim_completion") and not task.is_closed and not task.claimed_at,
            "can_contribute": bool(contributing) and not task.is_closed,
            "can_manage": can_change_task(user, task, "change_task"),
            "has_pending_extension": any(e.state == ExtensionState.PENDING for e in task.extensions.all()),
            "return_form": CommentForm(),
            "decision_form": ExtensionDecisionForm(),
            "cancel_form": CancelForm(),
            "claim_form": ClaimForm.for_task(task),
        },
    )


def task_progress(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    task = get_task_for_user(request.user, pk, perm="report_progress")
    form = TaskProgressForm.for_task(task, request.POST or None, request.FILES or None)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            task_report_progress(
                task=task, user=request.user, status=data["status"], percent=data["percent"], text=data["text"],
                files=data["files"], expected_version=data["version"],
            )  # fmt: skip
        except TaskConflict as error:
            conflict = error
            _conflict_message(request, error)
            form = TaskProgressForm(_resubmitted(request, error))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Đã cập nhật tiến độ nhiệm vụ."))
            return redirect("task-detail", pk=task.pk)
    return render(request, "tasks/task_form.html", {"task": task, "form": form, "conflict": conflict,
                                                    "title": _("Cập nhật tiến độ"), "multipart": True})  # fmt: skip


def _resubmitted(request: HttpRequest, conflict: TaskConflict) -> QueryDict:
    """What was typed, on the version the conflict reports: a second save is a deliberate choice."""
    data = request.POST.copy()
    data["version"] = str(conflict.current_version)
    return data


def task_contribute_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    task = get_task_for_user(request.user, pk, perm="contribute_task")
    units = Unit.objects.filter(pk__in=[u.pk for u in contributing_units_for(request.user, task)])
    form = ContributionForm(request.POST or None, request.FILES or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            task_contribute(
                task=task, unit=form.cleaned_data["unit"], user=request.user, text=form.cleaned_data["text"],
                files=form.cleaned_data["files"],
            )  # fmt: skip
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Đã ghi nhận phần phối hợp của đơn vị."))
            return redirect("task-detail", pk=task.pk)
    return render(request, "tasks/task_form.html", {"task": task, "form": form, "title": _("Báo cáo phần phối hợp"),
                                                    "multipart": True})  # fmt: skip


def _action(
    request: AuthenticatedHttpRequest,
    pk: int,
    perm: str,
    form_class: type[forms.Form],
    run: Callable[[Task, dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    """A POST-only workflow step: check, validate, call the service, say what happened."""
    task = get_task_for_user(request.user, pk, perm=perm)
    form = form_class(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        run(task, form.cleaned_data)
        messages.success(request, done)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("task-detail", pk=task.pk)


@require_POST
def task_claim(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _action(
        request, pk, "claim_completion", ClaimForm,
        lambda task, data: task_claim_completion(task=task, user=request.user, today=timezone.localdate(),
                                                 text=data["text"], files=data["files"]),
        _("Đã báo hoàn thành; chờ Phòng Nội vụ xác nhận."),
    )  # fmt: skip


class _NoFields(PortalForm):
    pass


@require_POST
def task_confirm(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _action(
        request, pk, "change_task", _NoFields,
        lambda task, _data: task_confirm_completion(task=task, user=request.user, today=timezone.localdate()),
        _("Đã xác nhận nhiệm vụ hoàn thành."),
    )  # fmt: skip


@require_POST
def task_return(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _action(
        request, pk, "change_task", CommentForm,
        lambda task, data: task_return_completion(task=task, user=request.user, comment=data["comment"],
                                                  today=timezone.localdate()),
        _("Đã trả lại để đơn vị bổ sung."),
    )  # fmt: skip


@require_POST
def task_cancel_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _action(
        request, pk, "change_task", CancelForm,
        lambda task, data: task_cancel(task=task, user=request.user, reason=data["reason"]),
        _("Đã hủy nhiệm vụ."),
    )  # fmt: skip


@require_POST
def extension_decide_view(request: AuthenticatedHttpRequest, pk: int, extension_pk: int) -> HttpResponse:
    def decide(task: Task, data: dict[str, Any]) -> None:
        extension = get_object_or_404(task.extensions, pk=extension_pk)
        extension_decide(
            request=extension, user=request.user, approve=data["decision"] == "approve", note=data["note"],
            today=timezone.localdate(),
        )  # fmt: skip

    return _action(request, pk, "change_task", ExtensionDecisionForm, decide, _("Đã quyết định về đề nghị gia hạn."))


@require_POST
def occurrence_done(request: AuthenticatedHttpRequest, pk: int, occurrence_pk: int) -> HttpResponse:
    task = get_task_for_user(request.user, pk, perm="report_progress")
    occurrence = get_object_or_404(TaskOccurrence, pk=occurrence_pk, task=task)
    try:
        occurrence_mark_done(
            occurrence=occurrence, user=request.user, today=timezone.localdate(), done=request.POST.get("done") != "0"
        )
        messages.success(request, _("Đã cập nhật kỳ %(label)s.") % {"label": occurrence})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("task-detail", pk=task.pk)


def extension_request_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    task = get_task_for_user(request.user, pk, perm="report_progress")
    form = ExtensionRequestForm(request.POST or None, year=task.area.plan.year)
    if request.method == "POST" and form.is_valid():
        try:
            extension_request(task=task, user=request.user, today=timezone.localdate(), **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Đã gửi đề nghị gia hạn; chờ Phòng Nội vụ quyết định."))
            return redirect("task-detail", pk=task.pk)
    return render(request, "tasks/task_form.html", {"task": task, "form": form, "title": _("Đề nghị gia hạn")})


# --- The secretariat's pages ------------------------------------------------------------


def task_create_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk, perm="tasks.add_task")
    form = TaskCreateForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        data["recurrence_due_day"] = data.get("recurrence_due_day")
        try:
            task = task_create(user=request.user, **data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Đã tạo nhiệm vụ."))
            return redirect("task-detail", pk=task.pk)
    return render(request, "tasks/task_form.html", {"plan": plan, "form": form, "title": _("Thêm nhiệm vụ")})


def task_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    task = get_task_for_user(request.user, pk, perm="change_task")
    if task.is_closed:
        messages.error(request, _("Nhiệm vụ đã hủy hoặc đã xác nhận hoàn thành, không sửa được."))
        return redirect("task-detail", pk=task.pk)
    form = TaskEditForm.for_task(task, request.POST or None)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version") or task.version
        try:
            saved = task_update(task=task, expected_version=version, user=request.user, **data)
        except TaskConflict as error:
            conflict = error
            _conflict_message(request, error)
            form = TaskEditForm.for_task(task, _resubmitted(request, error))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            say_saved(request, changed=saved.changed, done=_("Đã lưu nhiệm vụ."))
            return redirect("task-detail", pk=task.pk)
    return render(request, "tasks/task_form.html", {"task": task, "form": form, "conflict": conflict,
                                                    "title": _("Sửa nhiệm vụ")})  # fmt: skip


def task_assign_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    task = get_task_for_user(request.user, pk, perm="change_task")
    form = TaskAssignForm.for_task(task, request.POST or None)
    if request.method == "POST" and form.is_valid():
        if task.is_closed:
            messages.error(request, _("Nhiệm vụ đã hủy hoặc đã xác nhận hoàn thành, không phân công lại được."))
            return redirect("task-detail", pk=task.pk)
        saved = task_assign(
            task=task,
            lead_unit=form.cleaned_data["lead_unit"],
            coordinating_units=form.cleaned_data["coordinating_units"],
            assumed=False,
            notify_day=timezone.localdate(),
            user=request.user,
        )
        say_saved(request, changed=saved.changed, done=_("Đã phân công nhiệm vụ."))
        return redirect("task-detail", pk=task.pk)
    return render(request, "tasks/task_assign.html", {"task": task, "form": form})
