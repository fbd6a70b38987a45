"""Celery jobs for reports: thin wrappers around reports.services."""

from __future__ import annotations

from celery import shared_task

# Imported with the module so a worker pays for WeasyPrint's import once, not per report.
import reports.renderers.pdf  # noqa: F401
from reports.models import GeneratedReport
from reports.services import report_generate, reports_fail_stale


@shared_task
def generate_report(report_id: int) -> str:
    """Idempotent: a version that is done (or failed, until retried) is left as it is."""
    report = GeneratedReport.objects.select_related("plan__issuing_unit").filter(pk=report_id).first()
    if report is None:
        return f"report {report_id} is gone"
    report_generate(report=report)
    return f"{report}: {report.state} ({report.page_count} trang)"


@shared_task
def fail_stale_reports() -> int:
    """Every minute: versions whose job died are marked failed, so their page offers to generate them again."""
    return reports_fail_stale()
