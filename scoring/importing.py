"""A criteria tree from an .xlsx laid out like the provinces' published trees; all or nothing, errors per row.

One row per area, criterion or sub-criterion, under a header row naming the
columns (any order, case and accents as typed): STT, Tiêu chí, Điểm tối đa, and
optionally Cách chấm (mức / tỷ lệ / tự do), Các mức điểm ("1,5|Đúng hạn; 0|Không"),
Tỷ lệ đạt tối đa, Tài liệu kiểm chứng (x), Loại điểm (thưởng / trừ), Điều tra (x),
Gợi ý từ (a rate code), Hướng dẫn chấm. The parent of "1.2.3" is "1.2"; the bonus
and penalty items are coded T… and P… or marked in Loại điểm.
"""

from __future__ import annotations

import io
from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from scoring.models import Criterion, Method, Part, ScoringTree
from scoring.services import CriterionInput, criteria_replace

COLUMNS = {
    "stt": "code",
    "mã": "code",
    "tiêu chí": "name",
    "nội dung": "name",
    "điểm tối đa": "max_points",
    "cách chấm": "method",
    "các mức điểm": "choices",
    "tỷ lệ đạt tối đa": "ratio_full",
    "tài liệu kiểm chứng": "evidence_required",
    "loại điểm": "part",
    "điều tra": "is_survey",
    "gợi ý từ": "source",
    "hướng dẫn chấm": "guidance",
}
METHODS = {"mức": Method.CHOICES, "tỷ lệ": Method.RATIO, "tự do": Method.FREE, "": Method.FREE}
PARTS = {"thưởng": Part.BONUS, "trừ": Part.PENALTY, "": Part.BASE}


def _number(raw: object) -> Decimal:
    if isinstance(raw, int | float):
        return Decimal(str(raw))
    return Decimal(str(raw).strip().replace(".", "").replace(",", ".") if "," in str(raw) else str(raw).strip())


def _text(raw: object) -> str:
    return "" if raw is None else str(raw).strip()


def parse_tree_xlsx(content: bytes) -> list[CriterionInput]:
    """The rows as criteria; one ValidationError listing every row's problem (Vietnamese, row numbers as in Excel)."""
    try:
        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise ValidationError(_("Tệp không phải là bảng tính .xlsx đọc được.")) from None
    rows = list(sheet.iter_rows(values_only=True))
    if not rows:
        raise ValidationError(_("Bảng tính không có dòng nào."))
    header = [COLUMNS.get(_text(cell).lower(), "") for cell in rows[0]]
    missing = {"code", "name", "max_points"} - set(header)
    if missing:
        raise ValidationError(_("Dòng tiêu đề cần có các cột STT, Tiêu chí và Điểm tối đa."))
    items: list[CriterionInput] = []
    errors: list[str] = []
    for number, row in enumerate(rows[1:], start=2):
        cells = {field: row[i] for i, field in enumerate(header) if field and i < len(row)}
        code = _text(cells.get("code")).rstrip(".")
        if not code and not _text(cells.get("name")):
            continue
        try:
            max_points = _number(cells.get("max_points"))
        except InvalidOperation:
            errors.append(
                _("Dòng %(row)s: điểm tối đa “%(raw)s” không phải là số.")
                % {"row": number, "raw": _text(cells.get("max_points"))}
            )
            continue
        method = METHODS.get(_text(cells.get("method")).lower())
        part_text = _text(cells.get("part")).lower()
        part = PARTS.get(part_text) or (
            Part.BONUS if code.upper().startswith("T") else Part.PENALTY if code.upper().startswith("P") else Part.BASE
        )
        if method is None or part_text not in PARTS:
            errors.append(_("Dòng %(row)s: cách chấm hoặc loại điểm không rõ.") % {"row": number})
            continue
        try:
            ratio_full = _number(cells.get("ratio_full")) if _text(cells.get("ratio_full")) else Decimal(100)
        except InvalidOperation:
            errors.append(_("Dòng %(row)s: tỷ lệ đạt tối đa không phải là số.") % {"row": number})
            continue
        parent = code.rsplit(".", 1)[0] if "." in code else ""
        items.append(
            CriterionInput(
                code=code,
                name=_text(cells.get("name")),
                max_points=max_points,
                parent_code=parent,
                guidance=_text(cells.get("guidance")),
                evidence_required=bool(_text(cells.get("evidence_required"))),
                method=method,
                choices="\n".join(level.strip() for level in _text(cells.get("choices")).split(";") if level.strip()),
                ratio_full=ratio_full,
                part=part,
                is_survey=bool(_text(cells.get("is_survey"))),
                source=_text(cells.get("source")),
            )
        )
    if errors:
        raise ValidationError(errors)
    return items


def tree_import_xlsx(*, tree: ScoringTree, content: bytes, user: User | None = None) -> list[Criterion]:
    """Replace the tree's criteria by the file's: nothing changes unless every row is right and the points sum."""
    return criteria_replace(tree=tree, items=parse_tree_xlsx(content), user=user)
