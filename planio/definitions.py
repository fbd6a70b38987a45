"""Load indicator definitions from a file (the demo's, or a province's template).

The parser gives each target statement its comparator and threshold; a
definitions file adds what prose does not say: frequency, scope, aggregation,
source, labels, and the measurable targets that hide in task bullets.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from parplan.models import Plan, Unit
from targets.models import Indicator, Scope
from targets.services import indicator_define
from tasks.models import Task
from tasks.services import task_indicator_ensure

_DEFINITION_FIELDS = (
    "kind", "measure", "parts_counted", "comparator", "unit_of_measure", "applies_to_level", "frequency", "scope",
    "aggregation", "source", "target_type", "numerator_label", "denominator_label", "name",
)  # fmt: skip


class DefinitionError(Exception):
    pass


@transaction.atomic
def indicator_definitions_load(data: dict[str, Any]) -> int:
    """Apply a definitions file to its plan; every parsed indicator must be covered."""
    plan = Plan.objects.select_related("issuing_unit").get(
        issuing_unit__code=data["plan"]["issuing_unit"], year=data["plan"]["year"]
    )
    defined: set[int] = set()
    for entry in data.get("definitions", []):
        indicator = Indicator.objects.filter(
            area__plan=plan, target__area__number=entry["area"], target__position=entry["target"],
            position=entry["indicator"],
        ).first()  # fmt: skip
        if indicator is None:
            raise DefinitionError(f"No indicator {entry['area']}.{entry['target']}.{entry['indicator']} in {plan}.")
        _apply(indicator, plan, entry)
        defined.add(indicator.pk)
    for entry in data.get("task_indicators", []):
        task = Task.objects.get(area__plan=plan, area__number=entry["area"], position=entry["task"])
        indicator = task_indicator_ensure(task=task, position=entry["indicator"])
        indicator_define(indicator=indicator, name=entry["name"], kind=entry["kind"])
        _apply(indicator, plan, entry)
        defined.add(indicator.pk)
    missing = Indicator.objects.of_plan(plan).exclude(pk__in=defined)
    if missing.exists():
        raise DefinitionError(f"Indicators without a definition: {[str(i) for i in missing]}")
    return len(defined)


def _apply(indicator: Indicator, plan: Plan, entry: dict[str, Any]) -> None:
    fields = {name: entry[name] for name in _DEFINITION_FIELDS if name in entry}
    for name in ("threshold", "baseline"):
        if name in entry:
            fields[name] = None if entry[name] is None else Decimal(entry[name])
    scope_units = None
    if fields.get("scope", indicator.scope) == Scope.UNITS:
        kinds = entry.get("scope_units", {}).get("kinds", [])
        scope_units = list(Unit.objects.below(plan.issuing_unit).filter(kind__code__in=kinds))
    else:
        scope_units = []
    indicator_define(indicator=indicator, scope_units=scope_units, **fields)
