"""No status label or badge class is typed in a template: they come from the choices, through the apps' tags."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

from parplan.models import PlanStatus
from targets.models import MET_LABELS, NOT_EVALUATED_LABEL, IndicatorStatus, MeasurementStatus
from tasks.models import ProgressStatus, TaskState

TEMPLATES = sorted((Path(settings.BASE_DIR) / "templates").rglob("*.html"))
# "Trả lại" is also the verb on the return buttons, which is not the figure's status.
VERBS = {"Trả lại"}
CHOICES = [*TaskState, *IndicatorStatus, *MeasurementStatus, *ProgressStatus, *PlanStatus]
LABELS = sorted(
    (
        {str(choice.label) for choice in CHOICES}
        | {choice.short_label for choice in [*TaskState, *IndicatorStatus]}
        | {str(label) for label in MET_LABELS.values()}
        | {str(NOT_EVALUATED_LABEL)}
    )
    - VERBS
)
# A badge's classes written out, e.g. class="badge badge-{{ task.status }}" or "status status-no_data".
TYPED_CLASS = re.compile(r"""class="[^"]*\b(?:badge|status|state)-""")


def _typed(label: str) -> re.Pattern[str]:
    # As a translated string, in a yesno list, or as the whole text of an element.
    quoted = rf"""["'],?{re.escape(label)},?["',]|,{re.escape(label)}["']"""
    return re.compile(rf"{quoted}|>\s*{re.escape(label)}\s*<")


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: str(path.relative_to(settings.BASE_DIR)))
def test_no_status_label_or_badge_class_is_typed_in_the_template(template: Path):
    text = template.read_text(encoding="utf-8")
    assert [label for label in LABELS if _typed(label).search(text)] == []
    assert TYPED_CLASS.findall(text) == []


def test_the_check_finds_labels_and_classes_typed_the_ways_templates_used_to():
    for typed in ['{% translate "Có nguy cơ" %}', '{{ m.met|yesno:_("Đạt,Không đạt") }}', "<th>Quá hạn</th>"]:
        assert any(_typed(label).search(typed) for label in LABELS), typed
    for typed in ['<span class="badge badge-{{ task.status }}">', '<span class="status status-no_data">']:
        assert TYPED_CLASS.search(typed), typed


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: str(path.relative_to(settings.BASE_DIR)))
def test_no_table_header_is_empty(template: Path):
    """Found walking the portal: the reports' table had an empty <th> over its actions, which a screen reader
    announces as a column without a name; a header names its column, for the eye or for the ear alone."""
    assert re.findall(r"<th[^>]*>\s*</th>", template.read_text(encoding="utf-8")) == []


# The documents WeasyPrint prints: a page of paper has no scrolling to offer.
PRINTED = {
    "reports/report.html", "reports/_scoring_signature.html", "reports/inspection_record.html",
    "reports/scoring_scorecard.html", "reports/_annex_inspections.html", "reports/scoring_results.html",
    "reports/_scoring_header.html",
}  # fmt: skip
SCREENS = [t for t in TEMPLATES if str(t.relative_to(Path(settings.BASE_DIR) / "templates")) not in PRINTED]


@pytest.mark.parametrize("template", SCREENS, ids=lambda path: str(path.relative_to(settings.BASE_DIR)))
def test_every_table_on_a_screen_scrolls_in_its_own_region_or_folds_into_cards(template: Path):
    """Found walking the portal on a phone: one stylesheet rule hid every table's fourth column (the review
    queue's indicator, the indicator list's value, the dossiers' in-person count), so that rows no longer added
    up. A table too wide for the screen scrolls sideways inside a `.table-wrap` instead, or folds into cards."""
    text = template.read_text(encoding="utf-8")
    for match in re.finditer(r"<table\b[^>]*>", text):
        before = text[max(0, match.start() - 300) : match.start()]
        wrapped = re.search(r'<div class="[^"]*table-wrap[^"]*"[^>]*>\s*(\{%[^%]*%\}\s*)*$', before)
        assert wrapped or re.search(r'class="[^"]*\bcards\b', match.group()), match.group()


def test_no_rule_of_the_stylesheet_hides_a_table_s_cells():
    css = (Path(settings.BASE_DIR) / "static" / "css" / "parplan.css").read_text(encoding="utf-8")
    hiding = re.findall(r"(?:^|[},])\s*([^{}]*\b(?:td|th)\b[^{}]*)\{[^}]*display:\s*none", css)
    assert hiding == []


def test_every_page_names_its_icon_and_the_icon_is_there():
    """Found walking the portal: every page asked for /favicon.ico, a 404 in the server's log each time."""
    base = (Path(settings.BASE_DIR) / "templates" / "base.html").read_text(encoding="utf-8")
    [icon] = re.findall(r"""<link rel="icon" href="\{% static '([^']+)' %\}\"""", base)
    assert (Path(settings.BASE_DIR) / "static" / icon).read_text(encoding="utf-8").startswith("<svg")
