"""Report versions whose job died: marked failed after PARPLAN_REPORT_STALE_MINUTES, retried from their page.

Before, a worker killed mid-report left the version "Đang tạo 40%" for ever, and
a report requested while Redis was down stayed "Đang chờ", with no way out.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from parplan.models import Job, Plan
from reports.models import GeneratedReport, GenerationState
from reports.services import report_generate, report_retry, reports_fail_stale
from reports.tasks import generate_report

pytestmark = pytest.mark.django_db


def _version(plan: Plan, author: Any, state: str, minutes_ago: float, progress: int = 0) -> GeneratedReport:
    number = (GeneratedReport.objects.filter(plan=plan, kind="q1").count() or 0) + 1
    return GeneratedReport.objects.create(
        plan=plan, kind="q1", version=number, cutoff_date=datetime.date(plan.year, 3, 14), author=author,
        state=state, progress=progress, progress_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
    )  # fmt: skip


def _messages(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_a_version_that_has_not_moved_for_the_stated_time_is_marked_failed(seed_plan, secretariat, settings):
    settings.PARPLAN_REPORT_STALE_MINUTES = 15
    running = _version(seed_plan, secretariat, GenerationState.RUNNING, minutes_ago=16, progress=40)
    queued = _version(seed_plan, secretariat, GenerationState.QUEUED, minutes_ago=20)
    moving = _version(seed_plan, secretariat, GenerationState.RUNNING, minutes_ago=14, progress=40)
    done = _version(seed_plan, secretariat, GenerationState.DONE, minutes_ago=600, progress=100)

    assert reports_fail_stale() == 2

    states = dict(GeneratedReport.objects.filter(plan=seed_plan, kind="q1").values_list("pk", "state"))
    assert states == {
        running.pk: GenerationState.FAILED, queued.pk: GenerationState.FAILED,
        moving.pk: GenerationState.RUNNING, done.pk: GenerationState.DONE,
    }  # fmt: skip
    running.refresh_from_db()
    assert running.error.startswith("Quá 15 phút không có tiến triển")
    assert running.progress == 40  # what it reached stays visible
    reason = running.history.latest().history_change_reason
    assert reason == "Đánh dấu lỗi: quá thời gian không có tiến triển."
    assert reports_fail_stale() == 0  # the sweep is idempotent


def test_the_stale_time_is_a_setting(seed_plan, secretariat, settings):
    settings.PARPLAN_REPORT_STALE_MINUTES = 60
    _version(seed_plan, secretariat, GenerationState.RUNNING, minutes_ago=30, progress=40)
    assert reports_fail_stale() == 0
    assert reports_fail_stale(now=timezone.now() + datetime.timedelta(minutes=31)) == 1


def test_a_job_delivered_again_leaves_a_done_or_failed_version_alone(seed_plan, secretariat, monkeypatch):
    monkeypatch.setattr("reports.services.report_gather", lambda **kw: pytest.fail("must not gather again"))
    done = _version(seed_plan, secretariat, GenerationState.DONE, minutes_ago=1, progress=100)
    failed = _version(seed_plan, secretariat, GenerationState.FAILED, minutes_ago=1, progress=40)
    for report in (done, failed):
        generate_report(report.pk)
        assert report_generate(report=report).state == report.state
    assert GeneratedReport.objects.get(pk=done.pk).progress == 100
    assert GeneratedReport.objects.get(pk=failed.pk).state == GenerationState.FAILED
    assert generate_report(10**9) == f"report {10**9} is gone"


def test_a_version_cut_off_while_running_is_generated_when_its_job_comes_again(
    seed_plan, secretariat, media_root: Path
):
    # acks_late + reject_on_worker_lost: the job of a killed worker is delivered again.
    cut_off = _version(seed_plan, secretariat, GenerationState.RUNNING, minutes_ago=2, progress=40)
    generate_report(cut_off.pk)
    cut_off.refresh_from_db()
    assert (cut_off.state, cut_off.progress, cut_off.error) == (GenerationState.DONE, 100, "")
    assert cut_off.pdf and cut_off.xlsx


def test_the_secretariat_generates_a_failed_version_again_from_its_page(
    seed_plan, secretariat, media_root: Path, client_for: Callable[[Any], Client], django_capture_on_commit_callbacks
):
    report = _version(seed_plan, secretariat, GenerationState.RUNNING, minutes_ago=60, progress=40)
    reports_fail_stale()
    client = client_for(secretariat)
    page = client.get(reverse("report-detail", args=[report.pk])).content.decode()
    assert "Quá 15 phút không có tiến triển" in page
    assert f'action="{reverse("report-retry", args=[report.pk])}"' in page and "Tạo lại" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("report-retry", args=[report.pk]))

    assert response.status_code == 302 and response["Location"] == reverse("report-detail", args=[report.pk])
    assert "Đã xếp lại việc tạo báo cáo." in _messages(response)
    report.refresh_from_db()
    assert (report.state, report.progress, report.error, report.version) == (GenerationState.DONE, 100, "", 1)
    reasons = list(report.history.values_list("history_change_reason", flat=True))
    assert any(reason and reason.startswith("Tạo lại sau lỗi (noivu)") for reason in reasons)
    assert Job.objects.filter(key=f"generate-report-{report.pk}", sent_at__isnull=False).exists()


def test_a_retry_while_the_first_job_is_still_unsent_reuses_it(seed_plan, secretariat):
    report = _version(seed_plan, secretariat, GenerationState.FAILED, minutes_ago=60, progress=0)
    unsent = Job.objects.create(
        name="reports.tasks.generate_report", args=[report.pk], key=f"generate-report-{report.pk}"
    )
    report_retry(report=report, user=secretariat)
    assert list(Job.objects.filter(key=unsent.key).values_list("pk", flat=True)) == [unsent.pk]


def test_only_a_failed_version_can_be_generated_again(seed_plan, secretariat, client_for):
    report = _version(seed_plan, secretariat, GenerationState.DONE, minutes_ago=1, progress=100)
    client = client_for(secretariat)
    assert "Tạo lại" not in client.get(reverse("report-detail", args=[report.pk])).content.decode()
    response = client.post(reverse("report-retry", args=[report.pk]))
    assert response.status_code == 302
    assert "Chỉ tạo lại được phiên bản báo cáo bị lỗi." in _messages(response)
    assert GeneratedReport.objects.get(pk=report.pk).state == GenerationState.DONE


def test_who_may_not_request_reports_sees_no_retry_and_is_refused(seed_plan, secretariat, steering, client_for):
    report = _version(seed_plan, secretariat, GenerationState.FAILED, minutes_ago=1, progress=40)
    client = client_for(steering)
    page = client.get(reverse("report-detail", args=[report.pk]))
    assert page.status_code == 200 and "Tạo lại" not in page.content.decode()
    assert client.post(reverse("report-retry", args=[report.pk])).status_code == 403
    assert client_for(secretariat).get(reverse("report-retry", args=[report.pk])).status_code == 405
    assert GeneratedReport.objects.get(pk=report.pk).state == GenerationState.FAILED
