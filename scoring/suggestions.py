"""Points suggested from what the portal already records, for the items that name a source.

The records belong to apps beside this one (tasks, inspections) or below it
(targets): each gives its share per unit and year through its entry in the one
source registry (`targets.sources.register_source(..., unit_rates=...)`), so the
scoring imports none of the apps above targets. An item may instead name an
indicator of the year's plan that the units report (the one-stop dossiers
resolved on time): its latest evaluation per unit (`IndicatorSnapshot`) is read.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils.functional import Promise

from parplan.formatting import format_number
from parplan.services import save_if_changed
from scoring.arithmetic import ratio_points
from scoring.models import Score, ScoringRound
from targets.models import Indicator, IndicatorSnapshot
from targets.sources import unit_rates


def latest_figures(indicator: Indicator, unit_ids: Sequence[int]) -> dict[int, tuple[Decimal, Decimal]]:
    """Each unit's numerator and denominator on the indicator's latest evaluation of it (the year so far)."""
    # Each unit's latest day in one query that every backend runs (DISTINCT ON is PostgreSQL's alone,
    # and the portal runs on SQLite with no environment set).
    latest = (
        IndicatorSnapshot.objects.filter(indicator=indicator, unit_id=OuterRef("unit_id"), denominator__isnull=False)
        .order_by("-day")
        .values("day")[:1]
    )
    snapshots = IndicatorSnapshot.objects.filter(
        indicator=indicator, unit_id__in=unit_ids, denominator__isnull=False, day=Subquery(latest)
    ).values_list("unit_id", "numerator", "denominator")
    return {
        unit_id: (numerator or Decimal(0), denominator or Decimal(0)) for unit_id, numerator, denominator in snapshots
    }


@transaction.atomic
def suggestions_refresh(*, scoring_round: ScoringRound) -> int:
    """Suggest points from the records for the items that name a source; returns the rows whose suggestion changed.

    A suggestion is shown beside the unit's own points; it never becomes them until the unit accepts it.
    """
    year = scoring_round.tree.year
    changed = 0
    items = scoring_round.tree.criteria.exclude(source="", indicator__isnull=True).select_related("indicator")
    for item in items:
        scores = list(Score.objects.filter(round=scoring_round, criterion=item))
        unit_ids = [score.unit_id for score in scores]
        if item.indicator is not None:
            label: str | Promise = item.indicator.name
            rates = latest_figures(item.indicator, unit_ids)
        else:
            entry = unit_rates(item.source)
            if entry is None:
                continue
            label, compute = entry
            rates = compute(unit_ids, year)
        for score in scores:
            numerator, denominator = rates.get(score.unit_id, (Decimal(0), Decimal(0)))
            points = ratio_points(item, numerator, denominator)
            figures = f"{format_number(numerator, grouped=True)}/{format_number(denominator, grouped=True)}"
            note = f"{label}: {figures}" if denominator > 0 else ""
            due = denominator > 0
            changed += save_if_changed(
                score,
                suggested_points=points,
                suggestion_note=note[:255],
                suggested_numerator=numerator if due else None,
                suggested_denominator=denominator if due else None,
            )
    return changed
