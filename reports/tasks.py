"""Celery jobs for reports: thin wrappers around reports.services."""

from __future__ import annotations

from celery import shared_task

# Imported with the module so a worker pays for WeasyPrint's import once, not per report.
import reports.renderers.pdf  # noqa: F401
from reports.models import GeneratedReport
from reports.services import report_generate


@shared_task
def generate_report(report_id: int) -> str:
    report = GeneratedReport.objects.select_related("plan__issuing_unit").get(pk=report_id)
    report_generate(report=report)
    return f"{report} ({report.page_count} trang)"
