"""Issue 11: a reason or comment longer than 100 characters answered 500 (history_change_reason was varchar(100)).

Each action a form accepts stores its reason whole, in the record's history, on PostgreSQL as in production.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tasks.models import Task

pytestmark = pytest.mark.django_db

# 600 characters, with diacritics: five times the old column, and more bytes than characters.
SENTENCE = "Số liệu chưa khớp với biên bản kiểm tra ngày 15/11; đề nghị đơn vị rà soát lại hồ sơ và gửi lại."
LONG = " ".join([SENTENCE] * 7)[:600].rstrip()


def _last_reason(record: Any) -> str:
    return record.history.order_by("-history_id").values_list("history_change_reason", flat=True)[0]


def test_a_task_cancelled_with_a_long_reason_keeps_it_whole(client_for: Any, secretariat: Any, seed_plan: Any) -> None:
    task = Task.objects.filter(area__plan=seed_plan).open().order_by("pk").first()
    assert task is not None
    response = client_for(secretariat).post(reverse("task-cancel", args=[task.pk]), {"reason": LONG})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.cancelled_at is not None
    assert LONG in _last_reason(task)
