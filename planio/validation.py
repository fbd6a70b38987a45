"""Checks of a plan file before anything is written: every problem, with its place in the file, in Vietnamese."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from django.utils.translation import gettext as _

from parplan.models import PlanStatus, Unit, UnitKind
from parplan.numbers import number_problems
from parplan.validators import plan_date_errors
from planio.schema import iter_strings, schema_errors
from targets.models import Aggregation, Comparator, Frequency, IndicatorKind, Measure, Scope, TargetType
from targets.number_rules import definition_rule
from targets.sources import source_codes
from tasks.models import Priority, Recurrence

FORMAT = "parplan-plan"

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TASK_KEY = re.compile(r"[-a-zA-Z0-9_]{1,40}")


class PlanImportError(Exception):
    """The file cannot be imported; `errors` says where and why, in Vietnamese."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


def validate_plan(data: Any) -> list[str]:
    """Every problem of the file, or none. Reads the stored units and kinds: a file may name them.

    First the shape (planio/plan.schema.json: types, lengths, ranges, real dates),
    then the rules across records. Those are also run on a file of the wrong shape,
    so that every problem is listed at once, unless the wrong shape stops them.
    """
    if not isinstance(data, dict):
        return [_("Tệp không phải một đối tượng JSON.")]
    errors = schema_errors(data)
    # PostgreSQL refuses a NUL character in text: found here, not halfway through the import.
    errors += [
        _("%(where)s: chứa ký tự NUL (\\u0000), không được phép.") % {"where": where}
        for where, text in iter_strings(data)
        if "\x00" in text
    ][:10]
    if not errors:
        return _record_errors(data)
    try:
        errors += [error for error in _record_errors(data) if error not in errors]
    except (KeyError, TypeError, AttributeError, ValueError, OverflowError):
        return errors  # a record of the wrong shape: its schema errors say so
    # Both lists in the file's order, by place.
    return sorted(errors, key=_place_order)


def _place_order(error: str) -> list[tuple[int, int, str]]:
    where = error.partition(": ")[0] if re.match(r"[a-z_]+[\[.:]", error) else ""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"[\[\].]+", where) if part]


def _record_errors(data: dict[str, Any]) -> list[str]:
    """The rules across records, on a file whose shape the schema accepted (or nearly)."""
    errors: list[str] = []
    errors += _duplicates(data["unit_kinds"] if "unit_kinds" in data else [], "unit_kinds", "code")
    errors += _duplicates(data["units"], "units", "code")
    errors += _duplicates(data["areas"], "areas", "number")
    errors += _duplicates(data.get("responsibilities", []), "responsibilities", "number")
    kinds = {kind["code"] for kind in data.get("unit_kinds", [])}
    kinds |= set(UnitKind.objects.values_list("code", flat=True))
    codes = set(Unit.objects.values_list("code", flat=True))
    for index, unit in enumerate(data["units"]):
        if unit["kind"] not in kinds:
            errors.append(
                _("%(where)s: loại đơn vị “%(kind)s” không tồn tại.")
                % {"where": f"units[{index}].kind", "kind": unit["kind"]}
            )
        codes.add(unit["code"])
    for index, unit in enumerate(data["units"]):
        if unit.get("parent") and unit["parent"] not in codes:
            errors.append(
                _("units[%(index)d]: đơn vị cấp trên “%(code)s” không có trong tệp.")
                % {"index": index, "code": unit["parent"]}
            )
    # The file may move units already stored, so loops are looked for in the
    # tree as it would be after the import, not in the file alone.
    parents: dict[str, str | None] = dict(Unit.objects.values_list("code", "parent__code"))
    parents.update({u["code"]: u.get("parent") for u in data["units"]})
    for index, unit in enumerate(data["units"]):
        if _is_own_ancestor(unit["code"], parents):
            errors.append(
                _("units[%(index)d]: đơn vị “%(code)s” nằm dưới chính nó (cây đơn vị có vòng lặp).")
                % {"index": index, "code": unit["code"]}
            )
    plan = data["plan"]
    if plan["issuing_unit"] not in codes:
        errors.append(_("plan.issuing_unit: không có đơn vị mã “%(code)s”.") % {"code": plan["issuing_unit"]})
    if not plan["title"].strip():
        errors.append(_("plan.title: thiếu trích yếu."))
    if plan.get("status", PlanStatus.DRAFT) not in PlanStatus.values:
        errors.append(_("plan.status: trạng thái không hợp lệ."))
    errors += _validate_areas(data["areas"], codes, plan["year"])
    for index, item in enumerate(data.get("responsibilities", [])):
        for code in item.get("units", []):
            if code not in codes:
                errors.append(_("responsibilities[%(i)d]: không có đơn vị mã “%(code)s”.") % {"i": index, "code": code})
    return errors


def _duplicates(items: list[dict[str, Any]], where: str, key: str) -> list[str]:
    """A code (or number) given twice: the import would keep only the last, silently."""
    errors: list[str] = []
    seen: dict[Any, int] = {}
    for index, item in enumerate(items):
        value = item.get(key)
        if value is None:
            continue
        if value in seen:
            errors.append(
                _("%(where)s: “%(value)s” trùng với %(other)s.")
                % {"where": f"{where}[{index}].{key}", "value": value, "other": f"{where}[{seen[value]}]"}
            )
        else:
            seen[value] = index
    return errors


def _is_own_ancestor(code: str, parents: Mapping[str, str | None]) -> bool:
    seen: set[str] = set()
    parent = parents.get(code)
    while parent and parent not in seen:
        if parent == code:
            return True
        seen.add(parent)
        parent = parents.get(parent)
    return False


def _validate_areas(areas: list[dict[str, Any]], codes: set[str], year: int) -> list[str]:
    errors: list[str] = []
    for a, area in enumerate(areas):
        if not area["name"].strip():
            errors.append(_("areas[%(a)d].name: thiếu tên lĩnh vực.") % {"a": a})
        for t, target in enumerate(area.get("targets", [])):
            where = f"areas[{a}].targets[{t}]"
            if not target["text"].strip():
                errors.append(_("%(where)s: thiếu nội dung chỉ tiêu.") % {"where": where})
            errors += _validate_indicators(target.get("indicators") or [], where, codes)
        for k, task in enumerate(area.get("tasks", [])):
            errors += _validate_task(task, f"areas[{a}].tasks[{k}]", codes, year)
    return errors + _validate_task_keys(areas)


def _validate_task(task: dict[str, Any], where: str, codes: set[str], year: int) -> list[str]:
    errors: list[str] = []
    if not task["text"].strip():
        errors.append(_("%(where)s: thiếu nội dung nhiệm vụ.") % {"where": where})
    for code in [task.get("lead_unit"), *task.get("coordinating_units", [])]:
        if code is not None and code not in codes:
            errors.append(_("%(where)s: không có đơn vị mã “%(code)s”.") % {"where": where, "code": code})
    errors += _validate_indicators(task.get("indicators") or [], where, codes)
    if (task.get("recurrence") or "") not in Recurrence.values or (
        task.get("priority") or "normal"
    ) not in Priority.values:
        errors.append(_("%(where)s: “recurrence” hoặc “priority” không hợp lệ.") % {"where": where})
    start, due = parse_date(task.get("start_date")), parse_date(task.get("due_date"))
    if start and due and due < start:
        errors.append(_("%(where)s: hạn hoàn thành trước ngày bắt đầu.") % {"where": where})
    errors += _validate_recurrence_day(task, where)
    errors += _validate_task_dates(task, where, year)
    return errors


def _validate_indicators(indicators: list[dict[str, Any]], where: str, codes: set[str]) -> list[str]:
    errors = _duplicates(indicators, f"{where}.indicators", "name")
    for i, indicator in enumerate(indicators):
        errors += _validate_indicator(indicator, f"{where}.indicators[{i}]", codes)
    return errors


def _validate_task_dates(task: dict[str, Any], where: str, year: int) -> list[str]:
    """The dates the task services accept: within the plan's years (parplan.validators)."""
    if not 2000 <= year <= 2100:
        return []  # the schema has said so
    dates = {name: parse_date(task.get(name)) for name in ("start_date", "due_date", "assigned_by_date")}
    outside = plan_date_errors(year, **{name: day for name, day in dates.items() if day})
    return [
        _("%(where)s.%(name)s: %(problem)s") % {"where": where, "name": name, "problem": problem}
        for name, problems in outside.items()
        for problem in problems
    ]


def _validate_recurrence_day(task: dict[str, Any], where: str) -> list[str]:
    day = task.get("recurrence_due_day")
    valid = isinstance(day, int) and not isinstance(day, bool) and 1 <= day <= 31
    if task.get("recurrence") and not valid:
        return [
            _("%(where)s.recurrence_due_day: nhiệm vụ lặp lại cần ngày đến hạn trong kỳ, từ 1 đến 31.")
            % {"where": where}
        ]
    if day is not None and not valid:
        return [_("%(where)s.recurrence_due_day: ngày đến hạn phải từ 1 đến 31.") % {"where": where}]
    return []


def _validate_task_keys(areas: list[dict[str, Any]]) -> list[str]:
    """A task's `key` is optional; given, it is a short slug, once in the file."""
    errors: list[str] = []
    seen: dict[str, str] = {}
    for a, area in enumerate(areas):
        for k, task in enumerate(area.get("tasks", [])):
            key = task.get("key")
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


def _validate_indicator(indicator: dict[str, Any], where: str, codes: set[str]) -> list[str]:
    errors = []
    choices = {
        "kind": IndicatorKind.values, "comparator": ["", *Comparator.values], "frequency": Frequency.values,
        "scope": Scope.values, "aggregation": Aggregation.values, "source": source_codes(),
        "target_type": TargetType.values, "measure": Measure.values,
    }  # fmt: skip
    for name, allowed in choices.items():
        if name in indicator and indicator[name] not in allowed:
            errors.append(_("%(where)s.%(name)s: giá trị “%(value)s” không hợp lệ.") % {
                "where": where, "name": name, "value": indicator[name]})  # fmt: skip
    rule = definition_rule(
        kind=str(indicator.get("kind", "")),
        measure=str(indicator.get("measure", Measure.SHARE)),
        unit_of_measure=str(indicator.get("unit_of_measure", "")),
    )
    for name in ("threshold", "baseline"):
        number = parse_decimal(indicator.get(name))
        if number is False:
            errors.append(_("%(where)s.%(name)s: phải là một số.") % {"where": where, "name": name})
        for problem in [] if number is None or number is False else number_problems(number, rule):
            errors.append(f"{where}.{name}: {problem}")
    for code in indicator.get("scope_units", []):
        if code not in codes:
            errors.append(_("%(where)s.scope_units: không có đơn vị mã “%(code)s”.") % {"where": where, "code": code})
    return errors


def parse_date(value: Any) -> datetime.date | Literal[False] | None:
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


def parse_decimal(value: Any) -> Decimal | Literal[False] | None:
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


def valid_date(value: Any) -> datetime.date | None:
    """A date `validate_plan` has accepted (the import reads only validated files)."""
    day = parse_date(value)
    if day is False:
        raise ValueError(f"{value!r} is not a date")
    return day


def valid_decimal(value: Any) -> Decimal | None:
    """A number `validate_plan` has accepted."""
    number = parse_decimal(value)
    if number is False:
        raise ValueError(f"{value!r} is not a number")
    return number
