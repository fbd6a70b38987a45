"""Checks of a plan file before anything is written: every problem, with its place in the file, in Vietnamese."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from django.db.models import Field, Model
from django.utils.translation import gettext as _

from parplan.models import Plan, PlanStatus, ReformArea, Unit, UnitKind
from parplan.numbers import number_problems
from parplan.validators import plan_date_errors
from targets.models import Aggregation, Comparator, Frequency, Indicator, IndicatorKind, Measure, Scope, TargetType
from targets.number_rules import definition_rule
from targets.sources import source_codes
from tasks.models import Priority, Recurrence, Task

FORMAT = "parplan-plan"

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TASK_KEY = re.compile(r"[-a-zA-Z0-9_]{1,40}")


def validate_plan(data: Any) -> list[str]:
    """Every problem of the file, or none. Reads the stored units and kinds: a file may name them."""
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
    parents: dict[str, str | None] = dict(Unit.objects.values_list("code", "parent__code"))
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
    if parse_date(plan.get("issue_date")) is False:
        errors.append(_("plan.issue_date: ngày không hợp lệ (dùng YYYY-MM-DD)."))
    recipients = plan.get("recipients", [])
    if not isinstance(recipients, list) or not all(isinstance(line, str) for line in recipients):
        errors.append(_("plan.recipients: phải là một danh sách các dòng."))
    errors += _too_long("plan", plan, Plan, ["number", "symbol", "title", "place", "signer_name", "signer_title",
                                              "signing_authority"])  # fmt: skip
    for index, unit in enumerate(data["units"]):
        if isinstance(unit, dict):
            errors += _too_long(f"units[{index}]", unit, Unit, ["code", "name"])
    year = plan["year"] if isinstance(plan.get("year"), int) else None
    errors += _validate_areas(data["areas"], codes, year)
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


def _too_long(where: str, item: dict[str, Any], model: type[Model], names: list[str]) -> list[str]:
    """Text longer than its column: PostgreSQL would refuse it mid-import."""
    errors = []
    for name in names:
        field = model._meta.get_field(name)
        limit = field.max_length if isinstance(field, Field) else None
        value = item.get(name)
        if isinstance(value, str) and limit is not None and len(value) > limit:
            errors.append(
                _("%(where)s.%(name)s: dài quá %(limit)d ký tự.") % {"where": where, "name": name, "limit": limit}
            )
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


def _validate_areas(areas: Any, codes: set[str], year: int | None) -> list[str]:
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
            if parse_date(task.get("due_date")) is False:
                errors.append(_("%(where)s.due_date: ngày không hợp lệ (dùng YYYY-MM-DD).") % {"where": where})
            errors += _too_long(where, task, Task, ["expected_output", "title", "assigned_by_number"])
            for name in ("start_date", "assigned_by_date"):
                if parse_date(task.get(name)) is False:
                    errors.append(
                        _("%(where)s.%(name)s: ngày không hợp lệ (dùng YYYY-MM-DD).") % {"where": where, "name": name}
                    )
            if (
                task.get("recurrence", "") not in Recurrence.values
                or task.get("priority", "normal") not in Priority.values
            ):
                errors.append(_("%(where)s: “recurrence” hoặc “priority” không hợp lệ.") % {"where": where})
            start, due = parse_date(task.get("start_date")), parse_date(task.get("due_date"))
            if start and due and due < start:
                errors.append(_("%(where)s: hạn hoàn thành trước ngày bắt đầu.") % {"where": where})
            errors += _validate_recurrence_day(task, where)
            errors += _validate_task_dates(task, where, year)
    return errors + _validate_task_keys(areas)


def _validate_task_dates(task: dict[str, Any], where: str, year: int | None) -> list[str]:
    """The dates the task services accept: within the plan's years (parplan.validators)."""
    if year is None:
        return []
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
        "scope": Scope.values, "aggregation": Aggregation.values, "source": source_codes(),
        "target_type": TargetType.values, "measure": Measure.values,
    }  # fmt: skip
    for name, allowed in choices.items():
        if name in indicator and indicator[name] not in allowed:
            errors.append(_("%(where)s.%(name)s: giá trị “%(value)s” không hợp lệ.") % {
                "where": where, "name": name, "value": indicator[name]})  # fmt: skip
    if "kind" not in indicator:
        errors.append(_("%(where)s.kind: thiếu loại chỉ số.") % {"where": where})
    errors += _too_long(where, indicator, Indicator, ["name", "unit_of_measure", "applies_to_level",
                                                      "numerator_label", "denominator_label"])  # fmt: skip
    if not isinstance(indicator.get("parts_counted", True), bool):
        errors.append(_("%(where)s.parts_counted: phải là true hoặc false.") % {"where": where})
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
