"""Indicator statuses, figures' review statuses and answers in templates (targets/templatetags/target_statuses.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.template import Context, Template

from targets.forms import FigureForm
from targets.models import IndicatorStatus, Measurement, MeasurementStatus

CSS = (Path(settings.BASE_DIR) / "static" / "css" / "parplan.css").read_text(encoding="utf-8")


def _render(source: str, **context) -> str:
    return Template("{% load target_statuses %}" + source).render(Context(context))


@pytest.mark.parametrize("status", list(IndicatorStatus), ids=lambda status: status.value)
def test_each_status_s_badge_has_its_label_and_a_styled_class(status: IndicatorStatus):
    expected = f'<span class="status status-{status.value}">{status.label}</span>'
    assert _render("{% indicator_status s %}", s=status.value) == expected
    assert f".status-{status.value}" in CSS


@pytest.mark.parametrize("status", [None, ""])
def test_an_indicator_without_a_snapshot_is_shown_as_not_evaluated_in_the_no_data_style(status):
    assert _render("{% indicator_status s %}", s=status) == '<span class="status status-no_data">Chưa đánh giá</span>'


def test_a_missing_snapshot_in_the_context_is_not_evaluated_too():
    assert "Chưa đánh giá" in _render("{% indicator_status snapshot.status %}", snapshot=None)


@pytest.mark.parametrize(
    ("status", "heading", "narrow"),
    [
        ("achieved", "Đạt", "Đạt"),
        ("on_track", "Đúng tiến độ", "Đúng tiến độ"),
        ("at_risk", "Có nguy cơ", "Có nguy cơ"),
        ("off_track", "Chậm tiến độ", "Chậm"),
        ("not_achieved", "Không đạt", "Không đạt"),
        ("not_applicable", "Không áp dụng", "Không áp dụng"),
        ("no_data", "Chưa có số liệu", "Chưa có số liệu"),
    ],
)
def test_a_column_heading_is_the_status_label_or_its_short_form(status: str, heading: str, narrow: str):
    assert _render(f'{{% indicator_status_label "{status}" %}}') == heading
    assert _render(f'{{% indicator_status_label "{status}" short=True %}}') == narrow


@pytest.mark.parametrize(("met", "label"), [(True, "Đạt"), (False, "Không đạt"), (None, "")])
def test_a_milestone_figure_s_answer_has_the_entry_form_s_words(met, label):
    assert Measurement(met=met).met_label == label
    field = FigureForm.base_fields["met"]
    assert isinstance(field, forms.ChoiceField)
    offered = {value: str(text) for value, text in field.widget.choices}
    assert label == {True: offered["1"], False: offered["0"], None: ""}[met]


@pytest.mark.parametrize("status", list(MeasurementStatus), ids=lambda status: status.value)
def test_each_review_status_s_badge_has_its_label_and_a_styled_class(status: MeasurementStatus):
    assert (
        _render("{% figure_status s %}", s=status.value)
        == f'<span class="badge badge-{status.value}">{status.label}</span>'
    )
    assert f".badge-{status.value}" in CSS
