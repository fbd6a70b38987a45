"""The review of a read document: the draft plan file as forms, and the corrected forms back as the file.

The secretariat sees every target and task as one row (its area, its kind, its
text, and a task's units and deadline) and may move a row to another area,
re-type it (a target read as a task), merge it into the row above, split it
(a blank line in its text) or drop it. Indicators are read again from a text
that changed; a row left as read keeps what was read.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from parplan.formatting import format_number
from parplan.models import Unit
from planio.documents.drafting import lead_warnings
from planio.documents.indicators import IndicatorReader
from planio.documents.unit_names import UnitDirectory
from planio.models import PlanDocument
from targets.models import IndicatorKind

_PLAN_FIELDS = ("title", "number", "symbol", "place", "issue_date", "signing_authority", "signer_title", "signer_name")
_SPLIT = re.compile(r"\n\s*\n")


@dataclass
class ReviewInitial:
    plan: dict[str, Any]
    areas: list[dict[str, Any]]
    items: list[dict[str, Any]]
    responsibilities: list[dict[str, Any]]
    # Per item (same order): the blocks it was read from, and the indicators read from it.
    sources: list[list[int]] = field(default_factory=list)
    indicators: list[list[dict[str, Any]]] = field(default_factory=list)


@dataclass(frozen=True)
class RowNotes:
    """What the review shows beside one item's row: its paragraphs, their warnings, its indicators in words."""

    blocks: list[int]
    warnings: list[str]
    indicators: list[str]


def review_initial(document: PlanDocument) -> ReviewInitial:
    data = document.data
    plan = {name: data["plan"].get(name) or "" for name in _PLAN_FIELDS}
    plan["issue_date"] = data["plan"].get("issue_date") or None
    areas = [{"number": a["number"], "name": a["name"], "targets_heading": a["targets_heading"]} for a in data["areas"]]
    items: list[dict[str, Any]] = []
    sources: list[list[int]] = []
    indicators: list[list[dict[str, Any]]] = []
    for a, area in enumerate(data["areas"]):
        for kind in ("target", "task"):
            for k, item in enumerate(area[f"{kind}s"]):
                items.append(
                    {
                        "origin": f"{kind}:{a}:{k}",
                        "area": a,  # the area's place: the review may renumber areas
                        "kind": kind,
                        "text": item["text"],
                        "lead_unit": item.get("lead_unit") or "",
                        "coordinating_units": item.get("coordinating_units", []),
                        "due_date": item.get("due_date"),
                        "expected_output": item.get("expected_output", ""),
                    }
                )
                sources.append(list(item.get("blocks", [])))
                indicators.append(list(item.get("indicators", [])))
    responsibilities = [
        {"number": r["number"], "heading": r["heading"], "text": r["text"], "units": r.get("units", [])}
        for r in data["responsibilities"]
    ]
    return ReviewInitial(plan, areas, items, responsibilities, sources, indicators)


def review_notes(document: PlanDocument, initial: ReviewInitial) -> list[RowNotes]:
    """Per item of `initial`, in order: what its row shows beside the form."""
    by_block: dict[int, list[str]] = {}
    for warning in document.warnings:
        by_block.setdefault(warning["block"], []).append(warning["message"])
    return [
        RowNotes(
            blocks=blocks,
            warnings=[message for block in blocks for message in by_block.get(block, [])],
            indicators=[indicator_line(fields) for fields in indicators],
        )
        for blocks, indicators in zip(initial.sources, initial.indicators, strict=True)
    ]


_COMPARATORS = {"gte": "≥", "gt": ">", "lte": "≤", "lt": "<", "eq": "="}


def indicator_line(fields: dict[str, Any]) -> str:
    """ "Tỷ lệ ≥ 99,5 % · cấp xã · 22 đơn vị báo cáo": an indicator as read, in a line."""
    parts = [str(dict(IndicatorKind.choices).get(fields["kind"], fields["kind"]))]
    if fields.get("threshold") is not None:
        threshold = format_number(Decimal(fields["threshold"]), grouped=True)
        rule = f"{_COMPARATORS.get(fields['comparator'], '')} {threshold}"
        parts.append(f"{rule} {fields.get('unit_of_measure', '')}".strip())
    if fields.get("applies_to_level"):
        parts.append(fields["applies_to_level"])
    units = len(fields.get("scope_units", []))
    parts.append(
        _("%(count)s đơn vị báo cáo") % {"count": units} if units else _("một số liệu cho toàn cơ quan ban hành")
    )
    return " · ".join(parts)


def review_apply(
    document: PlanDocument,
    *,
    plan: dict[str, Any],
    areas: list[dict[str, Any]],
    items: list[dict[str, Any]],
    responsibilities: list[dict[str, Any]],
) -> dict[str, Any]:
    """The draft plan file with the review's corrections (cleaned form data) applied."""
    data: dict[str, Any] = copy.deepcopy(document.data)
    # The document's issuer by its id: a unit recoded since the upload is still the same unit.
    issuer = Unit.objects.select_related("kind").get(pk=document.issuer_id)
    data["plan"]["issuing_unit"] = issuer.code
    reader = IndicatorReader(UnitDirectory(issuer), document.year)
    for name in _PLAN_FIELDS:
        value = plan.get(name)
        if name == "issue_date":
            data["plan"][name] = value.isoformat() if value else None
        else:
            data["plan"][name] = value or ""
    stored = data["areas"]
    new_areas = [
        {**area, "blocks": stored[index].get("blocks", []) if index < len(stored) else [], "targets": [], "tasks": []}
        for index, area in enumerate(areas)
    ]
    previous: tuple[dict[str, Any], str, int] | None = None
    for row in items:
        if row["kind"] == "delete":
            continue
        origin = _origin(stored, row["origin"])
        for n, piece in enumerate(_pieces(row["text"])):
            if n == 0 and row["merge"] and previous is not None and previous[1:] == (row["kind"], row["area"]):
                merged = previous[0]
                merged["text"] = f"{merged['text']} {piece}"
                merged["blocks"] = [*merged.get("blocks", []), *origin[1].get("blocks", [])]
                _read_again(merged, row["kind"], reader)
                continue
            item = _item(row, piece, origin if n == 0 else None, reader)
            new_areas[row["area"]][f"{row['kind']}s"].append(item)
            previous = (item, row["kind"], row["area"])
    data["areas"] = sorted(new_areas, key=lambda area: area["number"])
    data["responsibilities"] = [
        {**r, "text": r["text"] or "", "units": list(r["units"])}
        for r in sorted(responsibilities, key=lambda r: r["number"])
    ]
    data["warnings"] = [w for w in data.get("warnings", []) if w["code"] != "no_lead"] + lead_warnings(data["areas"])
    return data


def _origin(areas: list[dict[str, Any]], origin: str) -> tuple[str, dict[str, Any]]:
    """The item a row was read as ("task:2:3": area index 2, task 3), or an empty one if it is not there."""
    try:
        kind, a, k = origin.split(":")
        return kind, areas[int(a)][f"{kind}s"][int(k)]
    except (ValueError, IndexError, KeyError):
        return "", {}


def _pieces(text: str) -> list[str]:
    """A row's text, split at its blank lines (browsers send CRLF); lines inside a piece stay (its sub-items)."""
    text = text.replace("\r\n", "\n").strip()
    return [piece.strip() for piece in _SPLIT.split(text) if piece.strip()]


def _item(
    row: dict[str, Any], text: str, origin: tuple[str, dict[str, Any]] | None, reader: IndicatorReader
) -> dict[str, Any]:
    kind, read = origin if origin is not None else ("", {})
    item: dict[str, Any] = {"text": text, "blocks": list(read.get("blocks", []))}
    if row["kind"] == "task":
        lead = row["lead_unit"] or None
        item |= {
            "lead_unit": lead,
            "coordinating_units": [code for code in row["coordinating_units"] if code != lead],
            "due_date": row["due_date"].isoformat() if row["due_date"] else None,
            "expected_output": row["expected_output"] or "",
        }
        for name in ("recurrence", "recurrence_due_day"):
            if name in read:
                item[name] = read[name]
    if kind == row["kind"] and read.get("text") == text:
        item["indicators"] = read.get("indicators", [])
    else:
        _read_again(item, row["kind"], reader)
    return item


def _read_again(item: dict[str, Any], kind: str, reader: IndicatorReader) -> None:
    item["indicators"] = reader.target(item["text"])[0] if kind == "target" else reader.task(item["text"])
