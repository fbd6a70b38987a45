"""A figure typed with a decimal comma in a real browser is saved as typed (issue 10: "1,5" was saved as 15).

Debian's Chromium driven by Playwright's sync API (never `playwright install`). Select with `-m browser`.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from playwright.sync_api import expect

from parplan.models import Plan, Unit
from targets.models import Frequency, IndicatorKind, Measurement, Period
from targets.services import indicator_define
from tests.browser.helpers import ARTIFACTS, log_in
from tests.demo_copy import demo_restore
from tests.targets.builders import new_indicator

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def demo(transactional_db: Any, settings: Any, tmp_path: Path) -> Plan:
    """The seed with its demo figures (a transactional test starts empty)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    demo_restore()
    cache.clear()
    return Plan.objects.get(issuing_unit__code="183", year=2024)


def test_a_commune_head_types_a_decimal_comma_and_sees_it_saved(browser, live_server, demo):
    dong_dang = Unit.objects.get(code="06184")
    november = Period.objects.get(plan=demo, frequency=Frequency.MONTHLY, number=11)
    spending = new_indicator(
        demo, name="Kinh phí CCHC đã chi trong tháng", kind=IndicatorKind.AMOUNT, threshold=1, scope_units=[dong_dang]
    )
    indicator_define(indicator=spending, unit_of_measure="triệu đồng")
    # A Vietnamese browser: the portal takes the language, and so the number marks, from Accept-Language.
    page = browser.new_page(locale="vi-VN")
    log_in(page, live_server.url, "dongdang.lanhdao")
    page.goto(f"{live_server.url}/plans/{demo.pk}/figures/06184/?period={november.pk}")
    figure = page.locator(f"#indicator-{spending.pk}")
    box = figure.get_by_label("Giá trị")
    expect(box).to_have_attribute("type", "text")
    expect(box).to_have_attribute("inputmode", "decimal")

    # A value that reads two ways is sent back with both readings, and nothing is saved.
    box.fill("1.500")
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.locator(f"#indicator-{spending.pk}")).to_contain_text("có thể hiểu hai cách: 1500")
    assert not Measurement.objects.filter(indicator=spending).exists()

    # "1,5": one and a half million đồng, as typed.
    page.locator(f"#indicator-{spending.pk}").get_by_label("Giá trị").fill("1,5")
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.get_by_role("status")).to_have_text("Đã lưu nháp 1 số liệu.")
    expect(page.locator(f"#indicator-{spending.pk}").get_by_label("Giá trị")).to_have_value("1,5")
    assert Measurement.objects.get(indicator=spending, unit=dong_dang, period=november).value == Decimal("1.5")

    page.goto(f"{live_server.url}/indicators/{spending.pk}/")
    recent = page.locator("section", has=page.get_by_role("heading", name="Số liệu gần đây"))
    expect(recent.locator("tbody tr").first).to_contain_text("1,5")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "figure-decimal-comma.png"), full_page=True)

    # In English (the language cookie) the English marks are shown and read. Elements by name: the
    # English catalogue changes their labels.
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}/plans/{demo.pk}/figures/06184/?period={november.pk}")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    box = page.locator(f'input[name="{spending.pk}-value"]')
    expect(box).to_have_value("1.5")
    box.fill("2.25")
    page.locator('button[name="action"][value="draft"]').click()
    expect(page.locator(f'input[name="{spending.pk}-value"]')).to_have_value("2.25")
    assert Measurement.objects.get(indicator=spending, unit=dong_dang, period=november).value == Decimal("2.25")
