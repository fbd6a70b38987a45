"""import_plan checks the whole file before writing: each malformed file gets a Vietnamese message with its place.

Every case goes through the command, as the testers did, and asserts that no row
of any table changed. The demo's exported plan is the valid file each case breaks.
"""

from __future__ import annotations

import copy
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import CharField

from parplan.models import Plan, Unit
from planio.interchange import plan_export
from tasks.models import Task
from tests.files import pdf_bytes

Document = dict[str, Any]


@pytest.fixture(scope="module")
def exported(django_db_setup: Any, django_db_blocker: Any) -> Document:
    """The demo plan as a file, made once (each test changes a deep copy)."""
    with django_db_blocker.unblock():
        plan = Plan.objects.get(issuing_unit__code="183", year=2024)
        document: Document = json.loads(json.dumps(plan_export(plan), ensure_ascii=False))
    return document


@pytest.fixture
def document(exported: Document) -> Document:
    return copy.deepcopy(exported)


def _rows() -> dict[str, int]:
    return {m._meta.db_table: m._default_manager.count() for m in apps.get_models(include_auto_created=True)}


def _write(tmp_path: Path, content: bytes | str | Document) -> str:
    path = tmp_path / "ke-hoach.json"
    if isinstance(content, dict | list):
        content = json.dumps(content, ensure_ascii=False)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return str(path)


def _refused(path: str, *args: str) -> str:
    """The command's refusal; asserts that nothing at all was written."""
    before = _rows()
    with pytest.raises(CommandError) as error:
        call_command("import_plan", path, *args, stdout=io.StringIO())
    assert _rows() == before
    return str(error.value)


def _units(document: Document) -> list[Document]:
    units: list[Document] = document["units"]
    return units


# --- Files that are not a plan document at all ----------------------------------------------------

RAW_FILES: dict[str, tuple[Callable[[Document], bytes], str]] = {
    "truncated": (
        lambda d: json.dumps(d, ensure_ascii=False).encode()[:5000],
        "Tệp không phải JSON hợp lệ (dòng 1, cột",
    ),
    "empty": (lambda d: b"", "Tệp rỗng."),
    "only-spaces": (lambda d: b" \n\t\n", "Tệp rỗng."),
    "utf-16": (lambda d: json.dumps(d, ensure_ascii=False).encode("utf-16"), "bảng mã UTF-16; hãy lưu lại theo UTF-8"),
    "latin-1": (
        lambda d: json.dumps(d | {"ghi_chu": "Lạng Sơn"}, ensure_ascii=False).encode("cp1258", "replace"),
        "Tệp không phải văn bản UTF-8 (byte thứ",
    ),
    "huge-integer": (lambda d: b'{"format": "parplan-plan", "version": ' + b"9" * 5000 + b"}", "một số quá lớn"),
    "nan": (lambda d: b'{"format": "parplan-plan", "version": NaN}', "không phải số hữu hạn"),
    "deeply-nested": (lambda d: b"[" * 100_000 + b"]" * 100_000, "lồng nhau quá sâu"),
    "pdf-named-json": (lambda d: pdf_bytes(), "Tệp không phải"),
    "not-an-object": (lambda d: b'["k\xe1\xba\xbf ho\xe1\xba\xa1ch", 2024]', "Tệp không phải một đối tượng JSON."),
    "infinite-float": (lambda d: b'{"format": "parplan-plan", "version": 1e400}', "version: phải là số nguyên."),
}


@pytest.mark.parametrize("case", RAW_FILES)
def test_a_file_that_is_not_plan_json_is_refused_with_a_vietnamese_message(
    db: Any, document: Document, tmp_path: Path, case: str
) -> None:
    make, message = RAW_FILES[case]
    assert message in _refused(_write(tmp_path, make(document)))


def test_a_utf8_byte_order_mark_is_accepted(seed_plan: Plan, document: Document, tmp_path: Path) -> None:
    out = io.StringIO()
    path = _write(tmp_path, b"\xef\xbb\xbf" + json.dumps(document, ensure_ascii=False).encode())
    call_command("import_plan", path, "--dry-run", stdout=out)
    assert "Chạy thử (không ghi gì)" in out.getvalue()


# --- Documents of the wrong shape (planio/plan.schema.json) ----------------------------------------


def _set(path: str, value: Any) -> Callable[[Document], None]:
    """Put `value` at a dotted path with list indexes ("areas.0.tasks.1.due_date")."""

    def change(document: Document) -> None:
        *parents, last = path.split(".")
        target: Any = document
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[int(last) if last.isdigit() else last] = value

    return change


def _replace(document: Document, content: Document) -> None:
    document.clear()
    document.update(content)


def _duplicate_unit(document: Document) -> None:
    _units(document).append(dict(_units(document)[3], name="UBND trùng mã"))


def _duplicate_area(document: Document) -> None:
    document["areas"][2]["number"] = document["areas"][1]["number"]


def _duplicate_task_key(document: Document) -> None:
    document["areas"][1]["tasks"][0]["key"] = document["areas"][0]["tasks"][0]["key"]


def _duplicate_kind(document: Document) -> None:
    document["unit_kinds"].append(dict(document["unit_kinds"][0], name="Tỉnh (bản sao)"))


def _duplicate_responsibility(document: Document) -> None:
    document["responsibilities"][1]["number"] = document["responsibilities"][0]["number"]


def _indicator_path(document: Document) -> str:
    """The first target indicator of the exported plan, as a dotted path for _set."""
    for a, area in enumerate(document["areas"]):
        for t, target in enumerate(area["targets"]):
            if target.get("indicators"):
                return f"areas.{a}.targets.{t}.indicators.0"
    raise AssertionError("the demo plan has target indicators")


def _huge_threshold(document: Document) -> None:
    _set(f"{_indicator_path(document)}.threshold", "1e400")(document)


def _duplicate_indicator(document: Document) -> None:
    *_path, a, _t, t, _i, _zero = _indicator_path(document).split(".")
    indicators = document["areas"][int(a)]["targets"][int(t)]["indicators"]
    indicators.append(dict(indicators[0]))


def _cycle(document: Document) -> None:
    # The district under one of its own communes, which is under the district.
    units = {unit["code"]: unit for unit in _units(document)}
    units["183"]["parent"] = "06184"


def _nul(document: Document) -> None:
    document["areas"][0]["tasks"][2]["text"] = "Rà soát\x00 văn bản"


MALFORMED: dict[str, tuple[Callable[[Document], None], str]] = {
    "missing-keys": (
        lambda d: _replace(d, {"ke_hoach": 1}),
        "tệp: thiếu trường “format”, “plan”, “units”, “areas”.",
    ),
    "units-not-a-list": (_set("units", {"code": "183"}), "units: phải là danh sách."),
    "plan-not-an-object": (_set("plan", "Kế hoạch CCHC"), "plan: phải là đối tượng."),
    "areas-null": (_set("areas", None), "areas: phải là danh sách."),
    "wrong-format": (_set("format", "excel"), "format: phải là “parplan-plan”."),
    "integer-unit-code": (_set("units.1.code", 183), "units[1].code: phải là chuỗi ký tự."),
    "list-as-name": (_set("units.3.name", ["UBND", "xã"]), "units[3].name: phải là chuỗi ký tự."),
    "float-as-year": (_set("plan.year", 2024.5), "plan.year: phải là số nguyên."),
    "boolean-as-area-number": (_set("areas.0.number", True), "areas[0].number: phải là số nguyên."),
    "year-out-of-range": (_set("plan.year", 10**20), "plan.year: không được lớn hơn 2100."),
    "area-number-zero": (_set("areas.3.number", 0), "areas[3].number: phải từ 1 trở lên."),
    "day-40": (
        _set("areas.1.tasks.0.due_date", "2024-03-40"),
        "areas[1].tasks[0].due_date: ngày không hợp lệ (dùng YYYY-MM-DD, một ngày có thật).",
    ),
    "february-30": (
        _set("areas.2.tasks.1.start_date", "2024-02-30"),
        "areas[2].tasks[1].start_date: ngày không hợp lệ (dùng YYYY-MM-DD, một ngày có thật).",
    ),
    "date-without-dashes": (
        _set("plan.issue_date", "20240115"),
        "plan.issue_date: ngày không hợp lệ (dùng YYYY-MM-DD, một ngày có thật).",
    ),
    "date-outside-the-plan-year": (_set("areas.0.tasks.0.due_date", "2031-06-30"), "areas[0].tasks[0].due_date: "),
    "recurrence-day-40": (
        _set("areas.0.tasks.0.recurrence_due_day", 40),
        "areas[0].tasks[0].recurrence_due_day: ngày đến hạn phải từ 1 đến 31.",
    ),
    "title-too-long": (_set("plan.title", "Kế hoạch " * 60), "plan.title: dài quá 500 ký tự."),
    "unit-name-too-long": (_set("units.2.name", "Ủy ban " * 40), "units[2].name: dài quá 255 ký tự."),
    "task-output-too-long": (
        _set("areas.0.tasks.3.expected_output", "Báo cáo " * 40),
        "areas[0].tasks[3].expected_output: dài quá 255 ký tự.",
    ),
    "missing-task-text": (lambda d: d["areas"][0]["tasks"][1].pop("text"), "areas[0].tasks[1]: thiếu trường “text”."),
    "duplicate-unit-code": (_duplicate_unit, "trùng với units[3]."),
    "duplicate-area-number": (_duplicate_area, "areas[2].number: “2” trùng với areas[1]."),
    "duplicate-task-key": (_duplicate_task_key, "trùng với areas[0].tasks[0].key."),
    "duplicate-indicator": (_duplicate_indicator, "].indicators[0]."),
    "duplicate-unit-kind": (_duplicate_kind, "trùng với unit_kinds[0]."),
    "duplicate-responsibility": (_duplicate_responsibility, "responsibilities[1].number: “1” trùng với"),
    "unknown-lead-unit": (_set("areas.0.tasks.0.lead_unit", "KHONG-CO"), "không có đơn vị mã “KHONG-CO”."),
    "unknown-parent": (_set("units.5.parent", "KHONG-CO"), "units[5]: đơn vị cấp trên “KHONG-CO” không có trong tệp."),
    "unknown-issuer": (_set("plan.issuing_unit", "999"), "plan.issuing_unit: không có đơn vị mã “999”."),
    "cycle": (_cycle, "nằm dưới chính nó (cây đơn vị có vòng lặp)."),
    "nul-character": (_nul, "areas[0].tasks[2].text: chứa ký tự NUL"),
    "huge-threshold": (_huge_threshold, ".threshold: phải là một số."),
    "unknown-status": (_set("plan.status", "xong"), "plan.status: trạng thái không hợp lệ."),
}


@pytest.mark.parametrize("case", MALFORMED)
def test_a_malformed_plan_is_refused_with_its_place_and_nothing_is_written(
    seed_plan: Plan, document: Document, tmp_path: Path, case: str
) -> None:
    change, message = MALFORMED[case]
    change(document)
    refusal = _refused(_write(tmp_path, document))
    assert refusal.startswith("Không nhập được kế hoạch:\n  - ")
    assert message in refusal


def test_every_problem_of_a_file_is_listed_at_once(seed_plan: Plan, document: Document, tmp_path: Path) -> None:
    _set("units.1.code", 183)(document)
    _set("areas.1.tasks.0.due_date", "2024-03-40")(document)
    _set("plan.title", "x" * 501)(document)
    refusal = _refused(_write(tmp_path, document))
    assert refusal.count("\n  - ") == 3


def test_an_integer_unit_code_creates_no_second_unit(seed_plan: Plan, document: Document, tmp_path: Path) -> None:
    _set("units.0.code", 20)(document)
    _refused(_write(tmp_path, document))
    assert Unit.objects.filter(code="20").count() == 1


# --- The size limit ---------------------------------------------------------------------------------


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(
    db: Any, settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.PARPLAN_IMPORT_MAX_MB = 1
    path = Path(_write(tmp_path, b"[" + b"0," * (600 * 1024) + b"0]"))
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("the file was read"))
    assert "Tệp quá lớn (1,2 MB); tối đa 1 MB (PARPLAN_IMPORT_MAX_MB)." in _refused(str(path))


def test_a_file_at_the_size_limit_is_read(seed_plan: Plan, document: Document, settings: Any, tmp_path: Path) -> None:
    settings.PARPLAN_IMPORT_MAX_MB = 1
    text = json.dumps(document, ensure_ascii=False)
    # Padded to exactly 1 MB with a key the importer ignores.
    padding = 1024 * 1024 - len(text.encode()) - len(', "ghi_chu": ""')
    path = _write(tmp_path, text[:-1] + ', "ghi_chu": "' + "x" * padding + '"}')
    assert Path(path).stat().st_size == 1024 * 1024
    out = io.StringIO()
    call_command("import_plan", path, "--dry-run", stdout=out)
    assert "nhiệm vụ: tạo 0, sửa 0, xóa 0" in out.getvalue()


# --- Dry run and deleting work ------------------------------------------------------------------


def test_a_dry_run_prints_what_would_change_and_writes_nothing(
    seed_plan: Plan, document: Document, tmp_path: Path
) -> None:
    document["areas"][0]["tasks"][0]["text"] += " Bổ sung."
    document["areas"][0]["tasks"].append({"text": "Nhiệm vụ mới trong tệp."})
    document["units"].append({"code": "183-MOI", "name": "Phòng mới", "kind": "office", "parent": "183"})
    before = _rows()
    out = io.StringIO()
    call_command("import_plan", _write(tmp_path, document), "--dry-run", stdout=out)
    assert _rows() == before
    lines = out.getvalue().splitlines()
    assert lines[0] == "Chạy thử (không ghi gì): Cải cách hành chính huyện Cao Lộc năm 2024 (2024)."
    assert "  đơn vị: tạo 1, sửa 0, xóa 0" in lines
    assert "  nhiệm vụ: tạo 1, sửa 1, xóa 0" in lines


def test_a_real_import_prints_the_same_account(seed_plan: Plan, document: Document, tmp_path: Path) -> None:
    document["areas"][0]["tasks"][0]["text"] += " Bổ sung."
    out = io.StringIO()
    call_command("import_plan", _write(tmp_path, document), stdout=out)
    assert "  nhiệm vụ: tạo 0, sửa 1, xóa 0" in out.getvalue().splitlines()
    assert Task.objects.filter(area__plan=seed_plan, text=document["areas"][0]["tasks"][0]["text"]).exists()


def _without_task_1_2(document: Document) -> str:
    key: str = document["areas"][0]["tasks"][1]["key"]
    del document["areas"][0]["tasks"][1]
    return key


def test_deleting_a_task_with_progress_is_refused_and_named(
    seed_plan: Plan, document: Document, tmp_path: Path
) -> None:
    task = Task.objects.get(area__plan=seed_plan, area__number=1, position=2)
    assert task.progress_percent > 0  # the demo's 1.2 is under way
    key = _without_task_1_2(document)
    refusal = _refused(_write(tmp_path, document))
    assert f"Tệp không còn nhiệm vụ 1.2 “{task.title}” (key “{key}”)" in refusal
    assert "--delete-tasks-with-progress" in refusal


def test_a_dry_run_also_refuses_to_delete_a_task_with_progress(
    seed_plan: Plan, document: Document, tmp_path: Path
) -> None:
    _without_task_1_2(document)
    assert "Tệp không còn nhiệm vụ 1.2" in _refused(_write(tmp_path, document), "--dry-run")


def test_the_flag_deletes_a_task_with_progress(seed_plan: Plan, document: Document, tmp_path: Path) -> None:
    key = _without_task_1_2(document)
    out = io.StringIO()
    call_command("import_plan", _write(tmp_path, document), "--delete-tasks-with-progress", stdout=out)
    assert not Task.objects.filter(area__plan=seed_plan, key=key).exists()
    assert "  nhiệm vụ: tạo 0, sửa " in out.getvalue()
    assert ", xóa 1" in next(line for line in out.getvalue().splitlines() if "nhiệm vụ:" in line)


def test_the_flag_with_a_dry_run_deletes_nothing(seed_plan: Plan, document: Document, tmp_path: Path) -> None:
    key = _without_task_1_2(document)
    before = _rows()
    out = io.StringIO()
    call_command("import_plan", _write(tmp_path, document), "--delete-tasks-with-progress", "--dry-run", stdout=out)
    assert _rows() == before
    assert Task.objects.filter(area__plan=seed_plan, key=key).exists()


# --- The schema file agrees with the models -----------------------------------------------------------


def _with_max_length(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, dict):
        own = [node] if "maxLength" in node and "x-column" in node else []
        return own + [found for value in node.values() for found in _with_max_length(value)]
    if isinstance(node, list):
        return [found for value in node for found in _with_max_length(value)]
    return []


def test_the_schemas_lengths_are_the_columns_lengths() -> None:
    from planio.schema import plan_schema

    columns = _with_max_length(plan_schema())
    assert len(columns) > 30
    for node in columns:
        app_model, _dot, field_name = node["x-column"].rpartition(".")
        field = apps.get_model(app_model)._meta.get_field(field_name)
        assert isinstance(field, CharField), node["x-column"]
        assert node["maxLength"] == field.max_length, node["x-column"]


def test_every_length_in_the_schema_names_its_column() -> None:
    from planio.schema import plan_schema

    def walk(node: Any, where: str) -> list[str]:
        if isinstance(node, dict):
            missing = [where] if "maxLength" in node and "x-column" not in node and where != "$defs.decimal" else []
            return missing + [m for key, value in node.items() for m in walk(value, f"{where}.{key}".lstrip("."))]
        return []

    assert walk(plan_schema(), "") == []
