"""The main pages as axe-core reads them: no WCAG 2 A/AA violation, and nothing scrolls sideways on a phone.

axe-core comes from the npm registry (package.json at the repository root, `npm ci`;
scripts/bootstrap.sh installs it in test mode) and is injected from disk into each
page: the portal itself never serves it. Select with `-m browser`.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from playwright.sync_api import Browser, Page, ViewportSize, expect

from parplan.models import Plan
from targets.models import Indicator
from tasks.models import Task
from tests.browser.helpers import ARTIFACTS, axe_violations, horizontal_overflow, log_in
from tests.demo_copy import demo_restore

PHONE: ViewportSize = {"width": 390, "height": 844}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def demo(transactional_db: Any) -> Plan:
    """The seed plan with its figures and evaluations (a transactional test starts empty)."""
    demo_restore()
    cache.clear()  # the live server shares this process's cache
    return Plan.objects.get(issuing_unit__code="183", year=2024)


def _main_pages(plan: Plan) -> dict[str, str]:
    task = Task.objects.filter(area__plan=plan).order_by("area__number", "position").first()
    # An indicator with a history, so that its page draws a chart.
    indicator = Indicator.objects.filter(area__plan=plan, snapshots__isnull=False).order_by("pk").first()
    assert task is not None and indicator is not None
    return {
        "dashboard": f"/dashboard/?plan={plan.pk}",
        "plan": f"/plans/{plan.pk}/",
        "task": f"/tasks/{task.pk}/",
        "indicator": f"/indicators/{indicator.pk}/",
        "review": f"/plans/{plan.pk}/figures/review/",
        "report": f"/plans/{plan.pk}/reports/",
    }


def test_the_main_pages_have_no_wcag_a_or_aa_violations(browser: Browser, live_server: Any, demo: Plan) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    log_in(page, live_server.url, "noivu")
    found = {}
    for name, path in _main_pages(demo).items():
        page.goto(live_server.url + path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        violations = axe_violations(page)
        if violations:
            found[f"{name} {path}"] = violations
    report = "\n".join(f"{where}:\n  " + "\n  ".join(lines) for where, lines in found.items())
    assert not found, f"axe-core (WCAG 2 A/AA) found:\n{report}"


def _first_screen_answers(page: Page) -> None:
    """What is off track, who lags, what is overdue: on the phone's first screen, and no column hidden."""
    tiles = page.locator(".dash-summary .tile")
    expect(tiles).to_have_count(3)
    expect(tiles.nth(0)).to_contain_text("chỉ số chậm, không đạt")
    expect(tiles.nth(1)).to_contain_text("Đơn vị chậm nhất")
    expect(tiles.nth(2)).to_contain_text("nhiệm vụ quá hạn")
    for i in range(3):
        box = tiles.nth(i).bounding_box()
        assert box is not None and box["y"] + box["height"] <= PHONE["height"], f"tile {i} below the first screen"
    # The indicators' table is cards on a phone; the value column used to be cut off (display: none).
    values = page.locator("table.dash-indicators td.value-cell")
    expect(values.first).to_be_visible()
    expect(page.locator("svg.trend").first).to_be_visible()


def test_the_dashboard_plan_and_figure_form_do_not_scroll_sideways_on_a_phone(
    browser: Browser, live_server: Any, demo: Plan
) -> None:
    page = browser.new_page(viewport=PHONE)
    log_in(page, live_server.url, "noivu")
    paths = {
        "dashboard": f"/dashboard/?plan={demo.pk}",
        "plan": f"/plans/{demo.pk}/",
        "figure-form": f"/plans/{demo.pk}/figures/06184/",
    }
    too_wide = {}
    for name, path in paths.items():
        page.goto(live_server.url + path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        if overflow := horizontal_overflow(page):
            too_wide[name] = overflow
        if name == "dashboard":
            _first_screen_answers(page)
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "dashboard-phone.png"), full_page=True)
    assert too_wide == {}, f"pixels wider than a {PHONE['width']}px screen: {too_wide}"


def test_a_refused_figure_page_opens_on_its_error_summary_and_passes_axe(
    browser: Browser, live_server: Any, demo: Plan
) -> None:
    """A word typed for a number: the page comes back with the summary first (an alert a screen reader reads
    out) and the focus in the box to mend, which the summary's link names; what was typed is kept; axe finds
    nothing."""
    page = browser.new_page(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    log_in(page, live_server.url, "noivu")
    page.goto(f"{live_server.url}/plans/{demo.pk}/figures/06184/")
    box = page.locator("input[name$='-numerator']:not([disabled])").first
    name = box.get_attribute("name")
    box.fill("mười")
    page.get_by_role("button", name="Lưu nháp").click()
    summary = page.locator(".error-summary")
    expect(summary).to_have_attribute("role", "alert")
    expect(summary.get_by_role("heading")).to_have_text("Chưa lưu được: hãy sửa các mục sau.")
    link = summary.get_by_role("link").first
    expect(link).to_contain_text("Cần nhập một số.")
    typed = page.locator(f"input[name='{name}']")
    assert link.get_attribute("href") == "#" + (typed.get_attribute("id") or "")
    expect(typed).to_have_value("mười")
    expect(typed).to_be_focused()
    expect(typed).to_have_attribute("aria-invalid", "true")
    assert axe_violations(page) == []
