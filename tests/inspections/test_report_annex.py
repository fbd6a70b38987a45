"""Annex III of the periodic report lists the window's visits, findings by area and recommendations' states.

On main it printed one fixed sentence ("Chưa có dữ liệu kiểm tra CCHC trên hệ thống trong kỳ báo cáo.").
"""

from __future__ import annotations

import re

from django.utils import translation

from reports.renderers.pdf import report_html
from reports.selectors import report_data


def _annex_three(html: str) -> str:
    section = html[html.index("Phụ lục III") : html.index("Phụ lục IV")]
    return " ".join(re.sub(r"<[^>]+>", " ", section).split())


def test_the_year_reports_annex_three_is_built_from_the_records(seed_plan):
    text = _annex_three(report_html(report_data(plan=seed_plan, kind="year")))
    assert "Chưa có dữ liệu kiểm tra CCHC" not in text
    assert "12/03/2024 Văn phòng HĐND và UBND Kiểm tra công tác CCHC Theo kế hoạch" in text
    assert "17/09/2024 Xã Bảo Lâm Theo dõi, kiểm tra thi hành pháp luật" in text
    assert "Tỷ lệ cơ quan, đơn vị được kiểm tra trực tiếp: 12/35 (34,3%); chỉ tiêu trên 30%." in text
    assert "đúng hạn: 4/6 (66,7%)." in text
    assert "Đơn vị đang thực hiện 2" in text and "Đã xác nhận hoàn thành 2" in text
    assert "Trong đó quá hạn chưa hoàn thành 2" in text


def test_the_annex_stays_vietnamese_when_asked_for_in_english(seed_plan):
    with translation.override("en"):
        text = _annex_three(report_html(report_data(plan=seed_plan, kind="year")))
    assert "Kiểm tra công tác CCHC" in text and "Đơn vị đang thực hiện" in text


def test_a_window_without_visits_keeps_the_sentence(seed_plan):
    data = report_data(plan=seed_plan, kind="year")
    assert data.annex_inspections is not None
    data.annex_inspections = None
    assert "Chưa có dữ liệu kiểm tra CCHC trên hệ thống trong kỳ báo cáo." in _annex_three(report_html(data))
