"""The scoring's screens: the tree built, imported, copied and locked; the round opened; scores through their forms.

Bad input comes back on the form in Vietnamese with status 400, and nothing is saved or clipped.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from parplan.models import Unit
from scoring.models import Score, ScoringRound, ScoringTree, UnitGroup
from scoring.services import round_open, self_score, step_advance
from tests.files import pdf_bytes

pytestmark = pytest.mark.django_db
D = Decimal
OPEN = {
    "self_until": "15/01/2031", "appraisal_until": "31/01/2031", "explanation_until": "10/02/2031",
    "final_until": "20/02/2031", "band_excellent": "90", "band_good": "80", "band_fair": "70",
}  # fmt: skip


def _score(scoring_round: ScoringRound, unit, code: str) -> Score:
    return Score.objects.select_related("criterion", "unit").get(round=scoring_round, unit=unit, criterion__code=code)


def _tree_page(client, tree: ScoringTree) -> str:
    return client.get(reverse("scoring-tree", args=[tree.pk])).content.decode()


def _new_tree(client, authority, year: int = 2032) -> ScoringTree:
    data = {"year": year, "group": UnitGroup.COMMUNES, "title": f"Bộ tiêu chí {year}", "declared_total": "100",
            "bonus_cap": "2", "penalty_cap": "3"}  # fmt: skip
    response = client.post(reverse("scoring-trees", args=[authority.code]), data)
    assert response.status_code == 302, response.content.decode()
    return ScoringTree.objects.get(authority=authority, year=year, group=UnitGroup.COMMUNES)


def _add(client, tree: ScoringTree, code: str, max_points: str, parent: str = "", **extra: str):
    data = {"code": code, "parent_code": parent, "name": f"Tiêu chí {code}", "max_points": max_points,
            "method": "free", "part": "base", "ratio_full": "100", **extra}  # fmt: skip
    return client.post(reverse("scoring-tree", args=[tree.pk]), data)


def test_the_secretariat_builds_a_tree_on_its_page_and_cannot_open_it_until_it_sums(client_for, secretariat, authority):
    client = client_for(secretariat)
    tree = _new_tree(client, authority)
    assert _add(client, tree, "1", "60").status_code == 302
    assert _add(client, tree, "1.1", "60", "1", evidence_required="on").status_code == 302
    page = _tree_page(client, tree)
    assert "Tổng điểm các lĩnh vực là 60, không bằng tổng điểm công bố 100." in page
    refused = client.post(reverse("scoring-round-open", args=[tree.pk]), OPEN)
    assert refused.status_code == 400
    assert "Tổng điểm các lĩnh vực là 60" in refused.content.decode()
    assert not ScoringRound.objects.filter(tree=tree).exists()
    assert _add(client, tree, "2", "40").status_code == 302
    assert _add(client, tree, "2.1", "40", "2").status_code == 302
    offered = _offered_units(client, tree)
    opened = client.post(reverse("scoring-round-open", args=[tree.pk]), OPEN | {"units": offered})
    assert opened.status_code == 302
    tree.refresh_from_db()
    assert tree.is_locked and tree.round.self_until == datetime.date(2031, 1, 15)
    assert set(tree.round.scores.values_list("unit_id", flat=True)) == {int(pk) for pk in offered}


def _offered_units(client, tree: ScoringTree) -> list[str]:
    """The units the opening form ticks for the secretariat."""
    form = client.get(reverse("scoring-tree", args=[tree.pk])).context["open_form"]
    return [str(pk) for pk in form["units"].initial]


def test_the_opening_form_ticks_the_groups_units_and_scores_only_those_kept(client_for, secretariat, authority):
    """Kinds are data: the form lists every unit under the authority, ticks the group's kinds, opens on the choice."""
    client = client_for(secretariat)
    tree = _new_tree(client, authority)
    assert _add(client, tree, "1", "100").status_code == 302
    form = client.get(reverse("scoring-tree", args=[tree.pk])).context["open_form"]
    candidates = {unit.pk: unit for unit in form.fields["units"].queryset}
    ticked = set(form["units"].initial)
    assert ticked and ticked < set(candidates)  # the offices are listed too, not ticked for a communes' tree
    assert {candidates[pk].kind.code for pk in ticked} <= {"commune", "town", "ward"}
    office = next(pk for pk, unit in candidates.items() if unit.kind.code == "office")
    kept = [*sorted(ticked)[:2], office]
    opened = client.post(reverse("scoring-round-open", args=[tree.pk]), OPEN | {"units": [str(pk) for pk in kept]})
    assert opened.status_code == 302
    tree.refresh_from_db()
    assert set(tree.round.scores.values_list("unit_id", flat=True)) == set(kept)


def test_a_round_with_no_unit_or_one_outside_the_authority_is_refused(client_for, secretariat, authority):
    client = client_for(secretariat)
    tree = _new_tree(client, authority)
    assert _add(client, tree, "1", "100").status_code == 302
    none = client.post(reverse("scoring-round-open", args=[tree.pk]), OPEN)
    assert none.status_code == 400
    assert "Cần chọn ít nhất một đơn vị được chấm điểm." in none.content.decode()
    outside = Unit.objects.exclude(parent=authority).exclude(pk=authority.pk).first()
    refused = client.post(reverse("scoring-round-open", args=[tree.pk]), OPEN | {"units": [str(outside.pk)]})
    assert refused.status_code == 400
    tree.refresh_from_db()
    assert not tree.is_locked and not ScoringRound.objects.filter(tree=tree).exists()
    with pytest.raises(ValidationError, match="Không trực thuộc"):
        day = datetime.date(2031, 1, 1)
        round_open(tree=tree, self_until=day, appraisal_until=day, explanation_until=day, final_until=day,
                   units=[outside])  # fmt: skip


def test_an_item_with_negative_points_or_an_unknown_parent_is_refused_on_its_form(client_for, secretariat, authority):
    client = client_for(secretariat)
    tree = _new_tree(client, authority)
    negative = _add(client, tree, "1", "-5")
    assert negative.status_code == 400 and "Điểm tối đa không được âm." in negative.content.decode()
    orphan = _add(client, tree, "9.1", "5", "9")
    assert orphan.status_code == 400
    assert "Tiêu chí 9.1 thuộc tiêu chí 9 chưa có ở phía trên." in orphan.content.decode()
    assert not tree.criteria.exists()


def test_a_locked_tree_is_not_edited(client_for, secretariat, scoring_round, tree):
    client = client_for(secretariat)
    response = _add(client, tree, "9", "1")
    assert response.status_code == 400
    assert "Bộ tiêu chí đã khóa khi bắt đầu chấm điểm, không sửa được." in response.content.decode()
    item = tree.criteria.get(code="2.1")
    edit = client.post(reverse("scoring-criterion", args=[item.pk]), {"code": "2.1", "name": "x", "max_points": "1",
                                                                       "method": "free", "part": "base"})  # fmt: skip
    assert edit.status_code == 400
    item.refresh_from_db()
    assert item.max_points == 45


def _workbook(rows: list[list[Any]]) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    for row in [["STT", "Tiêu chí", "Điểm tối đa", "Tài liệu kiểm chứng"], *rows]:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("bo-tieu-chi.xlsx", buffer.getvalue())


def test_the_tree_is_imported_from_an_xlsx_on_its_page_all_or_nothing(client_for, secretariat, authority):
    client = client_for(secretariat)
    tree = _new_tree(client, authority)
    url = reverse("scoring-tree-import", args=[tree.pk])
    wrong = client.post(url, {"file": _workbook([["1", "Chỉ đạo", 60], ["1.1", "Kế hoạch", 60, "x"]])})
    assert wrong.status_code == 400
    assert "Tổng điểm các lĩnh vực là 60, không bằng tổng điểm công bố 100." in wrong.content.decode()
    assert not tree.criteria.exists()
    right = client.post(url, {"file": _workbook([["1", "Chỉ đạo", 100], ["1.1", "Kế hoạch", 100, "x"]])})
    assert right.status_code == 302
    assert list(tree.criteria.values_list("code", "evidence_required")) == [("1", False), ("1.1", True)]


def test_last_years_tree_is_copied_from_its_page(client_for, secretariat, tree):
    response = client_for(secretariat).post(reverse("scoring-tree-copy", args=[tree.pk]), {"year": tree.year + 1})
    assert response.status_code == 302
    copy = ScoringTree.objects.get(authority=tree.authority, year=tree.year + 1, group=tree.group)
    assert not copy.is_locked and copy.criteria.count() == tree.criteria.count()


def test_steps_out_of_order_are_refused_when_a_round_opens(client_for, secretariat, tree):
    response = client_for(secretariat).post(
        reverse("scoring-round-open", args=[tree.pk]),
        OPEN | {"final_until": "01/01/2031", "units": _offered_units(client_for(secretariat), tree)},
    )
    assert response.status_code == 400
    assert "Hạn các bước phải theo thứ tự" in response.content.decode()


def test_the_steering_committee_reads_trees_but_does_not_edit_them_and_a_unit_sees_none(
    client_for, steering, commune_head, tree, authority
):
    steering_client = client_for(steering)
    assert steering_client.get(reverse("scoring-tree", args=[tree.pk])).status_code == 200
    assert _add(steering_client, tree, "9", "1").status_code == 403
    assert client_for(commune_head).get(reverse("scoring-tree", args=[tree.pk])).status_code == 404
    assert client_for(commune_head).get(reverse("scoring-trees", args=[authority.code])).status_code == 404


@pytest.mark.parametrize(
    ("points", "message"),
    [("45,5", "Điểm 45,5 vượt điểm tối đa 45 của tiêu chí 2.1."), ("-1", "Điểm của tiêu chí 2.1 không được âm.")],
)
def test_a_self_score_outside_its_bounds_comes_back_on_its_form_unsaved(
    client_for, commune_head, scoring_round, two_communes, on_day, points, message
):
    score = _score(scoring_round, two_communes[0], "2.1")
    response = client_for(commune_head).post(reverse("scoring-score", args=[score.pk, "self"]), {"points": points})
    assert response.status_code == 400
    assert message in response.content.decode()
    score.refresh_from_db()
    assert score.self_points is None


def test_a_required_evidence_file_missing_is_refused_on_the_form(
    client_for, commune_head, scoring_round, two_communes, on_day, media_root
):
    score = _score(scoring_round, two_communes[0], "1.1")
    client = client_for(commune_head)
    response = client.post(reverse("scoring-score", args=[score.pk, "self"]), {"points": "10"})
    assert response.status_code == 400
    assert "Tiêu chí 1.1 bắt buộc có tài liệu kiểm chứng" in response.content.decode()
    upload = SimpleUploadedFile("ke-hoach.pdf", pdf_bytes(), content_type="application/pdf")
    saved = client.post(reverse("scoring-score", args=[score.pk, "self"]), {"points": "10", "files": [upload]})
    assert saved.status_code == 302
    score.refresh_from_db()
    assert score.self_points == 10 and score.evidence.count() == 1


def test_an_edit_after_the_deadline_is_refused_on_the_form(
    client_for, commune_head, scoring_round, two_communes, on_day
):
    on_day(datetime.date(2031, 1, 16))
    score = _score(scoring_round, two_communes[0], "2.1")
    response = client_for(commune_head).post(reverse("scoring-score", args=[score.pk, "self"]), {"points": "40"})
    assert response.status_code == 400
    assert "Đã quá hạn đơn vị tự chấm (15/01/2031): không sửa được nữa." in response.content.decode()


def test_a_changed_appraisal_needs_its_reason_and_the_unit_explains(
    client_for, secretariat, commune_head, scoring_round, two_communes, on_day
):
    score = _score(scoring_round, two_communes[0], "2.1")
    self_score(score=score, points=D(40), comment="Đủ", user=None)
    step_advance(scoring_round=scoring_round)
    on_day(datetime.date(2031, 1, 20))
    secretariat_client = client_for(secretariat)
    url = reverse("scoring-score", args=[score.pk, "appraise"])
    no_reason = secretariat_client.post(url, {"points": "30"})
    assert no_reason.status_code == 400
    assert "Cần ghi rõ lý do khi thay đổi điểm tự chấm." in no_reason.content.decode()
    assert secretariat_client.post(url, {"points": "30", "comment": "Thiếu công khai"}).status_code == 302
    step_advance(scoring_round=scoring_round)
    on_day(datetime.date(2031, 2, 5))
    explain = reverse("scoring-score", args=[score.pk, "explain"])
    assert client_for(commune_head).post(explain, {"explanation": ""}).status_code == 400
    assert client_for(commune_head).post(explain, {"explanation": "Đã công khai tại trụ sở"}).status_code == 302
    score.refresh_from_db()
    assert (score.appraised_points, score.explanation) == (30, "Đã công khai tại trụ sở")


def test_the_secretariat_enters_the_survey_part_within_bounds(
    client_for, secretariat, commune_head, scoring_round, two_communes
):
    unit = two_communes[0]
    url = reverse("scoring-survey", args=[scoring_round.pk, unit.code])
    client = client_for(secretariat)
    too_much = client.post(url, {"3.1": "16"})
    assert too_much.status_code == 400 and "vượt điểm tối đa 15" in too_much.content.decode()
    assert client.post(url, {"3.1": "12,5"}).status_code == 302
    assert _score(scoring_round, unit, "3.1").final_points == D("12.5")
    assert client_for(commune_head).get(url).status_code == 404


def test_the_sheet_offers_each_step_its_own_form(client_for, secretariat, commune_head, scoring_round, two_communes):
    unit = two_communes[0]
    url = reverse("scoring-sheet", args=[scoring_round.pk, unit.code])
    score = _score(scoring_round, unit, "2.1")
    unit_page = client_for(commune_head).get(url).content.decode()
    assert reverse("scoring-score", args=[score.pk, "self"]) in unit_page
    assert (
        reverse("scoring-score", args=[score.pk, "appraise"]) not in client_for(secretariat).get(url).content.decode()
    )
    step_advance(scoring_round=scoring_round)
    assert reverse("scoring-score", args=[score.pk, "self"]) not in client_for(commune_head).get(url).content.decode()
    assert reverse("scoring-score", args=[score.pk, "appraise"]) in client_for(secretariat).get(url).content.decode()


def test_the_scorecard_shows_a_bonus_above_its_cap_and_what_counted(
    client_for, commune_head, scoring_round, two_communes
):
    unit = two_communes[0]
    url = reverse("scoring-sheet", args=[scoring_round.pk, unit.code])
    self_score(score=_score(scoring_round, unit, "2.1"), points=D(40), comment="", user=None)
    self_score(score=_score(scoring_round, unit, "T"), points=D(3), comment="", user=None)
    for _step in range(4):  # nobody appraises: the self-scores become the final points
        scoring_round = step_advance(scoring_round=scoring_round)

    page = " ".join(client_for(commune_head).get(url).content.decode().split())

    # The tree caps the bonus at 2: the 3 given are shown, and that only 2 count (40 + 2).
    assert "Cuối cùng: 42,00" in page
    assert "điểm cơ bản 40,00 · điểm thưởng 3,00 (chỉ tính 2,00, mức trần của bộ tiêu chí)" in page


@pytest.mark.parametrize(
    ("dates", "message"),
    [
        ({"self_until": "01/01/2020"}, "Hạn đơn vị tự chấm (01/01/2020) đã qua"),
        ({"self_until": "15.01.2031"}, "Ngày không hợp lệ: nhập theo dạng dd/mm/yyyy, ví dụ 31/01/2027."),
    ],
)
def test_a_first_deadline_already_past_or_a_date_in_another_form_is_refused(
    client_for, secretariat, tree, dates, message
):
    client = client_for(secretariat)
    response = client.post(
        reverse("scoring-round-open", args=[tree.pk]), OPEN | dates | {"units": _offered_units(client, tree)}
    )
    assert response.status_code == 400 and message in response.content.decode()
    assert not ScoringRound.objects.filter(tree=tree).exists()
