"""Writes for reports: the narrative drafts, and generating a numbered version."""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from parplan.i18n import site_language
from parplan.jobs import enqueue_on_commit
from parplan.models import Plan
from parplan.services import Saved, save_if_changed
from reports.models import GeneratedReport, GenerationState, ReportNarrative, report_window
from reports.selectors import ReportData, report_data

NARRATIVE_FIELDS = (
    "number", "symbol", "report_date", "direction", "area_comments", "strengths", "weaknesses", "causes",
    "next_tasks", "proposals", "signing_authority", "signer_capacity", "signer_title", "signer_name", "recipients",
)  # fmt: skip


def _plan_locked(plan: Plan) -> None:
    """Lock the plan's row until the transaction ends: its reports' writers queue instead of racing.

    Two requests at once (a double click) would both count the same next version, or
    both find no narrative and create one; the second would fail on the unique constraint.
    Queued, the second one sees what the first committed. FOR NO KEY UPDATE: rows that
    merely refer to the plan (a figure's period, a task's area) are still written meanwhile.
    """
    Plan.objects.select_for_update(no_key=True).get(pk=plan.pk)


@transaction.atomic
def narrative_save(*, plan: Plan, kind: str, user: User | None, **fields: Any) -> Saved[ReportNarrative]:
    """The secretariat's text for a report; saving it as it stands writes nothing (not even the author)."""
    unknown = set(fields) - set(NARRATIVE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown narrative fields: {sorted(unknown)}")
    _plan_locked(plan)
    narrative = ReportNarrative.objects.filter(plan=plan, kind=kind).first() or ReportNarrative(plan=plan, kind=kind)
    # Compared without the author: someone else saving the same text changes nothing.
    if not narrative._state.adding and all(getattr(narrative, name) == value for name, value in fields.items()):
        return Saved(narrative, False)
    save_if_changed(narrative, updated_by=user, **fields)
    return Saved(narrative, True)


@transaction.atomic
def report_request(*, plan: Plan, kind: str, user: User) -> GeneratedReport:
    """Number a new version and queue its generation (Celery, after commit)."""
    _plan_locked(plan)
    last = GeneratedReport.objects.filter(plan=plan, kind=kind).aggregate(v=Max("version"))["v"] or 0
    report = GeneratedReport(
        plan=plan, kind=kind, version=last + 1, cutoff_date=report_window(kind, plan.year)[1], author=user,
        progress_at=timezone.now(),
    )  # fmt: skip
    # The history names who asked, also when the request comes from outside a page.
    setattr(report, "_history_user", user)  # noqa: B010
    report.save()
    _generation_queue(report)
    return report


def _generation_queue(report: GeneratedReport) -> None:
    # Recorded with the version (parplan/jobs.py): a Redis outage delays the job, never loses it.
    enqueue_on_commit("reports.tasks.generate_report", report.pk, key=f"generate-report-{report.pk}")


@transaction.atomic
def report_retry(*, report: GeneratedReport, user: User) -> GeneratedReport:
    """Generate a failed version again, under its own number; the retry is kept in its history."""
    report = GeneratedReport.objects.select_for_update().get(pk=report.pk)
    if report.state != GenerationState.FAILED:
        raise ValidationError(_("Chỉ tạo lại được phiên bản báo cáo bị lỗi."))
    with site_language():
        report._change_reason = _("Tạo lại sau lỗi (%(user)s): %(error)s") % {
            "user": user.get_username(), "error": report.error
        }  # fmt: skip
    report.state, report.progress, report.error, report.progress_at = GenerationState.QUEUED, 0, "", timezone.now()
    report.save()
    _generation_queue(report)
    return report


def reports_fail_stale(*, now: datetime.datetime | None = None) -> int:
    """The sweep: a version queued or running that has not moved for PARPLAN_REPORT_STALE_MINUTES lost its job.

    Its worker died, or its job never reached one; marked failed with the reason,
    it may be generated again from its page (`report_retry`).
    """
    now = now or timezone.now()
    minutes = settings.PARPLAN_REPORT_STALE_MINUTES
    stale = GeneratedReport.objects.filter(
        state__in=[GenerationState.QUEUED, GenerationState.RUNNING],
        progress_at__lt=now - datetime.timedelta(minutes=minutes),
    ).values_list("pk", flat=True)
    failed = 0
    for pk in stale:
        with transaction.atomic():
            report = GeneratedReport.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
            if report is None or report.state not in (GenerationState.QUEUED, GenerationState.RUNNING):
                continue
            with site_language():
                report.error = ngettext(
                    "Quá %(n)d phút không có tiến triển: việc tạo báo cáo đã dừng giữa chừng. Bấm “Tạo lại”.",
                    "Quá %(n)d phút không có tiến triển: việc tạo báo cáo đã dừng giữa chừng. Bấm “Tạo lại”.",
                    minutes,
                ) % {"n": minutes}
                report._change_reason = _("Đánh dấu lỗi: quá thời gian không có tiến triển.")
            report.state = GenerationState.FAILED
            report.save()
            failed += 1
    return failed


def report_gather(*, plan: Plan, kind: str) -> ReportData:
    """Evaluate the indicators on the cut-off day, then gather the report's data once."""
    from targets.evaluation import evaluate_plan

    evaluate_plan(plan=plan, day=report_window(kind, plan.year)[1])
    narrative = ReportNarrative.objects.filter(plan=plan, kind=kind).first()
    return report_data(plan=plan, kind=kind, narrative=narrative)


def content_hash(data: ReportData) -> str:
    """What the report says, as a hash: the same data gives the same hash (counts kept as numbers go as their text)."""
    text = json.dumps(asdict(data), ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def report_generate(*, report: GeneratedReport) -> GeneratedReport:
    """Build both files of a queued version, recording progress as it goes."""
    from reports.renderers.pdf import render_pdf
    from reports.renderers.xlsx import render_xlsx

    def advance(progress: int) -> None:
        # A progress tick is not kept in the history; it tells the stale sweep the job is alive.
        GeneratedReport.objects.filter(pk=report.pk).update(progress=progress, progress_at=timezone.now())

    def enter(state: str, progress: int, error: str = "") -> None:
        # A change of state is saved (its history keeps it).
        report.state, report.progress, report.error, report.progress_at = state, progress, error, timezone.now()
        report.save(update_fields=["state", "progress", "error", "progress_at"])

    # Claimed only while queued or running (a re-delivery after a worker died runs it again):
    # a job delivered twice does nothing to a version that is done, or failed and not retried.
    unfinished = [GenerationState.QUEUED, GenerationState.RUNNING]
    claimed = GeneratedReport.objects.filter(pk=report.pk, state__in=unfinished).update(
        state=GenerationState.RUNNING, progress=5, progress_at=timezone.now(), error=""
    )
    if not claimed:
        return report
    enter(GenerationState.RUNNING, 5)
    try:
        data = report_gather(plan=report.plan, kind=report.kind)
        advance(40)
        pdf, pages = render_pdf(data)
        advance(80)
        xlsx = render_xlsx(data)
        stem = f"bao-cao-{report.kind}-{report.plan.year}-v{report.version}"
        report.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
        report.xlsx.save(f"{stem}.xlsx", ContentFile(xlsx), save=False)
        report.page_count, report.content_hash = pages, content_hash(data)
        report.state, report.progress, report.progress_at = GenerationState.DONE, 100, timezone.now()
        report.save()
    except Exception as error:
        # Kept on the record so the page says what went wrong; the worker logs the trace.
        enter(GenerationState.FAILED, report.progress, f"{type(error).__name__}: {error}")
        raise
    return report
