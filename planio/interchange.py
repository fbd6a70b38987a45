"""The plan interchange format: a plan, its units, areas, targets and tasks as JSON.

Used for backups, moving plans between servers, copying to the next year, and
the demo data itself. The format is documented in docs/plan-format.md; later
versions add keys, never change or remove them.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Prefetch, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

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
from planio.matching import TaskMatch, TaskSlot, match_tasks, stored_plan, work_lost
from targets.models import (
    Aggregation,
    Comparator,
    Frequency,
    Indicator,
    IndicatorKind,
    IndicatorSnapshot,
    Scope,
    Source,
    Target,
    TargetType,
)
from targets.parsing import ParsedIndicator
from targets.services import (
    indicator_apply_parsed,
    indicator_define,
    plan_generate_periods,
    target_upsert,
    targets_trim,
)
from tasks.models import Priority, Recurrence, Task
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

FORMAT = "parplan-plan"
VERSION = 1

_INDICATOR_DEFINITION_FIELDS = (
    "frequency", "scope", "aggregation", "source", "target_type", "numerator_label", "denominator_label",
)  # fmt: skip
_PLAN_TEXT_FIELDS = (
    "number", "symbol", "title", "place", "legal_bases", "purpose", "requirements",
    "signer_name", "signer_title", "signing_authority", "closing",
)  # fmt: skip


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TASK_KEY = re.compile(r"[-a-zA-Z0-9_]{1,40}")


class PlanImportError(Exception):
    """The file cannot be imported; `errors` says where and why, in Vietnamese."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


# --- Export -------------------------------------------------------------------


def plan_export(plan: Plan) -> dict[str, Any]:
    areas = plan.areas.prefetch_related(
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
    errors = _validate(data)
    if errors:
        raise PlanImportError(errors)
    with transaction.atomic():
        plan = stored_plan(data)
        match = match_tasks(plan, data["areas"])
        lost = [] if allow_delete else work_lost(plan, match, data["areas"])
        if lost:
            raise PlanImportError(lost)
        return _apply(data, match, user=user, allow_delete=allow_delete, reason=_("Nhập kế hoạch từ tệp"))


def _validate(data: Any) -> list[str]:
    if not isinstance(data, dict):
        return [_("Tệp không phải một đối tượng JSON.")]
    errors: list[str] = []
    if data.get("format") != FORMAT:
        errors.append(_("Trường “format” phải là “%(format)s”.") % {"format": FORMAT})
    for key in ("plan", "units", "areas"):
        if key not in data:
            errors.append(_("Thiếu trường “%(key)s”.") % {"key": key})
    if errors:
        return errors
    for index, kind in enumerate(data.get("unit_kinds", [])):
        if not isinstance(kind, dict) or not kind.get("code") or not kind.get("name"):
            errors.append(_("unit_kinds[%(index)d]: loại đơn vị cần có “code” và “name”.") % {"index": index})
    kinds = {k.get("code") for k in data.get("unit_kinds", []) if isinstance(k, dict)}
    kinds |= set(UnitKind.objects.values_list("code", flat=True))
    codes = set(Unit.objects.values_list("code", flat=True))
    for index, unit in enumerate(data["units"]):
        where = f"units[{index}]"
        if not isinstance(unit, dict) or not unit.get("code") or not unit.get("name"):
            errors.append(_("%(where)s: đơn vị cần có “code” và “name”.") % {"where": where})
            continue
        if unit.get("kind") not in kinds:
            errors.append(
                _("%(where)s: loại đơn vị “%(kind)s” không tồn tại.") % {"where": where, "kind": unit.get("kind")}
            )
        codes.add(unit["code"])
    for index, unit in enumerate(data["units"]):
        if isinstance(unit, dict) and unit.get("parent") and unit["parent"] not in codes:
            errors.append(
                _("units[%(index)d]: đơn vị cấp trên “%(code)s” không có trong tệp.")
                % {"index": index, "code": unit["parent"]}
            )
    # The file may move units already stored, so loops are looked for in the
    # tree as it would be after the import, not in the file alone.
    parents = dict(Unit.objects.values_list("code", "parent__code"))
    parents.update({u["code"]: u.get("parent") for u in data["units"] if isinstance(u, dict) and u.get("code")})
    for index, unit in enumerate(data["units"]):
        if isinstance(unit, dict) and unit.get("code") and _is_own_ancestor(unit["code"], parents):
            errors.append(
                _("units[%(index)d]: đơn vị “%(code)s” nằm dưới chính nó (cây đơn vị có vòng lặp).")
                % {"index": index, "code": unit["code"]}
            )
    plan = data["plan"]
    if not isinstance(plan, dict):
        return [*errors, _("“plan” phải là một đối tượng.")]
    if plan.get("issuing_unit") not in codes:
        errors.append(_("plan.issuing_unit: không có đơn vị mã “%(code)s”.") % {"code": plan.get("issuing_unit")})
    if not isinstance(plan.get("year"), int) or not 2000 <= plan["year"] <= 2100:
        errors.append(_("plan.year: năm không hợp lệ."))
    if not plan.get("title"):
        errors.append(_("plan.title: thiếu trích yếu."))
    if plan.get("status", PlanStatus.DRAFT) not in PlanStatus.values:
        errors.append(_("plan.status: trạng thái không hợp lệ."))
    if _parse_date(plan.get("issue_date")) is False:
        errors.append(_("plan.issue_date: ngày không hợp lệ (dùng YYYY-MM-DD)."))
    recipients = plan.get("recipients", [])
    if not isinstance(recipients, list) or not all(isinstance(line, str) for line in recipients):
        errors.append(_("plan.recipients: phải là một danh sách các dòng."))
    errors += _too_long("plan", plan, Plan, ["number", "symbol", "title", "place", "signer_name", "signer_title",
                                              "signing_authority"])  # fmt: skip
    for index, unit in enumerate(data["units"]):
        if isinstance(unit, dict):
            errors += _too_long(f"units[{index}]", unit, Unit, ["code", "name"])
    errors += _validate_areas(data["areas"], codes)
    for index, item in enumerate(data.get("responsibilities", [])):
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("number"), int)
            or item["number"] < 1
            or not item.get("heading")
            or not isinstance(item.get("text"), str)
        ):
            errors.append(
                _("responsibilities[%(i)d]: mục cần có “number” (số nguyên dương), “heading” và “text”.") % {"i": index}
            )
            continue
        for code in item.get("units", []):
            if code not in codes:
                errors.append(_("responsibilities[%(i)d]: không có đơn vị mã “%(code)s”.") % {"i": index, "code": code})
    return errors


def _too_long(where: str, item: dict[str, Any], model: type, names: list[str]) -> list[str]:
    """Text longer than its column: PostgreSQL would refuse it mid-import."""
    errors = []
    for name in names:
        limit = model._meta.get_field(name).max_length
        value = item.get(name)
        if isinstance(value, str) and limit is not None and len(value) > limit:
            errors.append(
                _("%(where)s.%(name)s: dài quá %(limit)d ký tự.") % {"where": where, "name": name, "limit": limit}
            )
    return errors


def _is_own_ancestor(code: str, parents: dict[str, str | None]) -> bool:
    seen: set[str] = set()
    parent = parents.get(code)
    while parent and parent not in seen:
        if parent == code:
            return True
        seen.add(parent)
        parent = parents.get(parent)
    return False


def _validate_areas(areas: Any, codes: set[str]) -> list[str]:
    errors: list[str] = []
    if not isinstance(areas, list):
        return [_("“areas” phải là một danh sách.")]
    numbers = [area.get("number") for area in areas if isinstance(area, dict)]
    if len(numbers) != len(set(numbers)):
        errors.append(_("areas: số thứ tự lĩnh vực bị trùng."))
    for a, area in enumerate(areas):
        if not isinstance(area, dict) or not isinstance(area.get("number"), int) or not area.get("name"):
            errors.append(_("areas[%(a)d]: lĩnh vực cần có “number” (số) và “name”.") % {"a": a})
            continue
        if area["number"] < 1:
            errors.append(_("areas[%(a)d].number: số thứ tự phải từ 1 trở lên.") % {"a": a})
        errors += _too_long(f"areas[{a}]", area, ReformArea, ["name", "targets_heading"])
        for t, target in enumerate(area.get("targets", [])):
            where = f"areas[{a}].targets[{t}]"
            if not isinstance(target, dict) or not str(target.get("text", "")).strip():
                errors.append(_("%(where)s: thiếu nội dung chỉ tiêu.") % {"where": where})
                continue
            for i, indicator in enumerate(target.get("indicators") or []):
                errors += _validate_indicator(indicator, f"{where}.indicators[{i}]", codes)
        for k, task in enumerate(area.get("tasks", [])):
            where = f"areas[{a}].tasks[{k}]"
            if not isinstance(task, dict) or not str(task.get("text", "")).strip():
                errors.append(_("%(where)s: thiếu nội dung nhiệm vụ.") % {"where": where})
                continue
            for code in [task.get("lead_unit"), *task.get("coordinating_units", [])]:
                if code is not None and code not in codes:
                    errors.append(_("%(where)s: không có đơn vị mã “%(code)s”.") % {"where": where, "code": code})
            for i, indicator in enumerate(task.get("indicators") or []):
                errors += _validate_indicator(indicator, f"{where}.indicators[{i}]", codes)
            if _parse_date(task.get("due_date")) is False:
                errors.append(_("%(where)s.due_date: ngày không hợp lệ (dùng YYYY-MM-DD).") % {"where": where})
            errors += _too_long(where, task, Task, ["expected_output", "title", "assigned_by_number"])
            for name in ("start_date", "assigned_by_date"):
                if _parse_date(task.get(name)) is False:
                    errors.append(
                        _("%(where)s.%(name)s: ngày không hợp lệ (dùng YYYY-MM-DD).") % {"where": where, "name": name}
                    )
            if (
                task.get("recurrence", "") not in Recurrence.values
                or task.get("priority", "normal") not in Priority.values
            ):
                errors.append(_("%(where)s: “recurrence” hoặc “priority” không hợp lệ.") % {"where": where})
            start, due = _parse_date(task.get("start_date")), _parse_date(task.get("due_date"))
            if start and due and due < start:
                errors.append(_("%(where)s: hạn hoàn thành trước ngày bắt đầu.") % {"where": where})
            errors += _validate_recurrence_day(task, where)
    return errors + _validate_task_keys(areas)


def _validate_recurrence_day(task: dict[str, Any], where: str) -> list[str]:
    day = task.get("recurrence_due_day")
    if day is not None and (not isinstance(day, int) or not 1 <= day <= 31):
        return [_("%(where)s.recurrence_due_day: ngày đến hạn phải từ 1 đến 31.") % {"where": where}]
    if task.get("recurrence") and day is None:
        return [_("%(where)s.recurrence_due_day: nhiệm vụ lặp lại cần ngày đến hạn trong kỳ.") % {"where": where}]
    return []


def _validate_task_keys(areas: list[Any]) -> list[str]:
    """A task's `key` is optional; given, it is a short slug, once in the file."""
    errors: list[str] = []
    seen: dict[str, str] = {}
    for a, area in enumerate(areas):
        tasks = area.get("tasks", []) if isinstance(area, dict) else []
        for k, task in enumerate(tasks):
            key = task.get("key") if isinstance(task, dict) else None
            if key in (None, ""):
                continue
            where = f"areas[{a}].tasks[{k}].key"
            if not isinstance(key, str) or not _TASK_KEY.fullmatch(key):
                errors.append(_("%(where)s: mã chỉ gồm chữ, số, “-” và “_”, tối đa 40 ký tự.") % {"where": where})
            elif key in seen:
                errors.append(
                    _("%(where)s: mã “%(key)s” trùng với %(other)s.") % {"where": where, "key": key, "other": seen[key]}
                )
            else:
                seen[key] = where
    return errors


def _validate_indicator(indicator: Any, where: str, codes: set[str]) -> list[str]:
    if not isinstance(indicator, dict) or not indicator.get("name"):
        return [_("%(where)s: chỉ số cần có “name”.") % {"where": where}]
    errors = []
    choices = {
        "kind": IndicatorKind.values, "comparator": ["", *Comparator.values], "frequency": Frequency.values,
        "scope": Scope.values, "aggregation": Aggregation.values, "source": Source.values,
        "target_type": TargetType.values,
    }  # fmt: skip
    for name, allowed in choices.items():
        if name in indicator and indicator[name] not in allowed:
            errors.append(_("%(where)s.%(name)s: giá trị “%(value)s” không hợp lệ.") % {
                "where": where, "name": name, "value": indicator[name]})  # fmt: skip
    if "kind" not in indicator:
        errors.append(_("%(where)s.kind: thiếu loại chỉ số.") % {"where": where})
    errors += _too_long(where, indicator, Indicator, ["name", "unit_of_measure", "applies_to_level",
                                                      "numerator_label", "denominator_label"])  # fmt: skip
    for name in ("threshold", "baseline"):
        if _parse_decimal(indicator.get(name)) is False:
            errors.append(_("%(where)s.%(name)s: phải là một số.") % {"where": where, "name": name})
    for code in indicator.get("scope_units", []):
        if code not in codes:
            errors.append(_("%(where)s.scope_units: không có đơn vị mã “%(code)s”.") % {"where": where, "code": code})
    return errors


def _parse_date(value: Any) -> datetime.date | None | bool:
    """A date, None for no date, or False when the value is not a date."""
    if value in (None, ""):
        return None
    # fromisoformat also takes "20240115"; the format promises YYYY-MM-DD only.
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        return False
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return False


# Thresholds and baselines are DecimalField(max_digits=14, decimal_places=2).
_DECIMAL_LIMIT = Decimal(10) ** 12


def _parse_decimal(value: Any) -> Decimal | None | bool:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return False
    # NaN, infinities and numbers too large for the column fail on save, or on
    # SQLite are stored and then break every later read of the plan.
    if not number.is_finite() or abs(number) >= _DECIMAL_LIMIT:
        return False
    return number


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
        issuing_unit=_unit(fields["issuing_unit"], units),
        year=fields["year"],
        **{name: fields.get(name) or "" for name in _PLAN_TEXT_FIELDS},
        issue_date=_parse_date(fields.get("issue_date")),
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
        )  # fmt: skip
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
    if code is None:
        return None
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
        start_date=_parse_date(fields.get("start_date")),
        due_date=_parse_date(fields.get("due_date")),
        recurrence=fields.get("recurrence") or "",
        recurrence_due_day=fields.get("recurrence_due_day"),
        priority=fields.get("priority") or Priority.NORMAL,
        expected_output=fields.get("expected_output", ""),
        assigned_by_number=fields.get("assigned_by_number", ""),
        assigned_by_date=_parse_date(fields.get("assigned_by_date")),
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
        coordinating_units=[_unit(code, units) for code in fields.get("coordinating_units", [])],
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
        definition["baseline"] = _parse_decimal(fields["baseline"])
    scope_units = [_unit(code, units) for code in fields["scope_units"]] if "scope_units" in fields else None
    indicator_define(indicator=indicator, scope_units=scope_units, **definition)


def _indicator(fields: dict[str, Any]) -> ParsedIndicator:
    return ParsedIndicator(
        name=fields["name"],
        kind=fields["kind"],
        comparator=fields.get("comparator", ""),
        threshold=_parse_decimal(fields.get("threshold")),
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
            units=[_unit(code, units) for code in item.get("units", [])], user=user, reason=reason,
        )  # fmt: skip
