"""Issue 11: a reason or comment longer than 100 characters answered 500 (history_change_reason was varchar(100)).

Each action a form accepts stores its reason whole, in the record's history, on PostgreSQL as in production.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from targets.models import Measurement, MeasurementStatus, Period
from targets.services import period_lock
from tests.targets.builders import ratio, submitted

pytestmark = pytest.mark.django_db

# 600 characters, with diacritics: five times the old column, and more bytes than characters.
SENTENCE = "Số liệu chưa khớp với biên bản kiểm tra ngày 15/11; đề nghị đơn vị rà soát lại hồ sơ và gửi lại."
LONG = " ".join([SENTENCE] * 7)[:600].rstrip()


def _last_reason(record: Any) -> str:
    return record.history.order_by("-history_id").values_list("history_change_reason", flat=True)[0]


def test_a_figure_returned_with_a_long_reason_keeps_it_whole(
    client_for: Any, secretariat: Any, seed_plan: Any, on_time: Any, dong_dang: Any, november: Period, commune_head: Any
) -> None:
    waiting = submitted(on_time, dong_dang, november, ratio(98, 100), commune_head)
    response = client_for(secretariat).post(
        reverse("figures-review", args=[seed_plan.pk]),
        {"action": "return", "measurement": [waiting.pk], "comment": LONG},
    )
    assert response.status_code == 302
    figure = Measurement.objects.get(pk=waiting.pk)
    assert figure.status == MeasurementStatus.RETURNED
    assert figure.review_comment == LONG


def test_a_period_reopened_with_a_long_reason_keeps_it_whole(
    client_for: Any, secretariat: Any, november: Period
) -> None:
    period_lock(period=november)
    response = client_for(secretariat).post(
        reverse("period-lock", args=[november.pk]), {"action": "reopen", "reason": LONG}
    )
    assert response.status_code == 302
    november.refresh_from_db()
    assert not november.is_locked
    assert _last_reason(november) == LONG
