"""Fixtures for report tests: the demo plan's year report rendered once, a small odd plan.

Rendering the year report takes WeasyPrint a second or two, so the PDF and the
workbook are made once per session and read by many tests. Gathering evaluates
the indicators (it writes the cut-off day's snapshots), so it runs in a
transaction that is rolled back: the session's demo data stays as it was.
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

from parplan.models import Plan
from planio.interchange import plan_import
from reports.renderers.pdf import render_pdf
from reports.renderers.xlsx import render_xlsx
from reports.selectors import ReportData
from reports.services import narrative_save, report_gather

ROOT = Path(__file__).resolve().parents[2]
# Git-ignored: pictures of the rendered pages for a person to look at.
ARTIFACTS = ROOT / "test-artifacts" / "reports"

SIGNER = "Hoàng Văn Phó"
# A plan with the shapes a real one can have: an area with nothing in it, a
# 5,000-character target and task, a unit with no task and no figure.
LONG_TARGET = " ".join(["Chỉ tiêu rất dài về cải cách hành chính"] * 130)[:5000].rstrip() + " KẾT-THÚC-CHỈ-TIÊU"
LONG_TASK = " ".join(["Nhiệm vụ rất dài về số hóa hồ sơ"] * 160)[:5000].rstrip() + " KẾT-THÚC"
ODD_PLAN = {
    "format": "parplan-plan",
    "version": 1,
    "units": [
        {"code": "T-XA", "name": "UBND xã Thử Nghiệm", "kind": "commune", "parent": "183"},
        {"code": "T-XA-VP", "name": "Văn phòng - Thống kê xã Thử Nghiệm", "kind": "office", "parent": "T-XA"},
        {"code": "T-XA-TRONG", "name": "Ban không có số liệu", "kind": "office", "parent": "T-XA"},
    ],
    "plan": {
        "issuing_unit": "T-XA",
        "year": 2024,
        "title": "Kế hoạch cải cách hành chính xã Thử Nghiệm năm 2024",
        "place": "Thử Nghiệm",
        "signer_name": "Nguyễn Văn Thử",
    },
    "areas": [
        {"number": 1, "name": "Lĩnh vực không có chỉ tiêu và nhiệm vụ"},
        {
            "number": 2,
            "name": "Lĩnh vực có nội dung rất dài",
            "targets": [{"text": LONG_TARGET, "indicators": []}],
            "tasks": [{"text": LONG_TASK, "title": LONG_TASK[:255], "lead_unit": "T-XA-VP", "due_date": "2024-06-30"}],
        },
    ],
}


@dataclass
class RenderedReport:
    plan_id: int
    data: ReportData
    pdf_path: Path
    pages: int
    xlsx_path: Path


@pytest.fixture(scope="session")
def year_report(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> RenderedReport:
    """The demo plan's year report, gathered and rendered once (database changes rolled back)."""
    folder = tmp_path_factory.mktemp("year-report")
    with django_db_blocker.unblock(), transaction.atomic():
        plan = Plan.objects.select_related("issuing_unit__parent").get(issuing_unit__code="183", year=2024)
        # As the secretariat does before generating: the vice-chairman who signs (KT. CHỦ TỊCH).
        narrative_save(plan=plan, kind="year", user=None, signer_name=SIGNER)
        data = report_gather(plan=plan, kind="year")
        pdf, pages = render_pdf(data)
        xlsx = render_xlsx(data)
        transaction.set_rollback(True)
    (folder / "year.pdf").write_bytes(pdf)
    (folder / "year.xlsx").write_bytes(xlsx)
    return RenderedReport(plan.pk, data, folder / "year.pdf", pages, folder / "year.xlsx")


@pytest.fixture
def odd_plan(db: Any) -> Plan:
    """UBND xã Thử Nghiệm's 2024 plan: an empty area, 5,000-character texts, a unit with no data."""
    return plan_import(ODD_PLAN)


def pdf_text(path: Path, *, first: int | None = None, last: int | None = None, layout: bool = False) -> str:
    """The PDF's text as poppler's pdftotext reads it, NFC-normalised."""
    command = ["pdftotext", "-enc", "UTF-8"]
    if layout:
        command.append("-layout")
    if first is not None:
        command += ["-f", str(first)]
    if last is not None:
        command += ["-l", str(last)]
    result = subprocess.run([*command, str(path), "-"], capture_output=True, text=True, check=True)
    return unicodedata.normalize("NFC", result.stdout)


def page_texts(path: Path, pages: int) -> list[str]:
    """One text per page (pdftotext ends every page with a form feed)."""
    return pdf_text(path).split("\f")[:pages]


def running_text(path: Path) -> str:
    """The text with the page numbers at the top of pages 2… taken out, so paragraphs read across pages."""
    pages = pdf_text(path).split("\f")
    return "\n".join([pages[0], *(re.sub(r"^\s*\d+\s*\n", "", page, count=1) for page in pages[1:])])


def words(text: str) -> str:
    """Whitespace and line breaks collapsed: what a reader sees, however the lines fell."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()
