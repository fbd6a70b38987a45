"""The plan file's shape (planio/plan.schema.json), checked with jsonschema; its errors said in Vietnamese.

The schema holds what one value can be checked for alone: types, lengths,
ranges, real dates. The rules across records stay in planio/validation.py.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any, cast

from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator, FormatChecker, TypeChecker, ValidationError
from jsonschema.validators import extend

SCHEMA_PATH = Path(__file__).with_name("plan.schema.json")

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

# At most this many problems are listed: a file that is wrong throughout says so in its first lines.
MAX_ERRORS = 100


@cache
def plan_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


def _checker() -> FormatChecker:
    checker = FormatChecker(formats=())

    @checker.checks("date", raises=ValueError)
    def is_date(value: object) -> bool:
        # "" is no date (older files); fromisoformat alone would also take "20240115".
        if value is None or value == "":
            return True
        if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
            return False
        datetime.date.fromisoformat(value)  # ValueError for day 40 or 30 February
        return True

    return checker


def _is_integer(checker: TypeChecker, value: object) -> bool:
    # JSON Schema counts 2024.0 as an integer; the columns and the services want a Python int.
    return isinstance(value, int) and not isinstance(value, bool)


@cache
def _validator() -> Any:
    type_checker = Draft202012Validator.TYPE_CHECKER.redefine("integer", _is_integer)
    validator = extend(Draft202012Validator, type_checker=type_checker)  # type: ignore[no-untyped-call]
    return validator(plan_schema(), format_checker=_checker())


def schema_errors(data: Any) -> list[str]:
    """The file's departures from the schema, each with its place ("areas[2].tasks[5].due_date: …")."""
    errors = sorted(_validator().iter_errors(data), key=_order)
    return [_message(error) for error in errors[:MAX_ERRORS]]


def _order(error: ValidationError) -> list[tuple[int, int, str]]:
    # In the file's order: areas[2] before areas[10].
    return [(0, part, "") if isinstance(part, int) else (1, 0, str(part)) for part in error.absolute_path]


def place(error: ValidationError) -> str:
    """The JSON path of the value, without the leading "$." ("areas[2].name"; "tệp" for the whole file)."""
    path = error.json_path
    return _("tệp") if path == "$" else path.removeprefix("$.").removeprefix("$")


def _type_name(name: str) -> str:
    # The names are translated where they are shown; kept as code points here (tests/test_i18n.py).
    return {
        "string": _("chuỗi ký tự"),
        "integer": _("số nguyên"),
        "number": _("số"),
        "object": _("đối tượng"),
        "array": _("danh sách"),
        "boolean": _("true hoặc false"),
    }.get(name, name)


def _expected_types(expected: Any) -> str:
    names = [expected] if isinstance(expected, str) else list(expected)
    return (" " + _("hoặc") + " ").join(_type_name(name) for name in names)


def _message(error: ValidationError) -> str:
    where = place(error)
    keyword, limit = error.validator, cast(Any, error.validator_value)
    if keyword == "type":
        text = _("phải là %(type)s.") % {"type": _expected_types(limit)}
    elif keyword == "required":
        missing = [key for key in limit if isinstance(error.instance, dict) and key not in error.instance]
        text = _("thiếu trường “%(key)s”.") % {"key": "”, “".join(missing)}
    elif keyword == "maxLength":
        text = _("dài quá %(limit)d ký tự.") % {"limit": limit}
    elif keyword == "minLength":
        text = _("không được để trống.")
    elif keyword == "minimum":
        text = _("phải từ %(limit)s trở lên.") % {"limit": limit}
    elif keyword == "maximum":
        text = _("không được lớn hơn %(limit)s.") % {"limit": limit}
    elif keyword == "format":
        text = _("ngày không hợp lệ (dùng YYYY-MM-DD, một ngày có thật).")
    elif keyword == "const":
        text = _("phải là “%(value)s”.") % {"value": limit}
    else:
        text = _("giá trị không hợp lệ.")
    return f"{where}: {text}"


def iter_strings(data: Any) -> Iterator[tuple[str, str]]:
    """Every string of the document with its place, keys included: NUL characters are looked for in all of them.

    With a stack, not recursion: a deeply nested value under a key the schema does not know is no error.
    """
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, str):
            yield where or _("tệp"), value
        elif isinstance(value, dict):
            for key, item in value.items():
                inner = f"{where}.{key}" if where else str(key)
                yield inner, key
                stack.append((inner, item))
        elif isinstance(value, list):
            stack.extend((f"{where}[{index}]", item) for index, item in enumerate(value))
