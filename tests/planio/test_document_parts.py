"""The reader's parts on their own: deadlines as written, unit names shared by several units, the annex matching."""

from __future__ import annotations

import datetime

import pytest

from parplan.models import Unit
from planio.documents.deadlines import deadline_read
from planio.documents.drafting import plan_document_read
from planio.documents.unit_names import UnitDirectory
from tests.planio import shapes
from tests.planio.documents import docx_bytes


@pytest.mark.parametrize(
    ("text", "due", "recurrence"),
    [
        ("Quý II/2026", datetime.date(2026, 6, 30), ""),
        ("Quý IV", datetime.date(2026, 12, 31), ""),
        ("trước 30/6/2026", datetime.date(2026, 6, 30), ""),
        ("Trước ngày 15/11", datetime.date(2026, 11, 15), ""),
        ("Tháng 6", datetime.date(2026, 6, 30), ""),
        ("Tháng 6/2026", datetime.date(2026, 6, 30), ""),  # not "6/20": the month, in its year
        ("tháng 12/2026", datetime.date(2026, 12, 31), ""),
        ("Tháng 6 - tháng 9", datetime.date(2026, 9, 30), ""),  # a range ends with its last month
        ("6 tháng đầu năm", datetime.date(2026, 6, 30), ""),
        ("Năm 2026", datetime.date(2026, 12, 31), ""),
        ("Hằng tháng", None, "monthly"),
        ("Thường xuyên", None, ""),
    ],
)
def test_deadlines_as_plans_write_them(text, due, recurrence):
    deadline = deadline_read(text, 2026)
    assert (deadline.due_date, deadline.recurrence, deadline.understood) == (due, recurrence, True)


@pytest.mark.parametrize("text", ["Quý II/0000", "tháng 13", "ngày 31/02/2026", "sau khi có hướng dẫn"])
def test_a_deadline_that_is_no_date_is_said_so_not_guessed(text):
    deadline = deadline_read(text, 2026)
    assert (deadline.due_date, deadline.understood) == (None, False)


@pytest.mark.django_db
def test_a_name_several_units_share_is_the_issuers_own_or_reported_as_ambiguous(db):
    province = shapes.province_tree()
    Unit.objects.filter(code="T-HVT-VP").update(
        name="Văn phòng Sở"
    )  # the commune's office, named like the department's
    directory = UnitDirectory(Unit.objects.get(code="S-NV"))
    assert [unit.code for unit in directory.named("Văn phòng Sở")] == ["S-NV-VP"]
    shared = UnitDirectory(province).match("Văn phòng Sở")
    assert shared.codes == [] and list(shared.ambiguous) == ["Văn phòng Sở"]


@pytest.mark.django_db
def test_a_task_that_is_only_its_brackets_keeps_its_words_and_takes_no_annex_row(db):
    shapes.department_tree()
    lines = [*shapes.DEPARTMENT_PLAN[:13], "(3) (Chủ trì: Phòng Tổ chức biên chế)", *shapes.DEPARTMENT_PLAN[13:]]
    table = ([["STT", "Nội dung", "Cơ quan chủ trì", "Thời hạn"], ["1", "Rà soát văn bản quy phạm pháp luật",
                                                                  "Văn phòng Sở", "Quý III/2026"]],)  # fmt: skip
    read = plan_document_read(docx_bytes([*lines, table]), "ke-hoach.docx")
    tasks = read.data["areas"][0]["tasks"]
    assert (tasks[2]["text"], tasks[2]["lead_unit"]) == ("(Chủ trì: Phòng Tổ chức biên chế)", "S-NV-TCBC")
    assert (tasks[0]["lead_unit"], tasks[0]["due_date"]) == ("S-NV-VP", "2026-09-30")
