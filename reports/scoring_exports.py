"""The scoring's results table and a unit's scorecard, as Excel and PDF in the official format (NĐ 30/2020).

Through the report renderers (reports.renderers): the PDF is WeasyPrint's with the
report's fonts; the workbook's page set-up is the annexes'. This app sits above
scoring, so it reads the scoring's selectors; the scoring app knows nothing of it.
"""

from __future__ import annotations

import io
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from parplan.formatting import format_number
from parplan.models import Plan, Unit
from parplan.spreadsheets import append_row
from reports.renderers.pdf import html_to_pdf
from reports.renderers.xlsx import page_setup
from reports.selectors import BLANK, DOCUMENT_LANGUAGE, date_words, drafting_unit, header_lines, recipient_lines
from scoring.models import ScoringRound
from scoring.selectors import UnitResult, round_results, unit_scores

_FONT = "Times New Roman"
RESULT_HEADERS = [("Hạng", 7), ("Đơn vị", 40), ("Tự chấm", 12), ("Thẩm định", 12), ("Cuối cùng", 12),
                  ("Xếp loại", 14), ("Năm trước", 12)]  # fmt: skip
SHEET_HEADERS = [("Mã", 8), ("Tiêu chí", 50), ("Tối đa", 9), ("Tự chấm", 10), ("Thẩm định", 10), ("Cuối cùng", 10),
                 ("Ý kiến", 30)]  # fmt: skip


def _context(scoring_round: ScoringRound) -> dict[str, object]:
    """The document's header and signature (NĐ 30/2020), taken from the authority's plan of the tree's year."""
    authority = scoring_round.tree.authority
    parent, issuer = header_lines(authority)
    # The year's plan knows the authority's place name, its signer and its usual recipients.
    plan = Plan.objects.filter(issuing_unit=authority, year=scoring_round.tree.year).first()
    kind = plan.symbol.split("-", 1)[1] if plan and "-" in plan.symbol else "UBND"
    return {
        "round": scoring_round,
        "parent": parent,
        "issuer": issuer,
        "reference": f"Số: {BLANK}/BC-{kind}",
        "place_and_date": f"{(plan.place if plan else '') or authority.name}, {date_words(timezone.localdate())}",
        "signing_authority": plan.signing_authority if plan else "",
        "signer_title": plan.signer_title if plan else "",
        "signer_name": plan.signer_name if plan else "",
        "recipients": recipient_lines(plan.recipients if plan else "", drafting_unit(authority)),
    }


# Points are numbers in the workbook (a sum or a sort works on them), shown with two decimals.
_POINTS_FORMAT = "0.00"


def _result_row(result: UnitResult) -> list[object]:
    totals = [result.self_total, result.appraised_total, result.final_total]
    return [result.rank or None, result.unit.name, *totals, result.band, result.last_year]


def _sheet(book: Workbook, title: str, headers: list[tuple[str, int]], rows: list[list[object]]) -> Worksheet:
    sheet: Worksheet = book.create_sheet(title[:31])
    append_row(sheet, [title])
    sheet.cell(1, 1).font = Font(name=_FONT, bold=True, size=14)
    append_row(sheet, [name for name, _width in headers])
    for values in rows:
        append_row(sheet, values)
    for column, (_name, width) in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    for number, row in enumerate(sheet.iter_rows(min_row=2), start=2):
        for cell in row:
            cell.font = Font(name=_FONT, size=12, bold=number == 2)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if isinstance(cell.value, Decimal):
                cell.number_format = _POINTS_FORMAT
    page_setup(sheet, len(headers), sum(width for _name, width in headers), 2)
    return sheet


@translation.override(DOCUMENT_LANGUAGE)
def results_xlsx(scoring_round: ScoringRound) -> bytes:
    book = Workbook()
    book.remove(book.worksheets[0])
    rows = [_result_row(result) for result in round_results(scoring_round)]
    _sheet(book, "Kết quả", RESULT_HEADERS, rows)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@translation.override(DOCUMENT_LANGUAGE)
def results_pdf(scoring_round: ScoringRound) -> bytes:
    context = _context(scoring_round) | {"results": round_results(scoring_round)}
    return html_to_pdf(render_to_string("reports/scoring_results.html", context))[0]


def _sheet_rows(scoring_round: ScoringRound, unit: Unit) -> list[list[object]]:
    """Per item: code, name, maximum, self, appraised and final points (None when not given), the last comment."""
    rows: list[list[object]] = []
    for score in unit_scores(scoring_round, unit):
        comment = score.final_comment or score.appraisal_comment or score.self_comment
        if score.self_denominator:
            # A ratio item scored from the unit's own figures: the appraisal reads where its points came from.
            figures = (
                f"{format_number(score.self_numerator or 0, grouped=True)}/"
                f"{format_number(score.self_denominator, grouped=True)}"
            )
            basis = f"Tự chấm tính từ {figures}"
            comment = f"{basis}. {comment}" if comment else basis
        points = [score.criterion.max_points, score.self_points, score.appraised_points, score.final_points]
        rows.append([score.criterion.code, score.criterion.name, *points, comment])
    return rows


@translation.override(DOCUMENT_LANGUAGE)
def scorecard_xlsx(scoring_round: ScoringRound, unit: Unit) -> bytes:
    book = Workbook()
    book.remove(book.worksheets[0])
    _sheet(book, unit.name, SHEET_HEADERS, _sheet_rows(scoring_round, unit))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@translation.override(DOCUMENT_LANGUAGE)
def scorecard_pdf(scoring_round: ScoringRound, unit: Unit) -> bytes:
    result = next((r for r in round_results(scoring_round) if r.unit.pk == unit.pk), None)
    context = _context(scoring_round) | {"unit": unit, "rows": _sheet_rows(scoring_round, unit), "result": result}
    return html_to_pdf(render_to_string("reports/scoring_scorecard.html", context))[0]
