"""A task's round in a real browser: the commune head reports and claims, the secretariat confirms.

Debian's Chromium driven by Playwright's sync API (never `playwright install`).
Select with `-m browser`; screenshots land in test-artifacts/.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import Page, expect

from evidence.models import Evidence
from parplan.models import Unit
from tasks.models import ProgressStatus, Task, TaskState
from tasks.services import task_assign, task_report_progress, task_update
from tests.browser.helpers import ARTIFACTS, log_in
from tests.demo_copy import demo_restore
from tests.files import pdf_bytes

# This year's plan, the demo's copy of 2024's: live, so its tasks take reports today.
YEAR = timezone.localdate().year
PLAN_TITLE = f"Cải cách hành chính huyện Cao Lộc năm {YEAR}"
PHONE = {"width": 375, "height": 812}
HEAD, SECRETARIAT = "Hoàng Văn Tùng", "Hoàng Thị Lan (Thường trực CCHC)"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def commune_lead_task(transactional_db: Any, settings: Any, tmp_path: Path) -> Task:
    """The demo (a transactional test starts empty); this year's task 4.4 led by Đồng Đăng, due in 30 days."""
    settings.MEDIA_ROOT = settings.SENDFILE_ROOT = tmp_path / "media"
    demo_restore()
    # An open task an office leads (the demo's 4.2 is Bảo Lâm's).
    task = Task.objects.get(area__plan__issuing_unit__code="183", area__plan__year=YEAR, area__number=4, position=4)
    secretariat = get_user_model().objects.get(username="noivu")
    due = timezone.localdate() + datetime.timedelta(days=30)
    task_update(task=task, expected_version=task.version, user=secretariat, due_date=due)
    task_assign(task=Task.objects.get(pk=task.pk), lead_unit=Unit.objects.get(code="06184"), coordinating_units=[])
    return Task.objects.get(pk=task.pk)


def _log_in(page: Page, base_url: str, username: str) -> None:
    log_in(page, base_url, username)
    expect(page.get_by_role("heading", level=1)).to_contain_text(PLAN_TITLE)


def _screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def test_commune_head_reports_and_claims_the_secretariat_confirms(browser, live_server, commune_lead_task, tmp_path):
    task = commune_lead_task
    evidence = tmp_path / "bao-cao-tien-do.pdf"
    evidence.write_bytes(pdf_bytes())  # a real PDF: uploads are checked by content
    page = browser.new_page()

    # The commune head finds the task in their unit's list.
    _log_in(page, live_server.url, "dongdang.lanhdao")
    page.locator("nav.site-nav").get_by_role("link", name="Nhiệm vụ", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nhiệm vụ của đơn vị tôi")
    page.locator(f'tbody a[href="/tasks/{task.pk}/"]').click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nhiệm vụ 4.4")

    # 50 %, in progress, with what was done and a PDF.
    page.get_by_role("link", name="Cập nhật tiến độ").click()
    page.get_by_label("Tình trạng").select_option(label="Đang thực hiện")
    page.get_by_label("Tiến độ (%)").fill("50")
    page.get_by_label("Kết quả thực hiện").fill("Đã rà soát 12 thủ tục hành chính.")
    page.get_by_label("Tài liệu kiểm chứng").set_input_files(str(evidence))
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("Đã cập nhật tiến độ nhiệm vụ.")
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text("Đang thực hiện")
    expect(facts).to_contain_text("50%")
    expect(page.get_by_role("link", name="bao-cao-tien-do.pdf", exact=True)).to_be_visible()

    # Done: the head claims completion.
    page.locator("details.action-box > summary", has_text="Báo hoàn thành").click()
    page.get_by_label("Kết quả, sản phẩm").fill("Đã ban hành quyết định sáp nhập thôn.")
    page.get_by_role("button", name="Báo hoàn thành nhiệm vụ").click()
    expect(page.get_by_role("status")).to_have_text("Đã báo hoàn thành; chờ Phòng Nội vụ xác nhận.")
    expect(facts).to_contain_text("Chờ xác nhận hoàn thành")
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))

    # The secretariat is told, opens the task from the notice and confirms.
    _log_in(page, live_server.url, "noivu")
    page.locator(".site-user").get_by_role("link", name=re.compile("^Thông báo")).click()
    page.get_by_role("link", name=re.compile(r"Thị trấn Đồng Đăng báo hoàn thành nhiệm vụ 4\.4")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nhiệm vụ 4.4")
    page.get_by_role("button", name="Xác nhận hoàn thành").click()
    expect(page.get_by_role("status")).to_have_text("Đã xác nhận nhiệm vụ hoàn thành.")
    # Completed today, due in 30 days: on time.
    expect(facts).to_contain_text("Hoàn thành đúng hạn")

    history = page.locator("ol.history > li")
    expect(history.first).to_contain_text(SECRETARIAT)
    expect(history.first).to_contain_text("xác nhận hoàn thành lúc")
    reported = history.filter(has_text=HEAD).filter(has_text=re.compile(r"tiến độ \(%\): \S+ → 50(?!\d)"))
    expect(reported).to_have_count(1)
    claimed = history.filter(has_text=HEAD).filter(has_text="tình trạng: Đang thực hiện → Đã hoàn thành")
    expect(claimed).to_have_count(1)
    expect(claimed).to_contain_text("tiến độ (%): 50 → 100")
    _screenshot(page, "task-confirmed.png")

    task.refresh_from_db()
    assert task.state_on(timezone.localdate()) == TaskState.COMPLETED_ON_TIME
    assert (task.claimed_by.username, task.confirmed_by.username) == ("dongdang.lanhdao", "noivu")
    stored = Evidence.objects.get(progress_report__task=task)
    assert (stored.original_name, stored.owner.percent) == ("bao-cao-tien-do.pdf", 50)
    assert stored.file.read().startswith(b"%PDF-")


def test_task_pages_fit_a_phone_screen(browser, live_server, commune_lead_task):
    head = get_user_model().objects.get(username="dongdang.lanhdao")
    task_report_progress(
        task=commune_lead_task, user=head, status=ProgressStatus.IN_PROGRESS, percent=30,
        text="Đã lập danh sách các thôn, tổ dân phố cần sáp nhập trên địa bàn thị trấn.",
    )  # fmt: skip
    page = browser.new_page(viewport=PHONE)
    _log_in(page, live_server.url, "dongdang.lanhdao")
    plan_id = commune_lead_task.area.plan_id
    paths = {
        "plan": page.url.removeprefix(live_server.url),
        "unit": "/units/06184/",
        "task-list": "/tasks/",
        "task": f"/tasks/{commune_lead_task.pk}/",
        "progress-form": f"/tasks/{commune_lead_task.pk}/progress/",
        "extension-form": f"/tasks/{commune_lead_task.pk}/extension/",
        "statistics": f"/plans/{plan_id}/tasks/statistics/",
        "notifications": "/notifications/",
        # The unit's own dashboard (the whole authority's at 390 px: test_accessibility_browser.py).
        "dashboard": "/dashboard/",
    }
    too_wide = {}
    for name, path in paths.items():
        page.goto(live_server.url + path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"] + 1:
            too_wide[path] = width
        if name in ("task-list", "task"):
            _screenshot(page, f"phone-{name}.png")
    assert too_wide == {}, f"wider than {PHONE['width']}px: {too_wide}"
