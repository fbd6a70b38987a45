"""Made-up but plausible figures for the demo plan, entered through the real workflow.

Deterministic (seeded by unit code and period), so `demo` is repeatable; a
figure that already exists is left alone, so running it twice changes nothing.
"""

from __future__ import annotations

import random
from decimal import Decimal

from django.contrib.auth import get_user_model

from parplan.models import Plan, Unit
from targets.evaluation import evaluate_plan
from targets.models import Frequency, Indicator, Measurement, Period
from targets.periods import periods_of
from targets.services import FigureInput, measurement_approve, measurement_save

# Months with approved figures; the next month is submitted and waits for review.
_APPROVED_MONTHS = range(1, 10)
_PENDING_MONTH = 10
_SLOW_UNIT = "06238"  # Mẫu Sơn: a remote commune, so the roll-up has something to show


def demo_figures_load(*, plan: Plan) -> int:
    secretariat = get_user_model().objects.get(username="noivu")
    indicators = {
        (i.area.number, i.target.position if i.target else None, i.position): i
        for i in Indicator.objects.of_plan(plan).filter(stated_in__isnull=True).select_related("area", "target")
    }
    periods = {(p.frequency, p.number): p for p in Period.objects.filter(plan=plan)}
    created = 0

    def enter(key: tuple[int, int, int], unit: Unit, period: Period, figure: FigureInput, approve: bool) -> None:
        nonlocal created
        indicator = indicators[key]
        if Measurement.objects.filter(indicator=indicator, unit=unit, period=period).exists():
            return
        measurement = measurement_save(
            indicator=indicator, unit=unit, period=period, figure=figure, user=secretariat, submit=True
        )
        if approve:
            measurement_approve(measurement=measurement, user=secretariat)
        created += 1

    for unit in indicators[(3, 3, 1)].scope_units.all():
        for month in [*_APPROVED_MONTHS, _PENDING_MONTH]:
            approve = month != _PENDING_MONTH
            if not approve and unit.kind.code == "office":
                continue
            resolved, late = _dossiers(unit.code, month)
            period = periods[(Frequency.MONTHLY, month)]
            on_time = FigureInput(numerator=Decimal(resolved - late), denominator=Decimal(resolved))
            enter((3, 3, 1), unit, period, on_time, approve)
            apologised = late if unit.code != _SLOW_UNIT else late // 2
            apologies = FigureInput(numerator=Decimal(apologised), denominator=Decimal(late))
            enter((3, 4, 1), unit, period, apologies, approve)
    for unit in indicators[(7, 3, 2)].scope_units.all():
        rng = random.Random(f"online-{unit.code}")
        for month in _APPROVED_MONTHS:
            files = rng.randint(40, 160)
            share = 0.45 + 0.03 * month + rng.uniform(-0.05, 0.05)
            online = min(files, int(files * share))
            enter(
                (7, 3, 2), unit, periods[(Frequency.MONTHLY, month)], FigureInput(Decimal(online), Decimal(files)), True
            )
    issuer = plan.issuing_unit
    quarters = [(Frequency.QUARTERLY, n) for n in (1, 2, 3)]
    for (frequency, number), disbursed, revenue in zip(
        quarters, (45_000, 102_500, 145_000), (33_600, 66_000, 97_200), strict=True
    ):
        enter((6, 1, 1), issuer, periods[(frequency, number)], FigureInput(Decimal(disbursed), Decimal(250_000)), True)
        enter((6, 3, 1), issuer, periods[(frequency, number)], FigureInput(Decimal(revenue), Decimal(120_000)), True)
        enter((6, 2, 1), issuer, periods[(frequency, number)], FigureInput(met=True), True)
    for number, (issued, proper) in zip((1, 2, 3), ((3, 3), (2, 2), (4, 4)), strict=True):
        enter(
            (2, 1, 1),
            issuer,
            periods[(Frequency.QUARTERLY, number)],
            FigureInput(Decimal(proper), Decimal(issued)),
            True,
        )
    enter((5, 1, 1), issuer, periods[(Frequency.HALF_YEAR, 1)], FigureInput(Decimal(212), Decimal(220)), True)
    for month in periods_of(Frequency.MONTHLY, plan.year):
        # A trend for the charts: each month's due date, when its figures are in.
        evaluate_plan(plan=plan, day=month.due_date)
    return created


def _dossiers(code: str, month: int) -> tuple[int, int]:
    """(resolved, late) dossiers of a unit in a month."""
    rng = random.Random(f"dossiers-{code}-{month}")
    resolved = rng.randint(15, 140)
    late = rng.choice((0, 0, 0, 0, 1, 1, 2)) if code != _SLOW_UNIT else rng.randint(2, 5)
    return resolved, min(late, resolved)
