"""Numbers in templates through parplan.formatting, never `floatformat` nor Django's localization.

`{{ value|number:1 }}` for people (the interface's decimal mark, thousands grouped: never inside
a field's value); `{{ value|machine }}` for SVG
coordinates and attributes a program reads (a point in every language).
"""

from __future__ import annotations

from decimal import InvalidOperation
from typing import Any

from django import template

from parplan.formatting import format_number, machine_number

register = template.Library()


@register.filter
def number(value: Any, decimals: int | str | None = None) -> str:
    """Empty for no value (so `|default:"—"` still applies), like the filter it replaces."""
    if value is None or value == "":
        return ""
    try:
        return format_number(value, None if decimals is None or decimals == "" else int(decimals), grouped=True)
    except (InvalidOperation, TypeError, ValueError):
        return ""


@register.filter
def machine(value: Any) -> str:
    """A coordinate or an attribute's number: "160" or "87.5" whatever the language (Django would write 160,0)."""
    return machine_number(value)
