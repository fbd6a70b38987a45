"""Evidence files in a real browser: the unit's head downloads what it attached, another commune's head cannot,
and a file attached by mistake is removed before the figure is sent.

Debian's Chromium driven by Playwright's sync API (never `playwright install`).
Select with `-m browser`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from playwright.sync_api import Page, expect

from evidence.models import Evidence
from parplan.models import Plan, Unit
from targets.models import Frequency, Indicator, Measurement, MeasurementStatus, Period
from tests.browser.helpers import log_in
from tests.demo_copy import demo_restore
from tests.files import pdf_bytes

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

# A real PDF: uploads are checked by content (evidence/content.py).
PDF = pdf_bytes()


@pytest.fixture
def demo(transactional_db: Any, settings: Any, tmp_path: Path) -> Plan:
    """The seed with its demo figures (a transactional test starts empty); files go to tmp_path."""
    settings.MEDIA_ROOT = settings.SENDFILE_ROOT = tmp_path / "media"
    demo_restore()
    cache.clear()
    return Plan.objects.get(issuing_unit__code="183", year=2024)


def _file(folder: Path, name: str) -> Path:
    path = folder / "upload" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(PDF)
    return path


def _draft_with_files(page: Page, base_url: str, plan: Plan, indicator: Indicator, *files: Path) -> str:
    """As Đồng Đăng's head, save November's figure of `indicator` as a draft with `files`; the entry page's URL."""
    november = Period.objects.get(plan=plan, frequency=Frequency.MONTHLY, number=11)
    url = f"{base_url}/plans/{plan.pk}/figures/06184/?period={november.pk}"
    page.goto(url)
    figure = page.locator(f"#indicator-{indicator.pk}")
    figure.get_by_label("hồ sơ giải quyết trước và đúng hạn").fill("97")
    figure.get_by_label("hồ sơ đã giải quyết").fill("100")
    figure.get_by_label("Tài liệu kiểm chứng").set_input_files(list(files))
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.get_by_role("status")).to_have_text("Đã lưu nháp 1 số liệu.")
    return url


def _on_time(plan: Plan) -> Indicator:
    return Indicator.objects.get(area__plan=plan, area__number=3, target__position=3)


def test_the_units_head_downloads_its_file_and_another_communes_head_is_refused_it(
    browser, live_server, demo, tmp_path
):
    indicator = _on_time(demo)
    page = browser.new_page()
    log_in(page, live_server.url, "dongdang.lanhdao")
    _draft_with_files(page, live_server.url, demo, indicator, _file(tmp_path, "Báo cáo quý 1.pdf"))

    link = page.locator(f"#indicator-{indicator.pk}").get_by_role("link", name="Báo cáo quý 1.pdf", exact=True)
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == "Báo cáo quý 1.pdf"
    assert Path(download.path()).read_bytes() == PDF
    address = link.get_attribute("href")
    evidence = Evidence.objects.get(original_name="Báo cáo quý 1.pdf")
    assert address == f"/evidence/{evidence.pk}/"
    # (That /media/… answers nothing is checked in tests/evidence/test_views.py: Django's live
    # test server serves MEDIA_URL by itself, which neither runserver nor production does.)
    page.get_by_role("button", name="Đăng xuất").click()

    # Xã Bảo Lâm's head reads the district's plan, but not Đồng Đăng's files (not found) nor its figures (forbidden).
    log_in(page, live_server.url, "baolam.lanhdao")
    refused = page.goto(f"{live_server.url}{address}")
    assert refused.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Không tìm thấy trang")
    assert page.goto(f"{live_server.url}/plans/{demo.pk}/figures/06184/").status == 403


def test_a_file_attached_by_mistake_is_removed_before_the_figure_is_sent(browser, live_server, demo, tmp_path):
    indicator = _on_time(demo)
    page = browser.new_page()
    log_in(page, live_server.url, "dongdang.lanhdao")
    entry = _draft_with_files(
        page, live_server.url, demo, indicator, _file(tmp_path, "Sổ theo dõi.pdf"), _file(tmp_path, "Nhầm tệp.pdf")
    )

    files = page.locator(f"#indicator-{indicator.pk}")
    files.get_by_role("link", name="Xóa tệp Nhầm tệp.pdf").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Xóa tài liệu kiểm chứng")
    expect(page.get_by_text("Nhầm tệp.pdf")).to_be_visible()
    page.get_by_role("button", name="Xóa tệp này").click()

    expect(page).to_have_url(entry)
    expect(page.get_by_role("status")).to_have_text("Đã xóa tài liệu “Nhầm tệp.pdf”.")
    figure = page.locator(f"#indicator-{indicator.pk}")
    expect(figure.get_by_role("link", name="Sổ theo dõi.pdf", exact=True)).to_be_visible()
    expect(figure.get_by_text("Nhầm tệp.pdf")).to_have_count(0)
    removed = Evidence.history.get(original_name="Nhầm tệp.pdf", history_type="-")
    assert removed.history_user.username == "dongdang.lanhdao"

    # Once sent, the files stay: no "Xóa" any more.
    page.get_by_role("button", name="Gửi duyệt").click()
    expect(page.get_by_role("status")).to_have_text("Đã gửi 1 số liệu để duyệt.")
    expect(
        page.locator(f"#indicator-{indicator.pk}").get_by_role("link", name="Xóa tệp Sổ theo dõi.pdf")
    ).to_have_count(0)
    dong_dang = Unit.objects.get(code="06184")
    sent = Measurement.objects.get(indicator=indicator, unit=dong_dang, period__number=11, period__frequency="monthly")
    assert sent.status == MeasurementStatus.SUBMITTED
    assert [e.original_name for e in sent.evidence.all()] == ["Sổ theo dõi.pdf"]
