"""Extension requests: the lead unit asks for a new due date, the secretariat decides."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.services import notify, secretariat_people
from parplan import workflow
from parplan.i18n import site_language
from parplan.workflow import Step
from tasks.models import ExtensionRequest, ExtensionState, Task
from tasks.notices import TaskNotice
from tasks.services.common import bump, ensure_open, label, locked, notify_lead, task_url, work_state


@transaction.atomic
def extension_request(
    *, task: Task, user: User, new_due_date: datetime.date, reason: str, today: datetime.date
) -> ExtensionRequest:
    # Locked so two requests sent at once cannot both pass the "one pending" check.
    task = locked(task)
    ensure_open(task)
    workflow.advance(
        work_state(task), Step.REQUEST_EXTENSION, refused=_("Nhiệm vụ đã được xác nhận hoàn thành, không thể thay đổi.")
    )
    pending = task.extensions.filter(state=ExtensionState.PENDING).exists()
    workflow.refuse(workflow.extension_errors(
        year=task.area.plan.year, deadline=task.due_date, new_deadline=new_due_date, today=today, reason=reason,
        pending=pending, not_before=task.start_date,
    ))  # fmt: skip
    request = ExtensionRequest.objects.create(
        task=task, requested_by=user, current_due_date=task.due_date, new_due_date=new_due_date, reason=reason.strip()
    )
    with site_language():
        message = _("%(unit)s đề nghị gia hạn nhiệm vụ %(task)s đến %(due)s.") % {
            "unit": task.lead_unit, "task": label(task), "due": f"{new_due_date:%d/%m/%Y}"}  # fmt: skip
    notify(users=secretariat_people(task.area.plan), kind=TaskNotice.EXTENSION_REQUESTED, message=message,
           url=task_url(task), day=today)  # fmt: skip
    return request


@transaction.atomic
def extension_decide(
    *, request: ExtensionRequest, user: User, approve: bool, note: str, today: datetime.date
) -> ExtensionRequest:
    workflow.refuse(workflow.refusal_errors(approve=approve, note=note))
    # The task first, as `extension_request` locks it, then the request: of two
    # decisions sent at once the later waits here and finds the earlier's.
    task = locked(request.task)
    request.refresh_from_db(from_queryset=ExtensionRequest.objects.select_for_update())
    if request.state != ExtensionState.PENDING:
        raise ValidationError(_decided(request))
    ensure_open(task)
    workflow.advance(
        work_state(task), Step.DECIDE_EXTENSION, refused=_("Nhiệm vụ đã được xác nhận hoàn thành, không thể thay đổi.")
    )
    request.state = ExtensionState.APPROVED if approve else ExtensionState.REFUSED
    request.decided_by, request.decided_at, request.decision_note = user, timezone.now(), note.strip()
    request.save()
    with site_language():
        reason = _("Gia hạn theo đề nghị ngày %(day)s") % {"day": f"{request.requested_at:%d/%m/%Y}"}
        verdict = _("được đồng ý") if approve else _("không được đồng ý")
        message = _("Đề nghị gia hạn nhiệm vụ %(task)s %(verdict)s.") % {"task": label(task), "verdict": verdict}
    if approve:
        task._change_reason = reason
        bump(task, by=user, due_date=request.new_due_date, overdue_since=None)
    notify_lead(task, TaskNotice.EXTENSION_DECIDED, message, today)
    return request


def _decided(request: ExtensionRequest) -> str:
    who = request.decided_by.get_full_name() or request.decided_by.username if request.decided_by else _("người khác")
    when = timezone.localtime(request.decided_at).strftime("%d/%m/%Y %H:%M") if request.decided_at else ""
    if request.state == ExtensionState.APPROVED:
        text = _("Đề nghị này đã được %(who)s đồng ý gia hạn lúc %(when)s.")
    else:
        text = _("Đề nghị này đã được %(who)s quyết định không gia hạn lúc %(when)s.")
    return text % {"who": who, "when": when}
