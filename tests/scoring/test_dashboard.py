"""Once a round is final, its ranking is the official unit ranking (dashboard/official_ranking.py).

The partial (templates/dashboard/_official_ranking.html) is not yet included in
the dashboard page, which another change reworks: see docs/scoring.md.
"""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from dashboard.official_ranking import official_rankings
from scoring.models import ScoringRound
from scoring.selectors import round_results

pytestmark = pytest.mark.django_db


def test_the_secretariat_gets_the_finished_rounds_ranking(secretariat, seed_plan):
    finished = ScoringRound.objects.get(tree__year=2024, tree__group="communes")
    rankings = {r.round.pk: r for r in official_rankings(secretariat, seed_plan)}
    assert set(rankings) == set(ScoringRound.objects.filter(tree__year=2024).values_list("pk", flat=True))
    assert [r.unit for r in rankings[finished.pk].top] == [r.unit for r in round_results(finished)[:5]]
    request = RequestFactory().get("/")
    request.user = secretariat
    html = render_to_string("dashboard/_official_ranking.html", {"rankings": list(rankings.values())}, request)
    assert round_results(finished)[0].unit.name in html


def test_a_unit_gets_no_other_units_ranking(commune_head, seed_plan):
    assert official_rankings(commune_head, seed_plan) == []
