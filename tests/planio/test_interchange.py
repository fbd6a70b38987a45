from __future__ import annotations

import copy
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from parplan.models import Plan, Unit
from planio.interchange import PlanImportError, plan_export, plan_import
from targets.models import Indicator, IndicatorSnapshot, Target
from tasks.models import Task


def _row_counts() -> dict[str, int]:
    return {
        model._meta.db_table: model._default_manager.count() for model in apps.get_models(include_auto_created=True)
    }


def _export(plan: Plan) -> dict[str, Any]:
    # Through JSON, as a file would carry it.
    return json.loads(json.dumps(plan_export(plan), ensure_ascii=False))


def _reloaded(plan: Plan) -> Plan:
    return Plan.objects.get(pk=plan.pk)


# --- Export ---------------------------------------------------------------------


def test_export_has_plan_units_and_areas_at_top_level(seed_plan: Plan):
    document = _export(seed_plan)
    assert {"plan", "units", "areas"} <= document.keys()
    assert document["plan"]["issuing_unit"] == "183"
    assert document["plan"]["year"] == 2024


def test_exported_units_carry_code_name_kind_and_parent(seed_plan: Plan):
    units = {unit["code"]: unit for unit in _export(seed_plan)["units"]}
    assert units["06184"] == {"code": "06184", "name": "Thị trấn Đồng Đăng", "kind": "town", "parent": "183"}
    assert units["20"]["parent"] is None


def test_export_holds_the_issuer_its_ancestors_and_its_whole_subtree(seed_plan: Plan):
    codes = [unit["code"] for unit in _export(seed_plan)["units"]]
    assert sorted(codes) == sorted(Unit.objects.values_list("code", flat=True))


def test_exported_units_are_listed_in_their_display_order(seed_plan: Plan):
    # The importer numbers units by their place in the list; the list must keep that order.
    codes = [unit["code"] for unit in _export(seed_plan)["units"]]
    assert codes == list(Unit.objects.order_by("position", "path").values_list("code", flat=True))


def test_exported_areas_carry_number_name_targets_and_tasks(seed_plan: Plan):
    areas = _export(seed_plan)["areas"]
    assert [area["number"] for area in areas] == [1, 2, 3, 4, 5, 6, 7]
    area = areas[6]
    assert area["name"] == seed_plan.areas.get(number=7).name
    assert {"text", "indicators"} <= area["targets"][0].keys()
    assert {"text", "lead_unit", "coordinating_units", "due_date"} <= area["tasks"][0].keys()


def test_exported_targets_carry_their_indicators(seed_plan: Plan):
    target = _export(seed_plan)["areas"][6]["targets"][2]
    assert target["text"] == Target.objects.get(area__plan=seed_plan, area__number=7, position=3).text
    assert [(i["threshold"], i["applies_to_level"]) for i in target["indicators"]] == [
        ("85", "cấp huyện"),
        ("60", "cấp xã"),
    ]


def test_exported_tasks_name_units_by_code(seed_plan: Plan):
    task = _export(seed_plan)["areas"][1]["tasks"][5]
    assert task["lead_unit"] == "183-TP"
    assert task["coordinating_units"] == ["183-TTR"]
    assert task["due_date"] is None


def test_exported_due_date_is_iso(seed_plan: Plan):
    Task.objects.filter(area__plan=seed_plan, area__number=1, position=1).update(due_date="2024-06-30")
    assert _export(seed_plan)["areas"][0]["tasks"][0]["due_date"] == "2024-06-30"


# --- Round trips ----------------------------------------------------------------


def test_importing_an_export_into_the_same_database_changes_no_table(seed_plan: Plan):
    document = _export(seed_plan)
    before = _row_counts()
    plan_import(document)
    assert _row_counts() == before


def test_importing_an_export_into_the_same_database_exports_identically(seed_plan: Plan):
    document = _export(seed_plan)
    plan = plan_import(document)
    assert plan.pk == seed_plan.pk
    assert _export(plan) == document


def _without_latest_values(document: dict) -> dict:
    """The plan's definition only: "latest" reports evaluations and a task's "progress"
    where its work stands; both are read-only and go with the deleted plan."""
    document = copy.deepcopy(document)
    for area in document["areas"]:
        for task in area["tasks"]:
            task.pop("progress")
        for item in [*area["targets"], *area["tasks"]]:
            for indicator in item["indicators"]:
                indicator.pop("latest")
    return document


def test_export_delete_import_gives_back_the_same_document(seed_plan: Plan):
    document = _export(seed_plan)
    seed_plan.delete()
    assert not Plan.objects.filter(year=2024).exists()
    plan = plan_import(copy.deepcopy(document))
    assert _without_latest_values(_export(plan)) == _without_latest_values(document)


def test_export_gives_each_indicator_its_latest_authority_wide_status(seed_plan: Plan):
    areas = {area["number"]: area for area in _export(seed_plan)["areas"]}
    on_time = areas[3]["targets"][2]["indicators"][0]
    assert on_time["frequency"] == "monthly" and on_time["scope"] == "units"
    newest = (
        IndicatorSnapshot.objects.filter(indicator__area__plan=seed_plan, unit=seed_plan.issuing_unit)
        .filter(indicator__target__area__number=3, indicator__target__position=3)
        .order_by("-day")
        .first()
    )
    assert on_time["latest"] == {
        "day": newest.day.isoformat(),
        "value": f"{newest.value.normalize():f}",
        "status": newest.status,
    }
    hidden = areas[1]["tasks"][2]["indicators"][0]
    assert hidden["comparator"] == "gt" and hidden["threshold"] == "30" and hidden["source"] == "inspections"


def test_a_reimported_plan_grants_its_lead_units_their_rights_again(seed_plan: Plan, office_head):
    document = _export(seed_plan)
    seed_plan.delete()
    plan = plan_import(document)
    task = Task.objects.get(area__plan=plan, area__number=2, position=1)
    assert type(office_head).objects.get(pk=office_head.pk).has_perm("tasks.report_progress", task)


def test_a_changed_task_text_updates_that_task_with_one_history_record(seed_plan: Plan):
    document = _export(seed_plan)
    document["areas"][2]["tasks"][1]["text"] = "Nội dung nhiệm vụ đã sửa."
    task = Task.objects.get(area__plan=seed_plan, area__number=3, position=2)
    history_before = task.history.count()
    all_history_before = Task.history.count()

    plan_import(document)

    task.refresh_from_db()
    assert task.text == "Nội dung nhiệm vụ đã sửa."
    assert task.history.count() == history_before + 1
    assert Task.history.count() == all_history_before + 1


def test_a_removed_task_is_deleted_from_its_area(seed_plan: Plan):
    document = _export(seed_plan)
    del document["areas"][5]["tasks"][1]
    plan_import(document)
    assert seed_plan.areas.get(number=6).tasks.count() == 1


# --- All or nothing --------------------------------------------------------------


def _two_faults(document: dict[str, Any]) -> dict[str, Any]:
    document["areas"][0]["tasks"][0]["text"] = "Sửa hợp lệ, nhưng không được ghi vì tệp có lỗi."
    document["areas"][1]["tasks"][2]["lead_unit"] = "KHONG-CO"
    document["areas"][3]["tasks"][0]["due_date"] = "2024-02-30"
    return document


def test_import_rejects_a_file_naming_every_faulty_place(seed_plan: Plan):
    with pytest.raises(PlanImportError) as raised:
        plan_import(_two_faults(_export(seed_plan)))
    errors = raised.value.errors
    assert len(errors) == 2
    assert any("areas[1].tasks[2]" in e and "KHONG-CO" in e and "không có đơn vị" in e for e in errors)
    assert any("areas[3].tasks[0].due_date" in e and "ngày không hợp lệ" in e for e in errors)


def test_a_rejected_import_writes_no_row(seed_plan: Plan):
    before = _row_counts()
    with pytest.raises(PlanImportError):
        plan_import(_two_faults(_export(seed_plan)))
    assert _row_counts() == before
    assert not Task.objects.filter(text__startswith="Sửa hợp lệ").exists()


def test_import_rejects_a_document_that_is_not_an_object(db):
    with pytest.raises(PlanImportError, match="không phải một đối tượng JSON"):
        plan_import(["không", "phải", "kế hoạch"])


def test_import_rejects_a_document_of_another_format(seed_plan: Plan):
    document = _export(seed_plan)
    document["format"] = "something-else"
    with pytest.raises(PlanImportError, match="format"):
        plan_import(document)


# --- Commands ----------------------------------------------------------------------


def test_import_plan_command_rejects_a_file_that_is_not_json(db, tmp_path: Path):
    path = tmp_path / "plan.json"
    path.write_text("Kế hoạch CCHC năm 2024\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Tệp không phải JSON hợp lệ \\(dòng 1, cột 1\\)"):
        call_command("import_plan", str(path))


def test_import_plan_command_rejects_a_missing_file(db, tmp_path: Path):
    with pytest.raises(CommandError, match="Không đọc được tệp"):
        call_command("import_plan", str(tmp_path / "khong-co.json"))


def test_import_plan_command_lists_the_errors_of_a_faulty_file(seed_plan: Plan, tmp_path: Path):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(_two_faults(_export(seed_plan)), ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        call_command("import_plan", str(path))
    assert "Không nhập được kế hoạch" in str(raised.value)
    assert "areas[1].tasks[2]" in str(raised.value)
    assert "areas[3].tasks[0].due_date" in str(raised.value)


def test_import_plan_command_imports_a_valid_file(seed_plan: Plan, tmp_path: Path):
    document = _export(seed_plan)
    document["plan"]["number"] = "12"
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    out = io.StringIO()
    call_command("import_plan", str(path), stdout=out)
    assert "Đã nhập" in out.getvalue()
    assert _reloaded(seed_plan).number == "12"


def test_export_plan_command_fails_clearly_for_a_year_without_a_plan(db):
    with pytest.raises(CommandError, match="Không có kế hoạch năm 1999"):
        call_command("export_plan", "--year", "1999")


def test_export_plan_command_fails_clearly_for_an_unknown_unit(db):
    with pytest.raises(CommandError, match="Không có đơn vị mã “XYZ”"):
        call_command("export_plan", "--year", "2024", "--unit", "XYZ")


def test_export_plan_command_writes_a_json_file_of_the_plan(seed_plan: Plan, tmp_path: Path):
    path = tmp_path / "ke-hoach-2024.json"
    call_command("export_plan", "--year", "2024", "-o", str(path), stderr=io.StringIO())
    assert json.loads(path.read_text(encoding="utf-8")) == _export(seed_plan)


@pytest.mark.parametrize("threshold", ["NaN", "Infinity", "1e20"])
def test_import_rejects_a_threshold_the_database_cannot_hold(seed_plan: Plan, threshold: str):
    document = _export(seed_plan)
    document["areas"][2]["targets"][2]["indicators"][0]["threshold"] = threshold
    before = _row_counts()
    with pytest.raises(PlanImportError) as raised:
        plan_import(document)
    assert raised.value.errors == ["areas[2].targets[2].indicators[0].threshold: phải là một số."]
    assert _row_counts() == before


def test_import_rejects_a_unit_kind_without_a_name(seed_plan: Plan):
    document = _export(seed_plan)
    del document["unit_kinds"][0]["name"]
    with pytest.raises(PlanImportError) as raised:
        plan_import(document)
    assert [e for e in raised.value.errors if e.startswith("unit_kinds[0]")]


def test_import_rejects_a_responsibility_without_a_number(seed_plan: Plan):
    document = _export(seed_plan)
    del document["responsibilities"][1]["number"]
    with pytest.raises(PlanImportError) as raised:
        plan_import(document)
    assert [e for e in raised.value.errors if e.startswith("responsibilities[1]")]


def test_import_rejects_a_responsibility_that_is_not_an_object(seed_plan: Plan):
    document = _export(seed_plan)
    document["responsibilities"][0] = "Phòng Nội vụ"
    with pytest.raises(PlanImportError) as raised:
        plan_import(document)
    assert [e for e in raised.value.errors if e.startswith("responsibilities[0]")]


def test_import_rejects_a_negative_area_number(seed_plan: Plan):
    document = _export(seed_plan)
    document["areas"][0]["number"] = -1
    with pytest.raises(PlanImportError) as raised:
        plan_import(document)
    assert [e for e in raised.value.errors if e.startswith("areas[0]")]


def test_import_rejects_a_unit_that_is_its_own_parent(seed_plan: Plan):
    document = _export(seed_plan)
    index = next(i for i, unit in enumerate(document["units"]) if unit["code"] == "183-NV")
    document["units"][index]["parent"] = "183-NV"
    before = _row_counts()
    with pytest.raises(PlanImportError) as raised:
        plan_import(document)
    assert [e for e in raised.value.errors if e.startswith(f"units[{index}]") and "vòng lặp" in e]
    assert _row_counts() == before


def test_import_rejects_a_parent_cycle_through_units_already_stored(seed_plan: Plan):
    # The district under one of its own offices: both exist, so only the file closes the loop.
    document = _export(seed_plan)
    index = next(i for i, unit in enumerate(document["units"]) if unit["code"] == "183")
    document["units"][index]["parent"] = "183-NV"
    with pytest.raises(PlanImportError) as raised:
        plan_import(document)
    assert [e for e in raised.value.errors if "vòng lặp" in e]
    assert Unit.objects.get(code="183").parent.code == "20"


def test_import_rejects_text_longer_than_its_column(seed_plan: Plan):
    document = _export(seed_plan)
    document["units"][0]["name"] = "x" * 300
    document["areas"][0]["tasks"][0]["expected_output"] = "y" * 300
    with pytest.raises(PlanImportError) as raised:
        plan_import(document)
    assert any(e.startswith("units[0].name: dài quá 255 ký tự") for e in raised.value.errors)
    assert any(e.startswith("areas[0].tasks[0].expected_output: dài quá 255 ký tự") for e in raised.value.errors)


@pytest.mark.parametrize("bad", ["20240115", "15/01/2024", 20240115])
def test_import_accepts_only_iso_dates(seed_plan: Plan, bad):
    document = _export(seed_plan)
    document["plan"]["issue_date"] = bad
    with pytest.raises(PlanImportError) as raised:
        plan_import(document)
    assert "plan.issue_date: ngày không hợp lệ (dùng YYYY-MM-DD, một ngày có thật)." in raised.value.errors


@pytest.mark.parametrize("day", ["1900-01-01", "9999-12-31"])
def test_import_rejects_a_task_date_outside_the_plans_years(seed_plan: Plan, day: str):
    document = _export(seed_plan)
    document["areas"][0]["tasks"][0] |= {"start_date": None, "due_date": day}
    before = _row_counts()
    with pytest.raises(PlanImportError) as raised:
        plan_import(document)
    assert raised.value.errors == [
        "areas[0].tasks[0].due_date: Ngày phải trong khoảng 01/01/2023 – 31/12/2025 "
        "(năm kế hoạch 2024, thêm một năm trước và sau)."
    ]
    assert _row_counts() == before


@pytest.mark.parametrize("due_day", [None, 0, 32, "15"])
def test_import_rejects_a_recurring_task_without_a_due_day_of_the_month(seed_plan: Plan, due_day):
    document = _export(seed_plan)
    document["areas"][0]["tasks"][0] |= {"recurrence": "monthly", "recurrence_due_day": due_day}
    before = _row_counts()
    with pytest.raises(PlanImportError) as raised:
        plan_import(document)
    assert raised.value.errors == [
        "areas[0].tasks[0].recurrence_due_day: nhiệm vụ lặp lại cần ngày đến hạn trong kỳ, từ 1 đến 31."
    ]
    assert _row_counts() == before


def test_import_takes_a_recurring_task_with_its_due_day(seed_plan: Plan):
    document = _export(seed_plan)
    document["areas"][0]["tasks"][0] |= {"recurrence": "quarterly", "recurrence_due_day": 20}
    plan_import(document)
    task = Task.objects.get(area__plan=seed_plan, area__number=document["areas"][0]["number"], position=1)
    assert (task.recurrence, task.recurrence_due_day, task.occurrences.count()) == ("quarterly", 20, 4)


def test_import_rejects_recipients_given_as_one_string(seed_plan: Plan):
    document = _export(seed_plan)
    document["plan"]["recipients"] = "- Sở Nội vụ;"
    with pytest.raises(PlanImportError) as raised:
        plan_import(document)
    assert "plan.recipients: phải là danh sách." in raised.value.errors


# --- Share or achievement, counted or not (issue 10) ---------------------------------------------


def _indicator(document: dict[str, Any], area: int, target: int) -> dict[str, Any]:
    indicator: dict[str, Any] = document["areas"][area - 1]["targets"][target - 1]["indicators"][0]
    return indicator


def test_exported_indicators_say_whether_they_are_shares_or_achievements(seed_plan: Plan):
    document = _export(seed_plan)
    revenue, on_time, training = _indicator(document, 6, 3), _indicator(document, 3, 3), _indicator(document, 5, 3)
    assert (revenue["measure"], revenue["parts_counted"]) == ("achievement", False)
    assert (on_time["measure"], on_time["parts_counted"]) == ("share", True)
    assert (training["measure"], training["parts_counted"]) == ("achievement", True)


def test_a_file_written_before_measures_existed_still_imports(seed_plan: Plan):
    document = _export(seed_plan)
    for area in document["areas"]:
        for item in [*area["targets"], *area["tasks"]]:
            for indicator in item.get("indicators") or []:
                del indicator["measure"], indicator["parts_counted"]
    # Over the stored plan: what the file does not say stays as it is.
    plan_import(copy.deepcopy(document))
    revenue = Indicator.objects.get(area__plan=seed_plan, area__number=6, target__position=3)
    assert (revenue.measure, revenue.parts_counted) == ("achievement", False)
    # As a new plan: a share of counted things, the default.
    document["plan"] |= {"year": 2025, "status": "draft", "title": "Cải cách hành chính năm 2025"}
    copied = plan_import(document)
    revenue = Indicator.objects.get(area__plan=copied, area__number=6, target__position=3)
    assert (revenue.measure, revenue.parts_counted) == ("share", True)


def test_import_rejects_a_measure_and_thresholds_that_do_not_fit_the_indicator(seed_plan: Plan):
    document = _export(seed_plan)
    _indicator(document, 1, 1)["threshold"] = "2.5"  # the PAR index rank
    _indicator(document, 3, 3)["threshold"] = "101"  # a share of dossiers
    _indicator(document, 6, 3)["measure"] = "more"
    _indicator(document, 6, 1)["parts_counted"] = "no"
    before = _row_counts()
    with pytest.raises(PlanImportError) as raised:
        plan_import(document)
    assert raised.value.errors == [
        "areas[0].targets[0].indicators[0].threshold: Chỉ nhận số nguyên, không có phần thập phân (đã nhập “2,5”).",
        "areas[2].targets[2].indicators[0].threshold: Giá trị không được lớn hơn 100.",
        "areas[5].targets[0].indicators[0].parts_counted: phải là true hoặc false.",
        "areas[5].targets[2].indicators[0].measure: giá trị “more” không hợp lệ.",
    ]
    assert _row_counts() == before


def test_an_achievements_threshold_may_pass_100(seed_plan: Plan):
    document = _export(seed_plan)
    _indicator(document, 6, 3)["threshold"] = "110"
    plan_import(document)
    assert Indicator.objects.get(area__plan=seed_plan, area__number=6, target__position=3).threshold == 110
