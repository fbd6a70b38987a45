"""Plain builders for one-stop export files and rows."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Sequence

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from dossiers.layout import BY_KEY, TEMPLATE_ORDER
from dossiers.reading import ParsedRow
from parplan.models import Unit

# A month that adds up: 5 carried + 50 received = 45 resolved + 7 in progress + 1 + 1 + 1.
GOOD = {
    "carried_over": 5, "received_online": 30, "received_in_person": 15, "received_by_post": 5,
    "resolved_early": 20, "resolved_on_time": 22, "resolved_late": 3, "pending_on_time": 6, "pending_overdue": 1,
    "awaiting_supplements": 1, "paused": 1, "withdrawn": 1, "apologised": 2, "dossiers_digitised": 40,
    "results_digitised": 30,
}  # fmt: skip
HEADERS = [str(BY_KEY[key].header) for key in TEMPLATE_ORDER]


def row(code: str = "06184", name: str = "", month: str = "01/2024", **counts: object) -> list[object]:
    """A template row; the file's two totals are left blank unless given."""
    values: dict[str, object] = {"unit_code": code, "unit_name": name, "month": month, **GOOD, **counts}
    return [values.get(key, "") for key in TEMPLATE_ORDER]


def xlsx_file(rows: Sequence[Sequence[object]], headers: Sequence[str] = HEADERS, name: str = "so-lieu.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(headers))
    for values in rows:
        sheet.append([None if value == "" else value for value in values])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def csv_file(rows: Sequence[Sequence[object]], headers: Sequence[str] = HEADERS, name: str = "so-lieu.csv",
             delimiter: str = ","):  # fmt: skip
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8-sig"))


def parsed(code: str, month: int, line: int = 0, **counts: int | None) -> ParsedRow:
    unit = Unit.objects.get(code=code)
    return ParsedRow(line, unit.pk, datetime.date(2024, month, 1), {**GOOD, **counts})
