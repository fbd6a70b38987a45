"""A ratio item scored from the unit's own figures: the unit types 8 of 10, the portal computes the points.

Item 1.2 of the test tree: 30 points at 90 % or more, proportional below. The
points a unit types beside its figures must be the ones the figures give: nothing
the unit typed is replaced without a word.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from scoring.models import Score, ScoringRound
from scoring.services import self_score

pytestmark = pytest.mark.django_db
D = Decimal


def _score(scoring_round: ScoringRound, unit, code: str) -> Score:
    return Score.objects.select_related("criterion", "unit").get(round=scoring_round, unit=unit, criterion__code=code)


def test_the_points_are_computed_from_the_units_figures(scoring_round, two_communes, on_day):
    score = _score(scoring_round, two_communes[0], "1.2")
    self_score(score=score, points=None, ratio=(D(8), D(10)), comment="8/10 nhiệm vụ", user=None)
    score.refresh_from_db()
    # 80 % of the 90 % that gives full points: 30 × 80/90.
    assert (score.self_points, score.self_numerator, score.self_denominator) == (D("26.67"), 8, 10)
    self_score(score=score, points=None, ratio=(D(19), D(20)), comment="", user=None)
    score.refresh_from_db()
    assert score.self_points == 30  # 95 % ≥ 90 %: the maximum, never more


@pytest.mark.parametrize(
    ("points", "ratio", "message"),
    [
        (D(30), (D(8), D(10)), "Theo tỷ lệ 8/10, điểm là 26,67 chứ không phải 30"),
        (None, (D(11), D(10)), "Số đạt yêu cầu phải từ 0 đến tổng số (10)."),
        (None, (D(0), D(0)), "Tổng số phải lớn hơn 0"),
    ],
)
def test_figures_that_cannot_give_the_points_are_refused_and_nothing_is_saved(
    scoring_round, two_communes, on_day, points, ratio, message
):
    score = _score(scoring_round, two_communes[0], "1.2")
    with pytest.raises(ValidationError, match=re.escape(message)):
        self_score(score=score, points=points, ratio=ratio, comment="", user=None)
    score.refresh_from_db()
    assert (score.self_points, score.self_numerator, score.self_denominator) == (None, None, None)


def test_figures_on_an_item_not_scored_by_a_ratio_are_refused(scoring_round, two_communes, on_day):
    with pytest.raises(ValidationError, match="Tiêu chí 2.1 không chấm theo tỷ lệ."):
        self_score(score=_score(scoring_round, two_communes[0], "2.1"), points=None, ratio=(D(1), D(2)), comment="",
                   user=None)  # fmt: skip


def test_points_typed_alone_later_clear_the_old_figures(scoring_round, two_communes, on_day):
    score = _score(scoring_round, two_communes[0], "1.2")
    self_score(score=score, points=None, ratio=(D(8), D(10)), comment="", user=None)
    self_score(score=score, points=D(30), comment="Không phát sinh nhiệm vụ trong năm", user=None)
    score.refresh_from_db()
    assert (score.self_points, score.self_numerator, score.self_denominator) == (30, None, None)


def _post(client, score: Score, **data: str):
    return client.post(reverse("scoring-score", args=[score.pk, "self"]), {"points": "", "comment": "", **data})


def test_the_unit_types_its_figures_on_the_form_and_the_sheet_shows_where_the_points_came_from(
    client_for, commune_head, scoring_round, two_communes, on_day
):
    client = client_for(commune_head)
    score = _score(scoring_round, two_communes[0], "1.2")
    form_page = client.get(reverse("scoring-sheet", args=[scoring_round.pk, two_communes[0].code])).content.decode()
    assert f'id="s{score.pk}_numerator"' in form_page and f'id="s{score.pk}_denominator"' in form_page
    assert "từ 90% trở lên được điểm tối đa" in form_page
    saved = _post(client, score, numerator="1234", denominator="1500")
    assert saved.status_code == 302, saved.content.decode()
    score.refresh_from_db()
    assert (score.self_numerator, score.self_denominator) == (1234, 1500)
    assert score.self_points == D("27.42")  # 30 × (1234/1500) / 0,9
    page = client.get(reverse("scoring-sheet", args=[scoring_round.pk, two_communes[0].code])).content.decode()
    shown = re.search(r"tính từ [^<)]*", page)
    # What is read on a page is grouped by thousands (parplan.formatting); a field keeps the digits as typed.
    assert "27,42" in page and shown and shown.group(0) == "tính từ 1.234/1.500", shown


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"numerator": "8"}, "denominator", "Cần nhập cả số đạt yêu cầu và tổng số để cổng tính điểm."),
        ({"denominator": "10"}, "numerator", "Cần nhập cả số đạt yêu cầu và tổng số để cổng tính điểm."),
        ({"numerator": "8", "denominator": "10", "points": "30"}, "points", "điểm là 26,67 chứ không phải 30"),
        ({"numerator": "12", "denominator": "10"}, "numerator", "Số đạt yêu cầu phải từ 0 đến tổng số (10)."),
        ({"numerator": "-1", "denominator": "10"}, "numerator", ""),
        # "1.234" is 1234 or 1,234: asked, never guessed.
        ({"numerator": "1.234", "denominator": "1500"}, "numerator", "1.234"),
        ({}, "points", "Cần nhập điểm tự chấm, hoặc số đạt yêu cầu và tổng số để cổng tính điểm."),
        ({"points": "31"}, "points", "Điểm 31 vượt điểm tối đa 30 của tiêu chí 1.2."),
    ],
)
def test_bad_figures_come_back_on_their_field_unsaved(
    client_for, commune_head, scoring_round, two_communes, on_day, data, field, message
):
    score = _score(scoring_round, two_communes[0], "1.2")
    response = _post(client_for(commune_head), score, **data)
    assert response.status_code == 400
    errors = response.context["rows"]
    form = next(row.form for row in errors if row.score.pk == score.pk)
    assert field in form.errors, form.errors
    assert message in " ".join(form.errors[field])
    score.refresh_from_db()
    assert (score.self_points, score.self_numerator) == (None, None)


def test_typed_points_alone_still_score_a_ratio_item(client_for, commune_head, scoring_round, two_communes, on_day):
    score = _score(scoring_round, two_communes[0], "1.2")
    assert _post(client_for(commune_head), score, points="30", comment="Không phát sinh").status_code == 302
    score.refresh_from_db()
    assert (score.self_points, score.self_numerator) == (30, None)


def test_points_typed_as_the_figures_give_them_are_saved(client_for, commune_head, scoring_round, two_communes, on_day):
    score = _score(scoring_round, two_communes[0], "1.2")
    response = _post(client_for(commune_head), score, numerator="8", denominator="10", points="26,67")
    assert response.status_code == 302
    score.refresh_from_db()
    assert (score.self_points, score.self_numerator) == (D("26.67"), 8)


def test_a_refused_score_comes_back_where_it_was_with_its_error_described_and_focused(
    client_for, commune_head, scoring_round, two_communes, on_day
):
    """The sheet is long: the page reopens at the item (the form posts to its anchor), on the field to correct."""
    score = _score(scoring_round, two_communes[0], "1.2")
    client = client_for(commune_head)
    sheet = client.get(reverse("scoring-sheet", args=[scoring_round.pk, two_communes[0].code])).content.decode()
    assert f'action="{reverse("scoring-score", args=[score.pk, "self"])}#score-{score.pk}"' in sheet
    page = _post(client, score, numerator="8").content.decode()
    field = re.search(rf'<input[^>]*id="s{score.pk}_denominator"[^>]*>', page)
    assert (
        field
        and "autofocus" in field.group(0)
        and f'aria-describedby="s{score.pk}_denominator_helptext' in field.group(0)
    )
    assert f'id="s{score.pk}_denominator_error"' in page and f'id="s{score.pk}_denominator_helptext"' in page
    assert page.count("autofocus") == 1  # one field takes the focus, the first with an error


def test_an_items_levels_are_listed_with_the_decimal_comma(client_for, commune_head, scoring_round, two_communes):
    """Not the stored "points|label" lines ("1.5|…" in English marks): each level as the page writes numbers."""
    from scoring.models import Criterion

    item = Criterion.objects.get(tree=scoring_round.tree, code="1.1")
    item.choices = "10|Đúng hạn\n2.5|Chậm\n0|Không có"
    item.save(update_fields=["choices"])
    page = client_for(commune_head).get(reverse("scoring-sheet", args=[scoring_round.pk, two_communes[0].code]))
    html = page.content.decode()
    assert "<li>2,5 — Chậm</li>" in html and "2.5|" not in html
