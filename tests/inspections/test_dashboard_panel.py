"""The dashboard shows the coverage against its threshold and the overdue recommendations by unit,
to those who read the plan's inspections; the computed indicators show with values and statuses."""

from __future__ import annotations

import re

import pytest


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


@pytest.fixture
def on_the_due_date(monkeypatch):
    """The dashboard of 20/12/2024, the demo's last evaluation."""
    import datetime

    from django.utils import timezone

    real = timezone.localdate
    monkeypatch.setattr(timezone, "localdate", lambda value=None, tz=None: datetime.date(2024, 12, 20) if value is None
                        else real(value, tz))  # fmt: skip


def test_the_secretariat_sees_coverage_and_overdue_recommendations(seed_plan, client_for, secretariat,
                                                                    on_the_due_date):  # fmt: skip
    text = _text(client_for(secretariat).get(f"/dashboard/?plan={seed_plan.pk}"))
    assert "Đã kiểm tra trực tiếp 12/35 đơn vị thuộc phạm vi (34,3%) · ngưỡng: trên 30% Đã vượt ngưỡng" in text
    assert "Kiến nghị quá hạn theo đơn vị Phòng Tài chính - Kế hoạch: 1 Thị trấn Đồng Đăng: 1" in text
    # The two computed indicators in the indicator table, with their values and statuses.
    assert "Tỷ lệ cơ quan chuyên môn, UBND xã, thị trấn được kiểm tra trực tiếp" in text
    assert "34,3%" in text and "66,7%" in text


def test_a_units_head_sees_no_panel(seed_plan, client_for, commune_head, on_the_due_date):
    text = _text(client_for(commune_head).get(f"/dashboard/?plan={seed_plan.pk}"))
    assert "Kiến nghị quá hạn theo đơn vị" not in text
