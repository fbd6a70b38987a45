"""Progress of a task: the lead unit's reports, coordinating contributions, completion."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from evidence.services import evidence_attach
from evidence.uploads import validate_uploads
from notifications.services import notify, secretariat_people
from parplan import workflow
from parplan.i18n import site_language
from parplan.models import Unit
from parplan.workflow import Step
from tasks.models import ProgressReport, ProgressStatus, ReportRole, Task, TaskOccurrence
from tasks.notices import TaskNotice
from tasks.services.assignment import occurrences_sync
from tasks.services.common import bump, ensure_open, label, locked, notify_lead, task_url, work_state
from tasks.services.conflicts import task_conflict

# The lead unit reports these; completion is claimed with its own action.
REPORTABLE_STATUSES = (ProgressStatus.NOT_STARTED, ProgressStatus.IN_PROGRESS, ProgressStatus.PAUSED)


def _lead_unit(task: Task) -> Unit:
    """The unit whose report this is; the secretariat, who may report for any task, needs one assigned first."""
    if task.lead_unit is None:
        raise ValidationError(_("Nhiệm vụ chưa có đơn vị chủ trì; cần phân công trước khi báo cáo tiến độ."))
    return task.lead_unit


@transaction.atomic
def task_report_progress(
    *,
    task: Task,
    user: User,
    status: str,
    percent: int,
    text: str,
    files: Sequence[UploadedFile] = (),
    expected_version: int | None = None,
    at: datetime.datetime | None = None,
) -> ProgressReport:
    """The lead unit's report: percent done, status, what was done, evidence.

    Status and percent agree: a task not started is at 0%. One in progress may
    still be at 0% (started, nothing measurable done yet); 100% is a claim.
    `at` is when the report was made (default now): the demo dates a past year's reports in that year.
    """
    at = at or timezone.now()
    current = locked(task)
    ensure_open(current)
    if current.claimed_at is not None:
        raise ValidationError(_("Nhiệm vụ đang chờ xác nhận hoàn thành; chờ Phòng Nội vụ xác nhận hoặc trả lại."))
    if expected_version is not None and current.version != expected_version:
        typed = {"status": status, "progress_percent": percent, "progress_note": text.strip()}
        raise task_conflict(current, expected_version, typed)
    errors: dict[str, list[str]] = {}
    if not 0 <= percent <= 100:
        errors["percent"] = [_("Tiến độ phải từ 0 đến 100%.")]
    elif percent == 100:
        errors["percent"] = [_("Đạt 100% thì dùng nút “Báo hoàn thành” để Phòng Nội vụ xác nhận.")]
    elif status == ProgressStatus.NOT_STARTED and percent > 0:
        errors["percent"] = [
            _("Nhiệm vụ “Chưa thực hiện” thì tiến độ là 0%; đã làm được một phần thì chọn “Đang thực hiện”.")
        ]
    if status not in REPORTABLE_STATUSES:
        errors["status"] = [_("Tình trạng không hợp lệ.")]
    if not text.strip():
        errors["text"] = [_("Cần ghi kết quả thực hiện.")]
    if errors:
        raise ValidationError(errors)
    lead_unit = _lead_unit(current)
    names = validate_uploads(files)
    report = ProgressReport(
        task=current, unit=lead_unit, role=ReportRole.LEAD, author=user, status=status, percent=percent,
        text=text.strip(), created_at=at,
    )  # fmt: skip
    report._history_date = at
    report.save()
    evidence_attach(owner=report, uploads=files, names=names, user=user)
    current._history_date = at
    bump(current, by=user, status=status, progress_percent=percent, progress_note=text.strip())
    return report


@transaction.atomic
def task_contribute(
    *, task: Task, unit: Unit, user: User, text: str, files: Sequence[UploadedFile] = ()
) -> ProgressReport:
    """A coordinating unit's own contribution; it does not move the task's progress."""
    ensure_open(task)
    if not task.coordinating_units.filter(pk=unit.pk).exists():
        raise ValidationError(_("“%(unit)s” không phải đơn vị phối hợp của nhiệm vụ này.") % {"unit": unit})
    if not text.strip():
        raise ValidationError({"text": [_("Cần ghi nội dung đã phối hợp thực hiện.")]})
    names = validate_uploads(files)
    report = ProgressReport.objects.create(
        task=task, unit=unit, role=ReportRole.COORDINATING, author=user, text=text.strip()
    )
    evidence_attach(owner=report, uploads=files, names=names, user=user)
    return report


def evidence_required(task: Task) -> bool:
    """A task that names its output (sản phẩm: a plan, a report, a decision) is claimed with that output's file."""
    return bool(task.expected_output.strip())


def _has_lead_evidence(task: Task) -> bool:
    return ProgressReport.objects.filter(task=task, role=ReportRole.LEAD, evidence__isnull=False).exists()


@transaction.atomic
def task_claim_completion(
    *,
    task: Task,
    user: User,
    today: datetime.date,
    text: str,
    files: Sequence[UploadedFile] = (),
    at: datetime.datetime | None = None,
) -> Task:
    """The lead unit's head says the task is done; the completion date is today's.

    A claim states the result (`text`), and when the task names its output, the
    claim carries its file, or the lead unit's reports already do. The claim
    itself sets 100%: a task never reported before may be claimed, with its result.
    `at` is when the claim was made (default now; the demo dates a past year's claims in that year).
    """
    at = at or timezone.now()
    current = locked(task)
    ensure_open(current)
    workflow.advance(work_state(current), Step.CLAIM,
                     refused=_("Nhiệm vụ đã được báo hoàn thành, đang chờ xác nhận."))  # fmt: skip
    if current.occurrences.filter(done_on__isnull=True).exists():
        raise ValidationError(_("Còn kỳ thực hiện chưa hoàn thành; đánh dấu từng kỳ trước khi báo hoàn thành."))
    errors = workflow.claim_errors(text, _("Cần ghi kết quả, sản phẩm của nhiệm vụ khi báo hoàn thành."))
    if evidence_required(current) and not files and not _has_lead_evidence(current):
        errors["files"] = [
            _("Nhiệm vụ có sản phẩm “%(output)s”: cần đính kèm tài liệu kiểm chứng khi báo hoàn thành.")
            % {"output": current.expected_output.strip()}
        ]
    if errors:
        raise ValidationError(errors)
    with site_language():
        message = _("%(unit)s báo hoàn thành nhiệm vụ %(task)s, chờ xác nhận.") % {
            "unit": current.lead_unit, "task": label(current)}  # fmt: skip
    lead_unit = _lead_unit(current)
    names = validate_uploads(files)
    report = ProgressReport(
        task=current, unit=lead_unit, role=ReportRole.LEAD, author=user, status=ProgressStatus.COMPLETED,
        percent=100, text=text.strip(), created_at=at,
    )  # fmt: skip
    report._history_date = at
    report.save()
    evidence_attach(owner=report, uploads=files, names=names, user=user)
    current._history_date = at
    bump(
        current, by=user, status=ProgressStatus.COMPLETED, progress_percent=100, completed_on=today,
        claimed_at=at, claimed_by=user, review_comment="", overdue_since=None,
    )  # fmt: skip
    notify(users=secretariat_people(current.area.plan), kind=TaskNotice.CLAIMED, message=message,
           url=task_url(current), day=today)  # fmt: skip
    return current


@transaction.atomic
def task_confirm_completion(
    *, task: Task, user: User, today: datetime.date, at: datetime.datetime | None = None
) -> Task:
    """The secretariat confirms a claim; `at` is when (default now; the demo confirms a past year's tasks in it)."""
    at = at or timezone.now()
    current = locked(task)
    ensure_open(current)
    workflow.advance(work_state(current), Step.CONFIRM, refused=lambda: _no_claim(current))
    current._history_date = at
    bump(current, by=user, confirmed_at=at, confirmed_by=user)
    with site_language():
        message = _("Nhiệm vụ %(task)s đã được xác nhận hoàn thành.") % {"task": label(current)}
    notify_lead(current, TaskNotice.CONFIRMED, message, today)
    return current


@transaction.atomic
def task_return_completion(*, task: Task, user: User, comment: str, today: datetime.date) -> Task:
    """Not done yet: back to in progress, with the secretariat's reason."""
    workflow.refuse(workflow.return_errors(comment))
    current = locked(task)
    ensure_open(current)
    workflow.advance(work_state(current), Step.RETURN, refused=lambda: _no_claim(current))
    current._change_reason = comment.strip()
    bump(
        current, by=user, status=ProgressStatus.IN_PROGRESS, progress_percent=min(current.progress_percent, 99),
        completed_on=None, claimed_at=None, claimed_by=None, review_comment=comment.strip(),
    )  # fmt: skip
    with site_language():
        message = _("Nhiệm vụ %(task)s bị trả lại: %(comment)s") % {"task": label(current), "comment": comment.strip()}
    notify_lead(current, TaskNotice.RETURNED, message, today)
    return current


def _no_claim(current: Task) -> str:
    """Why there is no claim to decide: none was made, or someone has just returned it (the task holds the reason)."""
    if not current.review_comment:
        return _("Đơn vị chưa báo hoàn thành nhiệm vụ này.")
    record = current.history.select_related("history_user").order_by("-history_date", "-history_id").first()
    user = record.history_user if record is not None else None
    who = (user.get_full_name() or user.username) if user is not None else _("người khác")
    when = timezone.localtime(record.history_date).strftime("%d/%m/%Y %H:%M") if record is not None else ""
    return _("Báo hoàn thành của đơn vị đã được %(who)s trả lại lúc %(when)s; chờ đơn vị báo hoàn thành lại.") % {
        "who": who, "when": when}  # fmt: skip


@transaction.atomic
def occurrence_mark_done(*, occurrence: TaskOccurrence, user: User, today: datetime.date, done: bool = True) -> None:
    """Mark one period of a recurring task done (or not); the task's due date moves to the next."""
    task = locked(occurrence.task)
    ensure_open(task)
    occurrence.done_on, occurrence.done_by = (today, user) if done else (None, None)
    occurrence.save()
    # A new version before the due date moves: an edit form opened earlier must
    # conflict rather than put the old due date back. Bumped first, so the
    # history's last record of the old version still holds the old due date.
    bump(task, by=user)
    occurrences_sync(task=task, user=user)
