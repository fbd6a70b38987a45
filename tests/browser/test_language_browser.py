"""The language switch in a real browser: the committee reads its dashboard in English, then in Vietnamese again.

Debian's Chromium driven by Playwright's sync API (never `playwright install`).
The switch posts to Django's set_language with the page's own address as `next`,
so the person stays on the same page, filters included.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from playwright.sync_api import Page, expect

from parplan.models import Unit
from scoring.models import ScoringTree
from tests.browser.helpers import ARTIFACTS, log_in
from tests.demo_copy import demo_restore

VIETNAMESE = re.compile(
    "[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ"
    "ÀÁẠẢÃÂẦẤẬẨẪĂẰẮẶẲẴÈÉẸẺẼÊỀẾỆỂỄÌÍỊỈĨÒÓỌỎÕÔỒỐỘỔỖƠỜỚỢỞỠÙÚỤỦŨƯỪỨỰỬỮỲÝỴỶỸĐ]"
)
COMMUNE = "Thị trấn Đồng Đăng"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def demo(transactional_db: Any) -> None:
    """The seed plan with its figures and evaluations (a transactional test starts empty)."""
    demo_restore()
    cache.clear()  # the live server shares this process's cache


def _texts(page: Page, selector: str) -> list[str]:
    return [" ".join(text.split()) for text in page.locator(selector).all_inner_texts()]


def _chrome(page: Page) -> list[str]:
    """The interface's own words: headings, table headers, labels, buttons, the navigation but the unit links."""
    # Unit names, the signed-in person's name (a link to the account page) and the
    # scoring trees' titles (the official ranking's headings) are data.
    data = (
        set(Unit.objects.values_list("name", flat=True))
        | {user.get_full_name() for user in get_user_model().objects.all()}
        | set(ScoringTree.objects.values_list("title", flat=True))
    )
    navigation = [text for text in _texts(page, ".site-nav a, .site-user a, .site-user button") if text not in data]
    main = [
        text for text in _texts(page, "main h1, main h2, main h3, main th, main label, main button") if text not in data
    ]
    return [*navigation, *main]


def test_the_committee_switches_its_dashboard_to_english_and_back(browser, live_server, demo):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in(page, live_server.url, "bcd")
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bảng điều hành CCHC")

    # A filtered page: the switch must bring the person back to it, filters and all.
    page.get_by_label("Đơn vị").select_option(label=COMMUNE)
    page.get_by_role("button", name="Xem", exact=True).click()
    expect(page).to_have_url(re.compile(r"/dashboard/\?plan=\d+&unit=06184$"))
    filtered = page.url
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Bảng điều hành CCHC: {COMMUNE}")

    page.get_by_role("button", name="English").click()
    expect(page).to_have_url(filtered)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"PAR dashboard: {COMMUNE}")
    for heading in ("By area", "Needs attention", "Unit ranking by the progress index", "Indicators"):
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    # The needs-attention lists carry their count.
    expect(page.get_by_role("heading", name=re.compile(r"^Overdue tasks \(\d+\)$"))).to_be_visible()
    headers = _texts(page, "table.dash-indicators th")
    assert headers[:5] == ["Area", "Indicator", "Target", "Value", "Rating"]
    expect(page.get_by_role("link", name="Dashboard", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    chrome = _chrome(page)
    assert len(chrome) > 30  # the selectors found the page's interface
    assert [text for text in chrome if VIETNAMESE.search(text.replace(COMMUNE, ""))] == []
    # The indicators' ratings and the legend of the ranking are English too; the data stays as it is.
    assert page.locator("table.dash-indicators td .status").first.inner_text() in {
        "Achieved",
        "On track",
        "At risk",
        "Behind",
        "Not achieved",
        "Not applicable",
        "No figures yet",
    }
    expect(page.locator("#ranking p.muted")).to_contain_text("Score = 40% share of tasks completed on time")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard-english.png"), full_page=True)

    # The choice stays while the person moves on, and the switch leads back to Vietnamese.
    page.get_by_role("link", name="Plans", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Administrative reform plans")
    page.get_by_role("button", name="Tiếng Việt").click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kế hoạch cải cách hành chính")
    page.goto(filtered)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Bảng điều hành CCHC: {COMMUNE}")
    expect(page.get_by_role("button", name="English")).to_be_visible()
