"""A whole round for two units: self-scoring with evidence, appraisal, explanation, final, ranking."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from evidence.services import evidence_remove
from parplan.models import Unit
from scoring.arithmetic import ratio_points
from scoring.models import Score, ScoringRound, Step, UnitGroup
from scoring.selectors import UnitResult, rank, round_results
from scoring.services import (
    appraise,
    explain,
    final_appraise,
    round_open,
    self_score,
    step_advance,
    steps_close_due,
    suggestion_accept,
    survey_enter,
    tree_create,
)
from scoring.tasks import close_due_steps
from targets.sources import unit_rates
from tasks.models import Task
from tasks.services import task_claim_completion, task_confirm_completion
from tests.files import pdf_bytes

from .conftest import APPRAISAL_UNTIL, SELF_UNTIL, items

D = Decimal
pytestmark = pytest.mark.django_db


def _score(scoring_round, unit, code) -> Score:
    return Score.objects.select_related("criterion", "unit").get(round=scoring_round, unit=unit, criterion__code=code)


def _pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("ke-hoach.pdf", pdf_bytes(), content_type="application/pdf")


def test_opening_locks_the_tree_and_gives_each_unit_a_row_per_scored_item(scoring_round, tree, two_communes):
    tree.refresh_from_db()
    assert tree.is_locked
    # 1.1, 1.2, 2.1, 3.1, T, P: the leaves, not the areas.
    assert Score.objects.filter(round=scoring_round).count() == 6 * 2
    with pytest.raises(ValidationError, match="đã khóa"):
        from scoring.services import criteria_replace

        criteria_replace(tree=tree, items=items())


def test_required_evidence_is_refused_when_missing(scoring_round, two_communes, on_day, media_root):
    score = _score(scoring_round, two_communes[0], "1.1")
    with pytest.raises(ValidationError) as refused:
        self_score(score=score, points=D(10), comment="", user=None)
    assert "bắt buộc có tài liệu kiểm chứng" in " ".join(refused.value.messages)
    score.refresh_from_db()
    assert score.self_points is None
    self_score(score=score, points=D(10), comment="Ban hành ngày 05/01", uploads=[_pdf()], user=None)
    assert score.evidence.count() == 1


def test_the_last_required_file_of_a_self_score_stays(scoring_round, two_communes, on_day, media_root, commune_head):
    score = _score(scoring_round, two_communes[0], "1.1")
    self_score(score=score, points=D(10), comment="", uploads=[_pdf()], user=None)
    (only,) = score.evidence.all()
    with pytest.raises(ValidationError, match="1.1 bắt buộc tài liệu kiểm chứng và đã tự chấm"):
        evidence_remove(evidence=only, user=commune_head)
    self_score(
        score=_score(scoring_round, two_communes[0], "1.1"), points=D(10), comment="", uploads=[_pdf()], user=None
    )
    evidence_remove(evidence=only, user=commune_head)  # a second file is there: the first may go
    assert list(score.evidence.all()) != [] and only.pk not in score.evidence.values_list("pk", flat=True)


def test_an_edit_after_the_deadline_is_refused(scoring_round, two_communes, on_day):
    score = _score(scoring_round, two_communes[0], "2.1")
    on_day(SELF_UNTIL)
    self_score(score=score, points=D(40), comment="", user=None)
    on_day(SELF_UNTIL + datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="Đã quá hạn đơn vị tự chấm \\(15/01/2031\\)"):
        self_score(score=score, points=D(41), comment="", user=None)
    score.refresh_from_db()
    assert score.self_points == 40


def test_steps_close_on_their_deadline(scoring_round, two_communes, on_day):
    score = _score(scoring_round, two_communes[0], "2.1")
    self_score(score=score, points=D(40), comment="", user=None)
    ours = "Bộ tiêu chí thử 2030"  # the demo's open rounds move too, on days this far ahead
    assert [m for m in steps_close_due(today=SELF_UNTIL) if m.startswith(ours)] == []
    moved = [m for m in steps_close_due(today=SELF_UNTIL + datetime.timedelta(days=1)) if m.startswith(ours)]
    assert moved == [f"{ours}: Thẩm định"]
    scoring_round.refresh_from_db()
    assert scoring_round.step == Step.APPRAISAL
    # Many days late (the beat was down): every passed step closes, unappraised scores kept as self-scored.
    steps_close_due(today=APPRAISAL_UNTIL + datetime.timedelta(days=60))
    scoring_round.refresh_from_db()
    assert scoring_round.step == Step.DONE and scoring_round.finished_at is not None
    score.refresh_from_db()
    assert (score.appraised_points, score.final_points) == (40, 40)


def test_a_whole_round_for_two_units(scoring_round, two_communes, on_day, media_root):
    dongdang, baolam = two_communes
    for unit, plan_points, publicity, bonus, penalty in ((dongdang, D(10), D(40), D(3), D(0)),
                                                         (baolam, D(5), D(44), D(0), D(1))):  # fmt: skip
        self_score(
            score=_score(scoring_round, unit, "1.1"), points=plan_points, comment="", uploads=[_pdf()], user=None
        )
        self_score(score=_score(scoring_round, unit, "1.2"), points=D(20), comment="", user=None)
        self_score(score=_score(scoring_round, unit, "2.1"), points=publicity, comment="", user=None)
        self_score(score=_score(scoring_round, unit, "T"), points=bonus, comment="", user=None)
        self_score(score=_score(scoring_round, unit, "P"), points=penalty, comment="", user=None)
    step_advance(scoring_round=scoring_round)
    on_day(datetime.date(2031, 1, 20))
    with pytest.raises(ValidationError, match="lý do"):
        appraise(score=_score(scoring_round, baolam, "2.1"), points=D(35), comment="", user=None)
    appraise(score=_score(scoring_round, baolam, "2.1"), points=D(35), comment="Thiếu 9 thủ tục", user=None)
    appraise(score=_score(scoring_round, dongdang, "2.1"), points=None, comment="", user=None)
    step_advance(scoring_round=scoring_round)
    on_day(datetime.date(2031, 2, 5))
    explain(score=_score(scoring_round, baolam, "2.1"), text="Đã công khai đủ, gửi kèm ảnh chụp", user=None)
    step_advance(scoring_round=scoring_round)
    on_day(datetime.date(2031, 2, 15))
    final_appraise(score=_score(scoring_round, baolam, "2.1"), points=D(42), comment="Chấp nhận giải trình", user=None)
    survey_enter(scoring_round=scoring_round, unit=dongdang, points={"3.1": D(12)}, user=None)
    survey_enter(scoring_round=scoring_round, unit=baolam, points={"3.1": D(14)}, user=None)
    with pytest.raises(ValidationError, match="vượt điểm tối đa"):
        survey_enter(scoring_round=scoring_round, unit=baolam, points={"3.1": D(16)}, user=None)
    step_advance(scoring_round=scoring_round)

    results = {r.unit.pk: r for r in round_results(ScoringRound.objects.get(pk=scoring_round.pk))}
    # Đồng Đăng: 10 + 20 + 40 + survey 12 + bonus 3 capped at 2 = 84; self (no survey) 72.
    assert (results[dongdang.pk].self_total, results[dongdang.pk].final_total) == (D(72), D(84))
    # Bảo Lâm: 5 + 20 + 42 + 14 − 1 = 80; appraised 5 + 20 + 35 + 14 − 1 = 73.
    assert (results[baolam.pk].appraised_total, results[baolam.pk].final_total) == (D(73), D(80))
    assert (results[dongdang.pk].rank, results[baolam.pk].rank) == (1, 2)
    assert results[dongdang.pk].band == "Tốt" and results[baolam.pk].band == "Tốt"
    history = _score(scoring_round, baolam, "2.1").history.order_by("history_date")
    assert [h.appraised_points for h in history if h.appraised_points is not None][:1] == [35]
    assert history.last().final_points == 42


def test_ties_share_a_rank_after_the_penalty_rule(scoring_round, two_communes):
    results = round_results(scoring_round)
    a, b = results
    a.final_total = b.final_total = D(80)
    a.penalty, b.penalty = D(0), D(0)
    a.finalised = b.finalised = True  # as if both had final points
    ranked = rank([a, b])
    assert [r.rank for r in ranked] == [1, 1]
    b.penalty = D(1)
    ranked = rank([b, a])
    assert [(r.unit, r.rank) for r in ranked] == [(a.unit, 1), (b.unit, 2)]


def test_a_score_above_the_maximum_is_refused_and_not_clipped(scoring_round, two_communes, on_day):
    score = _score(scoring_round, two_communes[0], "2.1")
    with pytest.raises(ValidationError, match="Điểm 45,5 vượt điểm tối đa 45 của tiêu chí 2.1"):
        self_score(score=score, points=D("45.5"), comment="", user=None)
    score.refresh_from_db()
    assert score.self_points is None


def test_suggestions_come_from_the_units_tasks(authority):
    """A 2024 tree on the demo's tasks of Phòng Nội vụ: the suggestion is the on-time share, full points at 90 %."""
    tree = tree_create(authority=authority, year=2024, group=UnitGroup.SERVICE_UNITS, title="Thử 2024", items=items())
    unit = Unit.objects.get(code="183-NV")
    due = Task.objects.filter(lead_unit=unit, due_date__year=2024, cancelled_at__isnull=True)
    on_time = [t for t in due if t.confirmed_at and t.completed_on and t.completed_on <= t.due_date]
    assert due.count() > len(on_time) > 0
    scoring_round = round_open(
        tree=tree, self_until=datetime.date(2025, 1, 15), appraisal_until=datetime.date(2025, 1, 31),
        explanation_until=datetime.date(2025, 2, 10), final_until=datetime.date(2025, 2, 20), units=[unit],
    )  # fmt: skip
    score = _score(scoring_round, unit, "1.2")
    share = D(len(on_time)) * 100 / D(due.count())
    expected = (D(30) * min(share / 90, D(1))).quantize(D("0.01"))
    assert score.suggested_points == expected
    assert f"{len(on_time)}/{due.count()}" in score.suggestion_note
    suggestion_accept(score=score, user=None, today=datetime.date(2025, 1, 10))
    score.refresh_from_db()
    assert score.self_points == expected
    # The records' figures are taken with the points, as if the unit had typed them.
    assert (score.self_numerator, score.self_denominator) == (len(on_time), due.count())


def test_the_ratio_rule():
    class Item:
        max_points = D(30)
        ratio_full = D(90)

    assert ratio_points(Item(), D(9), D(10)) == 30  # type: ignore[arg-type]
    assert ratio_points(Item(), D(45), D(100)) == 15  # type: ignore[arg-type]
    assert ratio_points(Item(), D(0), D(0)) is None  # type: ignore[arg-type]


def test_the_apps_holding_the_records_give_their_share_per_unit_through_the_source_registry():
    """Tasks, the units' figures and inspection findings: each app's own source entry, no registry of the scoring's."""
    assert {code: unit_rates(code) is not None for code in ("tasks", "units", "insp_law", "secretariat")} == {
        "tasks": True,
        "units": True,
        "insp_law": True,
        "secretariat": False,
    }


def test_the_nightly_job_refreshes_an_open_rounds_suggestions_and_leaves_the_units_points(
    authority, secretariat, monkeypatch
):
    """A task completed on time while the round is open raises the suggestion; the unit's own points stay."""
    tree = tree_create(authority=authority, year=2024, group=UnitGroup.SERVICE_UNITS, title="Thử 2024", items=items())
    unit = Unit.objects.get(code="183-NV")
    scoring_round = round_open(
        tree=tree, self_until=datetime.date(2025, 1, 15), appraisal_until=datetime.date(2025, 1, 31),
        explanation_until=datetime.date(2025, 2, 10), final_until=datetime.date(2025, 2, 20), units=[unit],
    )  # fmt: skip
    score = _score(scoring_round, unit, "1.2")
    before = score.suggested_points
    self_score(score=score, points=D(5), comment="Tự chấm trước", user=None, today=datetime.date(2025, 1, 5))
    due = Task.objects.filter(lead_unit=unit, due_date__year=2024, cancelled_at__isnull=True, confirmed_at=None)
    task = due.order_by("pk").first()
    assert before is not None and before < 30 and task is not None
    task_claim_completion(task=task, user=secretariat, today=task.due_date, text="Đã xong.")
    task_confirm_completion(task=Task.objects.get(pk=task.pk), user=secretariat, today=task.due_date)
    monkeypatch.setattr(timezone, "localdate", lambda value=None, tz=None: datetime.date(2025, 1, 10))

    result = close_due_steps()

    score.refresh_from_db()
    assert result["moved"] == [] and isinstance(result["suggestions"], int) and result["suggestions"] >= 1
    assert score.suggested_points > before
    assert (score.self_points, score.self_comment) == (D(5), "Tự chấm trước")


def test_four_units_rank_1_2_2_4_by_total_then_penalty_then_name(scoring_round):
    unit_a, unit_b, unit_c, unit_d = Unit.objects.filter(kind__code="commune").order_by("name")[:4]
    results = [
        UnitResult(unit=unit_d, final_total=D(90), penalty=D(0)),
        UnitResult(unit=unit_c, final_total=D(85), penalty=D(1)),  # equal to b on both: shares rank 2
        UnitResult(unit=unit_b, final_total=D(85), penalty=D(1)),
        UnitResult(unit=unit_a, final_total=D(85), penalty=D(2)),  # the larger penalty ranks it after them
    ]
    ranked = rank(results)
    assert [(r.unit, r.rank) for r in ranked] == [(unit_d, 1), (unit_b, 2), (unit_c, 2), (unit_a, 4)]


def test_results_show_last_years_final_total_beside_this_years():
    """The demo's rounds of this year are open; 2024's are final: each unit's 2024 total is its last year."""
    finished = ScoringRound.objects.get(tree__year=2024, tree__group=UnitGroup.COMMUNES)
    current = ScoringRound.objects.filter(tree__year__gt=2024, tree__group=UnitGroup.COMMUNES).get()
    last_year = {result.unit.pk: result.final_total for result in round_results(finished)}
    shown = {result.unit.pk: result.last_year for result in round_results(current)}
    assert shown and set(shown) <= set(last_year)
    assert shown == {unit_id: last_year[unit_id] for unit_id in shown}
    assert any(total for total in shown.values())


def test_a_new_round_ranks_nobody_rather_than_everyone_first(scoring_round, two_communes, client_for, secretariat):
    # Before: every final total was 0, so every unit was printed as rank 1, band "Trung bình".
    results = round_results(scoring_round)
    assert [(r.rank, r.band, r.finalised) for r in results] == [(0, "", False), (0, "", False)]
    page = client_for(secretariat).get(reverse("scoring-results", args=[scoring_round.pk]))
    rank_cells = re.findall(r"<tr>\s*<td>(.*?)</td>", page.content.decode(), re.S)
    assert len(rank_cells) == 2 and all("—" in cell for cell in rank_cells), rank_cells
    assert "Trung bình" not in page.content.decode()
    score = _score(scoring_round, two_communes[1], "2.1")
    score.final_points = D(30)
    score.save(update_fields=["final_points"])
    by_unit = {r.unit: r for r in round_results(scoring_round)}
    # The unit with final points ranks first; the other, with none yet, is listed after it unranked.
    assert (by_unit[two_communes[1]].rank, by_unit[two_communes[0]].rank) == (1, 0)
    assert by_unit[two_communes[1]].band and not by_unit[two_communes[0]].band
    assert [r.unit for r in round_results(scoring_round)] == [two_communes[1], two_communes[0]]
