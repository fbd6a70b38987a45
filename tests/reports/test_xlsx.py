"""The Excel annexes read back: sheets, headers, identity, fonts, formats, print set-up, and the numbers."""

from __future__ import annotations

import datetime
import io
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from django.db.models import Sum
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from parplan.models import Plan
from reports.renderers.xlsx import render_xlsx
from reports.selectors import report_data
from targets.models import Indicator, Measurement, MeasurementStatus
from tasks.models import Task, TaskState
from tests.reports.conftest import RenderedReport

pytestmark = pytest.mark.django_db

CUTOFF = datetime.date(2024, 12, 14)
SHEETS = {
    "PL I - Chỉ tiêu": ["Lĩnh vực", "Chỉ tiêu", "Mục tiêu", "Kết quả", "Kỳ số liệu", "Đánh giá"],
    "PL II - Nhiệm vụ": ["Đơn vị", "Được giao", "Hoàn thành đúng hạn", "Hoàn thành trễ hạn", "Chưa hoàn thành",
                         "Tỷ lệ hoàn thành"],
    "PL III - Kiểm tra": ["STT", "Đơn vị được kiểm tra", "Ngày kiểm tra", "Loại kiểm tra", "Hình thức",
                          "Vấn đề phát hiện", "Kiến nghị"],
    "PL IV - Hồ sơ TTHC": ["Đơn vị", "Hồ sơ đã giải quyết", "Giải quyết trước và đúng hạn", "Tỷ lệ đúng hạn"],
    "PL V - Số liệu còn thiếu": ["Chỉ tiêu", "Đơn vị", "Kỳ còn thiếu", "Số kỳ"],
}  # fmt: skip


@pytest.fixture(scope="module")
def book(year_report: RenderedReport) -> Workbook:
    return load_workbook(year_report.xlsx_path)


def _rows(sheet: Worksheet) -> list[tuple]:
    """The body rows, without the total row that ends the units' sheets."""
    return [row for row in sheet.iter_rows(min_row=5, values_only=True) if row[0] != "Tổng cộng"]


def _total(sheet: Worksheet) -> tuple:
    last = list(sheet.iter_rows(min_row=5, values_only=True))[-1]
    assert last[0] == "Tổng cộng"
    return last[1:]


def test_there_is_one_sheet_per_annex_in_order(book: Workbook) -> None:
    assert book.sheetnames == list(SHEETS)


@pytest.mark.parametrize("name", list(SHEETS))
def test_each_sheet_has_its_vietnamese_headers_in_row_4(book: Workbook, name: str) -> None:
    assert [cell.value for cell in book[name][4]] == SHEETS[name]


@pytest.mark.parametrize("name", list(SHEETS))
def test_each_sheet_names_the_report_its_period_and_cut_off_in_rows_1_to_3(book: Workbook, name: str) -> None:
    sheet = book[name]
    assert sheet["A1"].value and sheet["A1"].font.bold
    assert (
        sheet["A2"].value == "ỦY BAN NHÂN DÂN HUYỆN CAO LỘC — Kết quả thực hiện công tác cải cách hành chính năm 2024"
    )
    # The dossiers' sheet adds the periods its figures cover ("; số liệu T1–T9/2024").
    assert sheet["A3"].value.startswith("Kỳ số liệu: 15/12/2023 – 14/12/2024 (đến ngày 14/12/2024)")


@pytest.mark.parametrize("name", list(SHEETS))
def test_every_filled_cell_is_in_times_new_roman(book: Workbook, name: str) -> None:
    fonts = {cell.font.name for row in book[name].iter_rows() for cell in row if cell.value is not None}
    assert fonts == {"Times New Roman"}


@pytest.mark.parametrize("name", list(SHEETS))
def test_the_header_rows_are_frozen_and_repeated_on_every_printed_page(book: Workbook, name: str) -> None:
    sheet = book[name]
    assert sheet.freeze_panes == "A5"
    assert sheet.print_title_rows == "$4:$4"


@pytest.mark.parametrize(
    ("name", "orientation"),
    [("PL I - Chỉ tiêu", "landscape"), ("PL II - Nhiệm vụ", "landscape"), ("PL III - Kiểm tra", "landscape"),
     ("PL IV - Hồ sơ TTHC", "landscape"), ("PL V - Số liệu còn thiếu", "landscape")],
)  # fmt: skip
def test_sheets_print_on_a4_landscape_where_they_are_wide(book: Workbook, name: str, orientation: str) -> None:
    sheet = book[name]
    assert sheet.page_setup.paperSize == 9  # A4 in the OOXML paper-size table
    assert sheet.page_setup.orientation == orientation
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1


def test_columns_have_widths_for_their_content(book: Workbook) -> None:
    sheet = book["PL I - Chỉ tiêu"]
    assert sheet.column_dimensions["B"].width == 70 and sheet.column_dimensions["A"].width == 9


@pytest.mark.parametrize(("name", "column"), [("PL II - Nhiệm vụ", "F"), ("PL IV - Hồ sơ TTHC", "D")])
def test_rates_are_numbers_shown_as_percent_with_one_decimal(book: Workbook, name: str, column: str) -> None:
    cells = [row[0] for row in book[name].iter_rows(min_row=5, min_col=ord(column) - 64, max_col=ord(column) - 64)]
    assert cells
    assert all(cell.number_format == "0.0%" for cell in cells)
    values = [cell.value for cell in cells if cell.value is not None]
    assert values and all(isinstance(value, int | float) and 0 <= value <= 1 for value in values)


def test_the_targets_sheet_has_one_row_per_indicator_of_the_plan(book: Workbook, year_report: RenderedReport) -> None:
    rows = _rows(book["PL I - Chỉ tiêu"])
    assert len(rows) == Indicator.objects.filter(area__plan_id=year_report.plan_id).count()
    assert [row[0] for row in rows] == sorted(row[0] for row in rows)
    assert all(isinstance(row[0], int) for row in rows)


def test_the_tasks_sheet_counts_equal_the_task_records_as_of_the_cut_off(
    book: Workbook, year_report: RenderedReport
) -> None:
    expected: dict[str, Counter] = defaultdict(Counter)
    for task in Task.objects.filter(area__plan_id=year_report.plan_id, lead_unit__isnull=False).select_related(
        "lead_unit"
    ):
        state = task.state_as_of(CUTOFF)
        if state == TaskState.CANCELLED:
            continue
        counts = expected[task.lead_unit.name]
        counts["assigned"] += 1
        counts["on_time"] += state == TaskState.COMPLETED_ON_TIME
        counts["late"] += state == TaskState.COMPLETED_LATE
    rows = {row[0]: row[1:] for row in _rows(book["PL II - Nhiệm vụ"])}
    assert set(rows) == set(expected)
    for unit, counts in expected.items():
        done = counts["on_time"] + counts["late"]
        assigned, on_time, late, not_done, rate = rows[unit]
        assert (assigned, on_time, late, not_done) == (counts["assigned"], counts["on_time"], counts["late"],
                                                       counts["assigned"] - done)  # fmt: skip
        assert rate == pytest.approx(done / counts["assigned"])
    assert sum(r[0] for r in rows.values()) == 37


def test_the_dossier_sheet_equals_the_sums_of_the_approved_figures(book: Workbook, year_report: RenderedReport) -> None:
    indicator = Indicator.objects.get(area__plan_id=year_report.plan_id, numerator_label__icontains="hồ sơ giải quyết")
    approved = Measurement.objects.filter(
        indicator=indicator, status=MeasurementStatus.APPROVED, period__end__lte=CUTOFF
    )
    sums = {
        row["unit__name"]: (int(row["resolved"]), int(row["on_time"]))
        for row in approved.values("unit__name").annotate(resolved=Sum("denominator"), on_time=Sum("numerator"))
    }
    rows = {row[0]: row[1:] for row in _rows(book["PL IV - Hồ sơ TTHC"])}
    assert len(rows) == len(sums) > 20
    for unit, (resolved, on_time) in sums.items():
        assert rows[unit][:2] == (resolved, on_time)
        assert rows[unit][2] == pytest.approx(on_time / resolved)


def test_figures_not_yet_approved_are_left_out_of_the_dossier_sheet(year_report: RenderedReport) -> None:
    pending = Measurement.objects.filter(
        indicator__area__plan_id=year_report.plan_id, indicator__numerator_label__icontains="hồ sơ giải quyết"
    ).exclude(status=MeasurementStatus.APPROVED)
    assert pending.exists(), "the demo has figures waiting for review"
    everything = pending.aggregate(total=Sum("denominator"))["total"]
    book = load_workbook(year_report.xlsx_path)
    listed = sum(row[1] for row in _rows(book["PL IV - Hồ sơ TTHC"]))
    approved = Measurement.objects.filter(
        indicator__area__plan_id=year_report.plan_id, indicator__numerator_label__icontains="hồ sơ giải quyết",
        status=MeasurementStatus.APPROVED, period__end__lte=CUTOFF,
    ).aggregate(total=Sum("denominator"))["total"]  # fmt: skip
    assert listed == approved and everything > 0


def test_a_plan_without_tasks_figures_or_targets_gives_sheets_with_headers_only(odd_plan: Plan, tmp_path: Path) -> None:
    book = load_workbook(io.BytesIO(render_xlsx(report_data(plan=odd_plan, kind="year"))))
    assert book.sheetnames == list(SHEETS)
    assert _rows(book["PL I - Chỉ tiêu"]) == []
    assert _rows(book["PL IV - Hồ sơ TTHC"]) == []
    assert [row[0] for row in _rows(book["PL II - Nhiệm vụ"])] == ["Văn phòng - Thống kê xã Thử Nghiệm"]
    assert book["PL II - Nhiệm vụ"]["A2"].value.startswith("ỦY BAN NHÂN DÂN XÃ THỬ NGHIỆM — ")


def test_the_units_sheets_end_with_a_total_row_of_their_columns(book: Workbook) -> None:
    tasks = _rows(book["PL II - Nhiệm vụ"])
    assigned, on_time, late, not_done, rate = _total(book["PL II - Nhiệm vụ"])
    assert (assigned, on_time, late, not_done) == tuple(sum(row[i] for row in tasks) for i in range(1, 5))
    assert assigned == 37 and rate == pytest.approx((on_time + late) / assigned)
    dossiers = _rows(book["PL IV - Hồ sơ TTHC"])
    resolved, in_time, share = _total(book["PL IV - Hồ sơ TTHC"])
    assert (resolved, in_time) == (sum(row[1] for row in dossiers), sum(row[2] for row in dossiers))
    assert share == pytest.approx(in_time / resolved)


@pytest.mark.parametrize("name", list(SHEETS))
def test_each_sheet_prints_its_title_and_every_row(book: Workbook, name: str) -> None:
    sheet = book[name]
    last_column = chr(ord("A") + len(SHEETS[name]) - 1)
    assert sheet.print_area == f"'{name}'!$A$1:${last_column}${sheet.max_row}"


def test_a_row_of_wrapped_text_is_as_high_as_its_lines(book: Workbook) -> None:
    sheet = book["PL I - Chỉ tiêu"]
    width = sheet.column_dimensions["B"].width
    long_row = next(row for row in sheet.iter_rows(min_row=5) if len(str(row[1].value)) > width * 1.5)
    short_row = next(row for row in sheet.iter_rows(min_row=5) if len(str(row[1].value)) < width)
    assert sheet.row_dimensions[long_row[0].row].height >= 32
    assert sheet.row_dimensions[short_row[0].row].height == 16


@pytest.mark.parametrize("name", list(SHEETS))
def test_each_sheet_prints_with_the_decree_s_margins_and_its_page_number_at_the_top(book: Workbook, name: str) -> None:
    sheet = book[name]
    margins = sheet.page_margins
    # Inches: left 30 mm, right 15 mm, top and bottom 20 mm (NĐ 30/2020).
    assert (margins.left, margins.right, margins.top, margins.bottom) == (1.18, 0.59, 0.79, 0.79)
    assert sheet.oddHeader.center.text == "&P" and sheet.oddFooter.right.text == "&A"
    assert sheet.page_setup.fitToHeight == 0


def test_a_number_counts_as_one_line_however_long_its_digits(book: Workbook) -> None:
    # The rates are floats (0.98963…): counted as text they made every dossier row three lines high.
    sheet = book["PL IV - Hồ sơ TTHC"]
    assert {sheet.row_dimensions[row[0].row].height for row in sheet.iter_rows(min_row=5)} == {16}


# --- Annex III: the window's inspections, from ReportData.annex_inspections ---------------------


def _blocks(sheet: Worksheet) -> list[list[tuple]]:
    """The sheet's tables from row 4 on, split at the blank rows; the closing text lines are the last block."""
    blocks: list[list[tuple]] = [[]]
    for row in sheet.iter_rows(min_row=4, values_only=True):
        if all(value is None for value in row):
            blocks.append([])
        else:
            blocks[-1].append(row)
    return [block for block in blocks if block]


def test_the_inspections_sheet_lists_the_windows_visits_with_a_total(book: Workbook, year_report: RenderedReport):
    annex = year_report.data.annex_inspections
    assert annex is not None and len(annex.visits) >= 13  # the demo's year: both kinds of inspection
    visits = _blocks(book["PL III - Kiểm tra"])[0]
    body, total = visits[1:-1], visits[-1]
    assert [row[:7] for row in body] == [
        (number, v.unit, v.day, v.kind, v.form, v.findings, v.recommendations)
        for number, v in enumerate(annex.visits, start=1)
    ]
    assert total[1:3] == ("Tổng cộng", f"{len(annex.visits)} đợt")
    assert total[5:7] == (sum(v.findings for v in annex.visits), sum(v.recommendations for v in annex.visits))
    assert {"Theo dõi, kiểm tra thi hành pháp luật", "Kiểm tra công tác CCHC"} <= {row[3] for row in body}


def test_the_inspections_sheet_counts_findings_by_area_and_recommendations_by_state(
    book: Workbook, year_report: RenderedReport
):
    annex = year_report.data.annex_inspections
    _visits, areas, states, closing = _blocks(book["PL III - Kiểm tra"])
    assert areas[0][:6] == ("STT", "Lĩnh vực", "Vấn đề phát hiện", "Đã xử lý", "Đã kiến nghị xử lý", "Chưa xử lý")
    assert [row[:6] for row in areas[1:-1]] == [(a.number, a.name, a.found, a.handled, a.referred, a.open)
                                                for a in annex.areas]  # fmt: skip
    assert areas[-1][1] == "Tổng cộng" and areas[-1][2] == sum(a.found for a in annex.areas) > 0
    assert areas[-1][2] == areas[-1][3] + areas[-1][4] + areas[-1][5]
    assert [row[1:3] for row in states[1:-2]] == annex.states
    assert states[-2][1:3] == ("Tổng cộng", sum(count for _label, count in annex.states))
    assert states[-1][1:3] == ("Trong đó quá hạn chưa hoàn thành", annex.overdue)
    assert closing[0][0].startswith(
        f"Tỷ lệ cơ quan, đơn vị được kiểm tra trực tiếp: {annex.coverage.numerator}/{annex.coverage.denominator} ("
    )
    assert "; chỉ tiêu trên 30%." in closing[0][0]


def test_the_inspections_sheets_tables_are_boxed_with_bold_headers_and_rows_high_enough(book: Workbook):
    sheet = book["PL III - Kiểm tra"]
    headers = [row[0].row for row in sheet.iter_rows(min_row=4) if row[0].value == "STT"]
    assert len(headers) == 3
    assert all(sheet.cell(row=number, column=2).font.bold for number in headers)
    assert all(sheet.cell(row=number, column=2).border.left.style == "thin" for number in headers)
    # "Theo dõi, kiểm tra thi hành pháp luật" wraps in its 24-wide column: that row is two lines high at least.
    law = next(
        row[3].row for row in sheet.iter_rows(min_row=5) if row[3].value == "Theo dõi, kiểm tra thi hành pháp luật"
    )
    assert sheet.row_dimensions[law].height >= 32
    closing = sheet.max_row
    assert f"A{closing}:G{closing}" in {str(merged) for merged in sheet.merged_cells.ranges}


def test_without_inspections_in_the_window_the_sheet_says_so(odd_plan):
    data = report_data(plan=odd_plan, kind="year")
    assert data.annex_inspections is None
    sheet = load_workbook(io.BytesIO(render_xlsx(data)))["PL III - Kiểm tra"]
    assert [cell.value for cell in sheet[4]] == ["Nội dung"]
    assert sheet["A5"].value == data.inspections_note
