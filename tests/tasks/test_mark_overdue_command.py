from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from parplan.models import Plan
from tasks.models import Task


def test_mark_overdue_command_reports_the_day_and_counts(seed_plan: Plan):
    Task.objects.update(due_date=None, overdue_since=None)
    task = Task.objects.get(area__plan=seed_plan, area__number=3, position=4)
    Task.objects.filter(pk=task.pk).update(due_date=datetime.date(2024, 6, 30))
    out = io.StringIO()
    call_command("mark_overdue", "--date", "2024-07-01", stdout=out)
    assert out.getvalue().strip() == "01/07/2024: 1 nhiệm vụ mới quá hạn, 0 nhiệm vụ bỏ đánh dấu."
    task.refresh_from_db()
    assert task.overdue_since == datetime.date(2024, 7, 1)


def test_mark_overdue_command_refuses_a_date_in_another_format(db):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("mark_overdue", "--date", "01/07/2024")
