"""The indicators computed from the one-stop dossier rows, written as approved figures (docs/dossiers.md).

Per unit and period, from the unit's DossierMonth rows of the period's months:

- on time (source "dos_ontime"): (resolved early + on time) / resolved;
- apology ("dos_apology"): late dossiers with an apology letter / late dossiers
  (0 / 0 when none was late: the evaluation calls that "not applicable");
- online filing ("dos_online"): received online / received;
- digitisation ("dos_digit", "dos_result"): dossiers digitised / received, results
  digitised / resolved, over the months whose row reports that count.

The figures are ordinary approved `Measurement` rows, so the evaluation judges them,
rolls them up the tree as Σ numerators / Σ denominators, and keeps their history;
the registry (`targets.sources`) has the evaluation call `dossier_figures_write` first.
A unit with no row in a period gets no figure: "no data", not 0 %.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, Sum
from simple_history.utils import bulk_create_with_history

from dossiers.models import DossierMonth
from parplan.bulk_writes import rows_update
from parplan.models import Plan, Unit
from targets.models import Indicator, Measurement, MeasurementStatus, Period, Scope

ON_TIME = "dos_ontime"
APOLOGY = "dos_apology"
ONLINE = "dos_online"
DIGITISED = "dos_digit"
RESULTS_DIGITISED = "dos_result"
DOSSIER_SOURCES = (ON_TIME, APOLOGY, ONLINE, DIGITISED, RESULTS_DIGITISED)

_RESOLVED = ("resolved_early", "resolved_on_time", "resolved_late")
_RECEIVED = ("received_online", "received_in_person", "received_by_post")
_SUMS: dict[str, Any] = {
    name: Sum(name) for name in (*_RESOLVED, *_RECEIVED, "apologised", "dossiers_digitised", "results_digitised")
}
_SUMS |= {
    "received_where_digitised": Sum("received_online", filter=Q(dossiers_digitised__isnull=False))
    + Sum("received_in_person", filter=Q(dossiers_digitised__isnull=False))
    + Sum("received_by_post", filter=Q(dossiers_digitised__isnull=False)),
    "resolved_where_results": Sum("resolved_early", filter=Q(results_digitised__isnull=False))
    + Sum("resolved_on_time", filter=Q(results_digitised__isnull=False))
    + Sum("resolved_late", filter=Q(results_digitised__isnull=False)),
    "rows_digitised": Count("pk", filter=Q(dossiers_digitised__isnull=False)),
    "rows_results": Count("pk", filter=Q(results_digitised__isnull=False)),
}

Sums = dict[str, int]


def fraction(source: str, sums: Sums) -> tuple[int, int] | None:
    """(numerator, denominator) of `source` from a unit's summed counts; None when the rows do not report it."""
    resolved = sum(sums[name] for name in _RESOLVED)
    received = sum(sums[name] for name in _RECEIVED)
    if source == ON_TIME:
        return sums["resolved_early"] + sums["resolved_on_time"], resolved
    if source == APOLOGY:
        return sums["apologised"], sums["resolved_late"]
    if source == ONLINE:
        return sums["received_online"], received
    if source == DIGITISED:
        return (sums["dossiers_digitised"], sums["received_where_digitised"]) if sums["rows_digitised"] else None
    if source == RESULTS_DIGITISED:
        return (sums["results_digitised"], sums["resolved_where_results"]) if sums["rows_results"] else None
    raise ValueError(f"not a dossier source: {source!r}")


def unit_sums(units: list[int], start: datetime.date, end: datetime.date) -> dict[int, Sums]:
    """Each unit's counts summed over the period [start, end], for the units that have rows there.

    The one-stop system's month M runs on the reporting calendar's cut-off (15 of M-1 to 14 of M),
    so its row (dated the 1st of M) falls in the period that ends on 14/M: after `start`, by `end`.
    """
    rows = (
        DossierMonth.objects.filter(unit_id__in=units, month__gt=start, month__lte=end)
        .values("unit_id")
        # Aliased: an annotation named like a column would shadow it in the sums that filter on others.
        .annotate(**{f"total_{key}": value for key, value in _SUMS.items()})
    )
    return {row.pop("unit_id"): {key.removeprefix("total_"): value or 0 for key, value in row.items()} for row in rows}


def _scope_units(indicator: Indicator, plan: Plan) -> list[int]:
    if indicator.scope == Scope.AUTHORITY:
        return list(Unit.objects.below(plan.issuing_unit).values_list("pk", flat=True))
    return [unit.pk for unit in indicator.scope_units.all()]


_NEW_REASON = "computed from the one-stop dossier rows"
_CHANGED_REASON = "recomputed from the one-stop dossier rows"
# Figures a statement: a province's 3 500 communes × 12 months × 3 indicators are 126 000 of them.
_WRITE_BATCH = 2000


def _figure(
    indicator: Indicator, unit_id: int, period: Period, parts: tuple[int, int], current: Measurement | None
) -> tuple[Measurement | None, Measurement | None]:
    """(a new figure, None), (None, the current figure changed), or (None, None) when it already says so."""
    n, d = Decimal(parts[0]), Decimal(parts[1])
    if current is None:
        new = Measurement(indicator=indicator, unit_id=unit_id, period=period, numerator=n, denominator=d,
                          status=MeasurementStatus.APPROVED)  # fmt: skip
        return new, None
    if current.numerator == n and current.denominator == d and current.status == MeasurementStatus.APPROVED:
        return None, None
    current.numerator, current.denominator, current.status = n, d, MeasurementStatus.APPROVED
    current.version += 1
    return None, current


def _figures_save(new: list[Measurement], changed: list[Measurement]) -> None:
    """Every figure written in a few statements, each with its history row (who: nobody; why: the dossier rows)."""
    if new:
        bulk_create_with_history(new, Measurement, batch_size=_WRITE_BATCH, default_change_reason=_NEW_REASON)
    if changed:
        rows_update(Measurement, changed, ["numerator", "denominator", "status", "version"])
        Measurement.history.bulk_history_create(
            changed, batch_size=_WRITE_BATCH, update=True, default_change_reason=_CHANGED_REASON
        )


@transaction.atomic
def dossier_figures_write(plan: Plan, day: datetime.date) -> int:
    """Write the figures of `plan`'s dossier indicators for every period ended by `day`; the count written."""
    indicators = list(
        Indicator.objects.of_plan(plan).filter(source__in=DOSSIER_SOURCES).prefetch_related("scope_units")
    )
    if not indicators:
        return 0
    # Periods ended before `day`: the one-stop system reports a month once it is over, and an
    # evaluation of a past day (the demo's history) must not count the months after it.
    periods = list(Period.objects.filter(plan=plan, end__lt=day).order_by("start"))
    new: list[Measurement] = []
    changed: list[Measurement] = []
    # The sums of a period are the same rows for every indicator of its units: read once per period.
    sums_of: dict[tuple[int, tuple[int, ...]], dict[int, Sums]] = {}
    for indicator in indicators:
        units = _scope_units(indicator, plan)
        existing = {
            (figure.unit_id, figure.period_id): figure
            for figure in Measurement.objects.select_for_update().filter(indicator=indicator)
        }
        for period in (p for p in periods if p.frequency == indicator.frequency):
            key = (period.pk, tuple(units))
            if key not in sums_of:
                sums_of[key] = unit_sums(units, period.start, period.end)
            sums = sums_of[key]
            if indicator.scope == Scope.AUTHORITY:
                sums = _total(sums, plan.issuing_unit_id) if sums else {}
            for unit_id, unit_counts in sums.items():
                parts = fraction(indicator.source, unit_counts)
                if parts is None:
                    continue
                added, updated = _figure(indicator, unit_id, period, parts, existing.get((unit_id, period.pk)))
                if added is not None:
                    new.append(added)
                elif updated is not None:
                    changed.append(updated)
    _figures_save(new, changed)
    return len(new) + len(changed)


def _total(sums: dict[int, Sums], issuer_id: int) -> dict[int, Sums]:
    """An authority-wide indicator's one figure: every unit's counts added up, held by the issuer."""
    total: defaultdict[str, int] = defaultdict(int)
    for counts in sums.values():
        for key, value in counts.items():
            total[key] += value
    return {issuer_id: dict(total)}
