"""The two indicators computed from inspection records, written as approved figures (docs/inspections.md).

- Coverage (source "inspections"): units in scope inspected directly in the plan
  year's window up to the period's end / units in scope. A unit counts once
  however often it was visited; units of other kinds, outside the issuer's tree
  or visited only through their reports do not count.
- Findings handled (source "insp_law"): findings of the law-enforcement
  monitoring whose deadline falls in the period and has passed, handled or
  referred by that deadline / those findings.

The figures are ordinary approved `Measurement` rows of the issuing unit, so
the evaluation judges them, keeps their history and rolls them up as it does
every other figure; the registry (`targets.sources`) has the evaluation call
`inspection_figures_write` first.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from inspections.models import Finding, FindingOutcome, InspectionKind, InspectionPlan, Visit
from parplan.models import Plan, Unit
from targets.models import Indicator, Measurement, MeasurementStatus, Period
from targets.periods import year_window

COVERAGE = "inspections"
FINDINGS_HANDLED = "insp_law"


@dataclass(frozen=True)
class Fraction:
    numerator: int
    denominator: int

    @property
    def percent(self) -> Decimal | None:
        return Decimal(self.numerator * 100) / self.denominator if self.denominator else None


def units_in_scope(inspection_plan: InspectionPlan) -> list[Unit]:
    """The units the coverage target counts: below the issuer, of the plan's kinds in scope."""
    issuer = inspection_plan.plan.issuing_unit
    kinds = inspection_plan.scope_kinds.all()
    return list(Unit.objects.below(issuer).filter(kind__in=kinds).select_related("kind"))


def inspected_units(inspection_plan: InspectionPlan, through: datetime.date) -> set[int]:
    """Ids of the units visited directly from the start of the plan year's window up to `through`."""
    start, end = year_window(inspection_plan.plan.year)
    return set(
        Visit.objects.filter(
            inspection_plan=inspection_plan, direct=True, start_date__gte=start, start_date__lte=min(through, end)
        ).values_list("unit_id", flat=True)
    )


def coverage(inspection_plan: InspectionPlan, through: datetime.date) -> Fraction:
    scope = {unit.pk for unit in units_in_scope(inspection_plan)}
    return Fraction(len(inspected_units(inspection_plan, through) & scope), len(scope))


def findings_handled(plan: Plan, start: datetime.date, end: datetime.date, through: datetime.date) -> Fraction:
    """Law-enforcement findings due in [start, end] and by `through`; those handled or referred by their deadline."""
    due = Finding.objects.filter(
        visit__inspection_plan__plan=plan,
        visit__inspection_plan__kind=InspectionKind.LAW,
        deadline__gte=start,
        deadline__lte=min(end, through),
    )
    handled = due.exclude(outcome=FindingOutcome.OPEN).filter(outcome_on__isnull=False, outcome_on__lte=F("deadline"))
    counts = due.aggregate(due=Count("pk"), handled=Count("pk", filter=Q(pk__in=handled.values("pk"))))
    return Fraction(counts["handled"], counts["due"])


def _write(indicator: Indicator, unit: Unit, period: Period, fraction: Fraction) -> None:
    numerator, denominator = Decimal(fraction.numerator), Decimal(fraction.denominator)
    current = Measurement.objects.select_for_update().filter(indicator=indicator, unit=unit, period=period).first()
    if current is None:
        measurement = Measurement(
            indicator=indicator, unit=unit, period=period, numerator=numerator, denominator=denominator,
            status=MeasurementStatus.APPROVED,
        )  # fmt: skip
        measurement._change_reason = "computed from the inspection records"
        measurement.save()
        return
    if current.numerator == numerator and current.denominator == denominator and current.status == "approved":
        return
    current.numerator, current.denominator, current.status = numerator, denominator, MeasurementStatus.APPROVED
    current.version += 1
    current._change_reason = "recomputed from the inspection records"
    current.save()


@transaction.atomic
def inspection_figures_write(plan: Plan, day: datetime.date) -> int:
    """Write the figures of `plan`'s computed inspection indicators for every period begun by `day`."""
    indicators = list(Indicator.objects.of_plan(plan).filter(source__in=[COVERAGE, FINDINGS_HANDLED]))
    if not indicators:
        return 0
    issuer = plan.issuing_unit
    par_plan = (
        InspectionPlan.objects.select_related("plan__issuing_unit").filter(plan=plan, kind=InspectionKind.PAR).first()
    )
    # Without an inspection plan of the kind there is nothing to count: no data, not 0 % or "not applicable".
    has_law_plan = InspectionPlan.objects.filter(plan=plan, kind=InspectionKind.LAW).exists()
    written = 0
    periods = list(Period.objects.filter(plan=plan, start__lte=day).order_by("start"))
    for indicator in indicators:
        for period in (p for p in periods if p.frequency == indicator.frequency):
            # Each period's figure holds the records known today, whatever day is evaluated: an
            # evaluation of a past day (the demo's history) then writes the same figures again.
            through = min(period.end, max(day, timezone.localdate()))
            if indicator.source == COVERAGE:
                if par_plan is None:
                    continue
                fraction = coverage(par_plan, through)
            else:
                if not has_law_plan:
                    continue
                fraction = findings_handled(plan, period.start, period.end, through)
            _write(indicator, issuer, period, fraction)
            written += 1
    return written


def findings_handled_by_unit(unit_ids: Sequence[int], year: int) -> dict[int, tuple[Decimal, Decimal]]:
    """Per inspected unit: findings of its visits (of either kind) due in the plan year's window and by today,
    and those handled or referred by their deadline — the share the scoring suggests points from.
    """
    start, end = year_window(year)
    today = timezone.localdate()
    rows = (
        Finding.objects.filter(visit__unit_id__in=unit_ids, deadline__gte=start, deadline__lte=min(end, today))
        .values("visit__unit_id")
        .annotate(
            due=Count("pk"),
            handled=Count(
                "pk",
                filter=~Q(outcome=FindingOutcome.OPEN) & Q(outcome_on__isnull=False, outcome_on__lte=F("deadline")),
            ),
        )
    )
    return {row["visit__unit_id"]: (Decimal(row["handled"]), Decimal(row["due"])) for row in rows}
