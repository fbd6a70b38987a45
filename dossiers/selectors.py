"""Reads for the dossier screens and the report's annex, each in a fixed number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet, Sum
from django.utils.translation import gettext as _

from dossiers.models import COUNTS, DossierImport, DossierMonth
from parplan.models import Plan, Unit

_HUNDRED = Decimal(100)


@dataclass
class CountsRow:
    """A line of a dossier table: a unit's month, a month of the year, or a total; its rates derived."""

    label: str
    counts: dict[str, int | None] = field(default_factory=dict)
    unit: Unit | None = None
    month: datetime.date | None = None

    def get(self, key: str) -> int:
        return self.counts.get(key) or 0

    @property
    def received(self) -> int:
        return self.get("received_online") + self.get("received_in_person") + self.get("received_by_post")

    @property
    def resolved(self) -> int:
        return self.get("resolved_early") + self.get("resolved_on_time") + self.get("resolved_late")

    @property
    def pending(self) -> int:
        return self.get("pending_on_time") + self.get("pending_overdue")

    @property
    def on_time_percent(self) -> Decimal | None:
        resolved = self.resolved
        return (self.get("resolved_early") + self.get("resolved_on_time")) * _HUNDRED / resolved if resolved else None

    @property
    def apology_percent(self) -> Decimal | None:
        late = self.get("resolved_late")
        return self.get("apologised") * _HUNDRED / late if late else None

    @property
    def online_percent(self) -> Decimal | None:
        received = self.received
        return self.get("received_online") * _HUNDRED / received if received else None


def _row_counts(row: DossierMonth) -> dict[str, int | None]:
    return {key: getattr(row, key) for key in COUNTS}


def total_of(rows: list[CountsRow], label: str) -> CountsRow:
    """The rows added up; an optional count stays blank in the total when no row reports it."""
    total: dict[str, int | None] = {}
    for key in COUNTS:
        values = [row.counts.get(key) for row in rows if row.counts.get(key) is not None]
        total[key] = sum(v for v in values if v is not None) if values else None
    return CountsRow(label, total)


@dataclass
class MonthTable:
    month: datetime.date | None
    months: list[datetime.date]  # months with rows, for the picker
    rows: list[CountsRow]  # one per unit with a row that month
    total: CountsRow
    trend: list[CountsRow]  # one per month of the year, over the same units
    missing: list[Unit]  # units without a row that month


def month_table(plan: Plan, units: QuerySet[Unit], month: datetime.date | None) -> MonthTable:
    """The units' rows for `month` (default: the latest with rows) with their total, and the year's trend."""
    rows = DossierMonth.objects.in_year(plan.year).filter(unit__in=units)
    months = sorted(set(rows.values_list("month", flat=True)))
    if month is None and months:
        month = months[-1]
    chosen = list(rows.filter(month=month).select_related("unit").order_by("unit__path")) if month else []
    lines = [CountsRow(row.unit.name, _row_counts(row), unit=row.unit) for row in chosen]
    by_month = rows.values("month").annotate(**{key: Sum(key) for key in COUNTS}).order_by("month")
    trend = [CountsRow(f"{row['month']:%m/%Y}", {k: row[k] for k in COUNTS}, month=row["month"]) for row in by_month]
    have = {row.unit_id for row in chosen}
    missing = [unit for unit in units.order_by("path") if unit.pk not in have] if month else []
    return MonthTable(month, months, lines, total_of(lines, _("Tổng")), trend, missing)


@dataclass
class UnitYear:
    rows: list[CountsRow]
    total: CountsRow


def unit_year(plan: Plan, unit: Unit) -> UnitYear:
    """The unit's own rows, month by month through the plan year, with the year's total."""
    rows = DossierMonth.objects.in_year(plan.year).filter(unit=unit).order_by("month")
    lines = [CountsRow(f"{row.month:%m/%Y}", _row_counts(row), month=row.month) for row in rows]
    return UnitYear(lines, across_months(lines, _("Tổng")))


def across_months(lines: list[CountsRow], label: str) -> CountsRow:
    """One unit's months in order, as one line: the flows summed, the first month's carried over and the last
    month's open dossiers (stocks, `_OPENING` and `_CLOSING`), as the report's annex IV counts a window."""
    if not lines:
        return CountsRow(label, {})
    total = total_of(lines, label)
    for key in _OPENING:
        total.counts[key] = lines[0].counts.get(key)
    for key in _CLOSING:
        total.counts[key] = lines[-1].counts.get(key)
    return total


# A steering committee takes in no dossiers: a template row for it would only wait to be deleted.
_NO_DOSSIERS_KIND = "steering_committee"


def template_units(plan: Plan) -> list[Unit]:
    """The units the import template has a row for: the plan's tree, in path order, but its steering committee."""
    return list(Unit.objects.below(plan.issuing_unit).exclude(kind__code=_NO_DOSSIERS_KIND).order_by("path"))


def recent_imports(plan: Plan) -> QuerySet[DossierImport]:
    return DossierImport.objects.filter(plan=plan).select_related("uploaded_by").order_by("-uploaded_at", "-pk")[:10]


# Counts that are stocks (what is open at a month's end): over several months, the first month's carried
# over and the last month's open dossiers, not their sums. Every other count is a flow and is summed.
_OPENING = ("carried_over",)
_CLOSING = ("pending_on_time", "pending_overdue", "awaiting_supplements", "paused")


@dataclass
class AnnexDossiers:
    rows: list[CountsRow]
    total: CountsRow | None
    first: datetime.date | None = None  # the first and last month with rows, for the annex's note
    last: datetime.date | None = None


def annex_dossiers(plan: Plan, start: datetime.date, cutoff: datetime.date, total_label: str) -> AnnexDossiers:
    """Per unit, the one-stop counts of the months inside [start, cutoff] (as indicators.period_sums), and the total."""
    months = (
        DossierMonth.objects.filter(unit__path__startswith=plan.issuing_unit.path, month__gt=start, month__lte=cutoff)
        .select_related("unit")
        .order_by("unit__path", "month")
    )
    by_unit: dict[int, list[DossierMonth]] = {}
    for row in months:
        by_unit.setdefault(row.unit_id, []).append(row)
    lines = [_window_row(rows) for rows in by_unit.values()]
    if not lines:
        return AnnexDossiers([], None)
    first = min(rows[0].month for rows in by_unit.values())
    last = max(rows[-1].month for rows in by_unit.values())
    return AnnexDossiers(lines, total_of(lines, total_label), first, last)


def _window_row(rows: list[DossierMonth]) -> CountsRow:
    counts: dict[str, int | None] = {}
    for key in COUNTS:
        if key in _OPENING:
            counts[key] = getattr(rows[0], key)
        elif key in _CLOSING:
            counts[key] = getattr(rows[-1], key)
        else:
            values = [getattr(row, key) for row in rows if getattr(row, key) is not None]
            counts[key] = sum(values) if values else None
    return CountsRow(rows[0].unit.name, counts, unit=rows[0].unit)
