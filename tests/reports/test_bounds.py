"""The narrative form: a report date within the plan's years, no control characters, an unchanged save said so."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from parplan.models import Plan
from reports.models import ReportNarrative

pytestmark = pytest.mark.django_db

RANGE = "Ngày phải trong khoảng 01/01/2023 – 31/12/2025 (năm kế hoạch 2024, thêm một năm trước và sau)."
CONTROL = "Nội dung chứa ký tự điều khiển không hợp lệ (ví dụ ký tự NUL); hãy xóa rồi nhập lại."


def _url(plan: Plan) -> str:
    return reverse("report-narrative", args=[plan.pk, "year"])


def _narrative_post(client: Client, plan: Plan, **changes: str) -> dict[str, str]:
    """The narrative form as the page offers it (pre-filled), with `changes` typed in."""
    form = client.get(_url(plan)).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    return {**{k: str(v) for k, v in data.items()}, "action": "save", **changes}


def _messages(response: Any) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


@pytest.mark.parametrize("day", ["01/01/1900", "31/12/9999"])
def test_a_report_date_outside_the_plans_years_is_refused(
    seed_plan: Plan, secretariat: Any, client_for: Callable[[Any], Client], day: str
) -> None:
    client = client_for(secretariat)
    response = client.post(_url(seed_plan), _narrative_post(client, seed_plan, report_date=day))
    assert response.status_code == 200
    assert response.context["form"].errors["report_date"] == [RANGE]
    assert not ReportNarrative.objects.filter(plan=seed_plan, kind="year").exists()


def test_a_report_dated_in_january_after_the_plan_year_is_saved(
    seed_plan: Plan, secretariat: Any, client_for: Callable[[Any], Client]
) -> None:
    client = client_for(secretariat)
    client.post(_url(seed_plan), _narrative_post(client, seed_plan, report_date="05/01/2025"))
    assert ReportNarrative.objects.get(plan=seed_plan, kind="year").report_date.isoformat() == "2025-01-05"


def test_an_area_comment_with_a_nul_is_refused_in_vietnamese(
    seed_plan: Plan, secretariat: Any, client_for: Callable[[Any], Client]
) -> None:
    client = client_for(secretariat)
    response = client.post(_url(seed_plan), _narrative_post(client, seed_plan, area_2="Nhận xét\x00"))
    assert response.status_code == 200
    assert response.context["form"].errors["area_2"] == [CONTROL]
    assert "Null characters" not in response.content.decode()


def test_saving_the_narrative_unchanged_says_nothing_changed(
    seed_plan: Plan, secretariat: Any, client_for: Callable[[Any], Client]
) -> None:
    client = client_for(secretariat)
    first = client.post(_url(seed_plan), _narrative_post(client, seed_plan, causes="Thiếu nhân lực."))
    assert _messages(first) == [("success", "Đã lưu nội dung báo cáo.")]
    history = ReportNarrative.history.count()
    again = client.post(_url(seed_plan), _narrative_post(client, seed_plan))
    assert _messages(again) == [("info", "Không có thay đổi nào để lưu.")]
    assert ReportNarrative.history.count() == history
