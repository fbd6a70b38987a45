"""Hostile file names through the portal's own upload (a task's progress report): no 500, a safe download header."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evidence.models import Evidence
from parplan.models import Unit
from tests.conftest import Authority
from tests.security import tally
from tests.security.conftest import Probe
from tests.tasks.builders import PDF_BYTES, new_task

NAMES = (
    "bao-cao\u202efdp.exe.pdf",  # a right-to-left override: shown as "bao-caoexe.pdf"
    "a\x00b.pdf",
    "\U0001f600.pdf",
    "<script>alert(1)</script>.pdf",
    '=HYPERLINK("http://x").pdf',
    "x" * 300 + ".pdf",
    "   .pdf",
    "..\\..\\etc\\passwd.pdf",
)


@pytest.mark.parametrize("name", NAMES, ids=repr)
def test_a_hostile_file_name_is_refused_or_downloaded_with_a_plain_header(
    probe: Probe, seed_authority: Authority, media_root: Any, name: str
) -> None:
    tally.count("forms")
    seed = seed_authority
    task = new_task(seed.plan, user=seed.secretariat, lead=seed.unit, coordinating=[Unit.objects.get(code="183-NV")])
    upload = SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")
    data = {"status": "in_progress", "percent": "40", "text": "Đã làm.", "version": str(task.version), "files": upload}
    downloads: list[Any] = []
    last = Evidence.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def download(response: Any) -> None:
        # Before the post is undone: the file the report attached, opened by its unit.
        for evidence in Evidence.objects.filter(pk__gt=last):
            downloads.append(probe.clients["unit_head"].get(reverse("evidence-download", args=[evidence.pk])))

    probe.send("unit_head", "POST", reverse("task-progress", args=[task.pk]), data, inspect=download)
    probe.assert_no_500()
    for response in downloads:
        tally.count("requests")
        assert response.status_code == 200
        header = response["Content-Disposition"]
        assert header.isascii(), f"a raw non-ASCII character in the header: {header!r}"
        assert not any(ord(char) < 32 for char in header)
