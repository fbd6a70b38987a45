"""The page scripts moved out of the templates still work under the Content-Security-Policy, and break none of it.

Debian's Chromium driven by Playwright's sync API (never `playwright install`).
Select with `-m browser`. Every page listens for `securitypolicyviolation`: a
blocked inline script, handler or style would be counted there.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from playwright.sync_api import Page, expect

from dossiers.services import dossier_rows_import
from parplan.models import Plan
from reports.models import GeneratedReport, GenerationState, ReportKind
from tests.browser.helpers import axe_violations, log_in
from tests.demo_copy import demo_restore
from tests.dossiers.builders import parsed

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

# Runs before the page's own scripts; Playwright injects it outside the page's policy.
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", e => {
  window.__violations.push(e.violatedDirective + " " + e.blockedURI);
});
window.__printed = 0;
window.print = () => { window.__printed += 1; };
"""


@pytest.fixture
def demo(transactional_db: Any) -> Plan:
    demo_restore()
    cache.clear()
    return Plan.objects.get(issuing_unit__code="183", year=2024)


def _page(browser: Any) -> Page:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.add_init_script(WATCH)
    return page


def _violations(page: Page) -> list[str]:
    return list(page.evaluate("window.__violations"))


def test_the_print_button_prints_and_nothing_is_blocked(browser, live_server, demo):
    page = _page(browser)
    log_in(page, live_server.url, "bcd")
    expect(page).to_have_url(re.compile(r"/dashboard/$"))

    page.get_by_role("button", name="In", exact=True).click()

    assert page.evaluate("window.__printed") == 1
    assert _violations(page) == []


def test_select_all_checks_every_figure_in_the_review_queue(browser, live_server, demo):
    page = _page(browser)
    log_in(page, live_server.url, "noivu")
    page.goto(f"{live_server.url}/plans/{demo.pk}/figures/review/")
    boxes = page.locator("input[name=measurement]")
    assert boxes.count() >= 2

    page.get_by_label("Chọn tất cả").check()
    assert boxes.evaluate_all("boxes => boxes.every(box => box.checked)")
    page.get_by_label("Chọn tất cả").uncheck()
    assert boxes.evaluate_all("boxes => boxes.every(box => !box.checked)")
    assert _violations(page) == []


def test_choosing_a_period_opens_its_figures(browser, live_server, demo):
    page = _page(browser)
    log_in(page, live_server.url, "dongdang.lanhdao")
    page.goto(f"{live_server.url}/plans/{demo.pk}/figures/")
    period = page.get_by_label("Kỳ báo cáo")
    other = period.locator("option:not([selected])").first.get_attribute("value")

    with page.expect_navigation():
        period.select_option(value=other)

    expect(page).to_have_url(re.compile(rf"[?&]period={other}"))
    assert _violations(page) == []


def test_a_report_being_built_shows_its_progress_then_its_downloads(browser, live_server, demo):
    report = GeneratedReport.objects.create(
        plan=demo, kind=ReportKind.YEAR, version=1, cutoff_date=demo.issue_date,
        author=get_user_model().objects.get(username="noivu"), state=GenerationState.RUNNING, progress=10,
    )  # fmt: skip
    page = _page(browser)
    log_in(page, live_server.url, "noivu")
    page.goto(f"{live_server.url}/reports/{report.pk}/")
    progress = page.locator("progress#progress")
    expect(progress).to_have_attribute("value", "10")
    page.evaluate("window.__same_page = true")

    GeneratedReport.objects.filter(pk=report.pk).update(progress=60)
    expect(progress).to_have_js_property("value", 60)
    assert page.evaluate("window.__same_page === true")  # polled, not reloaded
    GeneratedReport.objects.filter(pk=report.pk).update(progress=100, state=GenerationState.DONE)

    expect(page.locator("#state")).to_have_text("Hoàn tất")  # the page reloaded itself
    expect(page.get_by_role("link", name="Tải PDF")).to_be_visible()
    assert _violations(page) == []


def test_a_table_wider_than_the_screen_scrolls_by_keyboard(browser, live_server, demo):
    """Found walking the portal: axe's "scrollable-region-focusable" (serious) on a table wider than its box;
    a keyboard could not reach its last columns. Its box is now a named region in the tab order."""
    page = browser.new_page(viewport={"width": 1000, "height": 900}, bypass_csp=True)  # for axe's script
    log_in(page, live_server.url, "noivu")
    rows = [parsed(code, 1) for code in ("06184", "06190", "06187")]
    dossier_rows_import(plan=demo, rows=rows, source="Hệ thống một cửa", user=None)
    page.goto(f"{live_server.url}/plans/{demo.pk}/dossiers/?month=2024-01")
    wrap = page.locator(".table-wrap").first
    assert wrap.evaluate("box => box.scrollWidth > box.clientWidth")
    expect(wrap).to_have_attribute("tabindex", "0")
    expect(wrap).to_have_attribute("role", "region")
    expect(wrap).to_have_attribute("aria-label", re.compile(r"^Số liệu tháng \d\d/\d{4} theo đơn vị$"))
    wrap.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")  # scrolled sideways by the keyboard alone
    # The browser scrolls smoothly, after the key presses return: waited for (it failed once in CI, read at 0).
    page.wait_for_function("box => box.scrollLeft > 0", arg=wrap.element_handle(), timeout=5000)
    assert "scrollable-region-focusable" not in " ".join(axe_violations(page))
