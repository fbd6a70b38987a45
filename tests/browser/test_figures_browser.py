"""A month's figures in a real browser: the commune head sends them, the secretariat approves, the value moves.

Debian's Chromium driven by Playwright's sync API (never `playwright install`).
Select with `-m browser`; a screenshot of the indicator page lands in test-artifacts/.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from parplan.models import Plan, Unit
from targets.models import Frequency, Indicator, IndicatorSnapshot, Measurement, MeasurementStatus, Period
from targets.services import evaluations_run_marked
from tests.browser.helpers import ARTIFACTS, log_in
from tests.demo_copy import demo_restore
from tests.files import pdf_bytes

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def demo(transactional_db: Any, settings: Any, tmp_path: Path) -> Plan:
    """The seed with its demo figures (a transactional test starts empty); evidence goes to tmp_path."""
    settings.MEDIA_ROOT = settings.SENDFILE_ROOT = tmp_path / "media"
    demo_restore()
    # The demo's own approvals left debounce keys that would swallow this test's re-evaluation.
    cache.clear()
    return Plan.objects.get(issuing_unit__code="183", year=2024)


def test_commune_figures_are_sent_approved_and_counted(browser, live_server, demo, tmp_path):
    on_time = Indicator.objects.get(area__plan=demo, area__number=3, target__position=3)
    november = Period.objects.get(plan=demo, frequency=Frequency.MONTHLY, number=11)
    dong_dang = Unit.objects.get(code="06184")
    # The demo gives the town every other indicator's November figure, not this one's.
    assert not Measurement.objects.filter(indicator=on_time, unit=dong_dang, period=november).exists()
    approved_before = on_time.measurements.filter(unit=dong_dang, status=MeasurementStatus.APPROVED)
    numerator_before = sum(m.numerator for m in approved_before)
    denominator_before = sum(m.denominator for m in approved_before)
    evidence = tmp_path / "Sổ theo dõi hồ sơ tháng 11.pdf"
    evidence.write_bytes(pdf_bytes())  # a real PDF: uploads are checked by content
    page = browser.new_page()

    # The commune head picks the month and sends the on-time dossiers with a scanned register.
    log_in(page, live_server.url, "dongdang.lanhdao")
    page.goto(f"{live_server.url}/plans/{demo.pk}/figures/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Số liệu của đơn vị: Thị trấn Đồng Đăng")
    with page.expect_navigation():
        page.get_by_label("Kỳ báo cáo").select_option(value=str(november.pk))
    figure = page.locator(f"#indicator-{on_time.pk}")
    expect(figure).to_contain_text("Trên 99%")
    figure.get_by_label("hồ sơ giải quyết trước và đúng hạn").fill("97")
    figure.get_by_label("hồ sơ đã giải quyết").fill("100")
    figure.get_by_label("Ghi chú").fill("3 hồ sơ đất đai trễ hạn do chờ đo đạc.")
    figure.get_by_label("Tài liệu kiểm chứng").set_input_files(evidence)
    page.get_by_role("button", name="Gửi duyệt").click()
    expect(page.get_by_role("status")).to_have_text("Đã gửi 1 số liệu để duyệt.")
    expect(page.locator(f"#indicator-{on_time.pk}")).to_contain_text("Đã gửi, chờ duyệt")
    expect(page.locator(f"#indicator-{on_time.pk}")).to_contain_text("Sổ theo dõi hồ sơ tháng 11.pdf")
    page.get_by_role("button", name="Đăng xuất").click()

    # The secretariat approves it from the review queue.
    log_in(page, live_server.url, "noivu")
    page.goto(f"{live_server.url}/plans/{demo.pk}/figures/review/")
    row = page.locator("tbody tr", has_text="Tháng 11/2024").filter(has_text="Thị trấn Đồng Đăng")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("97 / 100")
    row.get_by_role("checkbox").check()
    page.get_by_role("button", name="Duyệt các số liệu đã chọn").click()
    expect(page.get_by_role("status")).to_have_text("Đã duyệt 1 số liệu.")

    # The beat's minute sweep re-evaluates the marked indicator once the debounce has passed (docs/jobs.md).
    evaluations_run_marked(now=timezone.now() + datetime.timedelta(minutes=5))
    # The indicator page shows the approved figure and the re-evaluated value.
    page.goto(f"{live_server.url}/indicators/{on_time.pk}/")
    recent = page.locator("section", has=page.get_by_role("heading", name="Số liệu gần đây"))
    first = recent.locator("tbody tr").first
    expect(first).to_contain_text("Tháng 11/2024")
    expect(first).to_contain_text("Thị trấn Đồng Đăng")
    expect(first).to_contain_text("97 / 100")
    expect(first).to_contain_text("Đã duyệt")
    by_unit = page.locator("section", has=page.get_by_role("heading", name="Theo đơn vị"))
    numerator, denominator = int(numerator_before) + 97, int(denominator_before) + 100
    expect(by_unit.locator("tr", has_text="Thị trấn Đồng Đăng")).to_contain_text(f"{numerator} / {denominator}")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "figures-approved.png"), full_page=True)

    snapshot = IndicatorSnapshot.objects.get(indicator=on_time, unit=dong_dang, day=timezone.localdate())
    assert (snapshot.numerator, snapshot.denominator) == (numerator, denominator)
    figure_row = Measurement.objects.get(indicator=on_time, unit=dong_dang, period=november)
    assert figure_row.status == MeasurementStatus.APPROVED
    assert [e.original_name for e in figure_row.evidence.all()] == ["Sổ theo dõi hồ sơ tháng 11.pdf"]
    stored = figure_row.evidence.get().file.name
    assert re.fullmatch(r"evidence/targets\.measurement/\d+/so-theo-doi-ho-so-thang-11\.pdf", stored)
