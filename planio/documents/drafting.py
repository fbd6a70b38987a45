"""What a document says, as a plan file (docs/plan-format.md) with warnings.

`plan_document_read` is the whole reader: bytes in, the interchange document
out, with a top-level `warnings` list (what the secretariat should check) and
`blocks` (the document's paragraphs, for the review screen). It reads the
database (the unit tree, to resolve names) and writes nothing; the plan is
created later by `planio.interchange.plan_import`, after review.
"""

from __future__ import annotations

import difflib
import heapq
import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from parplan.models import PlanStatus, Unit
from planio.documents.annex import AnnexRow, annex_rows
from planio.documents.blocks import Block, DocumentError, document_blocks, unread_parts
from planio.documents.deadlines import deadline_read
from planio.documents.indicators import IndicatorReader
from planio.documents.structure import (
    ASSIGNED,
    AreaRead,
    Item,
    PlanRead,
    ReadWarning,
    ResponsibilityRead,
    plan_structure,
)
from planio.documents.unit_names import UnitDirectory, UnitMatch, unit_name_keys

_MATCH_RATIO = 0.6  # how alike an annex row and a body task must read to be the same task
_COMPARED = 160  # characters of a row compared: the opening of a task says which it is


@dataclass(frozen=True)
class ReadDocument:
    """The plan file drafted from a document, and the document's paragraphs for the review."""

    data: dict[str, Any]
    blocks: list[Block]

    @property
    def warnings(self) -> list[dict[str, Any]]:
        return list(self.data["warnings"])


def plan_document_read(
    content: bytes, name: str, *, issuer: Unit | None = None, year: int | None = None
) -> ReadDocument:
    """Read a .docx/.txt plan into a draft plan file; raises DocumentError when it cannot."""
    blocks = document_blocks(content, name)
    read = plan_structure(blocks)
    read.warnings += [ReadWarning("unread_part", message) for message in unread_parts(content)]
    issuer = issuer or _issuer_named(read)
    return ReadDocument(data=_Drafter(read, issuer, year).document(), blocks=blocks)


def _issuer_named(read: PlanRead) -> Unit:
    """The unit the header names as issuer ("UBND HUYỆN CAO LỘC"), under the parent it names when several match."""
    wanted = set(unit_name_keys(read.issuer_name)) if read.issuer_name else set()
    current = Unit.objects.current().select_related("parent")
    found = [unit for unit in current if wanted & set(unit_name_keys(unit.name))]
    if len(found) > 1 and read.parent_name:
        parent = set(unit_name_keys(read.parent_name))
        found = [unit for unit in found if unit.parent and parent & set(unit_name_keys(unit.parent.name))]
    if len(found) == 1:
        return found[0]
    raise DocumentError(
        _("Không xác định được cơ quan ban hành từ văn bản (“%(name)s”): hãy chọn cơ quan ban hành.")
        % {"name": read.issuer_name or _("không có tên ở đầu văn bản")}
    )


class _Drafter:
    def __init__(self, read: PlanRead, issuer: Unit, year: int | None) -> None:
        self.read = read
        self.issuer = issuer
        self.units = UnitDirectory(issuer)
        self.warnings: list[ReadWarning] = list(read.warnings)
        found = year or read.year
        if found is None:
            raise DocumentError(_("Không thấy năm của kế hoạch trong trích yếu (“… năm 2026”): hãy nhập năm."))
        if not 2000 <= found <= 2100:
            raise DocumentError(
                _("Năm %(year)s của kế hoạch không hợp lệ: hãy nhập năm (2000–2100).") % {"year": found}
            )
        self.year: int = found
        self.indicators = IndicatorReader(self.units, found)
        if year and read.year and year != read.year:
            self.warn(
                "year_mismatch",
                _("Trích yếu ghi năm %(read)s nhưng kế hoạch được nhập cho năm %(year)s.")
                % {"read": read.year, "year": year},
                read.title_block,
            )

    def warn(self, code: str, message: str, block: int = 0) -> None:
        self.warnings.append(ReadWarning(code, message, block))

    def document(self) -> dict[str, Any]:
        read = self.read
        if read.issue_date and read.issue_date.year not in (self.year, self.year - 1):
            self.warn(
                "issue_date",
                _("Ngày ban hành %(date)s không thuộc năm %(year)s hay năm trước đó.")
                % {"date": read.issue_date.strftime("%d/%m/%Y"), "year": self.year},
            )
        areas = [self.area(area) for area in read.areas]
        for table in read.annex_tables:
            self.annex(annex_rows(table), read.areas, areas)
        return {
            "format": "parplan-plan",
            "version": 1,
            "plan": self.plan_fields(),
            "units": [],
            "areas": areas,
            "responsibilities": [self.responsibility(item) for item in read.responsibilities],
            "warnings": sorted(
                [{"code": w.code, "message": w.message, "block": w.block} for w in self.warnings]
                + lead_warnings(areas),
                key=lambda w: w["block"],
            ),
        }

    def plan_fields(self) -> dict[str, Any]:
        read = self.read
        return {
            "issuing_unit": self.issuer.code,
            "year": self.year,
            "number": read.number,
            "symbol": read.symbol or "KH-UBND",
            "title": read.title,
            "place": read.place,
            "issue_date": read.issue_date.isoformat() if read.issue_date else None,
            "legal_bases": "\n\n".join(read.legal_bases),
            "purpose": "\n\n".join(read.purpose),
            "requirements": "\n\n".join(read.requirements),
            "closing": read.closing,
            "status": PlanStatus.DRAFT,
            "signer_name": read.signer_name,
            "signer_title": read.signer_title,
            "signing_authority": read.signing_authority,
            "recipients": read.recipients,
        }

    # --- areas, targets, tasks ---------------------------------------------------------

    def area(self, area: AreaRead) -> dict[str, Any]:
        return {
            "number": area.number,
            "blocks": [area.block],
            "name": area.name,
            "targets_heading": area.targets_heading or "Chỉ tiêu",
            "targets": [self.target(item) for item in area.targets],
            "tasks": [self.task(item, f"{area.number}.{k}") for k, item in enumerate(area.tasks, start=1)],
        }

    def target(self, item: Item) -> dict[str, Any]:
        self.check_year(item)
        indicators, warnings = self.indicators.target(item.text)
        for message in warnings:
            self.warn("levels", message, item.blocks[0])
        return {"text": item.text, "indicators": indicators, "blocks": item.blocks}

    def task(self, item: Item, number: str) -> dict[str, Any]:
        self.check_year(item)
        text, lead, coordinating, deadline = item.text, "", "", ""
        if assigned := ASSIGNED.search(text):
            text = text[: assigned.start()].rstrip() or text  # "- (Chủ trì: …)" alone keeps its words
            lead, coordinating = assigned.group("lead"), assigned.group("coordinating") or ""
            deadline = assigned.group("deadline") or ""
        task: dict[str, Any] = {
            "text": text,
            "blocks": item.blocks,
            "lead_unit": None,
            "coordinating_units": [],
            "due_date": None,
            "expected_output": "",
            "indicators": self.indicators.task(text),
        }
        self.assign(task, lead, coordinating, deadline, item.blocks[0], number)
        return task

    def assign(
        self, task: dict[str, Any], lead: str, coordinating: str, deadline: str, block: int, number: str
    ) -> None:
        if lead:
            found = self.match_units(lead, block)
            task["lead_unit"] = found.codes[0] if found.codes else None
            task["coordinating_units"] = found.codes[1:]
            if len(found.codes) > 1:
                self.warn(
                    "many_leads",
                    _("Nhiệm vụ %(number)s nêu nhiều cơ quan chủ trì; cơ quan đầu tiên được chọn, các cơ quan khác "
                      "là phối hợp.") % {"number": number},
                    block,
                )  # fmt: skip
        if coordinating:
            found = self.match_units(coordinating, block)
            task["coordinating_units"] = list(
                dict.fromkeys(code for code in [*task["coordinating_units"], *found.codes] if code != task["lead_unit"])
            )
        if deadline:
            due = deadline_read(deadline, self.year)
            task["due_date"] = due.due_date.isoformat() if due.due_date else None
            if due.recurrence:
                task["recurrence"], task["recurrence_due_day"] = due.recurrence, 28
            if not due.understood:
                self.warn(
                    "deadline",
                    _("Không hiểu thời hạn “%(text)s” của nhiệm vụ %(number)s; hãy nhập ngày.")
                    % {"text": deadline, "number": number},
                    block,
                )

    def match_units(self, text: str, block: int) -> UnitMatch:
        found = self.units.match(text)
        for name, units in found.ambiguous.items():
            self.warn(
                "unit_ambiguous",
                _("“%(name)s” khớp nhiều đơn vị (%(units)s): hãy chọn đơn vị.") % {"name": name, "units": units},
                block,
            )
        for name in found.unknown:
            self.warn(
                "unit_unknown",
                _("Không có đơn vị “%(name)s” trong cây đơn vị của %(issuer)s.")
                % {"name": name, "issuer": self.issuer},
                block,
            )
        return found

    def responsibility(self, item: ResponsibilityRead) -> dict[str, Any]:
        return {
            "number": item.number,
            "blocks": [item.block, *(block for paragraph in item.paragraphs for block in paragraph.blocks)],
            "heading": item.heading[:500],
            "text": item.text,
            "units": self.match_units(item.heading, item.block).codes,
        }

    def check_year(self, item: Item) -> None:
        if re.search(rf"\bnăm\s+{self.year - 1}\b", item.text):
            self.warn(
                "stale_year",
                _("Đoạn này nhắc “năm %(old)s” trong kế hoạch năm %(year)s: có phải chép từ kế hoạch năm trước?")
                % {"old": self.year - 1, "year": self.year},
                item.blocks[0],
            )

    # --- the annex ---------------------------------------------------------------------

    def annex(self, rows: list[AnnexRow], written: list[AreaRead], areas: list[dict[str, Any]]) -> None:
        """Each row gives its body task the units, deadline and output; a row with no body task adds one."""
        for row in rows:
            where = _best_task(row.content, areas)
            if where is None:
                area_at = _area_for(row, areas)
                self.warn(
                    "annex_unmatched",
                    _("Dòng %(number)s của phụ lục (“%(text)s”) không khớp nhiệm vụ nào trong thân văn bản; đã thêm "
                      "thành nhiệm vụ mới của lĩnh vực %(area)s.")
                    % {"number": row.number or "?", "text": row.content[:80], "area": areas[area_at]["number"]},
                    row.block,
                )  # fmt: skip
                task = self.task(Item(row.content, [row.block]), f"{areas[area_at]['number']}.?")
                areas[area_at]["tasks"].append(task)
                written[area_at].tasks.append(Item(row.content, [row.block]))
            else:
                area_at, task_at = where
                task = areas[area_at]["tasks"][task_at]
            number = f"{areas[area_at]['number']}.{areas[area_at]['tasks'].index(task) + 1}"
            self.assign(task, row.lead, row.coordinating, row.deadline, row.block, number)
            if row.output:
                task["expected_output"] = row.output[:255]


def lead_warnings(areas: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One warning per area for its tasks without a lead unit (the review marks each one)."""
    warnings = []
    for area in areas:
        missing = [k for k, task in enumerate(area["tasks"], start=1) if not task.get("lead_unit")]
        if missing:
            numbers = ", ".join(f"{area['number']}.{k}" for k in missing)
            message = _("Lĩnh vực %(area)s: %(count)s nhiệm vụ chưa có cơ quan chủ trì (%(numbers)s).") % {
                "area": area["number"], "count": len(missing), "numbers": numbers,
            }  # fmt: skip
            warnings.append({"code": "no_lead", "message": message, "block": (area.get("blocks") or [0])[0]})
    return warnings


def _fold(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def _best_task(content: str, areas: list[dict[str, Any]]) -> tuple[int, int] | None:
    """The body task an annex row is; None if none reads alike enough (a task with no text is never one).

    Words shared first (cheap, a set per task), then the character comparison on the three closest only:
    a hundred rows by a hundred tasks stays well under a second, whatever the text.
    """
    wanted = _fold(content)[:_COMPARED]
    if not wanted:
        return None
    words = set(wanted.split())
    scored = []
    for a, area in enumerate(areas):
        for t, task in enumerate(area["tasks"]):
            text = _fold(task["text"])[: len(wanted) * 2]
            if not text:
                continue
            if text.startswith(wanted) or wanted.startswith(text):
                return a, t
            theirs = set(text.split())
            scored.append((len(words & theirs) / len(words | theirs), a, t, text))
    best, best_ratio = None, _MATCH_RATIO
    for _shared, a, t, text in heapq.nlargest(3, scored):
        ratio = difflib.SequenceMatcher(None, wanted, text, autojunk=False).ratio()
        if ratio > best_ratio:
            best, best_ratio = (a, t), ratio
    return best


def _area_for(row: AnnexRow, areas: list[dict[str, Any]]) -> int:
    """The area a new annex task belongs to: the group it sits under, by name; else the last area."""
    if row.group:
        group = _fold(re.sub(r"^(?:[IVX]+|\d+)[.)]\s*", "", row.group))
        ratios = [difflib.SequenceMatcher(None, group, _fold(area["name"])).ratio() for area in areas]
        if ratios and max(ratios) >= _MATCH_RATIO:
            return ratios.index(max(ratios))
    return len(areas) - 1
