"""`manage.py export_report --year 2024 [--unit CODE] --kind … --format pdf|xlsx -o FILE`."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook
from pypdf import PdfReader

from parplan.models import Plan
from tests.reports.conftest import pdf_text, words

pytestmark = pytest.mark.django_db


def _export(*args: str) -> str:
    out = io.StringIO()
    call_command("export_report", *args, stdout=out)
    return out.getvalue()


def test_the_year_report_is_written_as_a_pdf(seed_plan: Plan, tmp_path: Path) -> None:
    target = tmp_path / "bao-cao-nam.pdf"
    output = _export("--year", "2024", "--kind", "year", "--format", "pdf", "-o", str(target))
    pages = len(PdfReader(target).pages)
    assert output.strip() == f"Đã ghi {target} ({pages} trang)."
    assert "Kết quả thực hiện công tác cải cách hành chính năm 2024" in words(pdf_text(target, first=1, last=1))


def test_the_annexes_are_written_as_a_workbook(seed_plan: Plan, tmp_path: Path) -> None:
    target = tmp_path / "phu-luc.xlsx"
    output = _export("--year", "2024", "--unit", "183", "--kind", "q3", "--format", "xlsx", "-o", str(target))
    book = load_workbook(target)
    assert output.strip() == f"Đã ghi {target} (4 phụ lục)."
    assert len(book.sheetnames) == 4
    assert book.worksheets[0]["A3"].value == "Kỳ số liệu: 15/06/2024 – 14/09/2024 (đến ngày 14/09/2024)"


def test_the_unit_chooses_the_plan_of_that_issuer(odd_plan: Plan, tmp_path: Path) -> None:
    target = tmp_path / "xa.pdf"
    _export("--year", "2024", "--unit", "T-XA", "--kind", "h1", "--format", "pdf", "-o", str(target))
    page_one = words(pdf_text(target, first=1, last=1))
    assert "ỦY BAN NHÂN DÂN XÃ THỬ NGHIỆM" in page_one and "6 tháng đầu năm 2024" in page_one


def test_without_a_unit_the_plan_of_the_highest_issuer_is_taken(odd_plan: Plan, tmp_path: Path) -> None:
    target = tmp_path / "huyen.xlsx"
    _export("--year", "2024", "--kind", "q1", "--format", "xlsx", "-o", str(target))
    assert load_workbook(target).worksheets[0]["A2"].value.startswith("ỦY BAN NHÂN DÂN HUYỆN CAO LỘC")


def test_a_year_without_a_plan_is_an_error_that_says_so(seed_plan: Plan, tmp_path: Path) -> None:
    target = tmp_path / "x.pdf"
    with pytest.raises(CommandError, match="Không có kế hoạch năm 2031."):
        _export("--year", "2031", "--kind", "year", "--format", "pdf", "-o", str(target))
    assert not target.exists()


def test_an_unknown_unit_is_an_error_that_names_it(seed_plan: Plan, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Không có đơn vị mã “99999”."):
        _export("--year", "2024", "--unit", "99999", "--kind", "year", "--format", "pdf", "-o", str(tmp_path / "x"))


def test_a_unit_that_issued_no_plan_that_year_is_an_error_that_names_it(seed_plan: Plan, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Không có kế hoạch năm 2024 do đơn vị mã “06184” ban hành."):
        _export("--year", "2024", "--unit", "06184", "--kind", "year", "--format", "pdf", "-o", str(tmp_path / "x"))


@pytest.mark.parametrize(
    "args",
    [
        ["--kind", "year", "--format", "pdf", "-o", "x.pdf"],
        ["--year", "2024", "--kind", "q2", "--format", "pdf", "-o", "x.pdf"],
        ["--year", "2024", "--kind", "year", "--format", "docx", "-o", "x.docx"],
    ],
)
def test_a_missing_year_or_an_unknown_kind_or_format_is_refused(seed_plan: Plan, args: list[str]) -> None:
    with pytest.raises(CommandError):
        _export(*args)
