"""The downloadable template of the one documented layout: Vietnamese headers, one example row per unit."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from dossiers.layout import BY_KEY, TEMPLATE_ORDER
from parplan.models import Unit
from parplan.spreadsheets import append_row


def template_xlsx(units: list[Unit], month: str | None) -> bytes:
    """The header row, then a row per unit: its code, name and `month` (blank when None), the counts left blank."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = _("Số liệu hồ sơ")
    append_row(sheet, [str(BY_KEY[key].header) for key in TEMPLATE_ORDER])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for unit in units:
        append_row(sheet, [unit.code, unit.name, month])
    sheet.freeze_panes = "D2"
    for letter, width in (("A", 12), ("B", 40), ("C", 10)):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
