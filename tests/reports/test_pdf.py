"""The PDF read back: the official format of NĐ 30/2020 (header, body, signature, annexes, fonts, pages).

Most tests read the demo plan's year report, rendered once for the session
(conftest.year_report); the edge cases render a small odd plan of their own.
"""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from parplan.models import Plan, ReformArea
from reports.renderers.pdf import render_pdf
from reports.selectors import plain, report_data
from targets.models import Target
from tests.reports.conftest import (
    ARTIFACTS,
    LONG_TARGET,
    LONG_TASK,
    ROOT,
    SIGNER,
    RenderedReport,
    page_texts,
    pdf_text,
    running_text,
    words,
)

pytestmark = pytest.mark.django_db

ANNEX_HEADING = re.compile(r"^\s*Phụ lục (I|II|III|IV)\s*$", re.MULTILINE)


def _first_line(text: str) -> str:
    return next(line.strip() for line in text.splitlines() if line.strip())


def _annex_pages(report: RenderedReport) -> list[int]:
    """1-based numbers of the pages from the first annex on."""
    texts = page_texts(report.pdf_path, report.pages)
    first = next(i for i, text in enumerate(texts) if ANNEX_HEADING.search(text))
    return list(range(first + 1, report.pages + 1))


# --- Header ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "ỦY BAN NHÂN DÂN HUYỆN CAO LỘC",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Cao Lộc, ngày 14 tháng 12 năm 2024",
        "BÁO CÁO",
        "Kết quả thực hiện công tác cải cách hành chính năm 2024",
    ],
)
def test_page_one_carries_the_header_lines(year_report: RenderedReport, line: str) -> None:
    page_one = words(pdf_text(year_report.pdf_path, first=1, last=1))
    assert line in page_one


def test_the_reference_is_numbered_as_a_report_of_the_people_s_committee(year_report: RenderedReport) -> None:
    page_one = pdf_text(year_report.pdf_path, first=1, last=1, layout=True)
    # Unnumbered: the dotted blank drafts leave for the office of records, the symbol once.
    assert re.search(r"Số: \.{6}/BC-UBND", page_one) and "/BC-UBND/" not in page_one


def test_the_two_header_columns_sit_side_by_side(year_report: RenderedReport) -> None:
    lines = pdf_text(year_report.pdf_path, first=1, last=1, layout=True).splitlines()
    assert any("ỦY BAN NHÂN DÂN" in line and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in line for line in lines)
    assert any("Số:" in line and "Cao Lộc, ngày 14 tháng 12 năm 2024" in line for line in lines)


def _runs_on_page_one(report: RenderedReport) -> dict[str, tuple[str, float]]:
    """Each text line of page 1 with its font and size in points (WeasyPrint draws in CSS px, 0.75 pt)."""
    runs: dict[str, tuple[str, float]] = {}

    def visit(text: str, cm: list[float], tm: list[float], font: dict | None, size: float) -> None:
        if text.strip() and font is not None:
            runs.setdefault(text.strip(), (str(font["/BaseFont"]).split("+", 1)[-1], round(size * 0.75, 1)))

    PdfReader(report.pdf_path).pages[0].extract_text(visitor_text=visit)
    return runs


@pytest.mark.parametrize(
    ("line", "font", "points"),
    [
        ("ỦY BAN NHÂN DÂN", "Liberation-Serif-Bold", 13),
        ("HUYỆN CAO LỘC", "Liberation-Serif-Bold", 13),
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Liberation-Serif-Bold", 12.5),
        ("Độc lập - Tự do - Hạnh phúc", "Liberation-Serif-Bold", 14),
        ("Cao Lộc, ngày 14 tháng 12 năm 2024", "Liberation-Serif-Italic", 14),
        ("BÁO CÁO", "Liberation-Serif-Bold", 14),
        ("Kết quả thực hiện công tác cải cách hành chính năm 2024", "Liberation-Serif-Bold", 14),
        ("I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH", "Liberation-Serif-Bold", 14),
    ],
)
def test_header_lines_have_the_style_and_size_of_the_official_format(
    year_report: RenderedReport, line: str, font: str, points: float
) -> None:
    assert _runs_on_page_one(year_report)[line] == (font, points)


def test_the_reference_is_set_in_13_point_regular(year_report: RenderedReport) -> None:
    reference = next(v for k, v in _runs_on_page_one(year_report).items() if k.startswith("Số:"))
    assert reference == ("Liberation-Serif", 13)


# --- Body -----------------------------------------------------------------------------


def test_the_body_has_the_five_sections_in_order(year_report: RenderedReport) -> None:
    text = words(pdf_text(year_report.pdf_path))
    headings = [
        "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH",
        "II. KẾT QUẢ THỰC HIỆN TỪNG NỘI DUNG CẢI CÁCH HÀNH CHÍNH",
        "III. ĐÁNH GIÁ CHUNG",
        "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI",
    ]
    positions = [text.index(heading) for heading in headings]
    assert positions == sorted(positions)
    # The demo's secretariat wrote no proposals: section V is theirs, and no bare heading is printed.
    assert "KIẾN NGHỊ, ĐỀ XUẤT" not in text


def test_all_seven_area_headings_are_printed(year_report: RenderedReport) -> None:
    text = words(pdf_text(year_report.pdf_path))
    areas = ReformArea.objects.filter(plan_id=year_report.plan_id).order_by("number")
    assert areas.count() == 7
    for area in areas:
        assert f"{area.number}. {words(area.name)}" in text


def test_every_target_statement_of_the_plan_is_printed_in_full(year_report: RenderedReport) -> None:
    text = words(running_text(year_report.pdf_path))
    targets = Target.objects.filter(area__plan_id=year_report.plan_id)
    assert targets.count() == 19
    # As a document prints them: the plan's markdown emphasis ("*hoàn thành…*") is not shown.
    missing = [t.text for t in targets if words(plain(t.text)) not in text]
    assert missing == []


def test_the_signature_block_and_the_recipients_are_printed(year_report: RenderedReport) -> None:
    text = pdf_text(year_report.pdf_path, layout=True)
    for line in (
        "TM. ỦY BAN NHÂN DÂN",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        SIGNER,
        "Nơi nhận:",
        "- Sở Nội vụ;",
        "- Lưu: VT, NV.",
    ):
        assert line in text
    assert re.search(r"Nơi nhận:\s+TM\. ỦY BAN NHÂN DÂN", text), "recipients and signature share a line"
    block = words(text[text.index("TM. ỦY BAN NHÂN DÂN") :])
    assert re.search(rf"TM\. ỦY BAN NHÂN DÂN .*KT\. CHỦ TỊCH .*PHÓ CHỦ TỊCH .*{SIGNER}", block)


def test_the_signer_s_name_is_in_bold(year_report: RenderedReport) -> None:
    reader = PdfReader(year_report.pdf_path)
    page = next(p for p in reader.pages if SIGNER in p.extract_text())
    fonts: list[str] = []

    def visit(text: str, cm: list[float], tm: list[float], font: dict | None, size: float) -> None:
        if SIGNER in text and font is not None:
            fonts.append(str(font["/BaseFont"]))

    page.extract_text(visitor_text=visit)
    assert fonts and all(name.endswith("Liberation-Serif-Bold") for name in fonts)


def test_the_four_annexes_follow_the_signature_in_order(year_report: RenderedReport) -> None:
    text = pdf_text(year_report.pdf_path)
    assert ANNEX_HEADING.findall(text) == ["I", "II", "III", "IV"]
    assert text.index("Nơi nhận:") < ANNEX_HEADING.search(text).start()


# --- Pages ----------------------------------------------------------------------------


def test_the_page_count_is_sane_and_matches_the_file(year_report: RenderedReport) -> None:
    assert 5 <= year_report.pages <= 60
    assert len(PdfReader(year_report.pdf_path).pages) == year_report.pages


def test_page_one_has_no_page_number_and_page_two_is_numbered_at_the_top(year_report: RenderedReport) -> None:
    assert _first_line(pdf_text(year_report.pdf_path, first=1, last=1, layout=True)).startswith("ỦY BAN NHÂN DÂN")
    assert _first_line(pdf_text(year_report.pdf_path, first=2, last=2, layout=True)) == "2"


def test_every_page_after_the_first_is_numbered_at_the_top(year_report: RenderedReport) -> None:
    texts = page_texts(year_report.pdf_path, year_report.pages)
    assert [_first_line(text) for text in texts[1:]] == [str(n) for n in range(2, year_report.pages + 1)]


def test_the_body_is_portrait_a4_and_the_annexes_landscape(year_report: RenderedReport) -> None:
    reader = PdfReader(year_report.pdf_path)
    annexes = _annex_pages(year_report)
    assert 1 < annexes[0] < year_report.pages
    for number, page in enumerate(reader.pages, start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        if number in annexes:
            assert (round(width), round(height)) == (842, 595), number
        else:
            assert (round(width), round(height)) == (595, 842), number


def test_the_annex_table_header_is_repeated_on_every_page_it_spans(year_report: RenderedReport) -> None:
    texts = page_texts(year_report.pdf_path, year_report.pages)
    start = next(i for i, text in enumerate(texts) if re.search(r"^\s*Phụ lục I\s*$", text, re.MULTILINE))
    end = next(i for i, text in enumerate(texts) if re.search(r"^\s*Phụ lục II\s*$", text, re.MULTILINE))
    assert end - start >= 2, "annex I spans pages in the demo"
    for text in texts[start:end]:
        words = " ".join(text.split())  # a heading may wrap inside its cell ("Đánh\ngiá")
        assert "Lĩnh vực" in words and "Đánh giá" in words and "Kết quả" in words


# --- Fonts ----------------------------------------------------------------------------


def test_the_only_fonts_are_liberation_serif_and_all_are_embedded(year_report: RenderedReport) -> None:
    output = subprocess.run(["pdffonts", str(year_report.pdf_path)], capture_output=True, text=True, check=True)
    rows = [line.split() for line in output.stdout.splitlines()[2:] if line.strip()]
    assert rows
    names = {row[0].split("+", 1)[-1] for row in rows}
    assert names <= {"Liberation-Serif", "Liberation-Serif-Bold", "Liberation-Serif-Italic",
                     "Liberation-Serif-Bold-Italic"}, names  # fmt: skip
    # Columns: name, type…, encoding, emb, sub, uni, object, id; "emb" is the fifth from the end.
    assert all(row[-5] == "yes" for row in rows)


def test_the_targets_annex_names_the_report_and_prints_each_rating_on_one_line(year_report: RenderedReport) -> None:
    annex = _annex_pages(year_report)
    first = annex[0]
    assert "(Kèm theo Báo cáo số ....../BC-UBND; kết quả từ số liệu" in pdf_text(
        year_report.pdf_path, first=first, last=first
    )
    ratings = Counter(row[-1] for row in year_report.data.annex_targets)
    with pdfplumber.open(year_report.pdf_path) as pdf:
        pages = [pdf.pages[number - 1] for number in annex]
        # A rating wrapped in a column too narrow ("Chưa có / số liệu") is not found on one line.
        for rating, rows in ratings.items():
            assert sum(len(page.search(rating)) for page in pages) >= rows, rating


# --- Pictures for a person ------------------------------------------------------------


def _png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def test_page_one_a_body_page_and_an_annex_page_are_rendered_to_png_for_review(year_report: RenderedReport) -> None:
    """test-artifacts/reports/ for a person to look at; docs/images/ keeps copies for the docs (docs/reports.md)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    annex = _annex_pages(year_report)[0]
    for page, name, dpi in ((1, "report-page-1", 60), (3, "report-page-3", 60), (annex, "report-annex", 80)):
        target = ARTIFACTS / name
        subprocess.run(
            ["pdftoppm", "-png", "-r", str(dpi), "-singlefile", "-f", str(page), "-l", str(page),
             str(year_report.pdf_path), str(target)],
            check=True,
        )  # fmt: skip
        png = target.with_suffix(".png")
        assert png.stat().st_size > 10_000
        # A4 at that resolution, 210 x 297 mm, either way round (pdftoppm rounds a pixel up).
        short, long = sorted(_png_size(png.read_bytes()))
        assert abs(short - 210 / 25.4 * dpi) <= 1 and abs(long - 297 / 25.4 * dpi) <= 1
        kept = ROOT / "docs" / "images" / png.name
        if dpi == 60:
            assert _png_size(kept.read_bytes()) == _png_size(png.read_bytes()), f"{kept} is missing or not page {page}"


# --- Edge cases -----------------------------------------------------------------------


def _render(plan: Plan, folder: Path) -> tuple[Path, int]:
    pdf, pages = render_pdf(report_data(plan=plan, kind="year"))
    path = folder / "odd.pdf"
    path.write_bytes(pdf)
    return path, pages


def test_an_area_without_targets_or_tasks_still_renders(odd_plan: Plan, tmp_path: Path) -> None:
    path, pages = _render(odd_plan, tmp_path)
    text = words(pdf_text(path))
    assert pages >= 5
    assert "1. Lĩnh vực không có chỉ tiêu và nhiệm vụ a) Kết quả thực hiện chỉ tiêu" in text
    assert "Lĩnh vực không có chỉ tiêu định lượng." in text
    assert "Tổng số 0 nhiệm vụ" in text


def test_a_5000_character_target_is_printed_to_its_last_word(odd_plan: Plan, tmp_path: Path) -> None:
    assert len(LONG_TARGET) > 5000 and len(LONG_TASK) > 5000
    path, _pages = _render(odd_plan, tmp_path)
    assert words(LONG_TARGET) in words(running_text(path))


def test_a_5000_character_task_still_renders_with_its_lead_unit(odd_plan: Plan, tmp_path: Path) -> None:
    path, _pages = _render(odd_plan, tmp_path)
    text = words(pdf_text(path))
    assert "Nhiệm vụ 2.1 (Văn phòng - Thống kê xã Thử Nghiệm): Nhiệm vụ rất dài" in text
    assert "Quá hạn, hạn 30/06/2024" in text


def test_a_plan_of_a_commune_with_a_unit_without_data_still_renders_its_annexes(odd_plan: Plan, tmp_path: Path) -> None:
    path, pages = _render(odd_plan, tmp_path)
    text = pdf_text(path)
    assert ANNEX_HEADING.findall(text) == ["I", "II", "III", "IV"]
    assert "Ban không có số liệu" not in text
    assert "Chưa có số liệu được duyệt." in text
    # A commune's People's Committee: its own name in full, no parent line (NĐ 30/2020).
    assert text.startswith("ỦY BAN NHÂN DÂN\nXÃ THỬ NGHIỆM\n") and "UBND HUYỆN CAO LỘC" not in text
    assert "Thử Nghiệm, ngày 14 tháng 12 năm 2024" in text
    assert 5 <= pages <= 60
