"""The demo's scoring: a finished 2024 round per group and an open one for the current year."""

from __future__ import annotations

import pytest
from django.utils import timezone

from scoring.arithmetic import ratio_points
from scoring.models import Score, ScoringRound, Step
from scoring.selectors import official_rankings, round_results

pytestmark = pytest.mark.django_db


def test_the_demo_holds_a_finished_2024_round_and_an_open_current_one():
    finished = ScoringRound.objects.filter(tree__year=2024, step=Step.DONE)
    assert set(finished.values_list("tree__group", flat=True)) == {"offices", "communes"}
    current = ScoringRound.objects.filter(tree__year=timezone.localdate().year, step=Step.SELF)
    assert current.count() == 2
    communes = round_results(finished.get(tree__group="communes"))
    assert communes[0].rank == 1 and communes[0].final_total > communes[-1].final_total
    assert all(r.final_total <= 100 + 2 for r in communes)


def test_the_official_ranking_is_the_finished_rounds(seed_plan):
    rankings = {r.round.tree.group: r for r in official_rankings(seed_plan.issuing_unit)}
    assert set(rankings) == {"offices", "communes"}
    assert rankings["offices"].units == 13 and len(rankings["offices"].top) == 5


def test_the_communes_tree_words_a_communes_work_and_keeps_the_offices_points():
    """Same codes and points (domain.md's shape), but the communes are scored on a commune's work."""
    trees = {r.tree.group: r.tree for r in ScoringRound.objects.filter(tree__year=2024).select_related("tree")}
    offices, communes = ({c.code: c for c in trees[group].criteria.all()} for group in ("offices", "communes"))
    assert {code: item.max_points for code, item in offices.items()} == {
        code: item.max_points for code, item in communes.items()
    }
    differing = {code for code in offices if offices[code].name != communes[code].name}
    assert {"3.1", "4.1", "7.2"} <= differing
    assert "thôn" in communes["4.1"].name and "một cửa" in communes["3.1"].name


def test_the_demos_units_scored_the_apology_item_from_their_own_figures():
    """3.3 has no record in the portal to count: each unit typed its figures and the points follow from them."""
    scores = Score.objects.filter(round__tree__year=2024, criterion__code="3.3").select_related("criterion")
    assert set(scores.values_list("round__tree__group", flat=True)) == {"offices", "communes"}
    for score in scores:
        assert score.self_denominator and score.self_denominator > 0
        assert score.self_points == ratio_points(score.criterion, score.self_numerator, score.self_denominator)
