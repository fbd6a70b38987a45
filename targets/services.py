"""Writes of targets and their indicators."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from parplan.models import ReformArea
from parplan.services import save_if_changed
from targets.models import Indicator, Target
from targets.parsing import ParsedIndicator, parse_target


@transaction.atomic
def target_upsert(
    *, area: ReformArea, position: int, text: str, indicators: Sequence[ParsedIndicator] | None = None
) -> Target:
    """Create or update a target; without explicit indicators, read them from the text."""
    target = Target.objects.filter(area=area, position=position).first() or Target(area=area, position=position)
    warnings = ""
    if indicators is None:
        parsed = parse_target(text)
        indicators, warnings = parsed.indicators, "\n".join(parsed.warnings)
    elif target.pk and target.text == text:
        warnings = target.parse_warnings
    save_if_changed(target, text=text, parse_warnings=warnings)
    target_set_indicators(target=target, indicators=indicators)
    return target


def target_set_indicators(*, target: Target, indicators: Sequence[ParsedIndicator]) -> None:
    existing = {indicator.position: indicator for indicator in target.indicators.all()}
    for position, parsed in enumerate(indicators, start=1):
        indicator = existing.pop(position, None) or Indicator(target=target, position=position)
        save_if_changed(
            indicator,
            name=parsed.name,
            kind=parsed.kind,
            comparator=parsed.comparator,
            threshold=parsed.threshold,
            unit_of_measure=parsed.unit_of_measure,
            applies_to_level=parsed.applies_to_level,
        )
    for stale in existing.values():
        stale.delete()
