"""Text typed by people stays text in every .xlsx the portal writes (OWASP formula injection)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from parplan.spreadsheets import FORMULA_PREFIXES, append_row

PAYLOADS = {
    "=": '=HYPERLINK("http://example.invalid","Bấm vào")',
    "+": "+1+cmd|' /C calc'!A0",
    "-": "-2+3",
    "@": "@SUM(1,2)",
    "\t": "\t=1+1",
    "\r": "\r=1+1",
}


def _reopened(values: list[Any]) -> list[Any]:
    book = Workbook()
    append_row(book.active, values)
    output = io.BytesIO()
    book.save(output)
    output.seek(0)
    return list(load_workbook(output).active[1])


def test_every_prefix_owasp_names_is_covered():
    assert set(PAYLOADS) == set(FORMULA_PREFIXES)


@pytest.mark.parametrize("prefix", FORMULA_PREFIXES)
def test_a_text_starting_with_a_formula_prefix_is_stored_as_text(prefix):
    (cell,) = _reopened([PAYLOADS[prefix]])
    assert cell.data_type == "s"
    # The text comes back exactly, a carriage return included: openpyxl writes it escaped (_x000D_) when lxml
    # is installed, as it is (python-docx needs it); without lxml a lone CR came back as a line feed.
    assert cell.value == PAYLOADS[prefix]


def test_numbers_and_dates_keep_their_types():
    import datetime

    number, day, text = _reopened([12.5, datetime.date(2024, 12, 14), "Đạt"])
    assert (number.data_type, number.value) == ("n", 12.5)
    assert day.is_date and day.value.date() == datetime.date(2024, 12, 14)
    assert (text.data_type, text.value) == ("s", "Đạt")
