"""The seed plan, as the .docx it was issued as, reads back to the demo's plan (planio.documents).

The document is built here from the seed text with python-docx, one paragraph
per line (so the line the text breaks inside a sentence is broken in the
document too). The demo's plan came from a hand-checked JSON file and a
hand-written definitions file; the reader gets to the same plan from the prose.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from parplan.models import Plan
from planio.documents.drafting import ReadDocument, plan_document_read
from targets.models import Indicator
from tests.planio.documents import docx_bytes, seed_docx, seed_lines

pytestmark = pytest.mark.django_db


@pytest.fixture
def read(seed_plan: Plan) -> ReadDocument:
    return plan_document_read(seed_docx(), "ke-hoach-cchc-2024.docx", issuer=seed_plan.issuing_unit)


def _indicator_row(indicator: Indicator) -> tuple:
    return (
        indicator.name, indicator.kind, indicator.comparator, indicator.threshold, indicator.unit_of_measure,
        indicator.applies_to_level, indicator.scope, sorted(indicator.scope_units.values_list("code", flat=True)),
        indicator.source,
    )  # fmt: skip


def _read_row(fields: dict) -> tuple:
    threshold = None if fields["threshold"] is None else Decimal(fields["threshold"])
    return (
        fields["name"], fields["kind"], fields["comparator"], threshold, fields["unit_of_measure"],
        fields["applies_to_level"], fields["scope"], sorted(fields.get("scope_units", [])), fields["source"],
    )  # fmt: skip


def test_seven_areas_nineteen_targets_and_thirty_seven_tasks_with_the_demos_texts(read, seed_plan):
    areas = read.data["areas"]
    stored = seed_plan.areas.order_by("number")
    assert [(a["number"], a["name"], a["targets_heading"]) for a in areas] == list(
        stored.values_list("number", "name", "targets_heading")
    )
    assert sum(len(a["targets"]) for a in areas) == 19
    assert sum(len(a["tasks"]) for a in areas) == 37
    for area, written in zip(stored, areas, strict=True):
        assert [t["text"] for t in written["targets"]] == list(area.targets.values_list("text", flat=True))
        assert [t["text"] for t in written["tasks"]] == list(area.tasks.values_list("text", flat=True))


def test_every_target_has_the_demos_indicators_level_scope_and_source(read, seed_plan):
    # The demo's came from the prose parser and its hand-written definitions file; these from the prose only.
    for area in seed_plan.areas.order_by("number"):
        written = read.data["areas"][area.number - 1]
        for target, fields in zip(area.targets.order_by("position"), written["targets"], strict=True):
            stored = [_indicator_row(i) for i in target.indicators.order_by("position")]
            assert [_read_row(i) for i in fields["indicators"]] == stored, (area.number, target.position)


def test_the_two_targets_hidden_in_task_bullets_are_found_and_no_other(read, seed_plan):
    hidden = {
        (area["number"], k): [
            (i["kind"], i["comparator"], Decimal(i["threshold"]), i["source"]) for i in t["indicators"]
        ]
        for area in read.data["areas"]
        for k, t in enumerate(area["tasks"], start=1)
        if t["indicators"]
    }
    stored = {
        (i.stated_in.task.area.number, i.stated_in.task.position): [(i.kind, i.comparator, i.threshold, i.source)]
        for i in Indicator.objects.of_plan(seed_plan)
        .filter(stated_in__isnull=False)
        .select_related("stated_in__task__area")
    }
    assert (
        hidden
        == stored
        == {
            (1, 3): [("ratio", "gt", Decimal(30), "inspections")],
            (2, 6): [("ratio", "gte", Decimal(100), "insp_law")],
        }
    )


def test_the_plans_details_responsibilities_and_units_are_the_demos(read, seed_plan):
    fields = read.data["plan"]
    for name in ("title", "place", "legal_bases", "purpose", "requirements", "closing", "signer_title", "signer_name"):
        assert fields[name] == getattr(seed_plan, name), name
    assert fields["year"] == 2024 and fields["issue_date"] == "2024-01-15" and fields["symbol"] == "KH-UBND"
    assert fields["recipients"] == seed_plan.recipients.split("\n")
    stored = [
        (r.number, r.heading, r.text, sorted(r.units.values_list("code", flat=True)))
        for r in seed_plan.responsibilities.order_by("number")
    ]
    assert [(r["number"], r["heading"], r["text"], sorted(r["units"])) for r in read.data["responsibilities"]] == stored


def test_what_the_seed_gets_wrong_is_warned_about(read):
    codes = [(w["code"], w["message"]) for w in read.warnings]
    # The seed's own slips: section III skips 5, two tasks still say 2023, 7.4 names 3 rates for 2 levels.
    assert ("numbering_org", "Số thứ tự mục tổ chức thực hiện nhảy từ 4 sang 6: thiếu mục hay đánh số nhầm?") in codes
    assert sum(code == "stale_year" for code, _ in codes) == 2
    assert any(code == "levels" and "3 tỷ lệ cho 2 cấp" in message for code, message in codes)
    assert any(code == "unit_unknown" and "Trang Thông tin điện tử" in message for code, message in codes)
    # The body names no lead units (the demo's are assumed by mandate): one warning per area.
    assert sum(code == "no_lead" for code, _ in codes) == 7


def test_the_header_names_the_issuer_when_none_is_given(seed_plan):
    read = plan_document_read(docx_bytes(["UBND HUYỆN CAO LỘC", *seed_lines()]), "seed.docx")
    assert read.data["plan"]["issuing_unit"] == seed_plan.issuing_unit.code == "183"
