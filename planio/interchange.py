"""The plan interchange format: a plan, its units, areas, targets and tasks as JSON.

Used for backups, moving plans between servers, copying to the next year, and
the demo data itself. The format is documented in docs/plan-format.md; later
versions add keys, never change or remove them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Prefetch, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from parplan.events import plan_changes_batched
from parplan.i18n import site_language
from parplan.models import Plan, PlanStatus, ReformArea, Unit, UnitKind
from parplan.services import (
    area_delete,
    area_upsert,
    plan_upsert,
    responsibility_delete,
    responsibility_upsert,
    unit_kind_upsert,
    unit_upsert,
)
from planio.changes import Changes, changes_since, history_marks
from planio.matching import TaskMatch, TaskSlot, match_tasks, stored_plan, work_lost
from planio.validation import FORMAT, valid_date, valid_decimal, validate_plan
from planio.validation import PlanImportError as PlanImportError  # raised here; callers import it from here
from targets.models import Indicator, IndicatorSnapshot, Target
from targets.parsing import ParsedIndicator
from targets.services import (
    indicator_apply_parsed,
    indicator_define,
    plan_generate_periods,
    target_upsert,
    targets_trim,
)
from tasks.models import Priority, Task
from tasks.services import (
    TaskDefinition,
    task_add,
    task_assign,
    task_define,
    task_delete,
    task_indicator_ensure,
    task_indicators_trim,
    tasks_place,
)

VERSION = 1

# A file without "measure" or "parts_counted" (written before they existed) leaves them as they are:
# a share of counted things by default.
_INDICATOR_DEFINITION_FIELDS = (
    "measure", "parts_counted", "frequency", "scope", "aggregation", "source", "target_type", "numerator_label",
    "denominator_label",
)  # fmt: skip
_PLAN_TEXT_FIELDS = (
    "number", "symbol", "title", "place", "legal_bases", "purpose", "requirements",
    "signer_name", "signer_title", "signing_authority", "closing",
)  # fmt: skip


# --- Export -------------------------------------------------------------------


def plan_export(plan: Plan) -> dict[str, Any]:
    # Through .all(): django-stubs cannot type Prefetch objects given to a related manager itself.
    areas = plan.areas.all().prefetch_related(
        Prefetch("targets", queryset=Target.objects.prefetch_related("indicators__scope_units")),
        Prefetch(
            "tasks",
            queryset=Task.objects.select_related("lead_unit").prefetch_related(
                "coordinating_units", "indicators__scope_units"
            ),
        ),
    )
    units = _units_for(plan.issuing_unit)
    latest = _latest_snapshots(plan)
    return {
        "format": FORMAT,
        "version": VERSION,
        "plan": {
            "issuing_unit": plan.issuing_unit.code,
            "year": plan.year,
            **{name: getattr(plan, name) for name in _PLAN_TEXT_FIELDS},
            "issue_date": plan.issue_date.isoformat() if plan.issue_date else None,
            "status": plan.status,
            "recipients": plan.recipients.splitlines(),
        },
        "unit_kinds": [
            {"code": kind.code, "name": kind.name, "administrative_level": kind.administrative_level}
            for kind in UnitKind.objects.filter(pk__in={unit.kind_id for unit in units}).order_by("code")
        ],
        "units": [
            {"code": u.code, "name": u.name, "kind": u.kind.code, "parent": u.parent.code if u.parent else None}
            for u in units
        ],
        "areas": [_export_area(area, latest, timezone.localdate()) for area in areas],
        "responsibilities": [
            {"number": r.number, "heading": r.heading, "text": r.text, "units": [u.code for u in r.units.all()]}
            for r in plan.responsibilities.prefetch_related("units")
        ],
    }


def _units_for(issuer: Unit) -> list[Unit]:
    """The issuer's ancestors (so parents resolve) and its whole subtree.

    In `position` order: the importer takes a unit's position from its place in
    the list, so any other order would renumber (and re-save) every unit.
    """
    ancestor_codes = [code for code in issuer.path.strip("/").split("/")]
    units = Unit.objects.filter(code__in=ancestor_codes) | Unit.objects.subtree_of(issuer)
    return list(units.select_related("kind", "parent").order_by("position", "path"))


def _export_indicator(indicator: Indicator, latest: dict[int, IndicatorSnapshot]) -> dict[str, Any]:
    snapshot = latest.get(indicator.pk)
    return {
        "name": indicator.name,
        "kind": indicator.kind,
        "comparator": indicator.comparator,
        "threshold": _decimal_text(indicator.threshold),
        "unit_of_measure": indicator.unit_of_measure,
        "applies_to_level": indicator.applies_to_level,
        **{name: getattr(indicator, name) for name in _INDICATOR_DEFINITION_FIELDS},
        "baseline": _decimal_text(indicator.baseline),
        "due_date": _date_text(indicator.due_date),
        "scope_units": sorted(unit.code for unit in indicator.scope_units.all()),
        # Read-only on import: the latest authority-wide evaluation.
        "latest": None
        if snapshot is None
        else {"day": snapshot.day.isoformat(), "value": _decimal_text(snapshot.value), "status": snapshot.status},
    }


def _date_text(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _decimal_text(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.normalize():f}"


def _latest_snapshots(plan: Plan) -> dict[int, IndicatorSnapshot]:
    issuer_snapshots = IndicatorSnapshot.objects.filter(unit=plan.issuing_unit_id)
    latest_day = issuer_snapshots.filter(indicator=OuterRef("indicator")).order_by("-day").values("day")[:1]
    rows = issuer_snapshots.filter(indicator__area__plan=plan, day=Subquery(latest_day))
    return {snapshot.indicator_id: snapshot for snapshot in rows}


def _export_area(area: ReformArea, latest: dict[int, IndicatorSnapshot], today: datetime.date) -> dict[str, Any]:
    return {
        "number": area.number,
        "name": area.name,
        "targets_heading": area.targets_heading,
        "targets": [
            {
                "text": target.text,
                "indicators": [_export_indicator(i, latest) for i in target.indicators.all()],
            }
            for target in area.targets.all()
        ],
        "tasks": [
            {
                "key": task.key,
                "text": task.text,
                "lead_unit": task.lead_unit.code if task.lead_unit else None,
                "coordinating_units": sorted(u.code for u in task.coordinating_units.all()),
                "assignment_assumed": task.assignment_assumed,
                "due_date": task.due_date.isoformat() if task.due_date else None,
                "expected_output": task.expected_output,
                "title": task.title,
                "start_date": _date_text(task.start_date),
                "recurrence": task.recurrence,
                "recurrence_due_day": task.recurrence_due_day,
                "priority": task.priority,
                "assigned_by_number": task.assigned_by_number,
                "assigned_by_date": _date_text(task.assigned_by_date),
                # Read-only on import: where the work stands.
                "progress": {
                    "state": task.state_on(today),
                    "status": task.status,
                    "percent": task.progress_percent,
                    "completed_on": _date_text(task.completed_on),
                    "confirmed_on": _date_text(timezone.localdate(task.confirmed_at) if task.confirmed_at else None),
                    "cancelled": task.cancelled_at is not None,
                },
                "indicators": [_export_indicator(i, latest) for i in task.indicators.all()],
            }
            for task in area.tasks.all()
        ],
    }


# --- Import -------------------------------------------------------------------


def plan_import(data: Any, *, user: Any = None, allow_delete: bool = False) -> Plan:
    """Create or update the plan described by `data`; all or nothing.

    Objects are matched by natural keys (unit code; issuer and year; area
    number; a task by its `key`, else by its text, else by its place: see
    `planio.matching`; a target by its place), so importing the same file
    twice changes nothing, and an exported plan imports back to the same plan
    with every task's progress, reports, files and history. A task with work
    done, or a target with figures, that the file no longer holds is deleted
    only with `allow_delete`; otherwise nothing is written. `user` is named in
    the history of every change.
    """
    errors = validate_plan(data)
    if errors:
        raise PlanImportError(errors)
    with transaction.atomic():
        plan = stored_plan(data)
        match = match_tasks(plan, data["areas"])
        lost = [] if allow_delete else work_lost(plan, match, data["areas"])
        if lost:
            raise PlanImportError(lost)
        with site_language():
            reason = _("Nhập kế hoạch từ tệp")
        with plan_changes_batched():  # thousands of records: the plan's change announced once
            return _apply(data, match, user=user, allow_delete=allow_delete, reason=reason)


@dataclass(frozen=True)
class ImportOutcome:
    plan: Plan
    changes: list[Changes]
    dry_run: bool


class _DryRunDone(Exception):
    def __init__(self, outcome: ImportOutcome) -> None:
        super().__init__("dry run")
        self.outcome = outcome


def plan_import_counted(
    data: Any, *, user: Any = None, allow_delete: bool = False, dry_run: bool = False
) -> ImportOutcome:
    """`plan_import`, and what it created, changed and deleted; with `dry_run`, all of it rolled back.

    A dry run is the real import in a transaction that is then rolled back: the
    account it gives is the one a real run would give, with nothing left behind
    (callbacks on commit, such as cache invalidation, are dropped with it).
    """
    try:
        with transaction.atomic():
            marks = history_marks()
            plan = plan_import(data, user=user, allow_delete=allow_delete)
            outcome = ImportOutcome(plan=plan, changes=changes_since(marks), dry_run=dry_run)
            if dry_run:
                raise _DryRunDone(outcome)
    except _DryRunDone as done:
        return done.outcome
    return outcome


def _apply(data: dict[str, Any], match: TaskMatch, *, user: Any, allow_delete: bool, reason: str) -> Plan:
    for kind in data.get("unit_kinds", []):
        unit_kind_upsert(
            code=kind["code"], name=kind["name"], administrative_level=kind.get("administrative_level", "")
        )
    kinds = {kind.code: kind for kind in UnitKind.objects.all()}
    units: dict[str, Unit] = {}
    # Parents first: the file lists units in any order.
    pending = list(data["units"])
    while pending:
        ready = [u for u in pending if not u.get("parent") or u["parent"] in units or _existing(u["parent"], units)]
        for unit in ready:
            parent = units.get(unit["parent"]) if unit.get("parent") else None
            units[unit["code"]] = unit_upsert(
                code=unit["code"], name=unit["name"], kind=kinds[unit["kind"]], parent=parent,
                position=data["units"].index(unit), user=user, reason=reason,
            )  # fmt: skip
        pending = [u for u in pending if u["code"] not in units]
        if not ready:
            raise PlanImportError(
                [_("Cây đơn vị có vòng lặp: %(codes)s.") % {"codes": ", ".join(u["code"] for u in pending)}]
            )

    fields = data["plan"]
    plan = plan_upsert(
        issuing_unit=_known_unit(fields["issuing_unit"], units),
        year=fields["year"],
        **{name: fields.get(name) or "" for name in _PLAN_TEXT_FIELDS},
        issue_date=valid_date(fields.get("issue_date")),
        status=fields.get("status", PlanStatus.DRAFT),
        recipients="\n".join(fields.get("recipients", [])),
        user=user,
        reason=reason,
    )
    # Figures are entered per period: without its year's calendar an imported plan takes none.
    plan_generate_periods(plan=plan)
    areas = {
        item["number"]: area_upsert(
            plan=plan,
            number=item["number"],
            name=item["name"],
            targets_heading=item.get("targets_heading") or "Chỉ tiêu",
            user=user,
            reason=reason,
        )
        for item in data["areas"]
    }
    for item in data["areas"]:
        _apply_targets(areas[item["number"]], item.get("targets", []), units)
    _apply_tasks(match, areas, units, user=user, allow_delete=allow_delete, reason=reason)
    # Last: an area the file dropped may have held tasks the file moved elsewhere.
    for area in plan.areas.exclude(number__in=areas.keys()):
        area_delete(area=area, user=user, reason=reason)
    _apply_responsibilities(plan, data.get("responsibilities", []), units, user=user, reason=reason)
    return plan


def _existing(code: str, units: dict[str, Unit]) -> bool:
    unit = Unit.objects.filter(code=code).first()
    if unit:
        units[code] = unit
    return unit is not None


def _unit(code: str | None, units: dict[str, Unit]) -> Unit | None:
    return None if code is None else _known_unit(code, units)


def _known_unit(code: str, units: dict[str, Unit]) -> Unit:
    """A unit the file names where one is required (validated: it exists)."""
    return units.get(code) or Unit.objects.get(code=code)


def _apply_targets(area: ReformArea, targets: list[dict[str, Any]], units: dict[str, Unit]) -> None:
    targets_trim(area=area, keep=len(targets))
    for position, target in enumerate(targets, start=1):
        indicators = target.get("indicators")
        saved = target_upsert(
            area=area,
            position=position,
            text=target["text"],
            indicators=None if indicators is None else [_indicator(i) for i in indicators],
        )
        for indicator, fields in zip(saved.indicators.order_by("position"), indicators or [], strict=False):
            # Without an "indicators" key the parser defined them; nothing more to apply.
            _define(indicator, fields, units)


def _apply_tasks(
    match: TaskMatch,
    areas: dict[int, ReformArea],
    units: dict[str, Unit],
    *,
    user: Any,
    allow_delete: bool,
    reason: str,
) -> None:
    """Delete the tasks the file dropped, move the kept ones to their new places, then write each."""
    for task in match.removed:
        task_delete(task=task, user=user, reason=reason, allow_work=allow_delete)
    tasks_place(
        places=[(slot.task, areas[slot.area_number], slot.position) for slot in match.slots if slot.task is not None],
        user=user,
        reason=reason,
    )
    for slot in match.slots:
        try:
            _apply_task(slot, areas[slot.area_number], units, user=user, reason=reason)
        except ValidationError as error:
            # A rule only the stored task can check (a confirmed task keeps its units).
            raise PlanImportError([f"{slot.where}: {message}" for message in error.messages]) from None


def _apply_task(slot: TaskSlot, area: ReformArea, units: dict[str, Unit], *, user: Any, reason: str) -> None:
    fields = slot.fields
    definition = TaskDefinition(
        text=fields["text"],
        title=fields.get("title") or "",
        start_date=valid_date(fields.get("start_date")),
        due_date=valid_date(fields.get("due_date")),
        recurrence=fields.get("recurrence") or "",
        recurrence_due_day=fields.get("recurrence_due_day"),
        priority=fields.get("priority") or Priority.NORMAL,
        expected_output=fields.get("expected_output", ""),
        assigned_by_number=fields.get("assigned_by_number", ""),
        assigned_by_date=valid_date(fields.get("assigned_by_date")),
    )
    if slot.task is None:
        task = task_add(
            area=area, position=slot.position, definition=definition, key=fields.get("key") or "", user=user,
            reason=reason,
        )  # fmt: skip
    else:
        task = task_define(task=slot.task, definition=definition, user=user, reason=reason)
    task_assign(
        task=task,
        lead_unit=_unit(fields.get("lead_unit"), units),
        coordinating_units=[_known_unit(code, units) for code in fields.get("coordinating_units", [])],
        assumed=bool(fields.get("assignment_assumed", False)),
        user=user,
    )
    _apply_task_indicators(task, fields.get("indicators"), units)


def _apply_task_indicators(task: Task, items: list[dict[str, Any]] | None, units: dict[str, Unit]) -> None:
    """Measurable targets hidden in a task bullet; absent key = leave them as they are."""
    if items is None:
        return
    task_indicators_trim(task=task, keep=len(items))
    for position, fields in enumerate(items, start=1):
        indicator = task_indicator_ensure(task=task, position=position)
        indicator_apply_parsed(indicator=indicator, parsed=_indicator(fields))
        _define(indicator, fields, units)


def _define(indicator: Indicator, fields: dict[str, Any], units: dict[str, Unit]) -> None:
    """Apply the definition keys present in the file (older files have none)."""
    definition = {name: fields[name] for name in _INDICATOR_DEFINITION_FIELDS if name in fields}
    if "baseline" in fields:
        definition["baseline"] = valid_decimal(fields["baseline"])
    if "due_date" in fields:
        definition["due_date"] = valid_date(fields["due_date"])
    scope_units = [_known_unit(code, units) for code in fields["scope_units"]] if "scope_units" in fields else None
    indicator_define(indicator=indicator, scope_units=scope_units, **definition)


def _indicator(fields: dict[str, Any]) -> ParsedIndicator:
    return ParsedIndicator(
        name=fields["name"],
        kind=fields["kind"],
        comparator=fields.get("comparator", ""),
        threshold=valid_decimal(fields.get("threshold")),
        unit_of_measure=fields.get("unit_of_measure", ""),
        applies_to_level=fields.get("applies_to_level", ""),
    )


def _apply_responsibilities(
    plan: Plan, items: list[dict[str, Any]], units: dict[str, Unit], *, user: Any, reason: str
) -> None:
    for stale in plan.responsibilities.exclude(number__in=[item["number"] for item in items]):
        responsibility_delete(responsibility=stale, user=user, reason=reason)
    for item in items:
        responsibility_upsert(
            plan=plan, number=item["number"], heading=item["heading"], text=item["text"],
            units=[_known_unit(code, units) for code in item.get("units", [])], user=user, reason=reason,
        )  # fmt: skip
