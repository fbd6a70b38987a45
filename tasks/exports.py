"""The task list as an Excel workbook: a renderer fed rows, never querying itself."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from parplan.spreadsheets import append_row
from tasks.models import Task, TaskState

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from tasks.selectors import TaskListAnnotations

HEADERS = [
    (gettext_lazy("Số TT"), 8), (gettext_lazy("Lĩnh vực"), 10), (pgettext_lazy("column", "Nhiệm vụ"), 60),
    (gettext_lazy("Đơn vị chủ trì"), 30), (gettext_lazy("Số đơn vị phối hợp"), 12), (gettext_lazy("Ngày bắt đầu"), 14),
    (gettext_lazy("Hạn hoàn thành"), 14), (gettext_lazy("Tình trạng"), 24), (gettext_lazy("Tiến độ (%)"), 12),
    (gettext_lazy("Ngày hoàn thành"), 14), (gettext_lazy("Ngày xác nhận"), 14),
]  # fmt: skip
_FONT = "Times New Roman"


def task_list_xlsx(
    tasks: Iterable[WithAnnotations[Task, TaskListAnnotations]], *, title: str, generated: datetime.datetime
) -> bytes:
    """`tasks` as `tasks.selectors.task_list` annotates them."""
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = _("Nhiệm vụ")
    append_row(sheet, [title])
    sheet.append([_("Xuất lúc %(time)s") % {"time": f"{generated:%d/%m/%Y %H:%M}"}])
    sheet.append([str(name) for name, _width in HEADERS])
    for index, (_name, width) in enumerate(HEADERS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    states = dict(TaskState.choices)
    for task in tasks:
        append_row(sheet, [
            f"{task.area.number}.{task.position}", task.area.number, task.title,
            task.lead_unit.name if task.lead_unit else "", task.coordinating_count, task.start_date, task.due_date,
            str(states[task.state]), task.progress_percent, task.completed_on,
            task.confirmed_at.date() if task.confirmed_at else None,
        ])  # fmt: skip
    for row in sheet.iter_rows():
        for cell in row:
            cell.font = Font(name=_FONT, bold=cell.row in (1, 3), size=12)
            cell.alignment = Alignment(wrap_text=cell.column == 3, vertical="top")
            if isinstance(cell.value, datetime.date):
                cell.number_format = "DD/MM/YYYY"
    sheet.freeze_panes = "A4"
    sheet.print_title_rows = "3:3"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
