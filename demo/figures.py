"""Made-up but plausible figures for the demo plans, entered through the real workflow.

Every indicator people type figures for gets them, in every period due by the
plan's "today" (31/12 for a closed year), sent a few days before the period's
due date and approved a few days after it. The story: most figures achieved,
some at risk or off track (Mẫu Sơn, a remote commune, lags behind), a unit
that missed a period, a figure or two returned for correction, and in a live
year the last period's commune figures still waiting for review.

Deterministic (seeded by unit code and period), so `demo` is repeatable; a
figure that already exists is left alone, so running it twice changes nothing.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.utils import timezone

from parplan.models import Plan, Unit
from targets.evaluation import evaluate_plan
from targets.models import Frequency, Indicator, IndicatorKind, Measurement, Period, Scope
from targets.periods import periods_of
from targets.services import FigureInput, measurement_approve, measurement_return, measurement_save

# Months with approved figures; the next month is submitted and waits for review.
_APPROVED_MONTHS = range(1, 10)
_PENDING_MONTH = 10
_SLOW_UNIT = "06238"  # Mẫu Sơn: a remote commune, so the roll-up has something to show


def demo_figures_load(*, plan: Plan) -> int:
    """The seed year's first figures (kept as the tests know them), then every other indicator's."""
    created = _seed_figures_load(plan)
    created += demo_story_figures_load(plan=plan, until=datetime.date(plan.year, 12, 31), skip=_SEED_INDICATORS)
    if created:
        for month in periods_of(Frequency.MONTHLY, plan.year):
            # A trend for the charts: each month's due date, when its figures are in.
            evaluate_plan(plan=plan, day=month.due_date)
    return created


# The indicators `_seed_figures_load` fills (area, target, position).
_SEED_INDICATORS: AbstractSet[tuple[object, ...]] = {
    (3, 3, 1),
    (3, 4, 1),
    (7, 3, 2),
    (6, 1, 1),
    (6, 3, 1),
    (6, 2, 1),
    (2, 1, 1),
    (5, 1, 1),
}


def _seed_figures_load(plan: Plan) -> int:
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
        sent, reviewed = _sent_and_reviewed(period)
        measurement = measurement_save(
            indicator=indicator, unit=unit, period=period, figure=figure, user=secretariat, submit=True, at=sent
        )
        if approve:
            measurement_approve(measurement=measurement, user=secretariat, at=reviewed)
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
    return created


def _dossiers(code: str, month: int) -> tuple[int, int]:
    """(resolved, late) dossiers of a unit in a month."""
    rng = random.Random(f"dossiers-{code}-{month}")
    resolved = rng.randint(15, 140)
    late = rng.choice((0, 0, 0, 0, 1, 1, 2)) if code != _SLOW_UNIT else rng.randint(2, 5)
    return resolved, min(late, resolved)


# --- Every indicator's figures ----------------------------------------------------------------


@dataclass(frozen=True)
class Share:
    """A share of counted things (or of amounts): `low`–`high` of a denominator in `size`, rising by `trend`.

    Per period: the share is drawn in [low, high] and rises by `trend` a period; a
    lagging unit (Mẫu Sơn) sits `lag` below. `cumulative`: the figure is the
    running total since January (training, money spent), reaching `high` by the end.
    """

    low: float
    high: float
    size: tuple[int, int]
    trend: float = 0.0
    lag: float = 0.08
    cumulative: bool = False
    counted: bool = True


@dataclass(frozen=True)
class Fixed:
    """The same answer every period: a rank (value) or a milestone (met)."""

    value: Decimal | None = None
    met: bool | None = None


Profile = Share | Fixed

# What each indicator's figures look like, by its place (area, target or task, position);
# task indicators are keyed ("task", area, task position, position).
PROFILES: dict[tuple[object, ...], Profile] = {
    (1, 1, 1): Fixed(value=Decimal(5)),  # PAR INDEX rank: 5th, inside the top 6
    (2, 1, 1): Share(0.9, 1.0, (2, 4)),
    (2, 2, 1): Share(0.75, 1.0, (1, 4)),
    (3, 1, 1): Share(0.18, 0.26, (110, 130)),
    (3, 1, 2): Share(0.15, 0.19, (7_800, 8_600), counted=False),
    (3, 2, 1): Share(0.28, 0.34, (900, 1_100)),
    (3, 3, 1): Share(0.985, 1.0, (15, 140), lag=0.05),
    (3, 4, 1): Share(0.6, 1.0, (1, 5), lag=0.3),
    (3, 5, 1): Share(0.86, 0.94, (40, 48)),
    (4, 1, 1): Fixed(met=True),
    (5, 1, 1): Share(0.95, 0.97, (215, 225)),
    (5, 1, 2): Share(0.57, 0.62, (690, 720), trend=0.01),
    (5, 1, 3): Share(0.72, 0.9, (18, 26), trend=0.02, lag=0.1),
    (5, 2, 1): Share(0.92, 0.97, (38, 42)),
    (5, 3, 1): Share(0.9, 1.02, (1_200, 1_200), cumulative=True),
    (6, 1, 1): Share(0.6, 0.78, (250_000, 250_000), cumulative=True, counted=False),
    (6, 2, 1): Fixed(met=True),
    (6, 3, 1): Share(0.95, 1.08, (120_000, 120_000), cumulative=True, counted=False),
    (7, 1, 1): Share(0.94, 1.0, (46, 50)),
    (7, 2, 1): Share(0.97, 1.0, (110, 120)),
    (7, 3, 1): Share(0.8, 0.97, (60, 220), trend=0.005),
    (7, 3, 2): Share(0.5, 0.75, (40, 160), trend=0.02, lag=0.15),
    (7, 4, 1): Share(0.86, 0.99, (80, 300), trend=0.005),
    (7, 4, 2): Share(0.62, 0.9, (30, 140), trend=0.015, lag=0.15),
    (7, 4, 3): Share(0.7, 0.82, (2_000, 2_600), trend=0.01),
    ("task", 2, 6, 1): Share(0.8, 1.0, (2, 6)),
}

# A commune that sent nothing for one period, and figures sent back for correction.
_MISSED = ("06232", 2)  # Công Sơn skipped the second period of each unit-level indicator
_RETURNED_COMMENT = "Mẫu số chưa khớp với số liệu trên Hệ thống thông tin giải quyết TTHC; đề nghị rà soát, gửi lại."
_SEND_DAYS_BEFORE_DUE = 2
_REVIEW_DAYS_AFTER_DUE = 3


def demo_story_figures_load(
    *, plan: Plan, until: datetime.date, skip: AbstractSet[tuple[object, ...]] = frozenset()
) -> int:
    """Figures of every typed-in indicator of `plan` for the periods due by `until`; returns how many were new.

    `until` is the plan's "today": 31/12 of a closed year, today's date for the
    live one. In a live year the last period due holds the communes' figures
    waiting for review, and one returned for correction.
    """
    secretariat = get_user_model().objects.get(username="noivu")
    closed = until >= datetime.date(plan.year, 12, 31)
    periods = list(Period.objects.filter(plan=plan, due_date__lte=until).order_by("due_date"))
    last_due = {period.frequency: period for period in periods}
    created = 0
    indicators = Indicator.objects.of_plan(plan).select_related("area", "target", "stated_in__task")
    for indicator in indicators.prefetch_related("scope_units").order_by("pk"):
        place = _place(indicator)
        profile = PROFILES.get(place)
        if profile is None or place in skip or indicator.source not in ("units", "secretariat"):
            continue  # computed from another app's records (inspections)
        units = list(indicator.scope_units.all()) if indicator.scope == Scope.UNITS else [plan.issuing_unit]
        for period in (p for p in periods if p.frequency == indicator.frequency):
            for unit in units:
                if indicator.scope == Scope.UNITS and (unit.code, period.number) == _MISSED:
                    continue
                figure = _figure(indicator, profile, unit, period, plan.year)
                pending = (
                    not closed and period == last_due[period.frequency] and indicator.scope == Scope.UNITS
                    and unit.kind.code != "office"
                )  # fmt: skip
                created += _enter(indicator, unit, period, figure, secretariat, pending, until)
    if created:
        # A trend for the charts: each quarter's due date, when its figures are in, and the plan's "today".
        for quarter in periods_of(Frequency.QUARTERLY, plan.year):
            if quarter.due_date < until:
                evaluate_plan(plan=plan, day=quarter.due_date)
        evaluate_plan(plan=plan, day=until)
    return created


def _place(indicator: Indicator) -> tuple[object, ...]:
    stated_in = getattr(indicator, "stated_in", None)
    if stated_in is not None:
        return ("task", indicator.area.number, stated_in.task.position, indicator.position)
    return (indicator.area.number, indicator.target.position if indicator.target else None, indicator.position)


def _figure(indicator: Indicator, profile: Profile, unit: Unit, period: Period, year: int) -> FigureInput:
    if isinstance(profile, Fixed):
        return FigureInput(value=profile.value, met=profile.met)
    rng = random.Random(f"{year}-{indicator.area.number}-{indicator.position}-{indicator.target_id is None}-"
                        f"{unit.code}-{period.frequency}-{period.number}")  # fmt: skip
    periods_in_year = len(periods_of(period.frequency, year))
    if profile.cumulative:
        # The year's total is the target's size; by this period, its share of the way.
        total = Decimal(profile.size[0])
        share = profile.high * period.number / periods_in_year - rng.uniform(0, 0.05)
    else:
        total = Decimal(rng.randint(*profile.size))
        share = rng.uniform(profile.low, profile.high) + profile.trend * (period.number - 1)
    if unit.code == _SLOW_UNIT:
        share -= profile.lag
    share = max(0.0, share if profile.cumulative or indicator.kind != IndicatorKind.RATIO else min(share, 1.0))
    part = Decimal(share) * total
    numerator = part.to_integral_value() if profile.counted else part.quantize(Decimal("0.1"))
    return FigureInput(numerator=numerator, denominator=total)


def _enter(
    indicator: Indicator,
    unit: Unit,
    period: Period,
    figure: FigureInput,
    secretariat: User,
    pending: bool,
    until: datetime.date,
) -> int:
    if Measurement.objects.filter(indicator=indicator, unit=unit, period=period).exists():
        return 0  # loaded on an earlier run
    sent, reviewed = _sent_and_reviewed(period, until)
    measurement = measurement_save(
        indicator=indicator, unit=unit, period=period, figure=figure, user=secretariat, submit=True, at=sent
    )
    if _returned(indicator, unit, period):
        measurement_return(measurement=measurement, user=secretariat, comment=_RETURNED_COMMENT, at=reviewed)
    elif not pending:
        measurement_approve(measurement=measurement, user=secretariat, at=reviewed)
    return 1


def _returned(indicator: Indicator, unit: Unit, period: Period) -> bool:
    """One commune's digitisation figure, once a year: sent back for correction."""
    return (indicator.area.number, indicator.position) == (7, 2) and unit.code == "06199" and period.number == 3


def _sent_and_reviewed(
    period: Period, until: datetime.date | None = None
) -> tuple[datetime.datetime, datetime.datetime]:
    """Sent two days before the due date, reviewed three days after it; never after `until`."""
    last = until or datetime.date(period.due_date.year, 12, 31)
    sent = min(period.due_date - datetime.timedelta(days=_SEND_DAYS_BEFORE_DUE), last)
    reviewed = min(period.due_date + datetime.timedelta(days=_REVIEW_DAYS_AFTER_DUE), last)
    return _at(sent, 9), _at(max(reviewed, sent), 15)


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
    return min(moment, timezone.now())
