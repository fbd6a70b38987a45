"""A report is a Vietnamese document whatever language the page that asks for it is read in."""

from __future__ import annotations

import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from reports.renderers.pdf import report_html
from reports.renderers.xlsx import render_xlsx
from reports.selectors import report_data
from targets.models import IndicatorStatus
from tasks.models import TaskState

pytestmark = pytest.mark.django_db


def test_a_report_gathered_and_rendered_in_english_is_the_vietnamese_document(seed_plan):
    with translation.override("vi"):
        vietnamese = report_html(report_data(plan=seed_plan, kind="year"))
    with translation.override("en"):
        data = report_data(plan=seed_plan, kind="year")
        english = report_html(data)
        annexes = load_workbook(io.BytesIO(render_xlsx(data)))
    assert english == vietnamese
    with translation.override("en"):
        assert str(TaskState.COMPLETED_ON_TIME.label) not in english  # "Completed on time"
    with translation.override("vi"):
        assert str(TaskState.COMPLETED_ON_TIME.label) in english  # "Hoàn thành đúng hạn"
        statuses = {str(status.label) for status in IndicatorStatus}
    cells = {str(cell.value) for sheet in annexes.worksheets for row in sheet.iter_rows() for cell in row if cell.value}
    assert statuses & cells  # the annex rates its indicators in Vietnamese
    with translation.override("en"):
        assert not {str(status.label) for status in IndicatorStatus} & cells
