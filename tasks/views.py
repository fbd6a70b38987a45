"""Task pages: read a task, report its progress (lead unit), assign it (secretariat)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tasks.access import can_change_task, get_task_for_user
from tasks.forms import TaskAssignForm, TaskProgressForm
from tasks.services import task_assign, task_record_progress


def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_task_for_user(request.user, pk)
    history = task.history.select_related("history_user").order_by("-history_date")[:20]
    return render(
        request,
        "tasks/task_detail.html",
        {
            "task": task,
            "plan": task.area.plan,
            "coordinating_units": task.coordinating_units.select_related("kind").order_by("path"),
            "history": history,
            "is_overdue": task.is_overdue_on(timezone.localdate()),
            "can_report": can_change_task(request.user, task, "report_progress"),
            "can_assign": can_change_task(request.user, task, "change_task"),
        },
    )


def task_progress(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_task_for_user(request.user, pk, perm="report_progress")
    form = TaskProgressForm.for_task(task, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            task_record_progress(task=task, today=timezone.localdate(), **form.cleaned_data)
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error("percent" if field == "progress_percent" else field, problems)
        else:
            messages.success(request, _("Đã cập nhật tiến độ nhiệm vụ."))
            return redirect("task-detail", pk=task.pk)
    return render(request, "tasks/task_progress.html", {"task": task, "form": form})


def task_assign_view(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_task_for_user(request.user, pk, perm="change_task")
    form = TaskAssignForm.for_task(task, request.POST or None)
    if request.method == "POST" and form.is_valid():
        task_assign(
            task=task,
            lead_unit=form.cleaned_data["lead_unit"],
            coordinating_units=form.cleaned_data["coordinating_units"],
            assumed=False,
        )
        messages.success(request, _("Đã phân công nhiệm vụ."))
        return redirect("task-detail", pk=task.pk)
    return render(request, "tasks/task_assign.html", {"task": task, "form": form})
