"""The commune head's round in a real browser: log in, read the plan, report progress.

Debian's Chromium driven by Playwright's sync API (never `playwright install`).
Select with `-m browser`; a screenshot of the last page lands in test-artifacts/.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import Browser, Page, expect, sync_playwright

from parplan.models import Unit
from tasks.models import Task
from tasks.services import task_assign

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
PLAN_TITLE = "Cải cách hành chính huyện Cao Lộc năm 2024"
PHONE = {"width": 375, "height": 812}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.access(CHROMIUM, os.X_OK), reason=f"{CHROMIUM} is not installed"),
]


@pytest.fixture
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def commune_lead_task(transactional_db: Any) -> Task:
    """The seed (a transactional test may start empty), with task 4.2 led by Thị trấn Đồng Đăng."""
    call_command("demo", stdout=open(os.devnull, "w"))
    task = Task.objects.get(area__plan__issuing_unit__code="183", area__number=4, position=2)
    return task_assign(task=task, lead_unit=Unit.objects.get(code="06184"), coordinating_units=[])


def _log_in(page: Page, base_url: str) -> None:
    page.goto(base_url + "/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    page.get_by_label("Tên đăng nhập").fill("dongdang.lanhdao")
    page.get_by_label("Mật khẩu").fill("parplan-demo")
    page.get_by_role("button", name="Đăng nhập").click()


def _body_fits(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1


def test_commune_head_reports_progress_from_the_plan_overview(browser, live_server, commune_lead_task):
    page = browser.new_page()
    _log_in(page, live_server.url)

    # The home page opens the active plan.
    expect(page.get_by_role("heading", level=1)).to_contain_text(PLAN_TITLE)
    areas = page.locator("section.area > h2")
    expect(areas).to_have_count(7)
    for i in range(7):
        expect(areas.nth(i)).to_be_visible()

    page.locator("nav.site-nav").get_by_role("link", name="Thị trấn Đồng Đăng").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thị trấn Đồng Đăng")

    lead_row = page.locator("tr", has=page.get_by_text("Chủ trì", exact=True))
    expect(lead_row).to_have_count(1)
    lead_row.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nhiệm vụ 4.2")

    page.get_by_role("link", name="Cập nhật tiến độ").click()
    page.get_by_label("Tình trạng").select_option(label="Đang thực hiện")
    page.get_by_label("Tiến độ (%)").fill("50")
    page.get_by_label("Kết quả thực hiện").fill("Đã rà soát 12 thủ tục hành chính.")
    page.get_by_role("button", name="Lưu tiến độ").click()

    expect(page.get_by_role("status")).to_have_text("Đã cập nhật tiến độ nhiệm vụ.")
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text("Đang thực hiện")
    expect(facts).to_contain_text("50%")
    expect(page.locator("ol.history li").first).to_contain_text("Hoàng Văn Tùng")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "task-progress-saved.png"), full_page=True)

    commune_lead_task.refresh_from_db()
    assert (commune_lead_task.status, commune_lead_task.progress_percent) == ("in_progress", 50)


def test_pages_fit_a_phone_screen(browser, live_server, commune_lead_task):
    page = browser.new_page(viewport=PHONE)
    _log_in(page, live_server.url)
    expect(page.get_by_role("heading", level=1)).to_contain_text(PLAN_TITLE)
    paths = [
        page.url.removeprefix(live_server.url),
        "/units/06184/",
        f"/tasks/{commune_lead_task.pk}/",
        f"/tasks/{commune_lead_task.pk}/progress/",
    ]
    too_wide = {}
    for path in paths:
        page.goto(live_server.url + path)
        if not _body_fits(page):
            too_wide[path] = page.evaluate("document.documentElement.scrollWidth")
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(live_server.url + paths[2])
    page.screenshot(path=str(ARTIFACTS / "task-phone.png"), full_page=True)
    assert too_wide == {}, f"wider than {PHONE['width']}px: {too_wide}"
