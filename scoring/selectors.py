"""Reads of the scoring: totals per unit, the ranking with its tie rule, bands, last year beside this year.

Tie rule (docs/scoring.md): units are ordered by total, then by the smaller
penalty; units equal on both share a rank and the next rank is skipped (1, 2, 2, 4),
listed by name. The whole table is three queries whatever the number of units.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from guardian.shortcuts import get_objects_for_user

from parplan.access import scope_filter
from parplan.models import Plan, Unit
from scoring.models import Criterion, Part, Score, ScoringRound, ScoringTree, Step

ZERO = Decimal(0)


@dataclass
class UnitResult:
    unit: Unit
    self_total: Decimal = ZERO
    appraised_total: Decimal = ZERO
    final_total: Decimal = ZERO
    penalty: Decimal = ZERO  # the final penalty as counted (within its cap)
    bonus: Decimal = ZERO  # the final bonus as counted (within its cap)
    rank: int = 0  # 0: not ranked (no final points yet)
    # Whether any criterion has final points: a round just opened has none, and ranking its
    # units on totals of 0 would print every unit as rank 1.
    finalised: bool = True
    band: str = ""
    last_year: Decimal | None = None
    parts: dict[str, dict[str, Decimal]] = field(default_factory=dict)

    # The final points by part as given, before the caps: shown beside what counted.
    @property
    def base(self) -> Decimal:
        return self.parts.get("final", {}).get(Part.BASE, ZERO)

    @property
    def bonus_given(self) -> Decimal:
        return self.parts.get("final", {}).get(Part.BONUS, ZERO)

    @property
    def penalty_given(self) -> Decimal:
        return self.parts.get("final", {}).get(Part.PENALTY, ZERO)

    @property
    def change(self) -> Decimal | None:
        return None if self.last_year is None else self.final_total - self.last_year


def _capped(tree: ScoringTree, parts: dict[str, Decimal]) -> Decimal:
    return (
        parts.get(Part.BASE, ZERO)
        + min(parts.get(Part.BONUS, ZERO), tree.bonus_cap)
        - min(parts.get(Part.PENALTY, ZERO), tree.penalty_cap)
    )


def band_of(scoring_round: ScoringRound, total: Decimal) -> str:
    declared = scoring_round.tree.declared_total or Decimal(100)
    percent = total * 100 / declared
    if percent >= scoring_round.band_excellent:
        return _("Xuất sắc")
    if percent >= scoring_round.band_good:
        return _("Tốt")
    if percent >= scoring_round.band_fair:
        return _("Khá")
    return _("Trung bình")


def _totals(scoring_round: ScoringRound) -> dict[int, UnitResult]:
    tree = scoring_round.tree
    sums: dict[int, dict[str, dict[str, Decimal]]] = defaultdict(
        lambda: {"self": defaultdict(Decimal), "appraised": defaultdict(Decimal), "final": defaultdict(Decimal)}
    )
    units: dict[int, Unit] = {}
    rows = Score.objects.filter(round=scoring_round).values_list(
        "unit_id", "criterion__part", "self_points", "appraised_points", "final_points"
    )
    finalised: set[int] = set()
    for unit_id, part, own, appraised, final in rows:
        if final is not None:
            finalised.add(unit_id)
        sums[unit_id]["self"][part] += own or ZERO
        sums[unit_id]["appraised"][part] += appraised or ZERO
        sums[unit_id]["final"][part] += final or ZERO
    for unit in Unit.objects.filter(pk__in=list(sums)):
        units[unit.pk] = unit
    results = {}
    for unit_id, by_stage in sums.items():
        results[unit_id] = UnitResult(
            unit=units[unit_id],
            self_total=_capped(tree, by_stage["self"]),
            appraised_total=_capped(tree, by_stage["appraised"]),
            final_total=_capped(tree, by_stage["final"]),
            finalised=unit_id in finalised,
            penalty=min(by_stage["final"].get(Part.PENALTY, ZERO), tree.penalty_cap),
            bonus=min(by_stage["final"].get(Part.BONUS, ZERO), tree.bonus_cap),
            parts={stage: dict(values) for stage, values in by_stage.items()},
        )
    return results


def rank(results: list[UnitResult]) -> list[UnitResult]:
    """Order by final total, then smaller penalty; equal on both share a rank (1, 2, 2, 4), listed by name.

    Units without final points yet are not ranked (rank 0) and come last, by name.
    """
    ordered = sorted(results, key=lambda r: (not r.finalised, -r.final_total, r.penalty, r.unit.name))
    previous: tuple[Decimal, Decimal] | None = None
    for position, result in enumerate(ordered, start=1):
        if not result.finalised:
            result.rank = 0
            continue
        key = (result.final_total, result.penalty)
        if key != previous:
            result.rank = position
            previous = key
        else:
            result.rank = ordered[position - 2].rank
    return ordered


def previous_round(scoring_round: ScoringRound) -> ScoringRound | None:
    tree = scoring_round.tree
    return (
        ScoringRound.objects.select_related("tree")
        .filter(tree__authority_id=tree.authority_id, tree__group=tree.group, tree__year__lt=tree.year, step=Step.DONE)
        .order_by("-tree__year")
        .first()
    )


def round_results(scoring_round: ScoringRound, *, compare: bool = True) -> list[UnitResult]:
    """Every unit's totals, rank and band, with last year's final total beside it (`compare`)."""
    results = _totals(scoring_round)
    before = previous_round(scoring_round) if compare else None
    if before is not None:
        for unit_id, result in _totals(before).items():
            if unit_id in results:
                results[unit_id].last_year = result.final_total
    ranked = rank(list(results.values()))
    for result in ranked:
        # No final points, no band: a total of 0 is not a "Trung bình".
        result.band = band_of(scoring_round, result.final_total) if result.finalised else ""
    return ranked


def unit_scores(scoring_round: ScoringRound, unit: Unit) -> QuerySet[Score]:
    return (
        Score.objects.filter(round=scoring_round, unit=unit)
        .select_related("criterion__parent__parent")
        .prefetch_related("evidence")
        .order_by("criterion__position")
    )


def tree_items(tree: ScoringTree) -> list[Criterion]:
    return list(tree.criteria.order_by("position"))


@dataclass(frozen=True)
class OfficialRanking:
    """A finished round's ranking as the dashboard shows it: its first units and how many it ranked."""

    round: ScoringRound
    top: list[UnitResult]
    units: int


def official_rankings(authority: Unit, shown: int = 5, *, year: int | None = None) -> list[OfficialRanking]:
    """Per group, the ranking of the latest finished round of `authority`: the official unit ranking.

    With `year` (a plan's dashboard), the latest of that year or before: a year's scoring is
    published early the next year, and a past plan's page never shows a later year's ranking.
    One query for the rounds, then two per group (its scores, its units); last year is not compared here.
    """
    rounds = ScoringRound.objects.select_related("tree").filter(tree__authority=authority, step=Step.DONE)
    if year is not None:
        rounds = rounds.filter(tree__year__lte=year)
    latest: dict[str, ScoringRound] = {}
    for scoring_round in rounds.order_by("tree__group", "-tree__year"):
        latest.setdefault(scoring_round.tree.group, scoring_round)
    rankings = []
    for scoring_round in latest.values():
        results = [r for r in round_results(scoring_round, compare=False) if r.finalised]
        rankings.append(OfficialRanking(scoring_round, results[:shown], len(results)))
    return rankings


def open_rounds_for_unit(unit: Unit) -> QuerySet[ScoringRound]:
    """Rounds in which `unit` has scores and a step is still open: the digest's reminders."""
    return ScoringRound.objects.select_related("tree").exclude(step=Step.DONE).filter(scores__unit=unit).distinct()


def authorities_for_trees(user: User) -> QuerySet[Unit]:
    """The authorities (issuers of plans) whose trees `user` reads by role."""
    issuers = Unit.objects.filter(pk__in=Plan.objects.values("issuing_unit")).order_by("path")
    scope = scope_filter(user, "scoring.view_scoringtree", "path")
    return issuers if scope is None else issuers.filter(scope)


def trees_of(authority: Unit) -> QuerySet[ScoringTree]:
    return ScoringTree.objects.filter(authority=authority).select_related("round").order_by("-year", "group")


def rounds_for_results(user: User) -> QuerySet[ScoringRound]:
    """Rounds whose every unit's scores `user` reads by role (the secretariat, the steering committee)."""
    rounds = ScoringRound.objects.select_related("tree__authority").order_by("-tree__year", "tree__group")
    scope = scope_filter(user, "scoring.view_scoringround", "tree__authority__path")
    return rounds if scope is None else rounds.filter(scope)


def own_rounds(user: User) -> list[tuple[ScoringRound, Unit]]:
    """The rounds of the units `user` self-scores (object rights on their own units only)."""
    units = get_objects_for_user(user, "parplan.self_score", klass=Unit, accept_global_perms=False)
    scores = (
        Score.objects.filter(unit__in=units)
        .values("round_id", "unit_id")
        .distinct()
        .order_by("-round__tree__year", "unit__name")
    )
    pairs = list(scores)
    rounds = ScoringRound.objects.select_related("tree").in_bulk({pair["round_id"] for pair in pairs})
    by_unit = Unit.objects.in_bulk({pair["unit_id"] for pair in pairs})
    return [(rounds[pair["round_id"]], by_unit[pair["unit_id"]]) for pair in pairs]
