"""A figure's version: a save on a figure someone else saved since the page was opened is refused, and shows both."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse

from targets.conflicts import FigureConflict
from targets.models import Indicator, Measurement, MeasurementStatus, Period
from targets.services import measurement_approve, measurement_save, period_reopen
from tests.targets.builders import ratio

pytestmark = pytest.mark.django_db


def _save(indicator: Indicator, unit: Any, period: Period, figure: Any, user: Any, **kw: Any) -> Measurement:
    return measurement_save(indicator=indicator, unit=unit, period=period, figure=figure, user=user, **kw)


def _url(plan: Any, period: Period) -> str:
    return reverse("figures-entry", args=[plan.pk, "06184"]) + f"?period={period.pk}"


def _post(client, plan: Any, period: Period, indicator: Indicator, version: str, numerator: str, action="draft"):
    data = {"period": period.pk, "action": action, f"{indicator.pk}-numerator": numerator,
            f"{indicator.pk}-denominator": "100", f"{indicator.pk}-note": "Số của tôi.",
            f"{indicator.pk}-version": version}  # fmt: skip
    return client.post(_url(plan, period), data)


def test_each_write_of_a_figure_moves_its_version_once(on_time, dong_dang, november, commune_head, secretariat):
    figure = _save(on_time, dong_dang, november, ratio(90, 100), commune_head, expected_version=0)
    assert figure.version == 1
    _save(on_time, dong_dang, november, ratio(90, 100), commune_head, expected_version=1)
    assert Measurement.objects.get(pk=figure.pk).version == 1  # the same figure again writes nothing
    figure = _save(on_time, dong_dang, november, ratio(95, 100), commune_head, submit=True, expected_version=1)
    assert figure.version == 2
    assert measurement_approve(measurement=figure, user=secretariat).version == 3
    assert figure.history.count() == 3


def test_a_save_on_an_older_version_writes_nothing_and_says_what_is_stored(
    on_time, dong_dang, november, commune_head, commune_staff
):
    _save(on_time, dong_dang, november, ratio(90, 100, note="Của cán bộ."), commune_staff, expected_version=0)
    with pytest.raises(FigureConflict) as raised:
        _save(on_time, dong_dang, november, ratio(80, 100), commune_head, expected_version=0)
    conflict = raised.value
    assert conflict.by == "Lăng Thị Thu" and conflict.current_version == 1
    assert [(c.field, c.theirs, c.yours) for c in conflict.changes] == [
        ("numerator", "90", "80"),
        ("note", "Của cán bộ.", ""),
    ]
    stored = Measurement.objects.get(indicator=on_time, unit=dong_dang, period=november)
    assert (stored.numerator, stored.version, stored.history.count()) == (90, 1, 1)


def test_the_page_refuses_a_stale_save_keeps_what_was_typed_and_shows_the_other_save(
    client_for, seed_plan, on_time, dong_dang, november, commune_head, commune_staff
):
    client = client_for(commune_head)
    opened = client.get(_url(seed_plan, november)).content.decode()
    assert f'name="{on_time.pk}-version" value="0"' in opened
    _save(on_time, dong_dang, november, ratio(90, 100), commune_staff, expected_version=0)

    response = _post(client, seed_plan, november, on_time, "0", "85")

    assert response.status_code == 200
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Chưa lưu: có số liệu vừa được người khác lưu; xem phần khác biệt bên dưới."
    ]
    page = response.content.decode()
    assert "Số liệu này vừa được Lăng Thị Thu lưu lúc" in page
    assert f'name="{on_time.pk}-numerator" value="85"' in page  # typed, kept
    assert f'name="{on_time.pk}-version" value="1"' in page  # the next save is over what is stored now
    assert "<td>90</td><td>85</td>" in page
    assert Measurement.objects.get(indicator=on_time, unit=dong_dang, period=november).numerator == 90

    # Saving again, having seen the other figure, is a choice: it is saved.
    assert _post(client, seed_plan, november, on_time, "1", "85").status_code == 302
    assert Measurement.objects.get(indicator=on_time, unit=dong_dang, period=november).numerator == 85


def test_a_figure_sent_meanwhile_is_shown_locked_with_the_conflict(
    client_for, seed_plan, on_time, dong_dang, november, commune_head, commune_staff
):
    _save(on_time, dong_dang, november, ratio(90, 100), commune_staff, expected_version=0)
    _save(on_time, dong_dang, november, ratio(90, 100), commune_head, submit=True, expected_version=1)
    response = _post(client_for(commune_head), seed_plan, november, on_time, "1", "85")
    page = response.content.decode()
    assert "không còn sửa được; số liệu của bạn CHƯA được lưu." in page
    assert "<td>90</td><td>85</td>" in page
    assert Measurement.objects.get(indicator=on_time, unit=dong_dang, period=november).status == "submitted"


@pytest.mark.parametrize("version", ["abc", "-1", "1.5"])
def test_a_broken_version_is_a_form_error_not_a_500(client_for, seed_plan, on_time, november, commune_head, version):
    response = _post(client_for(commune_head), seed_plan, november, on_time, version, "85")
    assert response.status_code == 200
    assert "Phiên bản của số liệu không hợp lệ; hãy mở lại trang số liệu rồi nhập lại." in response.content.decode()
    assert not Measurement.objects.filter(indicator=on_time, period=november, unit__code="06184").exists()


def test_a_review_step_on_a_figure_decided_meanwhile_says_who_decided(
    on_time, dong_dang, november, commune_head, secretariat
):
    figure = _save(on_time, dong_dang, november, ratio(90, 100), commune_head, submit=True)
    stale = Measurement.objects.get(pk=figure.pk)
    measurement_approve(measurement=figure, user=secretariat)
    with pytest.raises(ValidationError) as raised:
        measurement_approve(measurement=stale, user=secretariat)
    assert raised.value.messages[0].startswith(
        "Chỉ duyệt được số liệu đang chờ duyệt. Số liệu này đã được Hoàng Thị Lan (Thường trực CCHC) duyệt lúc "
    )
    assert stale.status == MeasurementStatus.APPROVED  # the caller's copy is the stored one now


def test_reopening_a_period_someone_just_reopened_is_refused(november):
    with pytest.raises(ValidationError) as raised:
        period_reopen(period=november, reason="Bổ sung.")
    assert raised.value.messages == ["Kỳ Tháng 11/2024 đang mở (người khác vừa mở khóa); không cần mở lại."]


def test_a_page_posted_without_versions_is_saved_as_before(
    client_for, seed_plan, on_time, dong_dang, november, commune_head
):
    data = {
        "period": november.pk,
        "action": "draft",
        f"{on_time.pk}-numerator": "85",
        f"{on_time.pk}-denominator": "100",
    }
    assert client_for(commune_head).post(_url(seed_plan, november), data).status_code == 302
    assert Measurement.objects.get(indicator=on_time, unit=dong_dang, period=november).numerator == Decimal(85)
