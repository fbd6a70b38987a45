"""The survey part (điều tra xã hội học) of a round, for every unit at once, from an .xlsx.

The survey is run outside the portal (the province's sociological survey of the
people and firms each unit serves); its results arrive as one table: a row per
unit, a column per survey item. Layout, under one header row:

    Mã đơn vị | Tên đơn vị (optional, not read) | <item code> [name] | <item code> [name] …

An item column's heading starts with the item's code ("9.1" or "9.1 Mức độ hài
lòng"). A blank cell leaves that unit's item as it is. Numbers typed as text are
read in Vietnamese marks (1,5), never guessed (parplan.numbers). Nothing is saved
unless every row is right; otherwise one error per problem, by row and column as
Excel numbers them. `survey_template` writes the same layout with the round's
units and items filled in, to be sent to whoever runs the survey.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from parplan.models import Unit
from parplan.spreadsheets import append_row
from scoring.importing import cell_number, cell_text
from scoring.models import Criterion, Score, ScoringRound, Step
from scoring.services import check_points, survey_enter

UNIT_HEADINGS = {"mã đơn vị", "mã đv", "mã"}
NAME_HEADINGS = {"tên đơn vị", "đơn vị"}
# A survey file is one row per unit: a province has a few hundred; this bounds what is read.
MAX_ROWS = 5000


@dataclass(frozen=True)
class SurveyImport:
    units: int
    points: int


def survey_items(scoring_round: ScoringRound) -> list[Criterion]:
    return list(scoring_round.tree.criteria.filter(is_survey=True).order_by("position"))


def survey_units(scoring_round: ScoringRound) -> list[Unit]:
    """The units the round scores on its survey items (each has a score row per item)."""
    ids = Score.objects.filter(round=scoring_round, criterion__is_survey=True).values("unit_id")
    return list(Unit.objects.filter(pk__in=ids).order_by("code"))


def survey_template(scoring_round: ScoringRound) -> bytes:
    """An .xlsx in the import's layout: the round's units, one column per survey item, the cells blank."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has its sheet
    sheet.title = _("Điều tra XHH")
    items = survey_items(scoring_round)
    append_row(sheet, [_("Mã đơn vị"), _("Tên đơn vị"), *(f"{item.code} {item.name}" for item in items)])
    for unit in survey_units(scoring_round):
        append_row(sheet, [unit.code, unit.name])
    sheet.column_dimensions["B"].width = 40
    for index in range(3, len(items) + 3):
        sheet.column_dimensions[get_column_letter(index)].width = 18
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def parse_survey(scoring_round: ScoringRound, content: bytes) -> dict[str, dict[str, Decimal]]:
    """{unit code: {item code: points}} from the file; one ValidationError listing every problem."""
    try:
        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise ValidationError(_("Tệp không phải là bảng tính .xlsx đọc được.")) from None
    rows = sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2)  # one more row than taken: to tell
    header = next(rows, None)
    if header is None:
        raise ValidationError(_("Bảng tính không có dòng nào."))
    items = {item.code: item for item in survey_items(scoring_round)}
    units = {unit.code for unit in survey_units(scoring_round)}
    errors: list[str] = []
    unit_column: int | None = None
    columns: dict[int, Criterion] = {}
    for index, cell in enumerate(header):
        heading = cell_text(cell)
        if heading.lower() in UNIT_HEADINGS:
            unit_column = index
        elif heading and heading.lower() not in NAME_HEADINGS:
            code = heading.split()[0].rstrip(".")
            if code in items:
                columns[index] = items[code]
            else:
                errors.append(
                    _("Cột %(col)s (“%(heading)s”): không phải mã tiêu chí điều tra xã hội học của bộ tiêu chí.")
                    % {"col": get_column_letter(index + 1), "heading": heading}
                )
    if unit_column is None:
        errors.insert(0, _("Dòng tiêu đề cần có cột “Mã đơn vị”."))
        raise ValidationError(errors)
    found: dict[str, dict[str, Decimal]] = {}
    for number, row in enumerate(rows, start=2):
        if number > MAX_ROWS + 1:
            raise ValidationError(_("Tệp có hơn %(n)s dòng.") % {"n": MAX_ROWS})
        code = cell_text(row[unit_column]) if unit_column < len(row) else ""
        if not code:
            if any(cell_text(cell) for cell in row):
                errors.append(_("Dòng %(row)s: thiếu mã đơn vị.") % {"row": number})
            continue
        if code not in units:
            errors.append(
                _("Dòng %(row)s: đơn vị mã %(code)s không được chấm trong đợt này.") % {"row": number, "code": code}
            )
            continue
        if code in found:
            errors.append(_("Dòng %(row)s: đơn vị mã %(code)s có ở hai dòng.") % {"row": number, "code": code})
            continue
        found[code] = {}
        for index, item in columns.items():
            cell = row[index] if index < len(row) else None
            if not cell_text(cell):
                continue
            where = {"row": number, "col": get_column_letter(index + 1)}
            try:
                points = cell_number(cell)
                check_points(item, points)
            except ValidationError as error:
                errors.extend(_("Dòng %(row)s, cột %(col)s: ") % where + message for message in error.messages)
                continue
            found[code][item.code] = points
    if errors:
        raise ValidationError(errors)
    if not any(found.values()):
        raise ValidationError(_("Tệp không có điểm nào để nhập."))
    return found


@transaction.atomic
def survey_import(*, scoring_round: ScoringRound, content: bytes, user: User | None) -> SurveyImport:
    """Every unit's survey points from the file, or nothing (one transaction)."""
    if scoring_round.step == Step.DONE:
        raise ValidationError(_("Đợt chấm điểm đã công bố kết quả, không nhập thêm được."))
    found = parse_survey(scoring_round, content)
    units = {unit.code: unit for unit in Unit.objects.filter(code__in=found)}
    saved = 0
    for code, points in found.items():
        if points:
            saved += len(survey_enter(scoring_round=scoring_round, unit=units[code], points=points, user=user))
    return SurveyImport(units=sum(1 for points in found.values() if points), points=saved)
