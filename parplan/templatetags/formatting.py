"""`{{ value|number:1 }}`: numbers in templates through parplan.formatting, never `floatformat`."""

from __future__ import annotations

from decimal import InvalidOperation
from typing import Any

from django import template

from parplan.formatting import format_number

register = template.Library()


@register.filter
def number(value: Any, decimals: int | str | None = None) -> str:
    """Empty for no value (so `|default:"—"` still applies), like the filter it replaces."""
    if value is None or value == "":
        return ""
    try:
        return format_number(value, None if decimals is None or decimals == "" else int(decimals))
    except (InvalidOperation, TypeError, ValueError):
        return ""
