"""Creations sent at once that meet a unique constraint: each gets its own number, or the one row is shared.

Before: a double click on "Tạo báo cáo", two tasks added to one area, or two first saves
of a report's text at once answered 500 (IntegrityError) to all but one.
"""

from __future__ import annotations

from functools import partial

import pytest
from django.db.models import Count

from reports.models import GeneratedReport, ReportKind, ReportNarrative
from reports.services import narrative_save, report_request
from tasks.models import Task
from tasks.services import task_create
from tests.concurrency.conftest import District, at_once

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

N = 20


@pytest.fixture(autouse=True)
def _no_generation(monkeypatch: pytest.MonkeyPatch) -> None:
    # Eager Celery would render each version's PDF in the request's thread: not what is raced here.
    monkeypatch.setattr("reports.services.enqueue_on_commit", lambda name, *args, **kwargs: None)


def test_reports_requested_at_once_get_distinct_versions(district: District):
    users = [district.secretariat, district.secretariat_2]
    outcomes = at_once(
        [partial(report_request, plan=district.plan, kind=ReportKind.Q1, user=users[i % 2]) for i in range(N)]
    )
    assert [o.error for o in outcomes] == [None] * N
    versions = sorted(
        GeneratedReport.objects.filter(plan=district.plan, kind=ReportKind.Q1).values_list("version", flat=True)
    )
    assert versions == list(range(1, N + 1))


def test_first_saves_of_a_report_text_at_once_make_one_narrative(district: District):
    users = [district.secretariat, district.secretariat_2]
    outcomes = at_once([
        partial(narrative_save, plan=district.plan, kind=ReportKind.H1, user=users[i % 2], strengths=f"Ưu điểm {i}.")
        for i in range(N)
    ])  # fmt: skip
    assert [o.error for o in outcomes] == [None] * N
    narrative = ReportNarrative.objects.get(plan=district.plan, kind=ReportKind.H1)
    assert narrative.strengths in {f"Ưu điểm {i}." for i in range(N)}


def test_tasks_created_at_once_in_one_area_take_distinct_places(district: District):
    area = district.task.area
    before = area.tasks.count()
    outcomes = at_once([
        partial(task_create, area=area, text=f"Nhiệm vụ bổ sung số {i + 1}.", user=district.secretariat)
        for i in range(N)
    ])  # fmt: skip
    assert [o.error for o in outcomes] == [None] * N
    assert area.tasks.count() == before + N
    assert not Task.objects.filter(area=area).values("position").annotate(n=Count("pk")).filter(n__gt=1).exists()
