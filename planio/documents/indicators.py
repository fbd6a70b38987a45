"""The indicators a target statement or a task bullet states, with who reports them.

`targets.parsing` reads each rate, rank, count or milestone out of the prose;
this adds what the unit tree tells: a rate "cấp xã" is reported by each
commune and ward under the issuer, a rate at the issuer's own level by its
offices, a one-stop dossier rate by every receiving unit; the rest is one
figure for the whole authority, entered by the secretariat.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from parplan.models import Unit
from planio.documents.deadlines import deadline_read
from planio.documents.unit_names import UnitDirectory
from targets.parsing import ParsedIndicator, parse_target
from targets.sources import source_codes

# Dossier rates are each receiving unit's own figures: its offices and its commune-level units.
_DOSSIERS = re.compile(r"hồ sơ\s+(?:tthc|thủ tục hành chính)", re.IGNORECASE)
_OFFICES = re.compile(r"cơ quan chuyên môn|các phòng|các sở", re.IGNORECASE)
_COMMUNE_LEVEL = "cấp xã"
_LEVEL = re.compile(r"cấp\s+(?:tỉnh|huyện|xã)", re.IGNORECASE)


# "… trước ngày 30/6/2026", "chậm nhất trong Quý II", "trong tháng 6": a milestone's deadline in its statement.
_DEADLINE = re.compile(
    r"\b(?:trước|chậm nhất|trong)\s+(?:ngày\s+)?(?P<when>\d{1,2}/\d{1,2}(?:/\d{4})?"
    r"|quý\s+(?:iv|i{1,3}|[1-4])(?:/\d{4}|\s+năm\s+\d{4})?|tháng\s+\d{1,2}(?:/\d{4}|\s+năm\s+\d{4})?)",
    re.IGNORECASE,
)


class IndicatorReader:
    def __init__(self, units: UnitDirectory, year: int) -> None:
        self.units = units
        self.year = year
        self.issuer = units.issuer
        self.issuer_level = units.issuer.kind.administrative_level.casefold()

    def target(self, text: str) -> tuple[list[dict[str, Any]], list[str]]:
        """A target statement's indicators (plan-file fields) and the parser's warnings."""
        parsed = parse_target(text)
        single = len(parsed.indicators) == 1
        indicators = [self.indicator(i, text, single) for i in parsed.indicators]
        for fields in indicators:
            if fields["kind"] == "milestone" and (due := self.deadline(text)):
                fields["due_date"] = due.isoformat()
        return indicators, parsed.warnings

    def deadline(self, text: str) -> datetime.date | None:
        """The day a milestone statement says it is due by, within the plan's year; None if it says none."""
        found = _DEADLINE.search(text)
        if found is None:
            return None
        due = deadline_read(found.group("when"), self.year).due_date
        return due if due is not None and due.year == self.year else None

    def task(self, text: str) -> list[dict[str, Any]]:
        """The measurable targets a task bullet states ("kiểm tra … trên 30% …", "100% … được xử lý")."""
        indicators = []
        for clause in re.split(r";\s+|\.\s+(?=[A-ZĐ])", text):
            if "%" not in clause:
                continue
            found = parse_target(clause).indicators
            for parsed in found:
                fields = self.indicator(parsed, clause, len(found) == 1)
                if source := _task_source(clause):
                    fields["source"] = source
                indicators.append(fields)
        return indicators

    def indicator(self, parsed: ParsedIndicator, statement: str, single: bool) -> dict[str, Any]:
        fields: dict[str, Any] = {
            "name": parsed.name[:500],
            "kind": parsed.kind,
            "comparator": parsed.comparator,
            "threshold": None if parsed.threshold is None else str(parsed.threshold),
            "unit_of_measure": parsed.unit_of_measure,
            "applies_to_level": parsed.applies_to_level,
            "scope": "authority",
            "source": "secretariat",
        }
        if scope_units := self.scope_units(parsed, statement, single):
            fields |= {"scope": "units", "source": "units", "scope_units": scope_units}
        return fields

    def scope_units(self, parsed: ParsedIndicator, statement: str, single: bool) -> list[str]:
        """The units that each report the figure: those of the level it names, or the dossier-receiving units."""
        if parsed.kind != "ratio":
            return []
        # A single rate's level is its statement's (the parser names levels only to tell rates apart).
        level = parsed.applies_to_level or (_only_level(statement) if single else "")
        if level:
            return [unit.code for unit in self.level_units(level)]
        communes = [] if self.issuer_level == _COMMUNE_LEVEL else self.level_units(_COMMUNE_LEVEL)
        if communes and (_DOSSIERS.search(statement) or (_OFFICES.search(statement) and _COMMUNE_LEVEL in statement)):
            # One-stop figures are each receiving unit's: the issuer's offices and its commune-level units.
            offices = self.level_units(self.issuer.kind.administrative_level)
            return [unit.code for unit in dict.fromkeys([*offices, *communes])]
        return []

    def level_units(self, level: str) -> list[Unit]:
        """The units under the issuer at `level`; at the issuer's own level, its offices (cơ quan chuyên môn)."""
        level = level.casefold()
        if level == self.issuer.kind.administrative_level.casefold():
            own = [
                u
                for u in self.units.units
                if u.parent_id == self.issuer.pk and u.kind.administrative_level.casefold() == level
            ]
            offices = [unit for unit in own if unit.kind.name.casefold() == "cơ quan chuyên môn"]
            return offices or own
        return self.units.at_level(level)


def _only_level(statement: str) -> str:
    """The one level a single-rate statement names ("90% cán bộ, công chức cấp xã …"); "" if none or several."""
    if _OFFICES.search(statement):
        return ""  # "cơ quan chuyên môn, UBND cấp xã": the offices and the communes both
    levels = {level.casefold() for level in _LEVEL.findall(statement)}
    return levels.pop() if len(levels) == 1 else ""


def _task_source(clause: str) -> str:
    """Where a hidden target's figures come from, when the portal counts them itself."""
    lowered = clause.casefold()
    codes = source_codes()
    if "kiểm tra" in lowered and "vấn đề" not in lowered and "inspections" in codes:
        return "inspections"  # inspections of units, counted from the inspections log
    if "thi hành pháp luật" in lowered and "insp_law" in codes:
        return "insp_law"
    return ""
