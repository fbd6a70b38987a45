"""The report's annex tables as an Excel workbook: one sheet per annex."""

from __future__ import annotations

import io
from collections.abc import Collection, Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.utils import translation
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.header_footer import HeaderFooterItem
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from inspections.selectors import InspectionAnnex
from parplan.formatting import format_number
from parplan.spreadsheets import append_row
from reports.selectors import ANNEX_IV_COLUMNS, ANNEX_IV_RATES, DOCUMENT_LANGUAGE, ReportData
from tasks.models import TaskState

_FONT = "Times New Roman"
_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


@translation.override(DOCUMENT_LANGUAGE)
def render_xlsx(data: ReportData) -> bytes:
    book = Workbook()
    book.remove(book.worksheets[0])
    widths = [9, 70, 14, 16, 16, *([16] if data.year_to_date_periods else []), 18]
    _sheet(
        book, "PL I - Chỉ tiêu", "KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU", data,
        list(zip(data.annex_targets_headers, widths, strict=True)),
        [[int(row[0]), *row[1:]] for row in data.annex_targets], centred_columns={1},
    )  # fmt: skip
    _sheet(
        book, "PL II - Nhiệm vụ", "KẾT QUẢ THỰC HIỆN NHIỆM VỤ THEO ĐƠN VỊ CHỦ TRÌ", data,
        [("Đơn vị", 45), ("Được giao", 12), (str(TaskState.COMPLETED_ON_TIME.label), 14),
         (str(TaskState.COMPLETED_LATE.label), 14), ("Chưa hoàn thành", 14), ("Tỷ lệ hoàn thành", 14)],
        [[r.unit, r.assigned, r.on_time, r.late, r.not_done, _share(r.on_time + r.late, r.assigned)]
         for r in [*data.annex_units, *([data.annex_units_total] if data.annex_units_total else [])]],
        percent_columns={6},
    )  # fmt: skip
    _inspections_sheet(book, data)
    if data.annex_dossier_counts:
        _one_stop_sheet(book, data)
    else:
        _figures_dossier_sheet(book, data)
    if data.kind == "year":
        _sheet(
            book, "PL V - Số liệu còn thiếu", "SỐ LIỆU CHỈ TIÊU CÒN THIẾU", data,
            [("Chỉ tiêu", 60), ("Đơn vị", 40), ("Kỳ còn thiếu", 40), ("Số kỳ", 10)],
            [[m.indicator, m.unit, m.periods, m.count] for m in data.annex_missing]
            + [["Tổng cộng", "", "", data.missing_count]],
        )  # fmt: skip
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


# 12 pt Times New Roman: LibreOffice fits about 1.35 characters in a unit of column width
# (the width of a "0" in the default font); 1.2 leaves room for Excel's wider rendering and
# bold headers, so an estimate errs on a blank line, never on text running into the next row.
_CHARS_PER_WIDTH = 1.2
_LINE_POINTS = 16
# NĐ 30/2020's margins in inches (openpyxl's unit): left 30 mm, right 15 mm, top and bottom 20 mm;
# the page number sits in the top margin, as on the report's own pages.
_MARGINS = PageMargins(left=1.18, right=0.59, top=0.79, bottom=0.79, header=0.3, footer=0.3)


def _lines(value: object, width: int) -> int:
    """How many lines a cell's text wraps to; a number shows on one line (Excel never wraps it)."""
    if value is None or isinstance(value, int | float):
        return 1
    per_line = max(1, int(width * _CHARS_PER_WIDTH))
    return sum(-(-max(len(part), 1) // per_line) for part in str(value).split("\n"))


def _fit_rows(sheet: Worksheet, widths: Sequence[int], header_row: int, wide_rows: Collection[int] = ()) -> None:
    """Row heights for the wrapped text: Excel keeps a row one line high, and LibreOffice prints it so.

    A row in `wide_rows` is one text merged across every column.
    """
    for number, row in enumerate(sheet.iter_rows(min_row=header_row), start=header_row):
        if number in wide_rows:
            sheet.row_dimensions[number].height = _lines(row[0].value, sum(widths)) * _LINE_POINTS
            continue
        lines = max((_lines(cell.value, width) for cell, width in zip(row, widths, strict=False)), default=1)
        sheet.row_dimensions[number].height = lines * _LINE_POINTS


def page_setup(sheet: Worksheet, columns: int, total_width: int, header_row: int) -> None:
    """A4, landscape when wide, one page wide and as many high as it takes, the header row on every page."""
    sheet.print_area = f"A1:{get_column_letter(columns)}{max(sheet.max_row, header_row)}"
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if total_width > 90 else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_margins = _MARGINS
    sheet.print_options.horizontalCentered = True
    # Odd pages only: the sheets set neither a different first page nor different even pages.
    page_number = HeaderFooterItem()
    page_number.center.text, page_number.center.font, page_number.center.size = "&P", f"{_FONT},Regular", 13
    sheet_name = HeaderFooterItem()
    sheet_name.right.text, sheet_name.right.font, sheet_name.right.size = "&A", f"{_FONT},Italic", 10
    sheet.HeaderFooter.oddHeader, sheet.HeaderFooter.oddFooter = page_number, sheet_name


def _inspections_sheet(book: Workbook, data: ReportData) -> None:
    """Annex III as the PDF prints it: the window's visits, their findings by area, their recommendations by state."""
    title = "KẾT QUẢ KIỂM TRA CÔNG TÁC CCHC"
    annex = data.annex_inspections
    if annex is None:
        _sheet(book, "PL III - Kiểm tra", title, data, [("Nội dung", 90)], [[data.inspections_note]])
        return
    visits: list[list[object]] = [
        [number, v.unit, v.day, v.kind, v.form, v.findings, v.recommendations]
        for number, v in enumerate(annex.visits, start=1)
    ]
    visits.append(["", "Tổng cộng", f"{len(annex.visits)} đợt", "", "", sum(v.findings for v in annex.visits),
                   sum(v.recommendations for v in annex.visits)])  # fmt: skip
    areas: list[list[object]] = [[a.number, a.name, a.found, a.handled, a.referred, a.open] for a in annex.areas]
    found = [sum(getattr(a, name) for a in annex.areas) for name in ("found", "handled", "referred", "open")]
    areas.append(["", "Tổng cộng" if annex.areas else "Không phát hiện vấn đề.", *found])
    states: list[list[object]] = [[number, label, count] for number, (label, count) in enumerate(annex.states, 1)]
    states += [["", "Tổng cộng", sum(count for _label, count in annex.states)],
               ["", "Trong đó quá hạn chưa hoàn thành", annex.overdue]]  # fmt: skip
    _sheet(
        book, "PL III - Kiểm tra", title, data,
        [("STT", 6), ("Đơn vị được kiểm tra", 40), ("Ngày kiểm tra", 14), ("Loại kiểm tra", 24), ("Hình thức", 18),
         ("Vấn đề phát hiện", 12), ("Kiến nghị", 12)],
        visits, centred_columns={1},
        more=[(["STT", "Lĩnh vực", "Vấn đề phát hiện", "Đã xử lý", "Đã kiến nghị xử lý", "Chưa xử lý"], areas),
              (["STT", "Tình trạng kiến nghị", "Số kiến nghị"], states)],
        closing=_inspection_figures(annex),
    )  # fmt: skip


def _inspection_figures(annex: InspectionAnnex) -> list[str]:
    """The two computed figures under the tables, worded as in the PDF's annex."""
    lines = []
    coverage = annex.coverage
    if coverage is not None and coverage.percent is not None:
        threshold = f"; chỉ tiêu trên {annex.threshold}%" if annex.threshold is not None else ""
        lines.append(f"Tỷ lệ cơ quan, đơn vị được kiểm tra trực tiếp: {coverage.numerator}/{coverage.denominator} "
                     f"({format_number(coverage.percent, 1)}%){threshold}.")  # fmt: skip
    handled = annex.findings_handled
    if handled.percent is not None:
        lines.append("Vấn đề phát hiện qua theo dõi, kiểm tra thi hành pháp luật đến hạn trong kỳ được xử lý hoặc "
                     f"kiến nghị xử lý đúng hạn: {handled.numerator}/{handled.denominator} "
                     f"({format_number(handled.percent, 1)}%).")  # fmt: skip
    return lines


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _figures_dossier_sheet(book: Workbook, data: ReportData) -> None:
    """Annex IV from the on-time indicator's approved figures: a plan whose units have no one-stop rows."""
    ytd = data.year_to_date_periods
    _sheet(
        book, "PL IV - Hồ sơ TTHC", "THỐNG KÊ KẾT QUẢ GIẢI QUYẾT HỒ SƠ TTHC THEO ĐƠN VỊ", data,
        [("Đơn vị", 45), ("Hồ sơ đã giải quyết", 16), ("Giải quyết trước và đúng hạn", 18), ("Tỷ lệ đúng hạn", 14),
         *([(f"Lũy kế {ytd}: hồ sơ đã giải quyết", 18), (f"Lũy kế {ytd}: tỷ lệ đúng hạn", 16)] if ytd else [])],
        [[r.unit, *_counts_cells((r.resolved_count, r.on_time_count)), *(_year_cells(r.year_counts) if ytd else [])]
         for r in [*data.annex_dossiers, *([data.annex_dossiers_total] if data.annex_dossiers_total else [])]],
        percent_columns={4, 6} if ytd else {4},
        note=f"số liệu {data.dossier_periods}" if data.dossier_periods else "",
    )  # fmt: skip


def _whole(count: Decimal) -> int:
    """A count as the document writes it (format_number(…, 0): rounded half up), not cut at the point."""
    return int(count.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _counts_cells(counts: tuple[Decimal, Decimal]) -> list[int | float | None]:
    """Dossiers resolved, resolved early or on time, and the share on time, as numbers."""
    resolved, on_time = _whole(counts[0]), _whole(counts[1])
    return [resolved, on_time, _share(on_time, resolved)]


def _year_cells(counts: tuple[Decimal, Decimal] | None) -> list[int | float | None]:
    """The year to date beside the window: dossiers resolved and the share on time, as numbers."""
    if counts is None:
        return [None, None]
    resolved, _on_time, share = _counts_cells(counts)
    return [resolved, share]


def _one_stop_sheet(book: Workbook, data: ReportData) -> None:
    """Annex IV from the one-stop rows: every count of every unit, then the total; the rates as fractions."""
    total = [data.annex_dossier_counts_total] if data.annex_dossier_counts_total else []
    rows = [[r.unit, *r.counts, *_one_stop_rates(r.counts)] for r in [*data.annex_dossier_counts, *total]]
    first_rate = len(ANNEX_IV_COLUMNS) + 2
    headers = [("Đơn vị", 36), *((header, 12) for _key, header in ANNEX_IV_COLUMNS)]
    _sheet(
        book, "PL IV - Hồ sơ TTHC", "THỐNG KÊ KẾT QUẢ GIẢI QUYẾT HỒ SƠ TTHC THEO ĐƠN VỊ", data,
        [*headers, *((rate, 13) for rate in ANNEX_IV_RATES)],
        rows, percent_columns={first_rate, first_rate + 1, first_rate + 2},
        note=f"số liệu {data.dossier_periods}" if data.dossier_periods else "",
    )  # fmt: skip


def _one_stop_rates(counts: list[int | None]) -> list[float | None]:
    value = dict(zip((key for key, _header in ANNEX_IV_COLUMNS), counts, strict=True))
    on_time = (value["resolved_early"] or 0) + (value["resolved_on_time"] or 0)
    return [
        _share(on_time, value["resolved"] or 0),
        _share(value["apologised"] or 0, value["resolved_late"] or 0),
        _share(value["received_online"] or 0, value["received"] or 0),
    ]


def _sheet(
    book: Workbook, name: str, title: str, data: ReportData, headers: Sequence[tuple[str, int]],
    rows: Sequence[Sequence[object]], percent_columns: set[int] | None = None, centred_columns: set[int] | None = None,
    note: str = "", more: Sequence[tuple[Sequence[str], Sequence[Sequence[object]]]] = (),
    closing: Sequence[str] = (),
) -> Worksheet:  # fmt: skip
    """One annex: its title, the report, the window, a table; `more` tables below it in the same columns
    (each after a blank row, with its own header row), and `closing` lines of text across the whole width."""
    sheet: Worksheet = book.create_sheet(name[:31])
    append_row(sheet, [title])
    append_row(sheet, [f"{data.issuer} — {data.subject}"])
    sheet.append([f"Kỳ số liệu: {data.window} (đến ngày {data.cutoff})" + (f"; {note}" if note else "")])
    sheet.append([label for label, _width in headers])
    header_row = 4
    header_rows, table_rows = {header_row}, set(range(header_row, header_row + len(rows) + 1))
    for row in rows:
        append_row(sheet, row)
    for more_headers, more_rows in more:
        sheet.append([None])  # a blank row that counts in max_row (an empty append makes no cell)
        header_rows.add(sheet.max_row + 1)
        table_rows.update(range(sheet.max_row + 1, sheet.max_row + 2 + len(more_rows)))
        append_row(sheet, more_headers)
        for row in more_rows:
            append_row(sheet, row)
    wide_rows: set[int] = set()
    if closing:
        sheet.append([None])
    for line in closing:
        append_row(sheet, [line])
        wide_rows.add(sheet.max_row)
        sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=len(headers))
    for index, (_label, width) in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    # Counted here: openpyxl may leave a (merged) cell without its row and column.
    for row_number, row in enumerate(sheet.iter_rows(), start=1):
        for column_number, cell in enumerate(row, start=1):
            cell.font = Font(name=_FONT, size=12, bold=row_number == 1 or row_number in header_rows)
            if row_number in table_rows:
                cell.border = _BOX
                centred = row_number in header_rows or column_number in (centred_columns or set())
                cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="center" if centred else None)
            elif row_number in wide_rows:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            if percent_columns and column_number in percent_columns and row_number > header_row:
                cell.number_format = "0.0%"
            elif row_number > header_row and isinstance(cell.value, int) and not isinstance(cell.value, bool):
                # Counts with their thousands grouped, as the PDF writes them (5.111): Excel shows the reader's marks.
                cell.number_format = "#,##0"
    widths = [width for _label, width in headers]
    _fit_rows(sheet, widths, header_row, wide_rows)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1).coordinate
    page_setup(sheet, len(headers), sum(widths), header_row)
    return sheet
