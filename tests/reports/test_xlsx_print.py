"""The Excel annexes printed as an office prints them: converted to PDF by LibreOffice Calc, read back with pdfplumber.

Many offices open the annexes in LibreOffice rather than Excel, and LibreOffice prints a
row at the height the file gives it: a row left one line high prints its wrapped text over
the rows below (the PL I defect). CI installs LibreOffice (scripts/bootstrap.sh test); where
it is absent locally these tests are skipped, but under CI=true its absence fails them.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from openpyxl import load_workbook

from tests.reports.conftest import RenderedReport

pytestmark = pytest.mark.django_db

TITLES = (
    "KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU",
    "KẾT QUẢ THỰC HIỆN NHIỆM VỤ THEO ĐƠN VỊ CHỦ TRÌ",
    "KẾT QUẢ KIỂM TRA CÔNG TÁC CCHC",
    "THỐNG KÊ KẾT QUẢ GIẢI QUYẾT HỒ SƠ TTHC THEO ĐƠN VỊ",
)
# One page at least per sheet; the demo's 33 indicators and 30 units take 6 (LibreOffice 7.4), and the
# figures still missing (PL V) about one page per 14 rows. Rows twice too high, or a sheet not fitted to the
# page's width, would take more than twice that.
MISSING_ROWS_PER_PAGE = 14


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail("LibreOffice (soffice) is missing: scripts/bootstrap.sh test installs libreoffice-calc-nogui")
    pytest.skip("LibreOffice (soffice) is not installed here; CI installs it")


def to_pdf(xlsx: Path, folder: Path) -> Path:
    """The workbook as LibreOffice Calc prints it, with a profile of its own (xdist workers run side by side)."""
    folder.mkdir(parents=True, exist_ok=True)
    profile = folder / "profile"
    subprocess.run(
        [_soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(folder), str(xlsx)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    pdf = folder / f"{xlsx.stem}.pdf"
    assert pdf.exists(), f"LibreOffice wrote no PDF for {xlsx.name}"
    return pdf


def _words(text: str | None) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text or "")).strip()


def overlapping_words(page: Any) -> list[tuple[str, str]]:
    """Pairs of words drawn over each other: text of one row running into the next prints so."""
    found = []
    placed = page.extract_words()
    for index, one in enumerate(placed):
        for other in placed[index + 1 :]:
            high = min(one["bottom"], other["bottom"]) - max(one["top"], other["top"])
            wide = min(one["x1"], other["x1"]) - max(one["x0"], other["x0"])
            if high > 1 and wide > 1:
                found.append((one["text"], other["text"]))
    return found


@pytest.fixture(scope="module")
def printed(year_report: RenderedReport, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return to_pdf(year_report.xlsx_path, tmp_path_factory.mktemp("xlsx-print"))


def _cells(pdf_path: Path) -> list[str]:
    """Every table cell's text on every page, whitespace collapsed (a wrapped cell reads as one)."""
    with pdfplumber.open(pdf_path) as pdf:
        return [_words(cell) for page in pdf.pages for table in page.extract_tables() for row in table for cell in row]


def test_the_printed_annexes_show_every_sheet_title_and_every_row(printed: Path, year_report: RenderedReport) -> None:
    with pdfplumber.open(printed) as pdf:
        text = _words(" ".join(page.extract_text() or "" for page in pdf.pages))
    assert [title for title in TITLES if title not in text] == []
    cells = set(_cells(printed))
    data = year_report.data
    expected = [row[1] for row in data.annex_targets] + [row.unit for row in data.annex_units]
    expected += [row.unit for row in data.annex_dossiers] + ["Tổng cộng"]
    expected += [visit.unit for visit in data.annex_inspections.visits] + [
        area.name for area in data.annex_inspections.areas
    ]
    assert len(expected) > 50
    # Each name whole in its own cell: not cut by a row too low, nor run into the row below.
    assert [name for name in expected if _words(name) not in cells] == []


def test_the_printed_annexes_fit_a_few_landscape_pages_numbered_at_the_top(
    printed: Path, year_report: RenderedReport
) -> None:
    with pdfplumber.open(printed) as pdf:
        pages = pdf.pages
        most = 8 + len(year_report.data.annex_missing) // MISSING_ROWS_PER_PAGE
        assert 4 <= len(pages) <= most, len(pages)
        assert pages[0].width > pages[0].height, "PL I prints on A4 landscape"
        assert round(pages[0].width) == 842 and round(pages[0].height) == 595
        for number, page in enumerate(pages, start=1):
            first_line = (page.extract_text() or "").splitlines()[0]
            assert first_line.strip() == str(number)


def test_no_two_lines_of_a_printed_page_overlap(printed: Path) -> None:
    with pdfplumber.open(printed) as pdf:
        overlaps = {number: overlapping_words(page) for number, page in enumerate(pdf.pages, start=1)}
    assert {number: pairs[:3] for number, pairs in overlaps.items() if pairs} == {}


def test_rows_left_one_line_high_print_over_each_other_as_pl_i_did(year_report: RenderedReport, tmp_path: Path) -> None:
    """The check above catches the defect: the same workbook without its row heights prints overlapping text."""
    book = load_workbook(year_report.xlsx_path)
    for sheet in book.worksheets:
        for dimension in sheet.row_dimensions.values():
            dimension.height = None
    bare = tmp_path / "bare.xlsx"
    output = io.BytesIO()
    book.save(output)
    bare.write_bytes(output.getvalue())
    with pdfplumber.open(to_pdf(bare, tmp_path / "out")) as pdf:
        assert overlapping_words(pdf.pages[0]), "PL I's wrapped targets run into the rows below"
