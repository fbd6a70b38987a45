"""The review queue and the indicator pages: nothing selected, nothing changed and control characters are said so."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from parplan.formatting import format_number
from parplan.models import Plan
from targets.models import Indicator, Measurement, MeasurementStatus, Period
from targets.services import period_lock
from tests.targets.builders import ratio, row_counts, second_plan, submitted

pytestmark = pytest.mark.django_db

NOTHING_SELECTED = "Chưa chọn số liệu nào; hãy đánh dấu các số liệu cần duyệt hoặc trả lại."
CONTROL = "Nội dung chứa ký tự điều khiển không hợp lệ (ví dụ ký tự NUL); hãy xóa rồi nhập lại."


@pytest.fixture
def waiting(on_time, dong_dang, november, commune_head) -> Measurement:
    return submitted(on_time, dong_dang, november, ratio(98, 100), commune_head)


def _messages(response: Any) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


def _review(client: Any, plan: Plan, **data: Any) -> Any:
    return client.post(reverse("figures-review", args=[plan.pk]), data)


@pytest.mark.parametrize(
    "data",
    [
        {"action": "approve"},
        {"action": "approve", "measurement": []},
        {"action": "return", "comment": "Thiếu biên bản."},
        {"action": "return", "comment": ""},  # nothing selected is said before the missing reason
    ],
)
def test_a_review_action_with_nothing_selected_says_so_and_changes_nothing(
    client_for: Any, secretariat: Any, seed_plan: Plan, waiting: Measurement, data: dict[str, Any]
) -> None:
    before = row_counts()
    response = _review(client_for(secretariat), seed_plan, **data)
    assert response.status_code == 302
    assert _messages(response) == [("warning", NOTHING_SELECTED)]
    assert Measurement.objects.get(pk=waiting.pk).status == MeasurementStatus.SUBMITTED
    assert row_counts() == before


def test_the_review_page_never_says_zero_figures_were_approved(
    client_for: Any, secretariat: Any, seed_plan: Plan
) -> None:
    client = client_for(secretariat)
    response = _review(client, seed_plan, action="approve")
    page = client.get(response["Location"]).content.decode()
    assert "Chưa chọn số liệu nào" in page
    assert "Đã duyệt 0" not in page


def test_a_figure_of_another_plan_counts_as_nothing_selected(
    client_for: Any, secretariat: Any, seed_plan: Plan, waiting: Measurement
) -> None:
    other = second_plan(seed_plan)
    response = _review(client_for(secretariat), other, action="approve", measurement=[waiting.pk])
    assert _messages(response) == [("warning", NOTHING_SELECTED)]
    assert Measurement.objects.get(pk=waiting.pk).status == MeasurementStatus.SUBMITTED


def test_a_return_comment_with_a_nul_is_refused_in_vietnamese(
    client_for: Any, secretariat: Any, seed_plan: Plan, waiting: Measurement
) -> None:
    response = _review(client_for(secretariat), seed_plan, action="return", measurement=[waiting.pk],
                       comment="Thiếu\x00 biên bản.")  # fmt: skip
    assert _messages(response) == [("error", CONTROL)]
    assert Measurement.objects.get(pk=waiting.pk).status == MeasurementStatus.SUBMITTED


def test_a_period_reopen_reason_with_a_control_character_is_refused(
    client_for: Any, secretariat: Any, november: Period
) -> None:
    period_lock(period=november)
    response = client_for(secretariat).post(
        reverse("period-lock", args=[november.pk]), {"action": "reopen", "reason": "Sai số\x07"}
    )
    assert _messages(response) == [("error", CONTROL)]
    november.refresh_from_db()
    assert november.is_locked


def _definition(indicator: Indicator, **changes: Any) -> dict[str, Any]:
    names = ("name", "kind", "measure", "comparator", "unit_of_measure", "frequency", "scope", "aggregation",
             "source", "target_type", "numerator_label", "denominator_label")  # fmt: skip
    data = {name: getattr(indicator, name) for name in names}
    # Numbers as the page shows them (a decimal comma, no trailing zeros): "99.00" would read two ways.
    data |= {
        "threshold": "" if indicator.threshold is None else format_number(indicator.threshold),
        "baseline": "" if indicator.baseline is None else format_number(indicator.baseline),
        "scope_units": [u.pk for u in indicator.scope_units.all()],
    }
    if indicator.parts_counted:
        data["parts_counted"] = "on"
    return data | changes


def test_saving_a_definition_unchanged_says_nothing_changed(
    client_for: Any, secretariat: Any, on_time: Indicator
) -> None:
    history = on_time.history.count()
    response = client_for(secretariat).post(reverse("indicator-edit", args=[on_time.pk]), _definition(on_time))
    assert response.status_code == 302
    assert _messages(response) == [("info", "Không có thay đổi nào để lưu.")]
    assert on_time.history.count() == history


def test_saving_a_changed_definition_says_it_was_saved(client_for: Any, secretariat: Any, on_time: Indicator) -> None:
    response = client_for(secretariat).post(
        reverse("indicator-edit", args=[on_time.pk]), _definition(on_time, numerator_label="hồ sơ đúng hạn")
    )
    assert _messages(response) == [("success", "Đã lưu định nghĩa chỉ số.")]


def test_a_definition_name_with_a_nul_is_refused_in_vietnamese(
    client_for: Any, secretariat: Any, on_time: Indicator
) -> None:
    response = client_for(secretariat).post(
        reverse("indicator-edit", args=[on_time.pk]), _definition(on_time, name="Tỷ lệ\x00")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [CONTROL]
    assert "Null characters" not in response.content.decode()
