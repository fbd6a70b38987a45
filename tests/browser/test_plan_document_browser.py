"""A plan from its Word document in a real browser: upload, correct one item, confirm, activate.

Debian's Chromium driven by Playwright's sync API (never `playwright install`). Select with `-m browser`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from parplan.models import Plan, PlanStatus
from tasks.models import Task
from tests.browser.helpers import axe_violations, log_in
from tests.demo_copy import demo_restore
from tests.planio.documents import seed_docx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
YEAR = 2027


@pytest.fixture
def demo(transactional_db: Any, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = settings.SENDFILE_ROOT = tmp_path / "media"
    demo_restore()
    cache.clear()


def test_the_secretariat_goes_from_the_docx_to_an_active_plan(browser, live_server, demo, tmp_path):
    document = tmp_path / "Kế hoạch CCHC 2027.docx"
    document.write_bytes(seed_docx())
    page = browser.new_page(bypass_csp=True)  # for axe-core's script only; the portal's pages run none inline
    log_in(page, live_server.url, "noivu")
    page.goto(f"{live_server.url}/plans/")
    page.get_by_role("link", name="Nhập kế hoạch từ văn bản (.docx)").click()
    page.get_by_label("Văn bản kế hoạch").set_input_files(str(document))
    page.get_by_label("Cơ quan ban hành").select_option(label="UBND huyện Cao Lộc")
    page.get_by_label("Năm của kế hoạch").fill(str(YEAR))
    page.get_by_role("button", name="Đọc văn bản").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Kiểm tra những gì đã đọc được")
    expect(
        page.get_by_text("Số thứ tự mục tổ chức thực hiện nhảy từ 4 sang 6: thiếu mục hay đánh số nhầm?")
    ).to_have_count(1)
    assert axe_violations(page) == []
    # The fourth task of area 1 names no lead unit in the document: the secretariat picks one.
    row = page.locator(".review-row").filter(has_text="Tiếp tục tạo lập môi trường đầu tư kinh doanh")
    row.get_by_label("Cơ quan chủ trì").select_option(label="Phòng Tài chính - Kế hoạch")
    row.get_by_label("Hạn hoàn thành").fill("30/09/2027")
    assert not Plan.objects.filter(issuing_unit__code="183", year=YEAR).exists()
    page.get_by_role("button", name="Xác nhận, tạo kế hoạch dự thảo").click()

    expect(page.get_by_role("status")).to_have_text(
        "Đã tạo kế hoạch dự thảo từ văn bản. Kiểm tra lại rồi kích hoạt kế hoạch."
    )
    plan = Plan.objects.get(issuing_unit__code="183", year=YEAR)
    assert plan.status == PlanStatus.DRAFT
    task = Task.objects.get(area__plan=plan, text__startswith="Tiếp tục tạo lập môi trường đầu tư kinh doanh")
    assert (task.lead_unit.code, task.due_date.isoformat()) == ("183-TCKH", "2027-09-30")
    assert Task.objects.filter(area__plan=plan).count() == 37

    page.get_by_role("button", name="Kích hoạt kế hoạch").click()
    expect(page.get_by_role("status")).to_have_text(
        "Đã kích hoạt kế hoạch: các đơn vị thấy nhiệm vụ, chỉ tiêu của mình."
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE
    expect(page.get_by_role("button", name="Kích hoạt kế hoạch")).to_have_count(0)
