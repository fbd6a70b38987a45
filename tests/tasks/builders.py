"""Plain builders for task tests; every write goes through the task services.

The clock is frozen by hand: services take `today`, and these builders pass
the fixed days below, so no test depends on the day it runs.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from evidence.models import Evidence
from notifications.models import Notification
from parplan.models import Plan, PlanStatus, Unit
from planio.interchange import plan_export, plan_import
from tasks.models import ExtensionRequest, ProgressReport, Task, TaskOccurrence
from tasks.services import task_claim_completion, task_confirm_completion, task_create, task_update
from tests.files import pdf_bytes, png_bytes

DAY = datetime.timedelta(days=1)
TODAY = datetime.date(2024, 10, 1)
START = datetime.date(2024, 1, 15)
DUE = datetime.date(2024, 10, 31)

# Real files: the upload checks open them (evidence/content.py).
PDF_BYTES = pdf_bytes()
PNG_BYTES = png_bytes()


def pdf(name: str = "Báo cáo Quý III.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png(name: str = "Ảnh hội nghị.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG_BYTES, content_type="image/png")


def new_task(
    plan: Plan,
    *,
    user: Any,
    lead: Unit | None,
    coordinating: Iterable[Unit] = (),
    area_number: int = 3,
    **fields: Any,
) -> Task:
    """A task created by the secretariat, started on START and due on DUE unless told otherwise."""
    values: dict[str, Any] = {
        "title": "Rà soát thủ tục hành chính tại bộ phận một cửa",
        "text": "Rà soát, công khai thủ tục hành chính tại bộ phận một cửa; báo cáo kết quả về Phòng Nội vụ.",
        "start_date": START,
        "due_date": DUE,
    }
    return task_create(
        area=plan.areas.get(number=area_number),
        user=user,
        lead_unit=lead,
        coordinating_units=list(coordinating),
        **(values | fields),
    )


def fresh(task: Task) -> Task:
    return Task.objects.select_related("area", "lead_unit").get(pk=task.pk)


def due_on(task: Task, day: datetime.date | None, *, user: Any) -> Task:
    """The secretariat moves the due date (on the version it just read)."""
    current = fresh(task)
    return task_update(task=current, expected_version=current.version, user=user, due_date=day).record


def claimed(task: Task, *, head: Any, on: datetime.date) -> Task:
    return task_claim_completion(task=task, user=head, today=on, text="Đã hoàn thành, gửi kèm báo cáo.")


def confirmed(task: Task, *, head: Any, secretariat: Any, on: datetime.date) -> Task:
    claimed(task, head=head, on=on)
    return task_confirm_completion(task=task, user=secretariat, today=on)


def row_counts() -> dict[str, int]:
    """Every row a task write may add or change the history of."""
    return {
        "tasks": Task.objects.count(),
        "task history": Task.history.count(),
        "reports": ProgressReport.objects.count(),
        "report history": ProgressReport.history.count(),
        "evidence": Evidence.objects.count(),
        "evidence history": Evidence.history.count(),
        "extensions": ExtensionRequest.objects.count(),
        "extension history": ExtensionRequest.history.count(),
        "occurrences": TaskOccurrence.objects.count(),
        "occurrence history": TaskOccurrence.history.count(),
        "notifications": Notification.objects.count(),
    }


def nothing_pending() -> None:
    """Count every notice made so far (demo, fixtures) as already e-mailed."""
    Notification.objects.filter(emailed_at__isnull=True).update(emailed_at=timezone.now())


def notices_about(task: Task, kind: str | None = None) -> set[tuple[str, str]]:
    """(recipient username, kind) of the notices linking to `task`."""
    rows = Notification.objects.filter(url=reverse("task-detail", args=[task.pk]))
    if kind is not None:
        rows = rows.filter(kind=kind)
    return set(rows.values_list("recipient__username", "kind"))


def empty_plan(seed_plan: Plan, *, year: int) -> Plan:
    """A draft plan of the same issuer for `year`, with the seed's areas and no targets or tasks."""
    document = plan_export(seed_plan)
    document["plan"] |= {"year": year, "status": PlanStatus.DRAFT, "title": f"Kế hoạch thử năm {year}"}
    document["areas"] = [area | {"targets": [], "tasks": []} for area in document["areas"]]
    document["responsibilities"] = []
    return plan_import(document)
