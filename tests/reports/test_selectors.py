"""report_data: what the report says, as of the cut-off, gathered in a fixed number of queries."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone, translation

from parplan.models import Plan, Unit
from reports.selectors import _result, report_data
from reports.services import narrative_save, report_gather
from targets.models import Indicator, IndicatorSnapshot
from targets.services import target_upsert
from tasks.models import Task
from tasks.services import (
    task_cancel,
    task_claim_completion,
    task_confirm_completion,
    task_create,
    task_report_progress,
)

pytestmark = pytest.mark.django_db

CUTOFF = datetime.date(2024, 12, 14)


def _complete(task: Task, *, on: datetime.date) -> None:
    head = get_user_model().objects.filter(memberships__unit=task.lead_unit, memberships__role="unit_head").first()
    secretariat = get_user_model().objects.get(username="noivu")
    task_claim_completion(task=task, user=head or secretariat, today=on, text="Đã hoàn thành.")
    task_confirm_completion(task=task, user=secretariat, today=on)


def _grow(plan: Plan, *, tasks: int, targets: int, leads: list[Unit], user: Any) -> None:
    """More tasks (leads taken in turn) and targets (one indicator each, read from the text) in every area."""
    areas = list(plan.areas.order_by("number"))
    for i in range(tasks):
        task_create(area=areas[i % 7], text=f"Nhiệm vụ bổ sung {i + 1}.", user=user, lead_unit=leads[i % len(leads)])
    for i in range(targets):
        area = areas[i % 7]
        target_upsert(area=area, position=100 + i, text=f"{90 + i % 10}% hồ sơ bổ sung số {i + 1} được xử lý.")


def _seed_task(plan: Plan, area: int, position: int) -> Task:
    return Task.objects.select_related("lead_unit").get(area__plan=plan, area__number=area, position=position)


# --- report_data -------------------------------------------------------------------


def test_the_report_has_the_seven_areas_in_order_with_their_tasks_counted(seed_plan: Plan) -> None:
    data = report_data(plan=seed_plan, kind="year")
    assert [a.number for a in data.areas] == [1, 2, 3, 4, 5, 6, 7]
    assert [a.tasks_total for a in data.areas] == [4, 6, 8, 4, 7, 2, 6]
    for area in data.areas:
        assert area.tasks_on_time + area.tasks_late + area.tasks_not_done == area.tasks_total
        assert len(area.not_done) == area.tasks_not_done


def test_a_task_completed_after_the_q1_cut_off_counts_as_done_in_the_year_report_only(seed_plan: Plan) -> None:
    task = _seed_task(seed_plan, 1, 2)  # due 30/06 in neither: no due date, so on time
    _complete(task, on=datetime.date(2024, 5, 2))
    q1 = report_data(plan=seed_plan, kind="q1").areas[0]
    year = report_data(plan=seed_plan, kind="year").areas[0]
    assert "1.2" in [line.number for line in q1.not_done]
    assert "1.2" not in [line.number for line in year.not_done]
    assert year.tasks_on_time == q1.tasks_on_time + 1


def test_a_task_cancelled_before_the_cut_off_is_left_out_of_the_counts(
    seed_plan: Plan, secretariat: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = report_data(plan=seed_plan, kind="year")
    monkeypatch.setattr(timezone, "now", lambda: datetime.datetime(2024, 10, 1, 3, 0, tzinfo=datetime.UTC))
    task_cancel(task=_seed_task(seed_plan, 2, 1), user=secretariat, reason="Không còn phù hợp.")
    monkeypatch.undo()
    after = report_data(plan=seed_plan, kind="year")
    assert after.areas[1].tasks_total == before.areas[1].tasks_total - 1
    tu_phap = next(row for row in after.annex_units if row.unit == "Phòng Tư pháp")
    assert tu_phap.assigned == next(r for r in before.annex_units if r.unit == "Phòng Tư pháp").assigned - 1


def test_a_task_cancelled_after_the_cut_off_still_counts_in_that_report(seed_plan: Plan, secretariat: Any) -> None:
    before = report_data(plan=seed_plan, kind="q1")
    task_cancel(task=_seed_task(seed_plan, 2, 1), user=secretariat, reason="Không còn phù hợp.")  # today
    assert report_data(plan=seed_plan, kind="q1").areas[1].tasks_total == before.areas[1].tasks_total


def test_without_a_narrative_the_sections_hold_generated_sentences(seed_plan: Plan) -> None:
    data = report_data(plan=seed_plan, kind="year")
    assert data.direction == data.generated_sentences["direction"]
    assert "với 7 lĩnh vực, 27 chỉ tiêu và 37 nhiệm vụ" in data.direction
    assert "đã hoàn thành 3/37 nhiệm vụ" in data.direction  # 1.1, 3.2 and Bảo Lâm's 4.2 (the demo's)
    assert data.strengths and data.weaknesses and data.causes and data.next_tasks
    for area in data.areas:
        assert area.comment == data.generated_sentences[f"area_{area.number}"]


def test_the_secretariat_text_replaces_the_generated_sentences(seed_plan: Plan, secretariat: Any) -> None:
    narrative = narrative_save(
        plan=seed_plan, kind="year", user=secretariat, direction="Ban hành 5 văn bản chỉ đạo.",
        area_comments={"3": "Nhận xét lĩnh vực 3."}, proposals="Đề nghị UBND tỉnh hỗ trợ kinh phí.",
    ).record  # fmt: skip
    data = report_data(plan=seed_plan, kind="year", narrative=narrative)
    assert data.direction == "Ban hành 5 văn bản chỉ đạo."
    assert data.areas[2].comment == "Nhận xét lĩnh vực 3."
    assert data.areas[3].comment == data.generated_sentences["area_4"]
    assert data.proposals == "Đề nghị UBND tỉnh hỗ trợ kinh phí."


def test_the_header_names_parent_and_issuer_in_capitals_and_dates_the_report_on_the_cut_off(seed_plan: Plan) -> None:
    data = report_data(plan=seed_plan, kind="year")
    # A People's Committee writes its own name in full, on two lines, under no parent (NĐ 30/2020).
    assert (data.parent_authority, data.issuer_lines) == ("", ["ỦY BAN NHÂN DÂN", "HUYỆN CAO LỘC"])
    assert data.place_and_date == "Cao Lộc, ngày 14 tháng 12 năm 2024"
    assert data.window == "15/12/2023 – 14/12/2024"


def test_a_report_date_below_the_10th_and_in_january_takes_leading_zeros(seed_plan: Plan, secretariat: Any) -> None:
    day = datetime.date(2025, 1, 5)
    narrative = narrative_save(plan=seed_plan, kind="year", user=secretariat, report_date=day).record
    data = report_data(plan=seed_plan, kind="year", narrative=narrative)
    assert data.place_and_date == "Cao Lộc, ngày 05 tháng 01 năm 2025"


@pytest.mark.parametrize(("number", "reference"), [("5", "Số: 05/BC-UBND"), ("12", "Số: 12/BC-UBND")])
def test_a_report_number_below_10_takes_a_leading_zero(
    seed_plan: Plan, secretariat: Any, number: str, reference: str
) -> None:
    narrative = narrative_save(plan=seed_plan, kind="year", user=secretariat, number=number).record
    assert report_data(plan=seed_plan, kind="year", narrative=narrative).reference == reference


def test_an_unnumbered_report_leaves_room_for_the_number(seed_plan: Plan) -> None:
    reference = report_data(plan=seed_plan, kind="year").reference
    assert reference == "Số: ....../BC-UBND"


def test_the_plan_signer_is_not_named_under_another_title(seed_plan: Plan, secretariat: Any) -> None:
    # The plan is signed by its chairman; the report's default signer is a vice-chairman (KT. CHỦ TỊCH).
    data = report_data(plan=seed_plan, kind="year")
    assert (data.signer_capacity, data.signer_title, data.signer_name) == ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "")
    narrative = narrative_save(
        plan=seed_plan, kind="year", user=secretariat, signer_capacity="", signer_title="CHỦ TỊCH"
    ).record
    assert report_data(plan=seed_plan, kind="year", narrative=narrative).signer_name == "Nguyễn Duy Anh"


def test_the_recipients_are_the_plan_s_unless_the_narrative_names_others(seed_plan: Plan, secretariat: Any) -> None:
    # The plan files under "Lưu: VT."; the report adds its drafting office, the secretariat's (Phòng Nội vụ).
    assert report_data(plan=seed_plan, kind="year").recipients[-1] == "- Lưu: VT, NV."
    narrative = narrative_save(
        plan=seed_plan, kind="year", user=secretariat, recipients="- Sở Nội vụ;\n\n- Lưu: VT, VP."
    ).record
    data = report_data(plan=seed_plan, kind="year", narrative=narrative)
    assert data.recipients == ["- Sở Nội vụ;", "- Lưu: VT, VP."]


def test_every_target_statement_is_reported_with_one_result_per_indicator(seed_plan: Plan) -> None:
    data = report_data(plan=seed_plan, kind="year")
    statements = [t for area in data.areas for t in area.targets if t.text != "Chỉ tiêu nêu trong nhiệm vụ"]
    assert len(statements) == 19
    indicators = sum(len(t.indicators) for area in data.areas for t in area.targets)
    assert len(data.annex_targets) == indicators


def test_an_area_without_targets_or_tasks_is_still_reported(odd_plan: Plan) -> None:
    empty = report_data(plan=odd_plan, kind="year").areas[0]
    assert (empty.name, empty.targets, empty.tasks_total, empty.not_done) == (
        "Lĩnh vực không có chỉ tiêu và nhiệm vụ",
        [],
        0,
        [],
    )


def test_a_unit_without_tasks_has_no_row_in_the_tasks_annex(odd_plan: Plan) -> None:
    data = report_data(plan=odd_plan, kind="year")
    assert [row.unit for row in data.annex_units] == ["Văn phòng - Thống kê xã Thử Nghiệm"]
    assert data.annex_dossiers == []


# The window's visits, findings by area, recommendations by state, those overdue, the PAR inspection
# plan, its units in scope, the units it inspected, the coverage indicator's threshold, the findings due.
INSPECTION_ANNEX_QUERIES = 9


def test_gathering_takes_the_same_number_of_queries_however_many_tasks_and_targets(
    seed_plan: Plan, secretariat: Any, django_assert_num_queries: Any
) -> None:
    # 1 the issuer with its kind and its parent's, 5 the window's evaluation (indicators, figures summed,
    # latest figures, the issuer's subtree, scope units), 1 areas, 1 targets, 1 their indicators, 1 tasks
    # with lead units, 1 indicators hidden in tasks, 1 lead units' progress reports, 1 extension requests,
    # 1 returned figures, 1 the dossier indicator, 1 its approved figures, 4 the figures still missing
    # (indicators, subtree, scope units, approved figures' keys), 1 the drafting office (the secretariat's
    # unit) that the filing line names, 1 the window's one-stop rows with their units (annex IV,
    # dossiers.selectors.annex_dossiers); then annex III (inspections.selectors.report_annex):
    # INSPECTION_ANNEX_QUERIES, whatever the visits.
    with django_assert_num_queries(22 + INSPECTION_ANNEX_QUERIES):
        report_data(plan=seed_plan, kind="year")
    units = list(Unit.objects.filter(code__in=["06184", "06190", "183-TP"]))
    _grow(seed_plan, tasks=60, targets=14, leads=units, user=secretariat)
    plan = Plan.objects.select_related("issuing_unit").get(pk=seed_plan.pk)
    with django_assert_num_queries(22 + INSPECTION_ANNEX_QUERIES):
        data = report_data(plan=plan, kind="year")
    assert sum(a.tasks_total for a in data.areas) == 37 + 60


def test_a_paused_task_is_reported_as_paused_and_still_counts_as_not_done(seed_plan: Plan, secretariat: Any) -> None:
    # The report used to keep its own copy of the state rule, which knew no pause: the
    # task's page said "Tạm dừng" and the report "Đang thực hiện".
    before = report_data(plan=seed_plan, kind="year")
    area, line = next((area, line) for area in before.areas for line in area.not_done if line.state == "Chưa thực hiện")
    task = _seed_task(seed_plan, *map(int, line.number.split(".")))
    task_report_progress(task=task, user=secretariat, status="paused", percent=30, text="Tạm dừng chờ kinh phí.")
    after = report_data(plan=seed_plan, kind="year")
    section = next(a for a in after.areas if a.number == area.number)
    assert next(t.state for t in section.not_done if t.number == line.number) == "Tạm dừng"
    assert (section.tasks_total, section.tasks_not_done) == (area.tasks_total, area.tasks_not_done)
    assert [(r.unit, r.not_done) for r in after.annex_units] == [(r.unit, r.not_done) for r in before.annex_units]


@pytest.mark.parametrize(
    ("kind", "unit", "value", "written"),
    [
        ("ratio", "%", "87.2500", "87,3%"),  # rounded half up, as the pages and the Excel annex round it
        ("ratio", "%", "100.0000", "100,0%"),
        ("count", "văn bản", "12.0000", "12,0 văn bản"),
        ("amount", "triệu đồng", "1234567.5500", "1.234.567,6 triệu đồng"),  # grouped, as the pages write it
    ],
)
def test_a_reported_value_is_written_as_on_the_pages(kind: str, unit: str, value: str, written: str) -> None:
    # The report rounded to even with its own copy of the format: 87,2% beside the dashboard's 87,3%.
    indicator = Indicator(name="Chỉ số", kind=kind, comparator="gte", threshold=Decimal(95), unit_of_measure=unit)
    snapshot = IndicatorSnapshot(value=Decimal(value), status="on_track")
    assert _result(indicator, snapshot).value == written


def test_a_dossier_rate_at_a_half_rounds_up_as_the_excel_annex_shows_it(seed_plan: Plan) -> None:
    # Xã Bình Trung: 397 of 400 dossiers on time by 14/6, 99.25 %. The PDF annex rounded to
    # even (99,2%) while the Excel annex, formatted "0.0%", shows 99.3%.
    row = next(r for r in report_data(plan=seed_plan, kind="h1").annex_dossiers if r.unit == "Xã Bình Trung")
    assert (row.resolved, row.on_time, row.rate) == ("400", "397", "99,3%")


def test_the_report_is_written_in_vietnamese_whatever_the_readers_language(seed_plan: Plan) -> None:
    # An official document: 87,5% with a decimal comma even when the secretariat reads the portal in English.
    with translation.override("vi"):
        vietnamese = report_gather(plan=seed_plan, kind="q3")
    with translation.override("en"):
        english = report_gather(plan=seed_plan, kind="q3")
    assert english == vietnamese
    values = [row[3] for row in english.annex_targets if row[3].endswith("%")]
    assert values and all("." not in value for value in values)
    assert any("," in value for value in values)
