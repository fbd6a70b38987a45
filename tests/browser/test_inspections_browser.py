"""An inspection in a real browser: the secretariat records a visit with two findings and a recommendation,
the unit's head answers it with a file, the secretariat confirms, and the coverage moves.

Debian's Chromium driven by Playwright's sync API (never `playwright install`). Select with `-m browser`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from playwright.sync_api import Page, expect

from inspections.models import InspectionKind, InspectionPlan, Recommendation, RecommendationState
from parplan.models import Plan
from tests.browser.helpers import log_in
from tests.demo_copy import demo_restore
from tests.files import pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db: Any, settings: Any, tmp_path: Path) -> Plan:
    settings.MEDIA_ROOT = settings.SENDFILE_ROOT = tmp_path / "media"
    demo_restore()
    cache.clear()
    # Xã Mẫu Sơn, not visited by the demo; its head (mauson.lanhdao) is one of the demo's accounts.
    return Plan.objects.get(issuing_unit__code="183", year=2024)


def _coverage(page: Page, base_url: str, pk: int) -> str:
    page.goto(f"{base_url}/inspections/plans/{pk}/")
    return page.locator("[data-coverage]").inner_text()


def _finding(page: Page, text: str, severity: str) -> None:
    page.get_by_role("link", name="Ghi vấn đề phát hiện").click()
    page.get_by_label("Lĩnh vực").select_option(index=3)
    page.get_by_label("Mức độ").select_option(label=severity)
    page.get_by_label("Nội dung phát hiện").fill(text)
    page.get_by_label("Hạn xử lý").fill("30/11/2024")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("status")).to_have_text("Đã ghi vấn đề phát hiện.")


def test_a_visit_recorded_answered_and_confirmed(browser, live_server, demo, tmp_path):
    par = InspectionPlan.objects.get(plan=demo, kind=InspectionKind.PAR)
    page = browser.new_page()
    log_in(page, live_server.url, "noivu")
    assert _coverage(page, live_server.url, par.pk) == "34,3%"

    page.get_by_role("link", name="Ghi nhận đợt kiểm tra").click()
    page.get_by_label("Đơn vị được kiểm tra").select_option(label="Xã Mẫu Sơn")
    page.get_by_label("Từ ngày").fill("05/11/2024")
    page.get_by_label("Đến ngày").fill("06/11/2024")
    page.get_by_label("Kiểm tra đột xuất").check()
    page.get_by_label("Thành viên đoàn có mặt").select_option(
        label=["Hoàng Thị Lan (Thường trực CCHC)", "Lương Văn Hải"]
    )
    page.get_by_label("Trưởng đoàn").select_option(label="Lương Văn Hải")
    page.get_by_label("Kết luận").fill("Đơn vị cơ bản thực hiện đúng quy định.")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("status")).to_have_text("Đã ghi nhận đợt kiểm tra.")
    _finding(page, "Chưa niêm yết TTHC mới công bố.", "Trung bình")
    _finding(page, "Sổ theo dõi hồ sơ ghi thiếu ngày trả kết quả.", "Nhẹ")
    page.get_by_role("link", name="Ghi kiến nghị").click()
    page.get_by_label("Vấn đề phát hiện").select_option(label="Chưa niêm yết TTHC mới công bố.")
    page.get_by_label("Nội dung kiến nghị").fill("Niêm yết đầy đủ TTHC mới công bố tại bộ phận một cửa.")
    page.get_by_label("Hạn thực hiện").fill("30/11/2024")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("status")).to_have_text("Đã ghi kiến nghị.")
    visit_url = page.url
    assert _coverage(page, live_server.url, par.pk) == "37,1%"  # 13 of 35 units
    page.get_by_role("button", name="Đăng xuất").click()

    log_in(page, live_server.url, "mauson.lanhdao")
    page.goto(f"{live_server.url}/inspections/")
    page.get_by_role("link", name="Xã Mẫu Sơn · 05/11/2024").click()
    page.get_by_role("link", name="Báo cáo kết quả thực hiện").click()
    page.get_by_label("Kết quả thực hiện").fill("Đã niêm yết đủ 12 TTHC mới.")
    upload = tmp_path / "Ảnh niêm yết.pdf"
    upload.write_bytes(pdf_bytes())
    page.get_by_label("Tài liệu kiểm chứng").set_input_files([upload])
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("status")).to_have_text("Đã gửi kết quả thực hiện kiến nghị.")
    expect(page.get_by_role("link", name="Ảnh niêm yết.pdf")).to_be_visible()
    assert page.goto(f"{live_server.url}/inspections/plans/{par.pk}/").status == 404
    page.goto(f"{live_server.url}/")
    page.get_by_role("button", name="Đăng xuất").click()

    log_in(page, live_server.url, "noivu")
    page.goto(visit_url)
    page.get_by_role("button", name="Xác nhận hoàn thành").click()
    expect(page.get_by_role("status")).to_have_text("Đã xác nhận hoàn thành kiến nghị.")
    recommendation = Recommendation.objects.get(unit__code="06238")
    assert recommendation.state == RecommendationState.CONFIRMED
    assert recommendation.finding is not None and recommendation.finding.outcome == "handled"
