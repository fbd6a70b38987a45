"""Once a round is final, its ranking is the dashboard's official unit ranking."""

from __future__ import annotations

import pytest
from django.urls import reverse

from scoring.models import ScoringRound
from scoring.selectors import round_results

pytestmark = pytest.mark.django_db


def test_the_secretariat_sees_the_official_ranking_on_the_dashboard(client_for, secretariat, seed_plan):
    finished = ScoringRound.objects.get(tree__year=2024, tree__group="communes")
    first = round_results(finished)[0]
    page = client_for(secretariat).get(reverse("dashboard"), {"plan": seed_plan.pk}).content.decode()
    assert "Xếp hạng Chỉ số CCHC chính thức" in page
    official = page[page.index('id="official-ranking"') : page.index('id="ranking"')]
    assert first.unit.name in official and reverse("scoring-results", args=[finished.pk]) in official


def test_a_unit_sees_no_other_units_scores_on_its_dashboard(client_for, commune_head, seed_plan):
    page = client_for(commune_head).get(reverse("dashboard"), {"plan": seed_plan.pk}).content.decode()
    assert 'id="official-ranking"' not in page
