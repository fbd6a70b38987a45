"""`manage.py import_plan_document`: the reader from the command line (docs/plan-format.md)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from parplan.models import Plan
from planio.models import PlanDocument
from targets.models import Indicator
from tasks.models import Task
from tests.planio import shapes
from tests.planio.documents import seed_docx

pytestmark = pytest.mark.django_db


def _run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_plan_document", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_dry_run_writes_the_plan_file_with_its_warnings_and_saves_nothing(tmp_path: Path, seed_plan):
    source, target = tmp_path / "ke-hoach.docx", tmp_path / "ke-hoach.json"
    source.write_bytes(seed_docx())
    plans, documents = Plan.objects.count(), PlanDocument.objects.count()
    _, err = _run(str(source), "--issuer", "183", "--year", "2024", "--dry-run", "-o", str(target))
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["format"] == "parplan-plan" and data["plan"]["issuing_unit"] == "183"
    assert [len(area["tasks"]) for area in data["areas"]] == [4, 6, 8, 4, 7, 2, 6]
    assert {"code": "numbering_org", "block": 110} in [
        {"code": w["code"], "block": w["block"]} for w in data["warnings"]
    ]
    assert "Cảnh báo (đoạn 110): Số thứ tự mục tổ chức thực hiện nhảy từ 4 sang 6" in err
    assert (Plan.objects.count(), PlanDocument.objects.count()) == (plans, documents)


def test_without_dry_run_the_draft_plan_is_created_with_the_document_as_its_source(tmp_path: Path, media_root):
    shapes.commune_tree()
    source = tmp_path / "ke-hoach-xa.docx"
    source.write_bytes(shapes.commune_docx())
    out, _ = _run(str(source), "-o", str(tmp_path / "read.json"))
    plan = Plan.objects.get(issuing_unit__code="T-HVT", year=2026)
    assert plan.status == "draft" and "Đã tạo kế hoạch dự thảo" in out
    assert plan.source_document.original_name == "ke-hoach-xa.docx"
    assert plan.source_document.file.read() == source.read_bytes()
    assert Task.objects.filter(area__plan=plan).count() == 11
    assert Indicator.objects.of_plan(plan).count() == 8  # 7 targets' and the one in a task bullet
    milestone = Indicator.objects.get(area__plan=plan, area__number=4, target__position=1)
    assert milestone.due_date.isoformat() == "2026-06-30"  # "… trước ngày 30/6/2026"
    survey = Task.objects.get(area__plan=plan, text__startswith="Khảo sát sự hài lòng")
    assert (survey.lead_unit.code, survey.due_date.isoformat()) == ("T-HVT-PVHCC", "2026-11-30")


def test_a_second_run_does_not_write_over_the_plan_it_created(tmp_path: Path, media_root):
    shapes.commune_tree()
    source = tmp_path / "ke-hoach-xa.docx"
    source.write_bytes(shapes.commune_docx())
    _run(str(source), "-o", str(tmp_path / "read.json"))
    with pytest.raises(CommandError, match="Cơ quan này đã có kế hoạch năm 2026"):
        _run(str(source), "-o", str(tmp_path / "read.json"))
    assert PlanDocument.objects.filter(issuer__code="T-HVT").count() == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--issuer", "KHONG-CO"], "Không có đơn vị mã “KHONG-CO”."),
        ([], "Không xác định được cơ quan ban hành từ văn bản"),  # the seed's header names no issuer
    ],
)
def test_an_unknown_issuer_is_a_clear_error(tmp_path: Path, args, message):
    source = tmp_path / "ke-hoach.docx"
    source.write_bytes(seed_docx())
    with pytest.raises(CommandError, match=message):
        _run(str(source), "--dry-run", *args)


def test_a_file_that_is_not_a_document_is_refused_with_the_readers_message(tmp_path: Path):
    source = tmp_path / "ke-hoach.pdf"
    source.write_bytes(b"%PDF-1.7\n")
    with pytest.raises(CommandError, match="Tệp PDF không giữ được cấu trúc văn bản"):
        _run(str(source), "--issuer", "183", "--dry-run")
