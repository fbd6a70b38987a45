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
from bisect import bisect_left
from collections import defaultdict
from decimal import Decimal

from django.db import connections, router, transaction
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
_ROW_FIELDS = (*_RESOLVED, *_RECEIVED, "apologised", "dossiers_digitised", "results_digitised")
# A unit's sums over a period: the rows' counts, and what the digitisation shares count only where reported.
SUM_KEYS = (*_ROW_FIELDS, "received_where_digitised", "resolved_where_results", "rows_digitised", "rows_results")

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


def period_sums(units: list[int], periods: list[Period]) -> dict[int, dict[int, Sums]]:
    """{period id: {unit id: its counts summed}} for non-overlapping periods, from one read of their rows.

    The one-stop system's month M runs on the reporting calendar's cut-off (15 of M-1 to 14 of M),
    so its row (dated the 1st of M) falls in the period that ends on 14/M: after its start, by its end.
    Added up here rather than by one SQL aggregate per period (each with every unit's id in it): a
    row is one unit's month, and one query reads the year (a test holds the sums equal to SQL's).
    """
    if not periods:
        return {}
    ordered = sorted(periods, key=lambda period: period.end)
    ends = [period.end for period in ordered]
    rows = (
        DossierMonth.objects.filter(unit_id__in=units, month__gt=ordered[0].start, month__lte=ends[-1])
        .order_by()
        .values_list("unit_id", "month", *_ROW_FIELDS)
    )
    sums: dict[int, dict[int, Sums]] = defaultdict(dict)
    for unit_id, month, *counts in rows.iterator(chunk_size=5000):
        index = bisect_left(ends, month)  # the first period ending on or after the month's row
        if index == len(ordered) or not ordered[index].start < month:
            continue  # between periods (none is missing in a plan's calendar, but never counted twice)
        unit_counts = sums[ordered[index].pk].get(unit_id)
        if unit_counts is None:
            unit_counts = sums[ordered[index].pk][unit_id] = dict.fromkeys(SUM_KEYS, 0)
        _add(unit_counts, dict(zip(_ROW_FIELDS, counts, strict=True)))
    return sums


def _add(sums: Sums, row: dict[str, int | None]) -> None:
    """One month's row into a unit's sums (a blank count adds nothing)."""
    for name in _ROW_FIELDS:
        sums[name] += row[name] or 0
    if row["dossiers_digitised"] is not None:
        sums["received_where_digitised"] += sum(row[name] or 0 for name in _RECEIVED)
        sums["rows_digitised"] += 1
    if row["results_digitised"] is not None:
        sums["resolved_where_results"] += sum(row[name] or 0 for name in _RESOLVED)
        sums["rows_results"] += 1


def _scope_units(indicators: list[Indicator], plan: Plan) -> dict[int, list[int]]:
    """Each indicator's units, as ids: a province's indicator is over thousands of them, no instance needed."""
    scoped: dict[int, list[int]] = {indicator.pk: [] for indicator in indicators}
    through = Indicator.scope_units.through.objects.filter(indicator_id__in=scoped).order_by("unit_id")
    for indicator_id, unit_id in through.values_list("indicator_id", "unit_id"):
        scoped[indicator_id].append(unit_id)
    if any(indicator.scope == Scope.AUTHORITY for indicator in indicators):
        below = list(Unit.objects.below(plan.issuing_unit).order_by("pk").values_list("pk", flat=True))
        scoped |= {indicator.pk: below for indicator in indicators if indicator.scope == Scope.AUTHORITY}
    return scoped


_NEW_REASON = "computed from the one-stop dossier rows"
_CHANGED_REASON = "recomputed from the one-stop dossier rows"
# Figures a statement: a province's 3 500 communes × 12 months × 3 indicators are 126 000 of them.
_WRITE_BATCH = 2000


# A stored figure as read for the comparison: (pk, numerator, denominator, status).
Stored = tuple[int, Decimal | None, Decimal | None, str]


def _changed(parts: tuple[int, int], stored: Stored) -> bool:
    _pk, numerator, denominator, status = stored
    return (numerator, denominator, status) != (Decimal(parts[0]), Decimal(parts[1]), MeasurementStatus.APPROVED)


def _figures_save(new: list[Measurement], changes: dict[int, tuple[int, int]]) -> None:
    """Every figure written in a few statements, each with its history row (who: nobody; why: the dossier rows).

    `changes`: the stored figures to change, by id, with their new parts. Only those are
    read whole (their history row copies every field); the others were compared as tuples.
    """
    if new:
        bulk_create_with_history(new, Measurement, batch_size=_WRITE_BATCH, default_change_reason=_NEW_REASON)
    if changes:
        # Locked as they are read: a figure the secretariat reopens meanwhile waits, then keeps its own version.
        ids = list(changes)
        changed = [
            figure
            for start in range(0, len(ids), _WRITE_BATCH)  # SQLite takes at most 32 766 parameters a query
            for figure in Measurement.objects.select_for_update().filter(pk__in=ids[start : start + _WRITE_BATCH])
        ]
        for figure in changed:
            numerator, denominator = changes[figure.pk]
            figure.numerator, figure.denominator = Decimal(numerator), Decimal(denominator)
            figure.status = MeasurementStatus.APPROVED
            figure.version += 1
        rows_update(Measurement, changed, ["numerator", "denominator", "status", "version"])
        Measurement.history.bulk_history_create(
            changed, batch_size=_WRITE_BATCH, update=True, default_change_reason=_CHANGED_REASON
        )


# The advisory-lock namespace of the plans' dossier figure writers ("DOSS"), the plan's id the key within it.
_FIGURE_WRITERS = 0x444F5353


@transaction.atomic
def dossier_figures_write(plan: Plan, day: datetime.date) -> int:
    """Write the figures of `plan`'s dossier indicators for every period ended by `day`; the count written."""
    indicators = list(Indicator.objects.of_plan(plan).filter(source__in=DOSSIER_SOURCES))
    if not indicators:
        return 0
    _one_writer(plan)
    scope_units = _scope_units(indicators, plan)
    # Periods ended before `day`: the one-stop system reports a month once it is over, and an
    # evaluation of a past day (the demo's history) must not count the months after it.
    periods = list(Period.objects.filter(plan=plan, end__lt=day).order_by("start"))
    new: list[Measurement] = []
    changes: dict[int, tuple[int, int]] = {}
    # The same units' rows of the same periods serve every indicator over them: read once.
    read: dict[tuple[str, tuple[int, ...]], dict[int, dict[int, Sums]]] = {}
    for indicator in indicators:
        units = scope_units[indicator.pk]
        key = (indicator.frequency, tuple(units))
        if key not in read:
            read[key] = period_sums(units, [p for p in periods if p.frequency == indicator.frequency])
        stored: dict[tuple[int, int], Stored] = {
            (unit_id, period_id): (pk, numerator, denominator, status)
            for pk, unit_id, period_id, numerator, denominator, status in Measurement.objects.filter(
                indicator=indicator
            ).values_list("pk", "unit_id", "period_id", "numerator", "denominator", "status")
        }
        for period_id, sums in read[key].items():
            if indicator.scope == Scope.AUTHORITY:
                sums = _total(sums, plan.issuing_unit_id) if sums else {}
            for unit_id, unit_counts in sums.items():
                parts = fraction(indicator.source, unit_counts)
                if parts is None:
                    continue
                current = stored.get((unit_id, period_id))
                if current is None:
                    new.append(Measurement(indicator=indicator, unit_id=unit_id, period_id=period_id,
                                           numerator=Decimal(parts[0]), denominator=Decimal(parts[1]),
                                           status=MeasurementStatus.APPROVED))  # fmt: skip
                elif _changed(parts, current):
                    changes[current[0]] = parts
    _figures_save(new, changes)
    return len(new) + len(changes)


def _one_writer(plan: Plan) -> None:
    """One writer of a plan's dossier figures at a time (the nightly run, the sweep, a report's evaluation).

    The second waits for the first to commit, then finds its figures and writes nothing
    again, where both inserting the same new figure would fail on its unique key.
    """
    connection = connections[router.db_for_write(Measurement)]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_FIGURE_WRITERS, plan.pk])


def _total(sums: dict[int, Sums], issuer_id: int) -> dict[int, Sums]:
    """An authority-wide indicator's one figure: every unit's counts added up, held by the issuer."""
    total: defaultdict[str, int] = defaultdict(int)
    for counts in sums.values():
        for key, value in counts.items():
            total[key] += value
    return {issuer_id: dict(total)}
