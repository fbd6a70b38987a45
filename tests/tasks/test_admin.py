"""Tasks in the Django admin go through task_update; workflow records are read-only there."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from targets.models import Indicator, Measurement
from tasks.models import ExtensionRequest, ProgressReport, Task, TaskOccurrence
from tasks.services import task_indicator_ensure, task_report_progress
from tasks.services.assignment import EDITABLE_FIELDS
from tests.tasks.builders import DUE, confirmed, fresh


@pytest.fixture
def admin_client(client_for, administrator) -> Client:
    return client_for(administrator)


def _form(task: Task, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name in EDITABLE_FIELDS:
        value = getattr(task, name)
        data[name] = value.isoformat() if isinstance(value, datetime.date) else ("" if value is None else value)
    return data | {"opened_version": task.version, "_save": "Lưu"} | changes


def _change_url(task: Task) -> str:
    return reverse("admin:tasks_task_change", args=[task.pk])


def test_an_admin_edit_goes_through_the_task_service_bumping_the_version(
    admin_client: Client, commune_led_task: Task, administrator
):
    opened = fresh(commune_led_task)
    response = admin_client.post(_change_url(opened), _form(opened, title="Tên sửa trong trang quản trị"))
    assert response.status_code == 302
    task = fresh(commune_led_task)
    assert (task.title, task.version) == ("Tên sửa trong trang quản trị", opened.version + 1)
    latest = task.history.order_by("-history_date", "-history_id").first()
    assert (latest.version, latest.history_user) == (task.version, administrator)


def test_an_admin_edit_on_a_stale_version_is_refused_and_writes_nothing(
    admin_client: Client, commune_led_task: Task, commune_staff
):
    opened = fresh(commune_led_task)
    task_report_progress(task=opened, user=commune_staff, status="in_progress", percent=20, text="Đã làm.")
    response = admin_client.post(_change_url(opened), _form(opened, title="Tên của bản cũ"))
    assert response.status_code == 200
    page = response.content.decode()
    # Who changed it, and each change, as on the task's own page.
    assert "Nhiệm vụ vừa được Lăng Thị Thu cập nhật lúc" in page
    assert "Tình trạng: Chưa thực hiện → Đang thực hiện; Tiến độ (%): 0% → 20%; Ghi chú tiến độ: — → Đã làm." in page
    assert fresh(commune_led_task).title == opened.title


def test_workflow_fields_posted_to_the_admin_change_nothing(admin_client: Client, commune_led_task: Task, tu_phap):
    opened = fresh(commune_led_task)
    admin_client.post(
        _change_url(opened),
        _form(opened, status="completed", progress_percent=100, lead_unit=tu_phap.pk, confirmed_at="2024-05-01"),
    )
    task = fresh(commune_led_task)
    assert (task.status, task.progress_percent, task.lead_unit.code, task.confirmed_at) == (
        "not_started", 0, "06184", None,
    )  # fmt: skip


def test_a_recurring_task_without_a_due_day_is_an_error_on_the_admin_form(admin_client: Client, commune_led_task: Task):
    opened = fresh(commune_led_task)
    response = admin_client.post(_change_url(opened), _form(opened, recurrence="quarterly", recurrence_due_day=""))
    assert response.status_code == 200
    assert "Nhiệm vụ lặp lại cần ngày đến hạn trong kỳ" in response.content.decode()
    assert fresh(commune_led_task).recurrence == ""


def test_a_confirmed_task_is_read_only_in_the_admin(
    admin_client: Client, commune_led_task: Task, commune_head, secretariat
):
    confirmed(commune_led_task, head=commune_head, secretariat=secretariat, on=DUE)
    opened = fresh(commune_led_task)
    response = admin_client.post(_change_url(opened), _form(opened, title="Sửa nhiệm vụ đã xong"))
    assert response.status_code == 403
    assert fresh(commune_led_task).title == opened.title


def test_tasks_cannot_be_added_in_the_admin(admin_client: Client):
    assert admin_client.get(reverse("admin:tasks_task_add")).status_code == 403


def test_a_task_with_progress_cannot_be_deleted_in_the_admin(
    admin_client: Client, commune_led_task: Task, commune_staff
):
    task_report_progress(task=fresh(commune_led_task), user=commune_staff, status="in_progress", percent=20, text="…")
    url = reverse("admin:tasks_task_delete", args=[commune_led_task.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert Task.objects.filter(pk=commune_led_task.pk).exists()


def test_a_task_without_work_can_still_be_deleted_in_the_admin_with_its_indicators(
    admin_client: Client, commune_led_task: Task, administrator
):
    indicator = task_indicator_ensure(task=commune_led_task, position=1)
    url = reverse("admin:tasks_task_delete", args=[commune_led_task.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert not Task.objects.filter(pk=commune_led_task.pk).exists()
    assert not Indicator.objects.filter(pk=indicator.pk).exists()
    deleted = Task.history.filter(id=commune_led_task.pk, history_type="-").get()
    assert deleted.history_user == administrator


WORKFLOW_MODELS = [ProgressReport, ExtensionRequest, TaskOccurrence, Measurement]


@pytest.mark.parametrize("model", WORKFLOW_MODELS, ids=lambda model: model.__name__)
def test_workflow_records_are_read_only_in_the_admin(rf, administrator, model):
    model_admin = admin.site._registry[model]
    request = rf.get("/")
    request.user = administrator
    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_a_progress_report_posted_to_the_admin_is_refused(admin_client: Client, seed_plan):
    report = ProgressReport.objects.filter(task__area__plan=seed_plan).first()
    url = reverse("admin:tasks_progressreport_change", args=[report.pk])
    assert admin_client.get(url).status_code == 200  # to look at
    admin_client.post(url, {"text": "Sửa báo cáo", "percent": 99})
    assert ProgressReport.objects.get(pk=report.pk).text == report.text


def test_the_task_admin_page_shows_the_workflow_fields_without_inputs(admin_client: Client, commune_led_task: Task):
    content = admin_client.get(_change_url(commune_led_task)).content.decode()
    assert 'name="title"' in content and 'name="opened_version"' in content
    assert 'name="status"' not in content and 'name="lead_unit"' not in content
