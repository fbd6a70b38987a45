"""The report as a PDF in the official format of NĐ 30/2020 (WeasyPrint).

WeasyPrint is imported here, at module level, so a Celery worker pays for the
import once, not per report.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML

from reports.selectors import DOCUMENT_LANGUAGE, ReportData


@translation.override(DOCUMENT_LANGUAGE)
def report_html(data: ReportData) -> str:
    return render_to_string("reports/report.html", {"report": data})


def render_pdf(data: ReportData) -> tuple[bytes, int]:
    """The PDF and its page count."""
    return html_to_pdf(report_html(data))


def html_to_pdf(html: str) -> tuple[bytes, int]:
    document = HTML(string=html).render()
    return document.write_pdf(), len(document.pages)
