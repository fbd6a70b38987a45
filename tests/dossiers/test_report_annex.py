"""Annex IV of the report from the one-stop rows: every column, a row per unit and the total, in PDF and Excel."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from dossiers.services import dossier_rows_import
from reports.models import ReportKind
from reports.renderers.pdf import report_html
from reports.renderers.xlsx import render_xlsx
from reports.selectors import ANNEX_IV_COLUMNS, report_data
from tests.dossiers.builders import parsed

pytestmark = pytest.mark.django_db


def _quarter_one(plan):
    dossier_rows_import(
        plan=plan,
        rows=[
            parsed("06184", 1),
            # February opens with January's 9 still open (6 + 1 + 1 + 1), 50 received, 45 resolved, 14 left open.
            parsed("06184", 2, carried_over=9, pending_on_time=10),
            parsed("06190", 3, resolved_early=45, resolved_on_time=0, resolved_late=0, apologised=0),
        ],
        source="test",
        user=None,
    )
    return report_data(plan=plan, kind=ReportKind.Q1)


def test_the_annex_sums_flows_and_takes_stocks_at_the_windows_ends(seed_plan):
    data = _quarter_one(seed_plan)
    rows = {row.unit: dict(zip([k for k, _h in ANNEX_IV_COLUMNS], row.counts, strict=True))
            for row in data.annex_dossier_counts}  # fmt: skip
    dong_dang = rows["Thị trấn Đồng Đăng"]
    assert dong_dang["carried_over"] == 5  # January's, not 5 + 9
    assert dong_dang["pending_on_time"] == 10  # February's, the last month
    assert (dong_dang["received"], dong_dang["resolved"], dong_dang["resolved_late"]) == (100, 90, 6)
    total = dict(zip([k for k, _h in ANNEX_IV_COLUMNS], data.annex_dossier_counts_total.counts, strict=True))
    assert (total["resolved"], total["resolved_early"], total["apologised"]) == (135, 85, 4)
    assert data.annex_dossier_counts_total.rates[0] == "95,6%"  # 129 of 135 early or on time
    assert data.dossier_periods == "T1–T3/2024"


def test_the_pdf_and_the_excel_annex_show_every_column_and_the_total(seed_plan):
    data = _quarter_one(seed_plan)
    html = report_html(data)
    for _key, header in ANNEX_IV_COLUMNS:
        assert f"<th>{header}</th>" in html
    assert "Tổng cộng" in html and "95,6%" in html
    book = load_workbook(io.BytesIO(render_xlsx(data)))
    sheet = book["PL IV - Hồ sơ TTHC"]
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[3][: len(ANNEX_IV_COLUMNS) + 1] == ["Đơn vị", *(h for _k, h in ANNEX_IV_COLUMNS)]
    assert values[-1][0] == "Tổng cộng" and values[-1][9] == 135
