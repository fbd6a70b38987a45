"""Reads for the indicator screens, each in a fixed number of queries."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery

from evidence.models import Evidence
from parplan.models import Plan, Unit
from targets.models import (
    FiguresSentOnTime,
    Frequency,
    Indicator,
    IndicatorSnapshot,
    Measurement,
    Period,
    Scope,
)
from targets.sources import Source


@dataclass
class EntryRow:
    indicator: Indicator
    measurement: Measurement | None


def indicators_for_unit(plan: Plan, unit: Unit, frequency: str) -> QuerySet[Indicator]:
    """Indicators whose figures this unit reports, for periods of `frequency`."""
    own = Q(scope=Scope.UNITS, scope_units=unit, source=Source.UNITS)
    if unit.pk == plan.issuing_unit_id:
        own |= Q(scope=Scope.AUTHORITY, source__in=[Source.SECRETARIAT, Source.UNITS])
    return (
        Indicator.objects.of_plan(plan)
        .filter(own, frequency=frequency)
        .select_related("area", "target")
        .order_by("area__number", "target__position", "position")
        .distinct()
    )


def figures_entry(unit: Unit, period: Period) -> list[EntryRow]:
    """Every indicator the unit reports for the period, with its figure if one exists."""
    indicators = list(indicators_for_unit(period.plan, unit, period.frequency))
    # The period is joined for the evidence rule (targets.access.figure_evidence_frozen).
    figures = (
        Measurement.objects.filter(unit=unit, period=period, indicator__in=indicators)
        .select_related("period")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("uploaded_at")))
    )
    by_indicator = {figure.indicator_id: figure for figure in figures}
    return [EntryRow(indicator, by_indicator.get(indicator.pk)) for indicator in indicators]


@dataclass
class ReviewQueue:
    """The plan's figures waiting for review, narrowed to a unit and a period when they are picked."""

    figures: QuerySet[Measurement]
    units: list[Unit]  # units with figures waiting, to pick from
    periods: list[Period]  # the plan's periods (the lock buttons, the period to pick)
    unit: Unit | None
    period: Period | None


def review_queue_of(plan: Plan, unit_code: str | None, period_id: str | None) -> ReviewQueue:
    """The queue, picked by unit code and period id as asked for; anything else is no pick (3 queries, and the
    page of figures). A unit's month spread over two pages could not be ticked at once."""
    waiting = Measurement.objects.filter(indicator__area__plan=plan).review_queue()
    periods = list(Period.objects.filter(plan=plan).order_by("end", "frequency"))
    units = list(Unit.objects.filter(pk__in=waiting.values("unit")).order_by("path").only("code", "name"))
    unit = next((u for u in units if u.code == unit_code), None)
    period = next((p for p in periods if str(p.pk) == period_id), None)
    if unit is not None:
        waiting = waiting.filter(unit=unit)
    if period is not None:
        waiting = waiting.filter(period=period)
    return ReviewQueue(waiting, units, periods, unit, period)


def periods_with_figures_for(plan: Plan) -> QuerySet[Period]:
    return Period.objects.filter(plan=plan).order_by("end", "frequency")


@dataclass
class IndicatorPage:
    authority: IndicatorSnapshot | None
    units: list[IndicatorSnapshot]
    history: list[IndicatorSnapshot]
    figures: list[Measurement]
    months: list[Period]  # the plan's, by end: they name the chart's points


def indicator_page(indicator: Indicator, units_read: QuerySet[Unit] | None = None) -> IndicatorPage:
    """What the indicator's page shows; each unit's results and figures only of `units_read` (None: every unit's).

    The authority-wide results (the headline, the trend) are the plan's, read by whoever reads the plan.
    """
    issuer_id = indicator.area.plan.issuing_unit_id
    history = list(
        IndicatorSnapshot.objects.filter(indicator=indicator, unit_id=issuer_id)
        .order_by("day")
        .only("day", "value", "status", "expected", "numerator", "denominator", "covered_from", "covered_to")
    )
    latest = history[-1] if history else None
    units: list[IndicatorSnapshot] = []
    if latest is not None and indicator.scope == Scope.UNITS:
        per_unit = IndicatorSnapshot.objects.filter(indicator=indicator, day=latest.day).exclude(unit_id=issuer_id)
        if units_read is not None:
            per_unit = per_unit.filter(unit__in=units_read)
        units = list(per_unit.select_related("unit").order_by("unit__path"))
    recent = Measurement.objects.filter(indicator=indicator)
    if units_read is not None:
        recent = recent.filter(unit__in=units_read)
    figures = list(recent.select_related("unit", "period").order_by("-period__end", "unit__path")[:50])
    months = list(Period.objects.filter(plan_id=indicator.area.plan_id, frequency=Frequency.MONTHLY).order_by("end"))
    return IndicatorPage(authority=latest, units=units, history=history, figures=figures, months=months)


def plan_indicators(plan: Plan) -> list[tuple[Indicator, IndicatorSnapshot | None]]:
    """Each indicator of the plan with its own newest authority-wide snapshot (2 queries).

    Each its own: an approval re-evaluates one indicator for today, and the
    others' last evaluation (the night before) must still show.
    """
    indicators = list(Indicator.objects.of_plan(plan).for_list())
    authority = IndicatorSnapshot.objects.filter(unit_id=plan.issuing_unit_id)
    newest_day = authority.filter(indicator=OuterRef("indicator")).order_by("-day").values("day")[:1]
    snapshots = {s.indicator_id: s for s in authority.filter(indicator__in=indicators, day=Subquery(newest_day))}
    return [(indicator, snapshots.get(indicator.pk)) for indicator in indicators]


def unit_page_indicators(user: User, unit: Unit, plans: QuerySet[Plan]) -> dict[str, Any]:
    """The unit page's indicator section: the indicators aimed at the unit's administrative level."""
    indicators = (
        Indicator.objects.filter(target__area__plan__in=plans, applies_to_level=unit.kind.administrative_level)
        .exclude(applies_to_level="")
        .select_related("target__area__plan")
    )
    return {"indicators": indicators}


def figures_on_time(unit_ids: Sequence[int], year: int) -> dict[int, tuple[Decimal, Decimal]]:
    """Figures the unit sent by their period's due date, of the figures due from it in `year` (sent or not)."""
    rows = (
        Measurement.objects.filter(unit_id__in=unit_ids, period__end__year=year)
        .values("unit_id")
        .annotate(
            due=Count("pk"),
            on_time=Count("pk", filter=Q(submitted_at__date__lte=F("period__due_date"))),
        )
    )
    return {row["unit_id"]: (Decimal(row["on_time"]), Decimal(row["due"])) for row in rows}


def figures_sent_on_time(plan: Plan, day: datetime.date, unit_ids: list[int] | None = None) -> dict[int, int]:
    """Per unit, its figures of the plan sent on time as of `day`: the kept counts when they are of `day`.

    Kept by the nightly run and on every figure sent or returned (targets.figure_counts);
    otherwise (a plan not yet counted today) counted from the figures.
    """
    kept = FiguresSentOnTime.objects.filter(plan=plan)
    if unit_ids is not None:
        kept = kept.filter(unit_id__in=unit_ids)
    rows = list(kept.values_list("unit_id", "day", "sent_on_time"))
    if rows and all(counted == day for _unit, counted, _n in rows):
        return {unit_id: count for unit_id, _day, count in rows}
    return Measurement.objects.sent_on_time_by_unit(plan, day, unit_ids)
