"""A dossier table's cell: a count, the file's totals derived from their parts, or a dash when not reported."""

from __future__ import annotations

from django import template

from dossiers.selectors import CountsRow
from parplan.formatting import format_number

register = template.Library()


@register.simple_tag
def count_cell(row: CountsRow, key: str) -> str:
    if key == "received_total":
        value: int | None = row.received
    elif key == "resolved_total":
        value = row.resolved
    else:
        value = row.counts.get(key)
    return "—" if value is None else format_number(value, 0, grouped=True)
