"""A plan's status in templates (parplan/templatetags/plan_statuses.py): label and class from PlanStatus."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template

from parplan.models import PlanStatus

CSS = (Path(settings.BASE_DIR) / "static" / "css" / "parplan.css").read_text(encoding="utf-8")


@pytest.mark.parametrize("status", list(PlanStatus), ids=lambda status: status.value)
def test_each_plan_status_s_badge_has_its_label_and_a_styled_class(status: PlanStatus):
    rendered = Template("{% load plan_statuses %}{% plan_status s %}").render(Context({"s": status.value}))
    assert rendered == f'<span class="badge badge-{status.value}">{status.label}</span>'
    assert f".badge-{status.value}" in CSS
