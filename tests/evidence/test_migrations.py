"""The data migrations that moved figure and task report evidence into evidence.Evidence, both ways.

Migrates the test database back to just before them (MigrationExecutor, as Django's
own migration tests do), writes rows of both old kinds through the historical models,
migrates forward and checks every row arrived; then back again. Transactional: the
schema changes cannot run inside the test's transaction.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps.registry import Apps
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from targets.models import Measurement
from tasks.models import ProgressReport

BEFORE = [("targets", "0004_indicator_task_link_moved"), ("tasks", "0003_task_indicators"), ("evidence", None)]
UPLOADED = datetime.datetime(2024, 11, 20, 8, 30, tzinfo=datetime.UTC)
FIGURE_FIELDS = ("id", "file", "original_name", "size", "uploaded_by_id", "uploaded_at")
HISTORY_FIELDS = ("id", "file", "original_name", "size", "uploaded_by_id", "uploaded_at", "history_date",
                  "history_change_reason", "history_type", "history_user_id")  # fmt: skip


def _migrate(targets: list[tuple[str, str | None]] | None = None) -> Apps:
    """Migrate to `targets` (default: every app's latest) and return the models as they are there."""
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    # ("evidence", None), "before its first migration", is a target but not a node of the graph.
    nodes = [target for target in targets if target[1] is not None]
    return MigrationExecutor(connection).loader.project_state(nodes).apps


@pytest.fixture
def before() -> Iterator[Apps]:
    # A transactional test may start on an emptied database: the seed gives figures and reports to own files.
    if not (Measurement.objects.exists() and ProgressReport.objects.exclude(author=None).exists()):
        call_command("demo", stdout=open(os.devnull, "w"))
    try:
        yield _migrate(BEFORE)
    finally:
        _migrate()


def _old_rows(apps: Apps) -> dict[str, Any]:
    """Two figure files (one renamed, as a clash would), a deleted one's history, two files of a report."""
    Measurement = apps.get_model("targets", "Measurement")
    Evidence = apps.get_model("targets", "Evidence")
    HistoricalEvidence = apps.get_model("targets", "HistoricalEvidence")
    ProgressReport = apps.get_model("tasks", "ProgressReport")
    ReportEvidence = apps.get_model("tasks", "ReportEvidence")
    figure = Measurement.objects.order_by("pk").first()
    report = ProgressReport.objects.exclude(author=None).order_by("pk").first()
    uploader = report.author
    files = [("bien-ban.pdf", "Biên bản.pdf", 1200), ("bien-ban_Ab3dE9x.pdf", "Biên bản.pdf", 800)]
    stored = [
        Evidence.objects.create(
            measurement=figure,
            file=f"evidence/{figure.pk}/{name}",
            original_name=original,
            size=size,
            uploaded_by=uploader,
        )
        for name, original, size in files
    ]
    # The old model stamped every row with now: give them a day of their own to see it kept.
    Evidence.objects.update(uploaded_at=UPLOADED)
    deleted_id = stored[-1].pk + 5
    for pk, evidence_type in [(stored[0].pk, "+"), (stored[1].pk, "+"), (deleted_id, "+"), (deleted_id, "-")]:
        HistoricalEvidence.objects.create(
            id=pk, measurement_id=figure.pk, file=f"evidence/{figure.pk}/{pk}.pdf", original_name=f"{pk}.pdf",
            size=pk, uploaded_by=uploader, uploaded_at=UPLOADED, history_date=UPLOADED, history_type=evidence_type,
            history_user=uploader,
        )  # fmt: skip
    for name in ("bao-cao-quy-iii.pdf", "anh-hoi-nghi.png"):
        ReportEvidence.objects.create(
            report=report, file=f"tasks/{report.task_id}/{name}", original_name=name.upper(), size=len(name)
        )
    return {"figure": figure, "report": report, "deleted_id": deleted_id}


def _figure_rows(apps: Apps) -> list[tuple]:
    return list(
        apps.get_model("targets", "Evidence").objects.order_by("id").values_list("measurement_id", *FIGURE_FIELDS)
    )


def _figure_history(apps: Apps) -> list[tuple]:
    history = apps.get_model("targets", "HistoricalEvidence").objects.order_by("history_id")
    return list(history.values_list("measurement_id", *HISTORY_FIELDS))


def _report_rows(apps: Apps) -> list[tuple]:
    rows = apps.get_model("tasks", "ReportEvidence").objects.order_by("id")
    return list(rows.values_list("report_id", "file", "original_name", "size"))


@pytest.mark.django_db(transaction=True)
def test_evidence_of_figures_and_reports_moves_to_one_table_and_back(before):
    old = _old_rows(before)
    figure_rows, figure_history, report_rows = _figure_rows(before), _figure_history(before), _report_rows(before)

    after = _migrate()

    ContentType = after.get_model("contenttypes", "ContentType")
    Evidence = after.get_model("evidence", "Evidence")
    measurement = ContentType.objects.get(app_label="targets", model="measurement")
    progress_report = ContentType.objects.get(app_label="tasks", model="progressreport")
    # Figure evidence keeps its ids, owner, stored name, size, uploader and upload time.
    figures = Evidence.objects.filter(owner_type=measurement).order_by("id")
    assert list(figures.values_list("owner_id", *FIGURE_FIELDS)) == figure_rows
    # Its history too, in the same order.
    history = after.get_model("evidence", "HistoricalEvidence").objects.filter(owner_type=measurement)
    assert list(history.order_by("history_id").values_list("owner_id", *HISTORY_FIELDS)) == figure_history
    # A report's files: uploaded by the report's author when the report was sent.
    report = old["report"]
    moved = Evidence.objects.filter(owner_type=progress_report).order_by("id")
    assert list(moved.values_list("owner_id", "file", "original_name", "size")) == report_rows
    assert set(moved.values_list("uploaded_by_id", "uploaded_at")) == {(report.author_id, report.created_at)}
    # Numbered after every figure file, even the deleted one only the history remembers.
    assert min(moved.values_list("id", flat=True)) > old["deleted_id"]
    tables = connection.introspection.table_names()
    assert {"targets_evidence", "targets_historicalevidence", "tasks_reportevidence"}.isdisjoint(tables)
    assert "evidence_evidence" in tables

    back = _migrate(BEFORE)

    assert (_figure_rows(back), _figure_history(back), _report_rows(back)) == (
        figure_rows, figure_history, report_rows
    )  # fmt: skip
    assert "evidence_evidence" not in connection.introspection.table_names()
    # The old table gives new ids after the ones it got back.
    added = back.get_model("targets", "Evidence").objects.create(
        measurement_id=old["figure"].pk, file="evidence/x.pdf", original_name="x.pdf", size=1
    )
    assert added.pk > old["deleted_id"]
