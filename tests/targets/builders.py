"""Plain builders for indicator tests; every write goes through the services."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Max

from evidence.models import Evidence
from parplan.models import Plan, PlanStatus, Unit
from planio.interchange import plan_export, plan_import
from targets.models import (
    Aggregation,
    Frequency,
    Indicator,
    IndicatorKind,
    Measurement,
    Period,
    Scope,
    Target,
    TargetType,
)
from targets.parsing import ParsedIndicator
from targets.services import (
    FigureInput,
    indicator_define,
    measurement_approve,
    measurement_save,
    target_upsert,
)
from targets.sources import Source
from tests.files import pdf_bytes

PDF_BYTES = pdf_bytes()  # a real PDF: the upload checks open it


def pdf(name: str = "Báo cáo Quý I.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def ratio(numerator: int | str, denominator: int | str, note: str = "") -> FigureInput:
    return FigureInput(numerator=Decimal(numerator), denominator=Decimal(denominator), note=note)


def new_indicator(
    plan: Plan,
    *,
    name: str,
    area_number: int = 3,
    kind: str = IndicatorKind.RATIO,
    comparator: str = "gte",
    threshold: int | str | None = 90,
    frequency: str = Frequency.MONTHLY,
    scope: str = Scope.UNITS,
    scope_units: Sequence[Unit] = (),
    aggregation: str = Aggregation.RATIO_OF_SUMS,
    source: str = Source.UNITS,
    target_type: str = TargetType.LEVEL,
) -> Indicator:
    """A new target of the plan with one indicator, defined as the secretariat would."""
    area = plan.areas.get(number=area_number)
    position = (Target.objects.filter(area=area).aggregate(top=Max("position"))["top"] or 0) + 1
    parsed = ParsedIndicator(
        name=name,
        kind=kind,
        comparator=comparator,
        threshold=None if threshold is None else Decimal(threshold),
        unit_of_measure="%" if kind == IndicatorKind.RATIO else "",
    )
    target = target_upsert(area=area, position=position, text=f"{name} (chỉ tiêu thử).", indicators=[parsed])
    indicator = target.indicators.get()
    return indicator_define(
        indicator=indicator,
        scope_units=list(scope_units),
        frequency=frequency,
        scope=scope,
        aggregation=aggregation,
        source=source,
        target_type=target_type,
        numerator_label="hồ sơ đạt" if kind == IndicatorKind.RATIO else "",
        denominator_label="hồ sơ" if kind == IndicatorKind.RATIO else "",
    ).record


def submitted(
    indicator: Indicator, unit: Unit, period: Period, figure: FigureInput, user: Any, **kw: Any
) -> Measurement:
    return measurement_save(indicator=indicator, unit=unit, period=period, figure=figure, user=user, submit=True, **kw)


def approved(indicator: Indicator, unit: Unit, period: Period, figure: FigureInput, user: Any) -> Measurement:
    return measurement_approve(measurement=submitted(indicator, unit, period, figure, user), user=user)


def add_unit_indicators(plan: Plan, *, count: int, units: Sequence[Unit]) -> list[Indicator]:
    """`count` monthly ratio indicators reported by `units`."""
    return [
        new_indicator(plan, name=f"Tỷ lệ bổ sung số {i + 1}", area_number=1 + i % 7, scope_units=units)
        for i in range(count)
    ]


def add_submitted_figures(
    indicators: Iterable[Indicator], units: Iterable[Unit], periods: Iterable[Period], user: Any, *, evidence: int = 1
) -> list[Measurement]:
    """A submitted figure, with `evidence` PDFs, for each indicator × unit × period."""
    figures = []
    for indicator in indicators:
        for unit in units:
            for period in periods:
                files = [pdf(f"Minh chứng {n}.pdf") for n in range(evidence)]
                figures.append(submitted(indicator, unit, period, ratio(7, 9), user, files=files))
    return figures


def second_plan(plan: Plan, *, year: int = 2025) -> Plan:
    """The seed plan copied to another year through the interchange format, as a draft (periods come with it)."""
    document = json.loads(json.dumps(plan_export(plan), ensure_ascii=False))
    document["plan"] |= {"year": year, "status": PlanStatus.DRAFT, "title": f"Cải cách hành chính năm {year}"}
    return plan_import(document)


def row_counts() -> dict[str, int]:
    """Rows a figure save may write: figures, evidence and their history."""
    return {
        "measurements": Measurement.objects.count(),
        "measurement history": Measurement.history.count(),
        "evidence": Evidence.objects.count(),
        "evidence history": Evidence.history.count(),
    }
