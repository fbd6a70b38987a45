"""Bounds on what people type into task forms, completion claims that carry a result, conflicts that show what changed.

The task is `commune_led_task`: led by Thị trấn Đồng Đăng (commune_head claims,
commune_staff reports), started 15/01/2024, due 31/10/2024, in the 2024 plan,
whose dates may run from 01/01/2023 to 31/12/2025.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from parplan.models import Plan, Unit
from tasks.models import ProgressReport, ProgressStatus, Task
from tasks.services import (
    TaskConflict,
    extension_request,
    task_assign,
    task_claim_completion,
    task_create,
    task_report_progress,
    task_update,
)
from tests.tasks.builders import DUE, START, TODAY, fresh, new_task, pdf, row_counts

pytestmark = pytest.mark.django_db

RANGE = "Ngày phải trong khoảng 01/01/2023 – 31/12/2025 (năm kế hoạch 2024, thêm một năm trước và sau)."
CONTROL = "Nội dung chứa ký tự điều khiển không hợp lệ (ví dụ ký tự NUL); hãy xóa rồi nhập lại."
NOTHING_CHANGED = "Không có thay đổi nào để lưu."
NO_RESULT = "Cần ghi kết quả, sản phẩm của nhiệm vụ khi báo hoàn thành."
NOT_STARTED_AT_ZERO = "Nhiệm vụ “Chưa thực hiện” thì tiến độ là 0%; đã làm được một phần thì chọn “Đang thực hiện”."
OUT_OF_RANGE_DAYS = [datetime.date(1900, 1, 1), datetime.date(9999, 12, 31)]


@pytest.fixture(autouse=True)
def _in_the_plan_year(clock_on_today: datetime.date, media_root: Any) -> None:
    """Today is TODAY (01/10/2024); evidence goes to a private MEDIA_ROOT."""


def _html(response: Any) -> str:
    return response.content.decode()


def _messages(response: Any) -> list[str]:
    return re.findall(r'<p class="message[^"]*" role="status">([^<]*)</p>', _html(response))


def _errors(response: Any) -> list[str]:
    return re.findall(r'<p class="error">([^<]*)</p>', _html(response))


def _dmy(day: datetime.date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


def _name(user: Any) -> str:
    return user.get_full_name() or user.username


def _edit_data(task: Task, **changes: Any) -> dict[str, Any]:
    """What the edit form posts when opened on `task` now, with `changes` typed in."""
    task = fresh(task)
    data = {
        "title": task.title, "text": task.text, "start_date": _dmy(task.start_date), "due_date": _dmy(task.due_date),
        "recurrence": task.recurrence, "recurrence_due_day": task.recurrence_due_day or "", "priority": task.priority,
        "expected_output": task.expected_output, "assigned_by_number": task.assigned_by_number,
        "assigned_by_date": _dmy(task.assigned_by_date), "version": task.version,
    }  # fmt: skip
    return data | changes


# --- Dates within the plan's years ---------------------------------------------------------------


@pytest.mark.parametrize("day", OUT_OF_RANGE_DAYS)
def test_a_due_date_outside_the_plans_years_is_refused_on_the_edit_page(
    client_for: Any, secretariat: Any, commune_led_task: Task, day: datetime.date
) -> None:
    before = row_counts()
    response = client_for(secretariat).post(
        reverse("task-edit", args=[commune_led_task.pk]), _edit_data(commune_led_task, due_date=_dmy(day))
    )
    assert response.status_code == 200
    assert _errors(response) == [RANGE]
    assert row_counts() == before
    assert fresh(commune_led_task).due_date == DUE


@pytest.mark.parametrize("day", OUT_OF_RANGE_DAYS)
def test_the_task_services_refuse_a_due_date_outside_the_plans_years(
    commune_led_task: Task, secretariat: Any, day: datetime.date
) -> None:
    task = fresh(commune_led_task)
    with pytest.raises(ValidationError) as raised:
        task_update(task=task, expected_version=task.version, user=secretariat, start_date=None, due_date=day)
    assert raised.value.message_dict == {"due_date": [RANGE]}
    with pytest.raises(ValidationError) as raised:
        task_create(area=task.area, text="Nhiệm vụ thử.", user=secretariat, due_date=day)
    assert raised.value.message_dict == {"due_date": [RANGE]}
    assert fresh(commune_led_task).due_date == DUE


def test_the_start_and_assigning_dates_are_bounded_too(
    client_for: Any, secretariat: Any, commune_led_task: Task
) -> None:
    response = client_for(secretariat).post(
        reverse("task-edit", args=[commune_led_task.pk]),
        _edit_data(commune_led_task, start_date="01/01/1900", assigned_by_date="31/12/2030"),
    )
    form = response.context["form"]
    assert (form.errors["start_date"], form.errors["assigned_by_date"]) == ([RANGE], [RANGE])


def test_a_date_in_the_margin_is_saved(client_for: Any, secretariat: Any, commune_led_task: Task) -> None:
    client_for(secretariat).post(
        reverse("task-edit", args=[commune_led_task.pk]),
        _edit_data(commune_led_task, assigned_by_date="20/12/2023", due_date="31/12/2025"),
    )
    task = fresh(commune_led_task)
    assert (task.assigned_by_date, task.due_date) == (datetime.date(2023, 12, 20), datetime.date(2025, 12, 31))


def test_a_new_task_due_outside_the_plans_years_is_refused(client_for: Any, secretariat: Any, seed_plan: Plan) -> None:
    response = client_for(secretariat).post(
        reverse("task-create", args=[seed_plan.pk]),
        {"area": seed_plan.areas.get(number=1).pk, "text": "Rà soát quy chế.", "priority": "normal",
         "due_date": "31/12/9999"},
    )  # fmt: skip
    assert response.status_code == 200
    assert _errors(response) == [RANGE]
    assert not Task.objects.filter(text="Rà soát quy chế.").exists()


@pytest.mark.parametrize("day", OUT_OF_RANGE_DAYS)
def test_an_extension_outside_the_plans_years_is_refused_with_one_message(
    client_for: Any, commune_head: Any, commune_led_task: Task, day: datetime.date
) -> None:
    response = client_for(commune_head).post(
        reverse("task-extension", args=[commune_led_task.pk]), {"new_due_date": _dmy(day), "reason": "Chờ ý kiến."}
    )
    assert response.status_code == 200
    assert _errors(response) == [RANGE]
    with pytest.raises(ValidationError) as raised:
        extension_request(task=commune_led_task, user=commune_head, new_due_date=day, reason="Chờ.", today=TODAY)
    assert raised.value.message_dict == {"new_due_date": [RANGE]}
    assert not commune_led_task.extensions.exists()


# --- Text: trimmed, control characters refused, a save that changes nothing says so --------------------


def test_a_spaces_only_title_that_changes_nothing_says_so(client_for: Any, secretariat: Any, seed_plan: Plan) -> None:
    # A blank title is the text's first clause: this task's title already is.
    task = new_task(seed_plan, user=secretariat, lead=None, title="")
    before = (fresh(task).title, fresh(task).version, task.history.count())
    response = client_for(secretariat).post(
        reverse("task-edit", args=[task.pk]), _edit_data(task, title="     "), follow=True
    )
    assert _messages(response) == [NOTHING_CHANGED]
    assert "Đã lưu nhiệm vụ." not in _html(response)
    assert (fresh(task).title, fresh(task).version, task.history.count()) == before


def test_an_edit_saved_as_opened_writes_nothing_and_keeps_the_version(commune_led_task: Task, secretariat: Any) -> None:
    task = fresh(commune_led_task)
    saved = task_update(task=task, expected_version=task.version, user=secretariat, title=f"  {task.title} ")
    assert (saved.changed, fresh(task).version) == (False, task.version)


def test_a_spaces_only_text_is_refused(client_for: Any, secretariat: Any, commune_led_task: Task) -> None:
    response = client_for(secretariat).post(
        reverse("task-edit", args=[commune_led_task.pk]), _edit_data(commune_led_task, text="   \n  ")
    )
    assert response.context["form"].errors["text"]
    task = fresh(commune_led_task)
    with pytest.raises(ValidationError) as raised:
        task_update(task=task, expected_version=task.version, user=secretariat, text="   ")
    assert raised.value.message_dict == {"text": ["Cần ghi nội dung nhiệm vụ."]}


@pytest.mark.parametrize(("field", "value"), [("text", "Rà soát\x00 thủ tục."), ("title", "Tên\x07"),
                                              ("assigned_by_number", "12/KH\x1b")])  # fmt: skip
def test_control_characters_in_a_task_field_are_refused_in_vietnamese(
    client_for: Any, secretariat: Any, commune_led_task: Task, field: str, value: str
) -> None:
    before = row_counts()
    response = client_for(secretariat).post(
        reverse("task-edit", args=[commune_led_task.pk]), _edit_data(commune_led_task, **{field: value})
    )
    assert response.context["form"].errors[field] == [CONTROL]
    assert "Null characters" not in _html(response)
    assert row_counts() == before


def test_line_breaks_and_tabs_stay_in_a_progress_report(
    client_for: Any, commune_staff: Any, commune_led_task: Task
) -> None:
    text = "Đã rà soát:\r\n\t- 12 thủ tục;\r\n\t- 3 quy trình."
    client_for(commune_staff).post(
        reverse("task-progress", args=[commune_led_task.pk]),
        {"status": "in_progress", "percent": 40, "text": text, "version": fresh(commune_led_task).version},
    )
    assert ProgressReport.objects.get(task=commune_led_task).text == text


def test_a_bell_in_a_progress_report_is_refused(client_for: Any, commune_staff: Any, commune_led_task: Task) -> None:
    response = client_for(commune_staff).post(
        reverse("task-progress", args=[commune_led_task.pk]),
        {"status": "in_progress", "percent": 40, "text": "Đã làm\x07", "version": fresh(commune_led_task).version},
    )
    assert _errors(response) == [CONTROL]
    assert not ProgressReport.objects.filter(task=commune_led_task).exists()


def test_assigning_the_same_units_again_says_nothing_changed(
    client_for: Any, secretariat: Any, commune_led_task: Task, dong_dang: Unit, bao_lam: Unit
) -> None:
    version = fresh(commune_led_task).version
    response = client_for(secretariat).post(
        reverse("task-assign", args=[commune_led_task.pk]),
        {"lead_unit": dong_dang.pk, "coordinating_units": [bao_lam.pk]},
        follow=True,
    )
    assert _messages(response) == [NOTHING_CHANGED]
    assert fresh(commune_led_task).version == version
    saved = task_assign(task=fresh(commune_led_task), lead_unit=dong_dang, coordinating_units=[bao_lam])
    assert saved.changed is False


# --- Status and percent agree ----------------------------------------------------------------------


def test_not_started_at_50_percent_is_refused(client_for: Any, commune_staff: Any, commune_led_task: Task) -> None:
    before = row_counts()
    response = client_for(commune_staff).post(
        reverse("task-progress", args=[commune_led_task.pk]),
        {"status": "not_started", "percent": 50, "text": "Chưa làm.", "version": fresh(commune_led_task).version},
    )
    assert response.status_code == 200
    assert _errors(response) == [NOT_STARTED_AT_ZERO]
    assert row_counts() == before
    with pytest.raises(ValidationError) as raised:
        task_report_progress(task=commune_led_task, user=commune_staff, status="not_started", percent=50, text="x")
    assert raised.value.message_dict == {"percent": [NOT_STARTED_AT_ZERO]}


@pytest.mark.parametrize(("status", "percent"), [("not_started", 0), ("in_progress", 0), ("paused", 60)])
def test_status_and_percent_that_agree_are_reported(
    commune_led_task: Task, commune_staff: Any, status: str, percent: int
) -> None:
    task_report_progress(task=commune_led_task, user=commune_staff, status=status, percent=percent, text="Báo cáo.")
    assert (fresh(commune_led_task).status, fresh(commune_led_task).progress_percent) == (status, percent)


# --- A completion claim carries its result -----------------------------------------------------------


@pytest.mark.parametrize("text", ["", "    "])
def test_a_claim_without_a_result_is_refused(
    client_for: Any, commune_head: Any, commune_led_task: Task, text: str
) -> None:
    before = row_counts()
    response = client_for(commune_head).post(
        reverse("task-claim", args=[commune_led_task.pk]), {"text": text}, follow=True
    )
    assert _messages(response) == [NO_RESULT]
    assert fresh(commune_led_task).claimed_at is None
    assert row_counts() == before
    with pytest.raises(ValidationError) as raised:
        task_claim_completion(task=commune_led_task, user=commune_head, today=TODAY, text=text)
    assert raised.value.message_dict == {"text": [NO_RESULT]}


@pytest.fixture
def with_output(commune_led_task: Task, secretariat: Any) -> Task:
    """The task names its output: a decision."""
    task = fresh(commune_led_task)
    task_update(task=task, expected_version=task.version, user=secretariat, expected_output="Quyết định công bố")
    return fresh(commune_led_task)


def test_a_claim_without_a_file_is_refused_when_the_task_names_its_output(
    client_for: Any, commune_head: Any, with_output: Task
) -> None:
    response = client_for(commune_head).post(
        reverse("task-claim", args=[with_output.pk]), {"text": "Đã ban hành quyết định."}, follow=True
    )
    assert _messages(response) == [
        "Nhiệm vụ có sản phẩm “Quyết định công bố”: cần đính kèm tài liệu kiểm chứng khi báo hoàn thành."
    ]
    assert fresh(with_output).claimed_at is None
    assert not with_output.reports.exists()


def test_a_claim_with_the_output_file_is_taken_and_keeps_the_file(
    client_for: Any, commune_head: Any, with_output: Task
) -> None:
    response = client_for(commune_head).post(
        reverse("task-claim", args=[with_output.pk]),
        {"text": "Đã ban hành quyết định.", "files": [pdf("Quyết định 15.pdf")]},
        follow=True,
    )
    assert _messages(response) == ["Đã báo hoàn thành; chờ Phòng Nội vụ xác nhận."]
    report = with_output.reports.get(status=ProgressStatus.COMPLETED)
    assert (report.text, [e.original_name for e in report.evidence.all()]) == (
        "Đã ban hành quyết định.", ["Quyết định 15.pdf"],
    )  # fmt: skip


def test_the_output_file_sent_with_an_earlier_report_is_enough(
    commune_head: Any, commune_staff: Any, with_output: Task
) -> None:
    task_report_progress(task=with_output, user=commune_staff, status="in_progress", percent=90,
                         text="Dự thảo quyết định.", files=[pdf("Dự thảo.pdf")])  # fmt: skip
    task_claim_completion(task=fresh(with_output), user=commune_head, today=TODAY, text="Đã ban hành.")
    assert fresh(with_output).claimed_at is not None


def test_a_task_without_a_named_output_is_claimed_with_its_result_only(
    commune_head: Any, commune_led_task: Task
) -> None:
    task_claim_completion(task=commune_led_task, user=commune_head, today=TODAY, text="Đã niêm yết 25 thủ tục.")
    assert (fresh(commune_led_task).progress_percent, fresh(commune_led_task).claimed_at is not None) == (100, True)


def test_the_claim_form_takes_files_and_says_the_output_is_needed(
    client_for: Any, commune_head: Any, with_output: Task
) -> None:
    page = _html(client_for(commune_head).get(reverse("task-detail", args=[with_output.pk])))
    claim = re.search(r'<form method="post" action="[^"]*/claim/"[^>]*>', page)
    assert claim is not None and 'enctype="multipart/form-data"' in claim.group(0)
    assert 'type="file" name="files"' in page
    assert "Nhiệm vụ có sản phẩm “Quyết định công bố”: đính kèm tệp sản phẩm" in page


# --- Conflicts show what changed ----------------------------------------------------------------------


def test_a_stale_progress_report_lists_what_changed_with_vietnamese_labels(
    client_for: Any, commune_staff: Any, commune_head: Any, commune_led_task: Task
) -> None:
    url = reverse("task-progress", args=[commune_led_task.pk])
    mine = client_for(commune_staff)
    opened = mine.get(url).context["form"]["version"].value()
    task_report_progress(task=commune_led_task, user=commune_head, status="in_progress", percent=30,
                         text="Đã rà soát 10 thủ tục.")  # fmt: skip
    before = row_counts()
    response = mine.post(url, {"status": "in_progress", "percent": 50, "text": "Đã rà soát 12 thủ tục.",
                               "version": opened})  # fmt: skip
    assert response.status_code == 200
    [message] = _messages(response)
    assert message.startswith(f"Nhiệm vụ vừa được {_name(commune_head)} cập nhật lúc ")
    assert "hãy xem phần khác biệt bên dưới" in message
    cells = r"<tr><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)<br>"
    rows = [row for row in re.findall(cells, _html(response))]
    head = _name(commune_head)
    assert rows == [
        ("Tình trạng", "Chưa thực hiện", "Đang thực hiện", "Đang thực hiện", head),
        ("Tiến độ (%)", "0%", "30%", "50%", head),
        ("Ghi chú tiến độ", "—", "Đã rà soát 10 thủ tục.", "Đã rà soát 12 thủ tục.", head),
    ]
    assert re.search(r'<small class="muted">\d\d/\d\d/\d{4} \d\d:\d\d</small>', _html(response))
    assert "Các tệp đã chọn chưa được tải lên; hãy chọn lại trước khi lưu." in _html(response)
    assert row_counts() == before
    # Having seen the list, a second save is deliberate and goes through.
    assert mine.post(url, response.context["form"].data).status_code == 302
    assert fresh(commune_led_task).progress_percent == 50


def test_a_conflict_names_who_changed_each_field_and_what_the_form_showed(
    commune_led_task: Task, secretariat: Any, administrator: Any, commune_staff: Any
) -> None:
    opened = fresh(commune_led_task)
    task_update(task=fresh(commune_led_task), expected_version=opened.version, user=administrator,
                due_date=datetime.date(2024, 12, 15))  # fmt: skip
    task_report_progress(task=commune_led_task, user=commune_staff, status="in_progress", percent=20, text="Bắt đầu.")
    with pytest.raises(TaskConflict) as raised:
        task_update(task=opened, expected_version=opened.version, user=secretariat, title="Tên mới")
    changes = {c.field: (c.seen, c.theirs, c.typed, c.by) for c in raised.value.changes}
    assert changes == {
        "status": ("Chưa thực hiện", "Đang thực hiện", False, _name(commune_staff)),
        "progress_percent": ("0%", "20%", False, _name(commune_staff)),
        "progress_note": ("", "Bắt đầu.", False, _name(commune_staff)),
        "due_date": (_dmy(DUE), "15/12/2024", False, _name(administrator)),
    }
    assert raised.value.by == _name(commune_staff)


def test_a_conflict_that_moved_nothing_on_the_page_says_so(
    client_for: Any, secretariat: Any, commune_led_task: Task, tu_phap: Unit
) -> None:
    url = reverse("task-edit", args=[commune_led_task.pk])
    data = _edit_data(commune_led_task, title="Tên do tôi sửa")
    # Another unit asked to coordinate: a new version, no field of the form moved.
    task_assign(task=fresh(commune_led_task), lead_unit=fresh(commune_led_task).lead_unit,
                coordinating_units=[*fresh(commune_led_task).coordinating_units.all(), tu_phap])  # fmt: skip
    response = client_for(secretariat).post(url, data)
    [message] = _messages(response)
    assert "không đổi mục nào trên trang này" in message
    assert "Không mục nào trên trang này bị thay đổi." in _html(response)


# --- No English on a form page ------------------------------------------------------------------------


def _form_pages(task: Task, plan: Plan) -> list[tuple[str, str]]:
    return [
        ("commune_staff", reverse("task-progress", args=[task.pk])),
        ("secretariat", reverse("task-edit", args=[task.pk])),
        ("secretariat", reverse("task-create", args=[plan.pk])),
        ("secretariat", reverse("task-assign", args=[task.pk])),
        ("commune_head", reverse("task-extension", args=[task.pk])),
        ("other_commune_head", reverse("task-contribute", args=[task.pk])),
        ("commune_head", reverse("task-detail", args=[task.pk])),
        ("administrator", reverse("admin:tasks_task_change", args=[task.pk])),
    ]


def test_no_form_page_says_version(request: Any, client_for: Any, commune_led_task: Task, seed_plan: Plan) -> None:
    for who, url in _form_pages(commune_led_task, seed_plan):
        page = _html(client_for(request.getfixturevalue(who)).get(url))
        assert "Version" not in page, url
        assert "Hidden field" not in page, url


def test_a_progress_form_without_its_version_says_so_in_vietnamese(
    client_for: Any, commune_staff: Any, commune_led_task: Task
) -> None:
    response = client_for(commune_staff).post(
        reverse("task-progress", args=[commune_led_task.pk]), {"status": "in_progress", "percent": 10, "text": "x"}
    )
    assert _errors(response) == [
        "Phiên bản: Trang thiếu phiên bản của nhiệm vụ; hãy mở lại trang nhiệm vụ rồi nhập lại."
    ]
    assert "Version" not in _html(response)


def test_the_admin_conflict_lists_what_changed(client_for: Any, administrator: Any, commune_led_task: Task) -> None:
    opened = fresh(commune_led_task)
    task_update(task=fresh(commune_led_task), expected_version=opened.version, user=administrator,
                due_date=datetime.date(2024, 12, 15))  # fmt: skip
    data = {"title": opened.title, "text": opened.text, "start_date": START.isoformat(),
            "due_date": DUE.isoformat(), "recurrence": "", "recurrence_due_day": "", "priority": opened.priority,
            "expected_output": "", "assigned_by_number": "", "assigned_by_date": "",
            "opened_version": opened.version, "_save": "Lưu"}  # fmt: skip
    page = _html(client_for(administrator).post(reverse("admin:tasks_task_change", args=[opened.pk]), data))
    assert f"Nhiệm vụ vừa được {_name(administrator)} cập nhật lúc" in page
    assert "Hạn hoàn thành: 31/10/2024 → 15/12/2024" in page
    assert "Version" not in page
