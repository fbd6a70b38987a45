"""tasks.services.progress: the lead unit's reports, contributions, completion claimed / confirmed / returned."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from parplan.models import Unit
from tasks.models import ProgressReport, ProgressStatus, ReportRole, Task, TaskState
from tasks.notices import TaskNotice
from tasks.services import (
    task_claim_completion,
    task_confirm_completion,
    task_contribute,
    task_report_progress,
    task_return_completion,
    tasks_mark_overdue,
)
from tests.tasks.builders import (
    DAY,
    DUE,
    TODAY,
    claimed,
    due_on,
    fresh,
    new_task,
    notices_about,
    pdf,
    png,
    row_counts,
)

NOTE = "Đã rà soát 12 thủ tục, công khai tại bộ phận một cửa."


def _report(task: Task, user, **values) -> ProgressReport:
    arguments: dict[str, Any] = {"status": ProgressStatus.IN_PROGRESS, "percent": 40, "text": NOTE} | values
    return task_report_progress(task=task, user=user, **arguments)


def _stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


# --- task_report_progress ------------------------------------------------------------


def test_a_report_sets_the_tasks_percent_status_and_note(commune_led_task: Task, commune_staff):
    _report(commune_led_task, commune_staff, percent=40, text=f"  {NOTE}  ")
    task = fresh(commune_led_task)
    assert (task.progress_percent, task.status, task.progress_note) == (40, ProgressStatus.IN_PROGRESS, NOTE)


def test_a_report_is_kept_as_the_lead_units_with_its_author(commune_led_task: Task, commune_staff, dong_dang: Unit):
    report = _report(commune_led_task, commune_staff)
    assert (report.unit, report.role, report.author, report.percent) == (dong_dang, ReportRole.LEAD, commune_staff, 40)


def test_a_report_bumps_the_tasks_version(commune_led_task: Task, commune_staff):
    version = fresh(commune_led_task).version
    _report(commune_led_task, commune_staff)
    assert fresh(commune_led_task).version == version + 1


def test_a_reports_evidence_is_stored_under_the_report_with_a_safe_name(
    commune_led_task: Task, commune_staff, media_root: Path
):
    report = _report(commune_led_task, commune_staff, files=[pdf("Báo cáo Quý III.pdf"), png()])
    evidence = list(report.evidence.order_by("pk"))
    assert [(e.original_name, e.file.name) for e in evidence] == [
        ("Báo cáo Quý III.pdf", f"evidence/tasks.progressreport/{report.pk}/bao-cao-quy-iii.pdf"),
        ("Ảnh hội nghị.png", f"evidence/tasks.progressreport/{report.pk}/anh-hoi-nghi.png"),
    ]
    assert (media_root / evidence[0].file.name).read_bytes().startswith(b"%PDF-")


def test_a_reports_evidence_records_who_uploaded_it(commune_led_task: Task, commune_staff, media_root: Path):
    report = _report(commune_led_task, commune_staff, files=[pdf()])
    assert report.evidence.get().uploaded_by == commune_staff


@pytest.mark.parametrize("percent", [0, 99])
def test_progress_at_the_bounds_below_completion_is_accepted(commune_led_task: Task, commune_staff, percent: int):
    _report(commune_led_task, commune_staff, percent=percent)
    assert fresh(commune_led_task).progress_percent == percent


@pytest.mark.parametrize("percent", [101, 150, -1])
def test_progress_outside_0_to_100_is_refused_in_vietnamese(commune_led_task: Task, commune_staff, percent: int):
    with pytest.raises(ValidationError) as raised:
        _report(commune_led_task, commune_staff, percent=percent)
    assert raised.value.message_dict == {"percent": ["Tiến độ phải từ 0 đến 100%."]}


def test_refused_progress_writes_no_row_and_no_file(commune_led_task: Task, commune_staff, media_root: Path):
    before = row_counts()
    with pytest.raises(ValidationError):
        _report(commune_led_task, commune_staff, percent=101, files=[pdf()])
    assert row_counts() == before
    assert _stored_files(media_root) == []
    assert fresh(commune_led_task).progress_percent == 0


def test_one_hundred_percent_is_sent_to_the_completion_claim(commune_led_task: Task, commune_staff):
    with pytest.raises(ValidationError) as raised:
        _report(commune_led_task, commune_staff, percent=100)
    assert raised.value.message_dict == {
        "percent": ["Đạt 100% thì dùng nút “Báo hoàn thành” để Phòng Nội vụ xác nhận."]
    }


def test_a_report_cannot_set_the_completed_status(commune_led_task: Task, commune_staff):
    with pytest.raises(ValidationError) as raised:
        _report(commune_led_task, commune_staff, status=ProgressStatus.COMPLETED, percent=90)
    assert raised.value.message_dict == {"status": ["Tình trạng không hợp lệ."]}


def test_a_report_without_text_is_refused(commune_led_task: Task, commune_staff):
    with pytest.raises(ValidationError) as raised:
        _report(commune_led_task, commune_staff, text="  ")
    assert raised.value.message_dict == {"text": ["Cần ghi kết quả thực hiện."]}


def test_evidence_of_a_type_not_allowed_is_refused_in_vietnamese(commune_led_task: Task, commune_staff):
    script = SimpleUploadedFile("cai-dat.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    with pytest.raises(ValidationError) as raised:
        _report(commune_led_task, commune_staff, files=[script])
    assert raised.value.message_dict == {
        "files": ["Tệp “cai-dat.exe” không đúng định dạng cho phép (pdf, docx, xlsx, jpg, jpeg, png)."]
    }


def test_evidence_whose_content_is_not_its_type_is_refused(commune_led_task: Task, commune_staff):
    with pytest.raises(ValidationError) as raised:
        _report(commune_led_task, commune_staff, files=[pdf("bao-cao.pdf", b"<html>not a pdf</html>")])
    assert raised.value.message_dict == {"files": ["Nội dung tệp “bao-cao.pdf” không phải là tệp PDF hợp lệ."]}


def test_oversized_evidence_is_refused_with_the_limit(commune_led_task: Task, commune_staff, settings):
    settings.PARPLAN_MAX_UPLOAD_MB = 1
    big = pdf("bao-cao.pdf", b"%PDF-" + b"0" * (1024 * 1024))
    with pytest.raises(ValidationError) as raised:
        _report(commune_led_task, commune_staff, files=[big])
    assert raised.value.message_dict == {"files": ["Tệp “bao-cao.pdf” quá lớn (1,0 MB); tối đa 1 MB."]}


def test_one_bad_file_among_good_ones_saves_nothing(commune_led_task: Task, commune_staff, media_root: Path):
    before = row_counts()
    bad = SimpleUploadedFile("ghi-chu.txt", b"text", content_type="text/plain")
    with pytest.raises(ValidationError):
        _report(commune_led_task, commune_staff, files=[pdf(), bad, png()])
    assert row_counts() == before
    assert _stored_files(media_root) == []


def test_a_report_while_awaiting_confirmation_is_refused(commune_led_task: Task, commune_staff, commune_head):
    claimed(commune_led_task, head=commune_head, on=TODAY)
    with pytest.raises(ValidationError) as raised:
        _report(commune_led_task, commune_staff)
    assert raised.value.messages == ["Nhiệm vụ đang chờ xác nhận hoàn thành; chờ Phòng Nội vụ xác nhận hoặc trả lại."]


def test_a_report_on_a_confirmed_task_is_refused(commune_led_task: Task, commune_staff, commune_head, secretariat):
    claimed(commune_led_task, head=commune_head, on=TODAY)
    task_confirm_completion(task=commune_led_task, user=secretariat, today=TODAY)
    with pytest.raises(ValidationError) as raised:
        _report(commune_led_task, commune_staff)
    assert raised.value.messages == ["Nhiệm vụ đã được xác nhận hoàn thành, không thể thay đổi."]


def test_a_report_on_a_task_without_a_lead_unit_is_refused_in_vietnamese(seed_plan, secretariat):
    # The secretariat holds report_progress on every task, assigned or not.
    unassigned = new_task(seed_plan, user=secretariat, lead=None)
    before = row_counts()
    with pytest.raises(ValidationError) as raised:
        _report(unassigned, secretariat)
    assert raised.value.messages == ["Nhiệm vụ chưa có đơn vị chủ trì; cần phân công trước khi báo cáo tiến độ."]
    assert row_counts() == before


# --- task_contribute ------------------------------------------------------------------


def test_a_coordinating_unit_reports_its_own_contribution(commune_led_task: Task, other_commune_head, bao_lam: Unit):
    report = task_contribute(task=commune_led_task, unit=bao_lam, user=other_commune_head, text="Đã gửi số liệu.")
    assert (report.unit, report.role, report.percent, report.status) == (bao_lam, ReportRole.COORDINATING, None, "")


def test_a_contribution_leaves_the_tasks_progress_and_version(
    commune_led_task: Task, other_commune_head, bao_lam: Unit
):
    before = fresh(commune_led_task)
    task_contribute(task=commune_led_task, unit=bao_lam, user=other_commune_head, text="Đã gửi số liệu.")
    after = fresh(commune_led_task)
    assert (after.progress_percent, after.status, after.version) == (0, ProgressStatus.NOT_STARTED, before.version)


def test_a_contribution_may_carry_evidence(commune_led_task: Task, other_commune_head, bao_lam: Unit, media_root):
    report = task_contribute(
        task=commune_led_task, unit=bao_lam, user=other_commune_head, text="Đã gửi số liệu.", files=[pdf()]
    )
    assert [e.original_name for e in report.evidence.all()] == ["Báo cáo Quý III.pdf"]


def test_a_contributions_evidence_records_who_uploaded_it(
    commune_led_task: Task, other_commune_head, bao_lam: Unit, media_root
):
    report = task_contribute(
        task=commune_led_task, unit=bao_lam, user=other_commune_head, text="Đã gửi số liệu.", files=[pdf()]
    )
    assert report.evidence.get().uploaded_by == other_commune_head


def test_a_unit_not_coordinating_the_task_cannot_contribute(commune_led_task: Task, office_head, tu_phap: Unit):
    before = row_counts()
    with pytest.raises(ValidationError) as raised:
        task_contribute(task=commune_led_task, unit=tu_phap, user=office_head, text="Đã góp ý.")
    assert raised.value.messages == ["“Phòng Tư pháp” không phải đơn vị phối hợp của nhiệm vụ này."]
    assert row_counts() == before


def test_a_contribution_without_text_is_refused(commune_led_task: Task, other_commune_head, bao_lam: Unit):
    with pytest.raises(ValidationError) as raised:
        task_contribute(task=commune_led_task, unit=bao_lam, user=other_commune_head, text=" ")
    assert raised.value.message_dict == {"text": ["Cần ghi nội dung đã phối hợp thực hiện."]}


# --- Completion: claim, confirm, return -----------------------------------------------------


def test_a_claim_completes_the_task_on_the_day_given(commune_led_task: Task, commune_head):
    task_claim_completion(task=commune_led_task, user=commune_head, today=TODAY, text="Đã hoàn thành.")
    task = fresh(commune_led_task)
    assert (task.completed_on, task.status, task.progress_percent, task.claimed_by) == (
        TODAY, ProgressStatus.COMPLETED, 100, commune_head,
    )  # fmt: skip


def test_a_claim_on_a_task_without_a_lead_unit_is_refused_in_vietnamese(seed_plan, secretariat):
    unassigned = new_task(seed_plan, user=secretariat, lead=None)
    with pytest.raises(ValidationError) as raised:
        task_claim_completion(task=unassigned, user=secretariat, today=TODAY, text="Đã hoàn thành.")
    assert raised.value.messages == ["Nhiệm vụ chưa có đơn vị chủ trì; cần phân công trước khi báo cáo tiến độ."]
    assert fresh(unassigned).claimed_at is None


def test_a_claimed_task_awaits_confirmation(commune_led_task: Task, commune_head):
    claimed(commune_led_task, head=commune_head, on=TODAY)
    assert fresh(commune_led_task).state_on(TODAY) == TaskState.AWAITING_CONFIRMATION


def test_a_claim_is_kept_as_a_100_percent_report(commune_led_task: Task, commune_head):
    task_claim_completion(task=commune_led_task, user=commune_head, today=TODAY, text="  Đã niêm yết 25 thủ tục.  ")
    report = commune_led_task.reports.get()
    assert (report.percent, report.status, report.text) == (100, ProgressStatus.COMPLETED, "Đã niêm yết 25 thủ tục.")


def test_a_claim_tells_the_secretariat(commune_led_task: Task, commune_head):
    claimed(commune_led_task, head=commune_head, on=TODAY)
    assert notices_about(commune_led_task, TaskNotice.CLAIMED) == {("noivu", TaskNotice.CLAIMED)}


def test_a_second_claim_is_refused(commune_led_task: Task, commune_head):
    claimed(commune_led_task, head=commune_head, on=TODAY)
    with pytest.raises(ValidationError) as raised:
        claimed(commune_led_task, head=commune_head, on=TODAY)
    assert raised.value.messages == ["Nhiệm vụ đã được báo hoàn thành, đang chờ xác nhận."]


def test_a_claim_clears_the_overdue_mark(commune_led_task: Task, commune_head, secretariat):
    due_on(commune_led_task, TODAY - DAY, user=secretariat)
    tasks_mark_overdue(today=TODAY)
    claimed(commune_led_task, head=commune_head, on=TODAY)
    assert fresh(commune_led_task).overdue_since is None


def test_confirming_an_unclaimed_task_is_refused(commune_led_task: Task, secretariat):
    with pytest.raises(ValidationError) as raised:
        task_confirm_completion(task=commune_led_task, user=secretariat, today=TODAY)
    assert raised.value.messages == ["Đơn vị chưa báo hoàn thành nhiệm vụ này."]


def test_a_confirmation_records_who_confirmed(commune_led_task: Task, commune_head, secretariat):
    claimed(commune_led_task, head=commune_head, on=TODAY)
    task_confirm_completion(task=commune_led_task, user=secretariat, today=TODAY)
    task = fresh(commune_led_task)
    assert (task.confirmed_by, task.confirmed_at is not None) == (secretariat, True)


def test_a_confirmation_tells_the_lead_units_people(commune_led_task: Task, commune_head, secretariat):
    claimed(commune_led_task, head=commune_head, on=TODAY)
    task_confirm_completion(task=commune_led_task, user=secretariat, today=TODAY)
    assert notices_about(commune_led_task, TaskNotice.CONFIRMED) == {
        ("dongdang.lanhdao", TaskNotice.CONFIRMED),
        ("dongdang.canbo", TaskNotice.CONFIRMED),
    }


def test_a_confirmed_task_cannot_be_confirmed_again(commune_led_task: Task, commune_head, secretariat):
    claimed(commune_led_task, head=commune_head, on=TODAY)
    task_confirm_completion(task=commune_led_task, user=secretariat, today=TODAY)
    with pytest.raises(ValidationError) as raised:
        task_confirm_completion(task=commune_led_task, user=secretariat, today=TODAY)
    assert raised.value.messages == ["Nhiệm vụ đã được xác nhận hoàn thành, không thể thay đổi."]


@pytest.mark.parametrize("comment", ["", "  "])
def test_returning_without_a_comment_is_refused_and_writes_nothing(
    commune_led_task: Task, commune_head, secretariat, comment: str
):
    claimed(commune_led_task, head=commune_head, on=TODAY)
    before = row_counts()
    with pytest.raises(ValidationError) as raised:
        task_return_completion(task=commune_led_task, user=secretariat, comment=comment, today=TODAY)
    assert raised.value.message_dict == {"comment": ["Cần ghi rõ lý do trả lại để đơn vị bổ sung."]}
    assert row_counts() == before


def test_returning_an_unclaimed_task_is_refused(commune_led_task: Task, secretariat):
    with pytest.raises(ValidationError) as raised:
        task_return_completion(task=commune_led_task, user=secretariat, comment="Thiếu báo cáo.", today=TODAY)
    assert raised.value.messages == ["Đơn vị chưa báo hoàn thành nhiệm vụ này."]


def test_a_returned_task_is_back_in_progress_below_100_percent_with_the_comment(
    commune_led_task: Task, commune_head, secretariat
):
    claimed(commune_led_task, head=commune_head, on=TODAY)
    task_return_completion(task=commune_led_task, user=secretariat, comment="Thiếu biên bản kiểm tra.", today=TODAY)
    task = fresh(commune_led_task)
    assert (task.status, task.progress_percent, task.completed_on, task.claimed_at, task.review_comment) == (
        ProgressStatus.IN_PROGRESS, 99, None, None, "Thiếu biên bản kiểm tra.",
    )  # fmt: skip


def test_the_return_comment_is_the_history_records_reason(commune_led_task: Task, commune_head, secretariat):
    claimed(commune_led_task, head=commune_head, on=TODAY)
    task_return_completion(task=commune_led_task, user=secretariat, comment="Thiếu biên bản kiểm tra.", today=TODAY)
    latest = commune_led_task.history.order_by("-history_date", "-history_id").first()
    assert latest.history_change_reason == "Thiếu biên bản kiểm tra."


def test_a_return_tells_the_lead_units_people_why(commune_led_task: Task, commune_head, secretariat):
    claimed(commune_led_task, head=commune_head, on=TODAY)
    task_return_completion(task=commune_led_task, user=secretariat, comment="Thiếu biên bản kiểm tra.", today=TODAY)
    assert notices_about(commune_led_task, TaskNotice.RETURNED) == {
        ("dongdang.lanhdao", TaskNotice.RETURNED),
        ("dongdang.canbo", TaskNotice.RETURNED),
    }


def test_the_return_notice_says_why(commune_led_task: Task, commune_head, secretariat):
    claimed(commune_led_task, head=commune_head, on=TODAY)
    task_return_completion(task=commune_led_task, user=secretariat, comment="Thiếu biên bản kiểm tra.", today=TODAY)
    notice = commune_head.notifications.get(kind=TaskNotice.RETURNED)
    assert notice.message.endswith("bị trả lại: Thiếu biên bản kiểm tra.")


def test_a_returned_task_takes_progress_reports_again(commune_led_task: Task, commune_head, commune_staff, secretariat):
    claimed(commune_led_task, head=commune_head, on=TODAY)
    task_return_completion(task=commune_led_task, user=secretariat, comment="Thiếu biên bản kiểm tra.", today=TODAY)
    _report(commune_led_task, commune_staff, percent=95, text="Đã bổ sung biên bản.")
    assert fresh(commune_led_task).progress_percent == 95


def test_confirmation_after_the_due_date_counts_the_claim_day(commune_led_task: Task, commune_head, secretariat):
    claimed(commune_led_task, head=commune_head, on=DUE)
    task_confirm_completion(task=commune_led_task, user=secretariat, today=DUE + 10 * DAY)
    assert fresh(commune_led_task).state_on(DUE + 10 * DAY) == TaskState.COMPLETED_ON_TIME
