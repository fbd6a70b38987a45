"""Report writes: narrative drafts, numbered versions generated in Celery, same data → same content."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from parplan.models import Plan
from reports.models import GeneratedReport, GenerationState, ReportNarrative
from reports.services import content_hash, narrative_save, report_gather, report_generate, report_request
from targets.models import IndicatorSnapshot
from tasks.models import Task
from tasks.services import task_claim_completion, task_confirm_completion
from tests.reports.conftest import ROOT, pdf_text

pytestmark = pytest.mark.django_db


def _generate(plan: Plan, user: Any, capture: Any, kind: str = "year") -> GeneratedReport:
    with capture(execute=True):
        report = report_request(plan=plan, kind=kind, user=user)
    report.refresh_from_db()
    return report


# --- Narrative ------------------------------------------------------------------------


def test_the_narrative_is_saved_once_per_plan_and_kind_with_its_author(seed_plan: Plan, secretariat: Any) -> None:
    narrative_save(plan=seed_plan, kind="year", user=secretariat, strengths="Ưu điểm A.")
    narrative_save(plan=seed_plan, kind="year", user=secretariat, weaknesses="Hạn chế B.")
    narrative_save(plan=seed_plan, kind="q1", user=secretariat, strengths="Quý I.")
    saved = ReportNarrative.objects.get(plan=seed_plan, kind="year")
    assert (saved.strengths, saved.weaknesses, saved.updated_by) == ("Ưu điểm A.", "Hạn chế B.", secretariat)
    assert ReportNarrative.objects.filter(plan=seed_plan).count() == 2


def test_the_narrative_keeps_a_history_of_drafts(seed_plan: Plan, secretariat: Any) -> None:
    narrative_save(plan=seed_plan, kind="year", user=secretariat, proposals="Lần 1.")
    narrative = narrative_save(plan=seed_plan, kind="year", user=secretariat, proposals="Lần 2.").record
    assert [h.proposals for h in narrative.history.order_by("history_id")] == ["Lần 1.", "Lần 2."]


def test_an_unknown_narrative_field_is_refused(seed_plan: Plan, secretariat: Any) -> None:
    with pytest.raises(TypeError, match="page_count"):
        narrative_save(plan=seed_plan, kind="year", user=secretariat, page_count=3)
    assert not ReportNarrative.objects.filter(plan=seed_plan).exists()


# --- Generation -----------------------------------------------------------------------


def test_a_request_numbers_a_version_with_its_cut_off_and_author_and_queues_it(
    seed_plan: Plan, secretariat: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report = report_request(plan=seed_plan, kind="h1", user=secretariat)
    assert (report.version, report.cutoff_date, report.author) == (1, datetime.date(2024, 6, 14), secretariat)
    assert (report.state, report.progress) == (GenerationState.QUEUED, 0)
    assert len(callbacks) == 1, "generation starts only once the version is committed"


def test_generation_stores_both_files_the_page_count_and_the_content_hash(
    seed_plan: Plan, secretariat: Any, media_root: Path, django_capture_on_commit_callbacks: Any
) -> None:
    report = _generate(seed_plan, secretariat, django_capture_on_commit_callbacks)
    assert (report.state, report.progress, report.error) == (GenerationState.DONE, 100, "")
    assert report.pdf.name == f"reports/{seed_plan.pk}/bao-cao-year-2024-v1.pdf"
    assert Path(report.pdf.path).read_bytes()[:5] == b"%PDF-"
    assert Path(report.pdf.path).is_relative_to(media_root)
    assert load_workbook(report.xlsx.path).sheetnames[0] == "PL I - Chỉ tiêu"
    assert 5 <= report.page_count <= 60
    assert len(report.content_hash) == 64


def test_regenerating_with_the_same_data_gives_the_same_content_and_keeps_both_versions(
    seed_plan: Plan, secretariat: Any, media_root: Path, django_capture_on_commit_callbacks: Any
) -> None:
    first = _generate(seed_plan, secretariat, django_capture_on_commit_callbacks)
    second = _generate(seed_plan, secretariat, django_capture_on_commit_callbacks)
    assert (first.version, second.version) == (1, 2)
    assert first.content_hash == second.content_hash
    assert pdf_text(Path(first.pdf.path)) == pdf_text(Path(second.pdf.path))
    assert first.page_count == second.page_count
    kept = GeneratedReport.objects.filter(plan=seed_plan, kind="year").order_by("version")
    assert [(r.version, r.cutoff_date, r.author, r.state) for r in kept] == [
        (1, datetime.date(2024, 12, 14), secretariat, GenerationState.DONE),
        (2, datetime.date(2024, 12, 14), secretariat, GenerationState.DONE),
    ]
    assert first.pdf.name != second.pdf.name and Path(first.pdf.path).exists()


def test_changed_data_gives_a_different_content_hash(seed_plan: Plan, secretariat: Any) -> None:
    before = content_hash(report_gather(plan=seed_plan, kind="year"))
    task = Task.objects.get(area__plan=seed_plan, area__number=2, position=1)
    task_claim_completion(task=task, user=secretariat, today=datetime.date(2024, 8, 1), text="Đã hoàn thành.")
    task_confirm_completion(task=task, user=secretariat, today=datetime.date(2024, 8, 1))
    assert content_hash(report_gather(plan=seed_plan, kind="year")) != before


def test_the_narrative_changes_the_content_hash(seed_plan: Plan, secretariat: Any) -> None:
    before = content_hash(report_gather(plan=seed_plan, kind="year"))
    narrative_save(plan=seed_plan, kind="year", user=secretariat, causes="Nguyên nhân khách quan.")
    assert content_hash(report_gather(plan=seed_plan, kind="year")) != before


def test_gathering_evaluates_the_indicators_on_the_cut_off_day(seed_plan: Plan) -> None:
    cutoff = datetime.date(2024, 6, 14)
    assert not IndicatorSnapshot.objects.filter(indicator__area__plan=seed_plan, day=cutoff).exists()
    data = report_gather(plan=seed_plan, kind="h1")
    issuer_snapshots = IndicatorSnapshot.objects.filter(
        indicator__area__plan=seed_plan, day=cutoff, unit=seed_plan.issuing_unit
    )
    assert issuer_snapshots.count() == len(data.annex_targets)
    assert any(row[3] != "Chưa có số liệu" for row in data.annex_targets)


def test_a_failed_generation_is_marked_failed_with_its_error(
    seed_plan: Plan, secretariat: Any, media_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(data: Any) -> tuple[bytes, int]:
        raise RuntimeError("hết bộ nhớ")

    monkeypatch.setattr("reports.renderers.pdf.render_pdf", broken)
    report = GeneratedReport.objects.create(
        plan=seed_plan, kind="q3", version=1, cutoff_date=datetime.date(2024, 9, 14), author=secretariat
    )
    with pytest.raises(RuntimeError):
        report_generate(report=report)
    report.refresh_from_db()
    assert (report.state, report.error) == (GenerationState.FAILED, "RuntimeError: hết bộ nhớ")
    assert not report.pdf


# --- The Celery worker ----------------------------------------------------------------


def test_the_celery_task_module_imports_weasyprint_once_at_import() -> None:
    # A fresh interpreter: in this session WeasyPrint is imported already.
    script = (
        "import sys, django; django.setup(); "
        "assert 'weasyprint' not in sys.modules, 'imported before reports.tasks'; "
        "import reports.tasks; "
        "assert 'weasyprint' in sys.modules; print('ok')"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    env.pop("DATABASE_URL", None)
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
