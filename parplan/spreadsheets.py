"""Writing rows into the portal's .xlsx files so that typed text stays text.

openpyxl stores a string that starts with "=" as a formula, so a task titled
"=HYPERLINK(…)" would become a live link in the secretariat's Excel. OWASP's
guidance on formula (CSV) injection names the prefixes = + - @ tab and CR: every
string cell written here is stored as a string, whatever it starts with.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.cell.cell import TYPE_STRING
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def append_row(sheet: Worksheet, values: Iterable[Any]) -> None:
    """`sheet.append(values)`, with every text cell kept as text (never a formula)."""
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = TYPE_STRING
