"""Task states and progress statuses in templates (tasks/templatetags/task_statuses.py): from tasks.models."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template

from tasks.models import ProgressStatus, TaskState

CSS = (Path(settings.BASE_DIR) / "static" / "css" / "parplan.css").read_text(encoding="utf-8")


def _render(source: str, **context) -> str:
    return Template("{% load task_statuses %}" + source).render(Context(context))


@pytest.mark.parametrize("state", list(TaskState), ids=lambda state: state.value)
def test_each_state_s_badge_has_its_label_and_a_styled_class(state: TaskState):
    # The stored value, as lists annotate it, and the member, as the task page passes it.
    expected = f'<span class="state state-{state.value}">{state.label}</span>'
    assert _render("{% task_state s %}", s=state.value) == _render("{% task_state s %}", s=state) == expected
    assert f".state-{state.value}" in CSS


# (state, column heading, narrow column heading)
HEADINGS = [
    ("not_started", "Chưa thực hiện", "Chưa thực hiện"),
    ("in_progress", "Đang thực hiện", "Đang làm"),
    ("paused", "Tạm dừng", "Tạm dừng"),
    ("overdue", "Quá hạn", "Quá hạn"),
    ("awaiting", "Chờ xác nhận hoàn thành", "Chờ xác nhận"),
    ("on_time", "Hoàn thành đúng hạn", "Xong đúng hạn"),
    ("late", "Hoàn thành trễ hạn", "Xong trễ hạn"),
    ("cancelled", "Đã hủy", "Đã hủy"),
]


@pytest.mark.parametrize(("state", "heading", "narrow"), HEADINGS)
def test_a_column_heading_is_the_state_s_label_or_its_short_form(state: str, heading: str, narrow: str):
    assert _render(f'{{% task_state_label "{state}" %}}') == heading == TaskState(state).label
    assert _render(f'{{% task_state_label "{state}" short=True %}}') == narrow == TaskState(state).short_label


def test_an_unknown_state_is_an_error_not_an_empty_badge():
    with pytest.raises(ValueError):
        _render("{% task_state s %}", s="done")


@pytest.mark.parametrize("status", list(ProgressStatus), ids=lambda status: status.value)
def test_each_progress_status_s_badge_has_its_label_and_a_styled_class(status: ProgressStatus):
    assert (
        _render("{% progress_status s %}", s=status.value)
        == f'<span class="badge badge-{status.value}">{status.label}</span>'
    )
    assert f".badge-{status.value}" in CSS
