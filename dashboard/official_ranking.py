"""The official unit ranking on the dashboard: the latest finished PAR-index scoring round, per group.

Kept apart from dashboard/selectors.py's progress ranking (the 40/30/30 mix, an
indicator of progress): once a scoring round is final, its ranking is the official one.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User

from parplan.models import Plan
from scoring.access import can_read_results
from scoring.models import ScoringRound, Step
from scoring.selectors import UnitResult, round_results

SHOWN = 5


@dataclass(frozen=True)
class OfficialRanking:
    round: ScoringRound
    top: list[UnitResult]
    units: int


def official_rankings(user: User, plan: Plan) -> list[OfficialRanking]:
    """Per group, the latest finished round of the plan's issuer the person may read, with its first units."""
    rounds = ScoringRound.objects.select_related("tree__authority").filter(
        tree__authority=plan.issuing_unit, step=Step.DONE
    )
    latest: dict[str, ScoringRound] = {}
    for scoring_round in rounds.order_by("tree__group", "-tree__year"):
        latest.setdefault(scoring_round.tree.group, scoring_round)
    shown = []
    for scoring_round in latest.values():
        if can_read_results(user, scoring_round):
            results = round_results(scoring_round)
            shown.append(OfficialRanking(scoring_round, results[:SHOWN], len(results)))
    return shown
