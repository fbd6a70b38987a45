"""The survey part imported for every unit from one .xlsx: all or nothing, each problem by row and column."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from scoring.models import Score, ScoringRound
from scoring.services import step_advance
from scoring.surveys import survey_import, survey_template

D = Decimal
pytestmark = pytest.mark.django_db


def _xlsx(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _survey(scoring_round: ScoringRound) -> dict[str, Decimal | None]:
    scores = Score.objects.filter(round=scoring_round, criterion__code="3.1").select_related("unit")
    return {score.unit.code: score.final_points for score in scores}


def test_the_template_lists_the_rounds_units_and_survey_items_and_imports_back(scoring_round, two_communes):
    sheet = load_workbook(io.BytesIO(survey_template(scoring_round))).worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["Mã đơn vị", "Tên đơn vị", "3.1 Hài lòng"]
    assert sorted(str(row[0]) for row in rows[1:]) == sorted(unit.code for unit in two_communes)
    for row in rows[1:]:
        row[2] = 12.5 if row[0] == two_communes[0].code else "13,75"  # a number cell, and text in Vietnamese marks

    result = survey_import(scoring_round=scoring_round, content=_xlsx(rows), user=None)

    assert (result.units, result.points) == (2, 2)
    assert _survey(scoring_round) == {two_communes[0].code: D("12.5"), two_communes[1].code: D("13.75")}
    score = Score.objects.get(round=scoring_round, unit=two_communes[0], criterion__code="3.1")
    assert score.appraised_points == D("12.5")  # the survey is both steps' points at once
    assert score.history.latest().final_points == D("12.5")  # kept in history


def test_every_problem_is_listed_by_row_and_column_and_nothing_is_saved(scoring_round, two_communes):
    dongdang, baolam = (unit.code for unit in two_communes)
    content = _xlsx(
        [
            ["Mã đơn vị", "Tên đơn vị", "3.1", "2.1 Công khai"],
            [dongdang, "Đồng Đăng", 12, None],  # right, but not saved: another row is wrong
            [baolam, "Bảo Lâm", 16, None],  # above the maximum
            ["99999", "Không có", 10, None],  # not scored in this round
            [dongdang, "again", 10, None],  # twice
            [None, "no code", 10, None],
            ["06238", None, "1.234,5", None],
        ]
    )
    with pytest.raises(ValidationError) as refused:
        survey_import(scoring_round=scoring_round, content=content, user=None)

    messages = refused.value.messages
    assert "Cột D (“2.1 Công khai”): không phải mã tiêu chí điều tra xã hội học của bộ tiêu chí." in messages
    assert any(m.startswith("Dòng 3, cột C: ") and "vượt điểm tối đa 15" in m for m in messages)
    assert "Dòng 4: đơn vị mã 99999 không được chấm trong đợt này." in messages
    assert f"Dòng 5: đơn vị mã {dongdang} có ở hai dòng." in messages
    assert "Dòng 6: thiếu mã đơn vị." in messages
    assert "Dòng 7: đơn vị mã 06238 không được chấm trong đợt này." in messages
    assert _survey(scoring_round) == {dongdang: None, baolam: None}


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([["Đơn vị", "3.1"], ["x", 1]], "Dòng tiêu đề cần có cột “Mã đơn vị”."),
        ([["Mã đơn vị", "3.1"]], "Tệp không có điểm nào để nhập."),
    ],
)
def test_a_file_without_a_unit_column_or_any_points_is_refused(scoring_round, rows, message):
    with pytest.raises(ValidationError) as refused:
        survey_import(scoring_round=scoring_round, content=_xlsx(rows), user=None)
    assert refused.value.messages == [message]


def test_a_typed_number_in_the_wrong_marks_is_refused_not_guessed(scoring_round, two_communes):
    content = _xlsx([["Mã đơn vị", "3.1"], [two_communes[0].code, "12.5"]])
    with pytest.raises(ValidationError) as refused:
        survey_import(scoring_round=scoring_round, content=content, user=None)
    assert refused.value.messages[0].startswith("Dòng 2, cột B: ")
    assert _survey(scoring_round)[two_communes[0].code] is None


def test_the_secretariat_uploads_it_on_the_results_page(
    client_for, secretariat, commune_head, scoring_round, two_communes
):
    results = reverse("scoring-results", args=[scoring_round.pk])
    upload = reverse("scoring-survey-import", args=[scoring_round.pk])
    client = client_for(secretariat)
    page = client.get(results).content.decode()
    assert upload in page and reverse("scoring-survey-template", args=[scoring_round.pk]) in page
    template = client.get(reverse("scoring-survey-template", args=[scoring_round.pk]))
    assert template.status_code == 200 and template.content.startswith(b"PK")

    content = _xlsx([["Mã đơn vị", "3.1"], [two_communes[0].code, 14]])
    done = client.post(upload, {"file": SimpleUploadedFile("dieu-tra.xlsx", content)})
    assert done.status_code == 302
    assert _survey(scoring_round)[two_communes[0].code] == 14

    wrong = client.post(upload, {"file": SimpleUploadedFile("dieu-tra.xlsx", b"not a workbook")})
    assert wrong.status_code == 400 and "Tệp không phải là bảng tính .xlsx đọc được:" in wrong.content.decode()
    csv = client.post(upload, {"file": SimpleUploadedFile("dieu-tra.csv", b"a,b")})
    assert csv.status_code == 400 and "Chỉ nhận tệp bảng tính .xlsx." in csv.content.decode()
    # A unit's head may not import anyone's survey, nor read the template.
    assert client_for(commune_head).post(upload, {"file": SimpleUploadedFile("d.xlsx", content)}).status_code in {
        403,
        404,
    }
    assert client_for(commune_head).get(reverse("scoring-survey-template", args=[scoring_round.pk])).status_code in {
        403,
        404,
    }


def test_no_survey_is_taken_once_the_results_are_published(scoring_round, two_communes):
    for _step in range(4):
        scoring_round = step_advance(scoring_round=scoring_round)
    content = _xlsx([["Mã đơn vị", "3.1"], [two_communes[0].code, 14]])
    with pytest.raises(ValidationError, match="đã công bố kết quả"):
        survey_import(scoring_round=scoring_round, content=content, user=None)
