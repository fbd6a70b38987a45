"""Once a round is final, its ranking is the dashboard's official unit ranking; the progress ranking stays, named so."""

from __future__ import annotations

import pytest
from django.urls import reverse

from scoring.models import ScoringRound
from scoring.selectors import official_rankings, round_results
from scoring.services import step_advance

pytestmark = pytest.mark.django_db


def _dashboard(client_for, user, plan) -> str:
    response = client_for(user).get(reverse("dashboard"), {"plan": plan.pk})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("who", ["secretariat", "steering"])
def test_the_dashboard_shows_the_finished_rounds_ranking_as_the_official_one(client_for, seed_plan, request, who):
    finished = ScoringRound.objects.get(tree__year=2024, tree__group="communes")
    first = round_results(finished)[0]
    html = _dashboard(client_for, request.getfixturevalue(who), seed_plan)
    official = html[html.index('id="official-ranking"') : html.index('id="ranking"')]
    assert "Xếp hạng Chỉ số CCHC chính thức" in official
    assert finished.tree.title in official and first.unit.name in official
    assert "Xếp hạng đơn vị theo chỉ số tiến độ" in html
    # The first screen's "who lags" tile is the progress index's: it says so, beside the official ranking.
    tile = html[html.index('id="summary-title"') : html.index('id="dashboard-filter"')]
    assert "Đơn vị chậm nhất theo chỉ số tiến độ" in tile


def test_a_unit_head_sees_no_other_units_official_ranking(client_for, commune_head, seed_plan):
    html = _dashboard(client_for, commune_head, seed_plan)
    assert 'id="official-ranking"' not in html


def test_an_open_round_is_not_official_until_it_is_final(seed_plan):
    """The current year's rounds are open: the official ranking is still 2024's."""
    assert {r.round.tree.year for r in official_rankings(seed_plan.issuing_unit)} == {2024}
    assert ScoringRound.objects.exclude(tree__year=2024).exists()


def test_a_plans_dashboard_shows_no_later_years_ranking(client_for, secretariat, seed_plan, scoring_round):
    """A round of 2030 finished: the 2024 plan's page still shows 2024's ranking, the function's default the latest."""
    for _step in range(4):
        scoring_round = step_advance(scoring_round=scoring_round)
    assert {r.round.tree.year for r in official_rankings(seed_plan.issuing_unit)} == {2024, 2030}
    assert {r.round.tree.year for r in official_rankings(seed_plan.issuing_unit, year=2024)} == {2024}
    html = _dashboard(client_for, secretariat, seed_plan)
    official = html[html.index('id="official-ranking"') : html.index('id="ranking"')]
    assert scoring_round.tree.title not in official
