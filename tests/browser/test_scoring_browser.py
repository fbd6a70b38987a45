"""A scoring round in a real browser: a commune self-scores an area with evidence, the secretariat
changes one score, the commune explains, the final rank appears (issue 16).

Debian's Chromium driven by Playwright's sync API (never `playwright install`).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from parplan.models import Unit
from scoring.models import Score, ScoringRound, Step
from scoring.services import round_open, survey_enter, tree_create
from tests.browser.helpers import log_in
from tests.demo_copy import demo_restore
from tests.files import pdf_bytes
from tests.scoring.conftest import items

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def scoring_round(transactional_db: Any, settings: Any, tmp_path: Path) -> ScoringRound:
    settings.MEDIA_ROOT = settings.SENDFILE_ROOT = tmp_path / "media"
    demo_restore()
    authority = Unit.objects.get(code="183")
    units = [Unit.objects.get(code="06184"), Unit.objects.get(memberships__user__username="baolam.lanhdao")]
    tree = tree_create(authority=authority, year=2030, group="communes", title="Bộ tiêu chí thử 2030", items=items(),
                       bonus_cap=Decimal(2), penalty_cap=Decimal(3))  # fmt: skip
    today = timezone.localdate()
    return round_open(
        tree=tree, self_until=today + datetime.timedelta(days=5), appraisal_until=today + datetime.timedelta(days=10),
        explanation_until=today + datetime.timedelta(days=15), final_until=today + datetime.timedelta(days=20),
        units=units,
    )  # fmt: skip


def _section(page: Any, score: Score) -> Any:
    return page.locator(f"#score-{score.pk}")


def test_a_commune_goes_through_a_round(browser, live_server, scoring_round, tmp_path):
    dongdang = Unit.objects.get(code="06184")
    plan_item = Score.objects.get(round=scoring_round, unit=dongdang, criterion__code="1.1")
    publicity = Score.objects.get(round=scoring_round, unit=dongdang, criterion__code="2.1")
    evidence = tmp_path / "Kế hoạch CCHC 2030.pdf"
    evidence.write_bytes(pdf_bytes())
    sheet = f"{live_server.url}/scoring/{scoring_round.pk}/units/{dongdang.code}/"
    results = f"{live_server.url}/scoring/{scoring_round.pk}/"
    page = browser.new_page()

    # The commune self-scores area 1's plan item with its evidence, and area 2.
    log_in(page, live_server.url, "dongdang.lanhdao")
    page.goto(sheet)
    section = _section(page, plan_item)
    section.get_by_label("Điểm tự chấm").fill("10")
    section.get_by_label("Thuyết minh").fill("Ban hành ngày 05/01")
    section.get_by_label("Tài liệu kiểm chứng").set_input_files(str(evidence))
    with page.expect_navigation():
        section.get_by_role("button", name="Lưu điểm").click()
    expect(page.get_by_text("Đã lưu điểm tiêu chí 1.1.")).to_be_visible()
    expect(_section(page, plan_item).get_by_role("link", name="Kế hoạch CCHC 2030.pdf")).to_be_visible()
    section = _section(page, publicity)
    section.get_by_label("Điểm tự chấm").fill("44")
    with page.expect_navigation():
        section.get_by_role("button", name="Lưu điểm").click()
    publicity.refresh_from_db()
    assert publicity.self_points == 44

    # The secretariat closes self-assessment on the round's page and changes one score.
    page.context.clear_cookies()
    log_in(page, live_server.url, "noivu")
    _close_step(page, results)
    page.goto(sheet)
    section = _section(page, publicity)
    section.get_by_label("Điểm thẩm định").fill("40")
    section.get_by_label("Ý kiến thẩm định").fill("Chưa công khai 4 thủ tục")
    with page.expect_navigation():
        section.get_by_role("button", name="Lưu thẩm định").click()
    expect(_section(page, publicity).locator("dd").nth(1)).to_contain_text("40,00 — Chưa công khai 4 thủ tục")
    _close_step(page, results)

    # The commune explains.
    page.context.clear_cookies()
    log_in(page, live_server.url, "dongdang.lanhdao")
    page.goto(sheet)
    section = _section(page, publicity)
    section.get_by_label("Giải trình").fill("Đã công khai tại bộ phận một cửa")
    with page.expect_navigation():
        section.get_by_role("button", name="Gửi giải trình").click()
    expect(_section(page, publicity).locator("dd").nth(2)).to_have_text("Đã công khai tại bộ phận một cửa")

    # Final appraisal with the survey part; the secretariat publishes; the rank appears to the commune.
    page.context.clear_cookies()
    log_in(page, live_server.url, "noivu")
    _close_step(page, results)
    page.goto(sheet)
    with page.expect_navigation():
        page.get_by_role("link", name="Nhập điểm điều tra xã hội học").click()
    page.get_by_label("3.1. Hài lòng").fill("12,5")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Đã lưu điểm điều tra xã hội học của")).to_be_visible()
    other = Unit.objects.get(memberships__user__username="baolam.lanhdao")
    survey_enter(scoring_round=scoring_round, unit=other, points={"3.1": Decimal(10)}, user=None)
    _close_step(page, results)
    scoring_round.refresh_from_db()
    assert scoring_round.step == Step.DONE
    page.context.clear_cookies()
    log_in(page, live_server.url, "dongdang.lanhdao")
    page.goto(sheet)
    expect(page.locator("#unit-rank")).to_have_text("1")
    assert Score.objects.get(round=scoring_round, unit=dongdang, criterion__code="3.1").final_points == Decimal("12.5")


def _close_step(page: Any, results: str) -> None:
    page.goto(results)
    with page.expect_navigation():
        page.get_by_role("button", name="Kết thúc bước này").click()
    expect(page.get_by_text("Đã chuyển sang bước")).to_be_visible()
