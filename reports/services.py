"""Writes for reports: the narrative drafts, and generating a numbered version."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from typing import Any

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max

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
        plan=plan, kind=kind, version=last + 1, cutoff_date=report_window(kind, plan.year)[1], author=user
    )
    # The history names who asked, also when the request comes from outside a page.
    setattr(report, "_history_user", user)  # noqa: B010
    report.save()
    enqueue_on_commit("reports.tasks.generate_report", report.pk)
    return report


def report_gather(*, plan: Plan, kind: str) -> ReportData:
    """Evaluate the indicators on the cut-off day, then gather the report's data once."""
    from targets.evaluation import evaluate_plan

    evaluate_plan(plan=plan, day=report_window(kind, plan.year)[1])
    narrative = ReportNarrative.objects.filter(plan=plan, kind=kind).first()
    return report_data(plan=plan, kind=kind, narrative=narrative)


def content_hash(data: ReportData) -> str:
    return hashlib.sha256(json.dumps(asdict(data), ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def report_generate(*, report: GeneratedReport) -> GeneratedReport:
    """Build both files of a queued version, recording progress as it goes."""
    from reports.renderers.pdf import render_pdf
    from reports.renderers.xlsx import render_xlsx

    def advance(progress: int) -> None:
        GeneratedReport.objects.filter(pk=report.pk).update(progress=progress)

    def enter(state: str, progress: int, error: str = "") -> None:
        # A change of state is saved (its history keeps it); a progress tick is not.
        report.state, report.progress, report.error = state, progress, error
        report.save(update_fields=["state", "progress", "error"])

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
        report.state, report.progress = GenerationState.DONE, 100
        report.save()
    except Exception as error:
        # Kept on the record so the page says what went wrong; the worker logs the trace.
        enter(GenerationState.FAILED, report.progress, f"{type(error).__name__}: {error}")
        raise
    return report
