"""The steering committee's dashboard in a real browser: ranking, trend lines, the unit filter, print.

Debian's Chromium driven by Playwright's sync API (never `playwright install`).
Select with `-m browser`; screenshots and the A4 PDF land in test-artifacts/.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.cache import cache
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.helpers import ARTIFACTS, log_in
from tests.demo_copy import demo_restore

COMMUNE = "Thị trấn Đồng Đăng"
A4_POINTS = (595, 842)  # 210 × 297 mm

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def demo(transactional_db: Any) -> None:
    """The seed plan with its figures and evaluations (a transactional test starts empty)."""
    demo_restore()
    # The live server shares this process's cache; start from nothing built.
    cache.clear()


def test_committee_filters_the_dashboard_to_a_unit_and_prints_it(browser, live_server, demo):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in(page, live_server.url, "bcd")

    # The committee's home page is the dashboard of the active plan, for every unit.
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Bảng điều hành CCHC")
    ranked = page.locator("#ranking li")
    expect(ranked.first).to_be_visible()
    names = page.locator("#ranking li .rank-name")
    assert names.count() >= 2
    # A flat line has no height, which Playwright counts as hidden: check the chart, then its points.
    expect(page.locator("svg.trend").first).to_be_visible()
    trend_lines = [line.split() for line in page.locator("svg.trend polyline").evaluate_all(
        "lines => lines.map(line => line.getAttribute('points'))"
    )]  # fmt: skip
    assert trend_lines and all(len(points) >= 2 for points in trend_lines)
    assert any(len({point.split(",")[1] for point in points}) > 1 for points in trend_lines), "every line is flat"
    assert page.locator("table.dash-areas tbody tr").count() == 7
    # Bars per area, the ranking as bars, trend charts with axes: each with its words beside or inside it.
    expect(page.locator("ol.areas > li")).to_have_count(7)
    expect(page.locator("ol.areas svg.bar").first).to_be_visible()
    expect(page.locator("#ranking svg.rank-bar").first).to_be_visible()
    chart = page.locator("svg.trend").first
    expect(chart).to_be_visible()
    expect(chart.locator("title").first).to_contain_text("Diễn biến: ")
    expect(chart.locator("desc")).to_contain_text("Tháng ")
    assert chart.locator(".axis text").count() >= 4  # values up the side, periods along the bottom
    ARTIFACTS.mkdir(exist_ok=True)
    # The full-page picture at desktop width (docs/images/dashboard.png is a copy of it).
    page.screenshot(path=str(ARTIFACTS / "dashboard-all.png"), full_page=True)
    page.emulate_media(media="print")
    whole = ARTIFACTS / "dashboard-all-print.pdf"
    page.pdf(path=str(whole), format="A4", print_background=True)
    printed = PdfReader(whole)
    # The whole authority's board on a few sheets, not one sheet per table row (7 on the demo plan).
    assert 2 <= len(printed.pages) <= 12, len(printed.pages)
    printed_text = "".join(sheet.extract_text() for sheet in printed.pages)
    # The charts are in the PDF as drawn text: the areas' counts and the trend axes' period labels.
    assert "hoàn thành" in printed_text and re.search(r"(?<![\d/])\d{2}/\d{2}(?![\d/])", printed_text)
    page.emulate_media(media="screen")

    page.get_by_label("Đơn vị").select_option(label=COMMUNE)
    page.get_by_role("button", name="Xem").click()

    expect(page).to_have_url(re.compile(r"[?&]unit=06184"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Bảng điều hành CCHC: {COMMUNE}")
    expect(page).to_have_title(re.compile(r"^Bảng điều hành"))
    expect(names).to_have_count(1)
    expect(names.first).to_have_text(COMMUNE)
    expect(page.get_by_label("Đơn vị")).to_have_value("06184")
    page.screenshot(path=str(ARTIFACTS / "dashboard-unit.png"), full_page=True)

    page.emulate_media(media="print")
    expect(page.locator("header.site-header")).to_be_hidden()
    expect(page.locator("nav.site-nav")).to_be_hidden()
    expect(page.locator("#dashboard-filter")).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("table.dash-indicators")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "dashboard-print.png"), full_page=True)
    pdf = ARTIFACTS / "dashboard-print.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)

    reader = PdfReader(pdf)
    assert len(reader.pages) >= 1
    for sheet in reader.pages:
        size = (float(sheet.mediabox.width), float(sheet.mediabox.height))
        # Chromium rounds A4 to whole pixels at 96 dpi: within a point or two of 595 × 842.
        assert all(abs(got - want) <= 2 for got, want in zip(size, A4_POINTS, strict=True)), size
    text = reader.pages[0].extract_text()
    assert COMMUNE in text
    assert "Đăng xuất" not in text
