"""Re-importing a plan keeps each task's work: tasks are matched by their key, not by their place."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from evidence.models import Evidence
from parplan.models import Plan
from planio.interchange import PlanImportError, plan_export, plan_import
from targets.models import Measurement, Target
from tasks.models import ProgressReport, Task
from tasks.services import task_report_progress
from tests.files import pdf_bytes

PDF = pdf_bytes()


@pytest.fixture
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def task_with_a_file(seed_plan: Plan, media_root: Path, commune_head) -> Task:
    """1.2 of the demo (in progress, led by an office) with one more report carrying a PDF."""
    task = Task.objects.get(area__plan=seed_plan, area__number=1, position=2)
    task_report_progress(
        task=task, user=commune_head, status="in_progress", percent=65, text="Đăng thêm 5 tin, bài.",
        files=[SimpleUploadedFile("Báo cáo.pdf", PDF, content_type="application/pdf")],
    )  # fmt: skip
    return task


def _export(plan: Plan) -> dict[str, Any]:
    return json.loads(json.dumps(plan_export(plan), ensure_ascii=False))


def _row_counts() -> dict[str, int]:
    return {
        model._meta.db_table: model._default_manager.count() for model in apps.get_models(include_auto_created=True)
    }


def _work(plan: Plan) -> dict[str, tuple]:
    """Everything a task's work is, by task key: its row's progress, reports, files and history."""
    tasks = Task.objects.filter(area__plan=plan)
    return {
        task.key: (
            task.pk,
            (
                task.status,
                task.progress_percent,
                task.progress_note,
                task.completed_on,
                task.claimed_at,
                task.confirmed_at,
                task.cancelled_at,
            ),
            sorted(ProgressReport.objects.filter(task=task).values_list("pk", "percent", "text")),
            sorted(Evidence.objects.filter(progress_report__task=task).values_list("pk", "file", "original_name")),
            set(task.history.values_list("history_id", flat=True)),
        )  # fmt: skip
        for task in tasks
    }


def _same_work_and_history_kept(before: dict[str, tuple], after: dict[str, tuple]) -> None:
    assert after.keys() == before.keys()
    for key, (pk, progress, reports, files, history) in before.items():
        assert after[key][:4] == (pk, progress, reports, files), key
        assert history <= after[key][4], key  # every old record is still there


def _reordered(document: dict[str, Any]) -> dict[str, Any]:
    document = copy.deepcopy(document)
    for area in document["areas"]:
        area["tasks"].reverse()
    return document


def _without_keys(document: dict[str, Any]) -> dict[str, Any]:
    document = copy.deepcopy(document)
    for area in document["areas"]:
        for task in area["tasks"]:
            task.pop("key")
    return document


def _keys_by_area(plan: Plan) -> dict[int, list[str]]:
    return {area["number"]: [task["key"] for task in area["tasks"]] for area in _export(plan)["areas"]}


# --- The key ---------------------------------------------------------------------------------


def test_each_exported_task_carries_its_key(seed_plan: Plan):
    exported = [task["key"] for area in _export(seed_plan)["areas"] for task in area["tasks"]]
    stored = Task.objects.filter(area__plan=seed_plan).order_by("area__number", "position")
    assert exported == list(stored.values_list("key", flat=True))
    assert len(set(exported)) == len(exported) == 37


def test_a_new_task_in_the_file_keeps_the_files_key(seed_plan: Plan):
    document = _export(seed_plan)
    document["areas"][0]["tasks"].append({"key": "tuyen-truyen-2024", "text": "Tổ chức cuộc thi tìm hiểu CCHC."})
    plan_import(document)
    task = Task.objects.get(area__plan=seed_plan, key="tuyen-truyen-2024")
    assert (task.area.number, task.text) == (1, "Tổ chức cuộc thi tìm hiểu CCHC.")


@pytest.mark.parametrize("key", ["có dấu", "a/b", "x" * 41, 12])
def test_a_malformed_key_is_refused_with_its_place(seed_plan: Plan, key):
    document = _export(seed_plan)
    document["areas"][1]["tasks"][0]["key"] = key
    with pytest.raises(PlanImportError) as raised:
        plan_import(document)
    assert raised.value.errors == ["areas[1].tasks[0].key: mã chỉ gồm chữ, số, “-” và “_”, tối đa 40 ký tự."]


def test_a_key_given_twice_is_refused(seed_plan: Plan):
    document = _export(seed_plan)
    document["areas"][2]["tasks"][1]["key"] = document["areas"][0]["tasks"][0]["key"]
    with pytest.raises(PlanImportError) as raised:
        plan_import(document)
    assert raised.value.errors == [
        f"areas[2].tasks[1].key: mã “{document['areas'][0]['tasks'][0]['key']}” trùng với areas[0].tasks[0].key."
    ]


# --- The exported demo plan, imported again -------------------------------------------------------


def test_reimporting_the_exported_demo_plan_keeps_every_tasks_progress_reports_history_and_files(
    seed_plan: Plan, task_with_a_file: Task
):
    before, counts = _work(seed_plan), _row_counts()
    plan_import(_export(seed_plan))
    assert _work(seed_plan) == before
    assert _row_counts() == counts


def test_reimporting_the_demo_plan_with_its_tasks_reordered_keeps_every_tasks_progress_reports_history_and_files(
    seed_plan: Plan, task_with_a_file: Task
):
    document = _reordered(_export(seed_plan))
    before = _work(seed_plan)
    plan_import(document)
    _same_work_and_history_kept(before, _work(seed_plan))
    assert _keys_by_area(seed_plan) == {area["number"]: [t["key"] for t in area["tasks"]] for area in document["areas"]}
    assert Evidence.objects.get(progress_report__task=task_with_a_file).file.read() == PDF


def test_a_reordered_task_gets_one_version_and_one_history_record(seed_plan: Plan):
    area = seed_plan.areas.get(number=1)
    before = {t.key: (t.version, t.history.count(), t.position) for t in area.tasks.all()}
    plan_import(_reordered(_export(seed_plan)))
    for task in area.tasks.all():
        version, records, position = before[task.key]
        moved = task.position != position
        assert (task.version, task.history.count()) == (version + moved, records + moved), task.key


def test_a_task_moved_to_another_area_keeps_its_reports(seed_plan: Plan, task_with_a_file: Task):
    document = _export(seed_plan)
    moved = document["areas"][0]["tasks"].pop(1)
    document["areas"][6]["tasks"].insert(0, moved)
    before = _work(seed_plan)
    plan_import(document)
    task = Task.objects.get(pk=task_with_a_file.pk)
    assert (task.area.number, task.position) == (7, 1)
    _same_work_and_history_kept(before, _work(seed_plan))


def test_reimporting_a_reordered_file_names_the_importer_and_the_reason(seed_plan: Plan, secretariat):
    plan_import(_reordered(_export(seed_plan)), user=secretariat)
    first = Task.objects.get(area__plan=seed_plan, area__number=1, position=1)
    latest = first.history.order_by("-history_date", "-history_id").first()
    assert (latest.history_user, latest.history_change_reason) == (secretariat, "Nhập kế hoạch từ tệp")


def test_a_changed_plan_field_is_recorded_with_the_importer(seed_plan: Plan, secretariat):
    document = _export(seed_plan)
    document["plan"]["number"] = "15"
    plan_import(document, user=secretariat)
    latest = Plan.objects.get(pk=seed_plan.pk).history.order_by("-history_date", "-history_id").first()
    assert (latest.number, latest.history_user, latest.history_change_reason) == (
        "15", secretariat, "Nhập kế hoạch từ tệp",
    )  # fmt: skip


# --- Files without keys ---------------------------------------------------------------------------


def test_a_file_without_keys_finds_reordered_tasks_by_their_text(seed_plan: Plan, task_with_a_file: Task):
    before = _work(seed_plan)
    plan_import(_without_keys(_reordered(_export(seed_plan))))
    _same_work_and_history_kept(before, _work(seed_plan))


def test_a_file_without_keys_finds_a_task_whose_text_changed_by_its_place(seed_plan: Plan, task_with_a_file: Task):
    document = _without_keys(_export(seed_plan))
    document["areas"][0]["tasks"][1]["text"] = "Tuyên truyền về CCHC (nội dung đã sửa)."
    before = _work(seed_plan)
    plan_import(document)
    task = Task.objects.get(pk=task_with_a_file.pk)
    assert task.text == "Tuyên truyền về CCHC (nội dung đã sửa)."
    _same_work_and_history_kept(before, _work(seed_plan))


def test_a_file_from_another_server_falls_back_to_text_for_keys_this_plan_does_not_know(
    seed_plan: Plan, task_with_a_file: Task
):
    document = _reordered(_export(seed_plan))
    for area in document["areas"]:
        for number, task in enumerate(area["tasks"]):
            task["key"] = f"may-chu-khac-{area['number']}-{number}"
    before = _work(seed_plan)
    plan_import(document)
    _same_work_and_history_kept(before, _work(seed_plan))


# --- Work is never deleted silently -----------------------------------------------------------------


def test_a_file_dropping_a_task_with_progress_is_refused_in_vietnamese_and_changes_nothing(
    seed_plan: Plan, task_with_a_file: Task
):
    document = _export(seed_plan)
    dropped = document["areas"][0]["tasks"].pop(1)
    document["areas"][0]["tasks"][0]["text"] = "Sửa hợp lệ, nhưng không được ghi vì tệp xóa mất tiến độ."
    counts = _row_counts()
    with pytest.raises(PlanImportError) as raised:
        plan_import(document)
    [error] = raised.value.errors
    assert error.startswith(f"Tệp không còn nhiệm vụ 1.2 “{task_with_a_file.title}” (key “{dropped['key']}”)")
    assert "--delete-tasks-with-progress" in error
    assert _row_counts() == counts


def test_a_file_without_keys_that_lost_a_task_with_progress_is_refused(seed_plan: Plan, task_with_a_file: Task):
    document = _without_keys(_export(seed_plan))
    del document["areas"][0]["tasks"][1]
    # By place, 1.3 would take 1.2's row; by text it is 1.3, and 1.2 is left to delete.
    with pytest.raises(PlanImportError, match="Tệp không còn nhiệm vụ 1.2"):
        plan_import(document)
    assert Task.objects.filter(pk=task_with_a_file.pk).exists()


def test_a_task_with_progress_is_deleted_with_allow_delete(seed_plan: Plan, task_with_a_file: Task):
    document = _export(seed_plan)
    del document["areas"][0]["tasks"][1]
    plan_import(document, allow_delete=True)
    assert not Task.objects.filter(pk=task_with_a_file.pk).exists()
    assert not ProgressReport.objects.filter(task_id=task_with_a_file.pk).exists()
    assert [t.position for t in seed_plan.areas.get(number=1).tasks.all()] == list(
        range(1, len(document["areas"][0]["tasks"]) + 1)
    )


def test_a_file_dropping_an_area_whose_tasks_have_progress_is_refused(seed_plan: Plan):
    document = _export(seed_plan)
    del document["areas"][0]
    counts = _row_counts()
    with pytest.raises(PlanImportError) as raised:
        plan_import(document)
    assert any(e.startswith("Tệp không còn nhiệm vụ 1.1 ") for e in raised.value.errors)
    assert _row_counts() == counts


def test_an_area_dropped_after_its_tasks_moved_elsewhere_keeps_them(seed_plan: Plan):
    document = _export(seed_plan)
    area_one = document["areas"].pop(0)
    document["areas"][0]["tasks"] += area_one["tasks"]
    before = _work(seed_plan)
    # Area 1's target has the demo's figures: dropping them takes allow_delete. A moved task
    # not matched would be deleted with it, and its work would be missing below.
    plan_import(document, allow_delete=True)
    assert not seed_plan.areas.filter(number=1).exists()
    _same_work_and_history_kept(before, _work(seed_plan))


def test_a_file_dropping_targets_with_figures_is_refused(seed_plan: Plan):
    # The demo has figures for every target of area 3 (demo/figures.py); the file keeps 3.1 and 3.2 only.
    document = _export(seed_plan)
    del document["areas"][2]["targets"][2:]
    counts = _row_counts()
    with pytest.raises(PlanImportError) as raised:
        plan_import(document)
    assert raised.value.errors == [
        f"Tệp không còn chỉ tiêu 3.{position}, nhưng chỉ tiêu này đã có số liệu. Để xóa cả số liệu, "
        "nhập lại với --delete-tasks-with-progress."
        for position in (3, 4, 5)
    ]
    assert _row_counts() == counts


def test_targets_with_figures_are_deleted_with_allow_delete(seed_plan: Plan):
    document = _export(seed_plan)
    del document["areas"][2]["targets"][2:]
    figures = Measurement.objects.filter(indicator__target__area__number=3, indicator__area__plan=seed_plan)
    dropped = set(figures.filter(indicator__target__position__gt=2).values_list("pk", flat=True))
    kept = set(figures.filter(indicator__target__position__lte=2).values_list("pk", flat=True))
    assert dropped and kept
    plan_import(document, allow_delete=True)
    assert list(Target.objects.filter(area__plan=seed_plan, area__number=3).values_list("position", flat=True)) == [
        1, 2,
    ]  # fmt: skip
    assert not Measurement.objects.filter(pk__in=dropped).exists()
    assert set(figures.values_list("pk", flat=True)) == kept


def test_a_dropped_task_without_work_is_deleted_quietly(seed_plan: Plan):
    document = _export(seed_plan)
    document["areas"][0]["tasks"].append({"text": "Nhiệm vụ thêm rồi bỏ."})
    plan_import(document)
    document["areas"][0]["tasks"].pop()
    plan_import(document)
    assert not Task.objects.filter(text="Nhiệm vụ thêm rồi bỏ.").exists()


def test_a_change_only_the_stored_task_can_refuse_is_reported_with_its_place(seed_plan: Plan):
    # 1.1 is confirmed in the demo: its units are kept.
    document = _export(seed_plan)
    document["areas"][0]["tasks"][0]["lead_unit"] = "183-TP"
    with pytest.raises(PlanImportError) as raised:
        plan_import(document)
    assert raised.value.errors == ["areas[0].tasks[0]: Nhiệm vụ đã được xác nhận hoàn thành, không thể thay đổi."]


def test_a_recurring_task_without_its_due_day_is_refused(seed_plan: Plan):
    document = _export(seed_plan)
    document["areas"][0]["tasks"][1] |= {"recurrence": "quarterly", "recurrence_due_day": None}
    with pytest.raises(PlanImportError) as raised:
        plan_import(document)
    assert raised.value.errors == [
        "areas[0].tasks[1].recurrence_due_day: nhiệm vụ lặp lại cần ngày đến hạn trong kỳ, từ 1 đến 31."
    ]


# --- The command ------------------------------------------------------------------------------------


def _file(tmp_path: Path, document: dict[str, Any]) -> str:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_import_plan_refuses_to_delete_a_task_with_progress(seed_plan: Plan, tmp_path: Path, task_with_a_file):
    document = _export(seed_plan)
    del document["areas"][0]["tasks"][1]
    with pytest.raises(CommandError, match="Tệp không còn nhiệm vụ 1.2"):
        call_command("import_plan", _file(tmp_path, document))
    assert Task.objects.filter(pk=task_with_a_file.pk).exists()


def test_import_plan_allow_delete_deletes_it(seed_plan: Plan, tmp_path: Path, task_with_a_file):
    document = _export(seed_plan)
    del document["areas"][0]["tasks"][1]
    call_command("import_plan", _file(tmp_path, document), "--allow-delete", stdout=io.StringIO())
    assert not Task.objects.filter(pk=task_with_a_file.pk).exists()


def test_import_plan_names_the_user_in_the_history(seed_plan: Plan, tmp_path: Path, secretariat):
    document = _export(seed_plan)
    document["areas"][0]["tasks"][1]["expected_output"] = "Tin, bài"
    call_command("import_plan", _file(tmp_path, document), "--user", "noivu", stdout=io.StringIO())
    task = Task.objects.get(area__plan=seed_plan, area__number=1, position=2)
    assert task.history.order_by("-history_date", "-history_id").first().history_user == secretariat


def test_import_plan_refuses_an_unknown_user(seed_plan: Plan, tmp_path: Path):
    with pytest.raises(CommandError, match="Không có người dùng “khong-co”"):
        call_command("import_plan", _file(tmp_path, _export(seed_plan)), "--user", "khong-co")


def test_export_then_import_plan_commands_keep_the_demo_plans_work(
    seed_plan: Plan, tmp_path: Path, task_with_a_file: Task
):
    path = tmp_path / "ke-hoach.json"
    call_command("export_plan", "--year", "2024", "-o", str(path), stderr=io.StringIO())
    document = _reordered(json.loads(path.read_text(encoding="utf-8")))
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    before = _work(seed_plan)
    call_command("import_plan", str(path), stdout=io.StringIO())
    _same_work_and_history_kept(before, _work(seed_plan))
