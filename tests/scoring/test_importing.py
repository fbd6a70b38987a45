"""The tree from an .xlsx: all or nothing, every row's problem at once."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from scoring.importing import tree_import_xlsx

pytestmark = pytest.mark.django_db
HEADER = ["STT", "Tiêu chí", "Điểm tối đa", "Cách chấm", "Các mức điểm", "Tài liệu kiểm chứng", "Loại điểm", "Điều tra"]
ROWS: list[list[Any]] = [
    ["1", "Chỉ đạo, điều hành", 40, "", "", "", "", ""],
    ["1.1", "Kế hoạch CCHC", 10, "mức", "10|Đúng hạn; 5|Chậm; 0|Không có", "x", "", ""],
    ["1.2", "Báo cáo", 30, "tự do", "", "", "", ""],
    ["2", "Thủ tục hành chính", 45, "", "", "", "", ""],
    ["2.1", "Công khai", "45", "", "", "", "", ""],
    ["3", "Điều tra xã hội học", "15", "", "", "", "", ""],
    ["3.1", "Hài lòng", "15", "", "", "", "", "x"],
    ["T", "Điểm thưởng", 2, "", "", "", "thưởng", ""],
]


def _xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_tree_is_imported_with_its_hierarchy(tree):
    saved = tree_import_xlsx(tree=tree, content=_xlsx(ROWS))
    by_code = {c.code: c for c in saved}
    assert by_code["1.1"].parent == by_code["1"] and by_code["1.1"].evidence_required
    assert by_code["1.1"].choice_points() == [10, 5, 0]
    assert by_code["3.1"].is_survey and by_code["T"].part == "bonus"


def test_bad_rows_are_all_listed_and_nothing_changes(tree):
    before = list(tree.criteria.values_list("code", flat=True))
    rows = [*ROWS, ["2.2", "Sai", "nhiều", "", "", "", "", ""], ["2.3", "Sai", 1, "bốc thăm", "", "", "", ""]]
    with pytest.raises(ValidationError) as refused:
        tree_import_xlsx(tree=tree, content=_xlsx(rows))
    assert refused.value.messages == [
        "Dòng 10: điểm tối đa “nhiều” không phải là số.",
        "Dòng 11: cách chấm hoặc loại điểm không rõ.",
    ]
    assert list(tree.criteria.values_list("code", flat=True)) == before


def test_a_file_whose_points_do_not_sum_is_refused(tree):
    before = tree.criteria.count()
    rows = [r if r[0] != "2.1" else ["2.1", "Công khai", 40, "", "", "", "", ""] for r in ROWS]
    with pytest.raises(ValidationError, match="các tiêu chí con cộng lại 40"):
        tree_import_xlsx(tree=tree, content=_xlsx(rows))
    assert tree.criteria.count() == before


def test_points_typed_as_text_are_read_in_vietnamese_marks_never_guessed(tree):
    """ "7,5" is seven and a half; "1.234" could be 1234 or 1.234: refused, not re-read as the latter."""
    rows = [list(row) for row in ROWS]
    rows[4][2] = "37,5"  # 2.1
    rows[3][2] = "45,0"  # area 2
    saved = tree_import_xlsx(tree=tree, content=_xlsx([*rows, ["2.2", "Một cửa", "7,5", "", "", "", "", ""]]))
    points = {item.code: item.max_points for item in saved}
    assert (points["2"], points["2.1"], points["2.2"]) == (45, Decimal("37.5"), Decimal("7.5"))
    rows[4][2] = "1.234"
    with pytest.raises(ValidationError) as refused:
        tree_import_xlsx(tree=tree, content=_xlsx(rows))
    assert "Dòng 6: điểm tối đa “1.234” không phải là số." in refused.value.messages
