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
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from parplan.numbers import read_number
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


def cell_number(raw: object) -> Decimal:
    """A spreadsheet cell as a number: a number cell as it is, text in Vietnamese marks ("1,5"), never guessed.

    The files are Vietnamese documents, whatever language the person reads the portal in;
    text such as "1.5" is refused (parplan.numbers), not re-read as one and a half.
    """
    if isinstance(raw, bool):
        raise ValidationError(_("“%(v)s” không phải là số.") % {"v": raw})
    if isinstance(raw, int | float):
        return Decimal(str(raw))
    with translation.override("vi"):
        return read_number(str(raw))


def cell_text(raw: object) -> str:
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))  # a code typed as a number: 6184.0 is "6184"
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
    header = [COLUMNS.get(cell_text(cell).lower(), "") for cell in rows[0]]
    missing = {"code", "name", "max_points"} - set(header)
    if missing:
        raise ValidationError(_("Dòng tiêu đề cần có các cột STT, Tiêu chí và Điểm tối đa."))
    items: list[CriterionInput] = []
    errors: list[str] = []
    for number, row in enumerate(rows[1:], start=2):
        cells = {field: row[i] for i, field in enumerate(header) if field and i < len(row)}
        code = cell_text(cells.get("code")).rstrip(".")
        if not code and not cell_text(cells.get("name")):
            continue
        try:
            max_points = cell_number(cells.get("max_points"))
        except ValidationError:
            errors.append(
                _("Dòng %(row)s: điểm tối đa “%(raw)s” không phải là số.")
                % {"row": number, "raw": cell_text(cells.get("max_points"))}
            )
            continue
        method = METHODS.get(cell_text(cells.get("method")).lower())
        part_text = cell_text(cells.get("part")).lower()
        part = PARTS.get(part_text) or (
            Part.BONUS if code.upper().startswith("T") else Part.PENALTY if code.upper().startswith("P") else Part.BASE
        )
        if method is None or part_text not in PARTS:
            errors.append(_("Dòng %(row)s: cách chấm hoặc loại điểm không rõ.") % {"row": number})
            continue
        try:
            ratio_full = cell_number(cells.get("ratio_full")) if cell_text(cells.get("ratio_full")) else Decimal(100)
        except ValidationError:
            errors.append(_("Dòng %(row)s: tỷ lệ đạt tối đa không phải là số.") % {"row": number})
            continue
        parent = code.rsplit(".", 1)[0] if "." in code else ""
        items.append(
            CriterionInput(
                code=code,
                name=cell_text(cells.get("name")),
                max_points=max_points,
                parent_code=parent,
                guidance=cell_text(cells.get("guidance")),
                evidence_required=bool(cell_text(cells.get("evidence_required"))),
                method=method,
                choices="\n".join(
                    level.strip() for level in cell_text(cells.get("choices")).split(";") if level.strip()
                ),
                ratio_full=ratio_full,
                part=part,
                is_survey=bool(cell_text(cells.get("is_survey"))),
                source=cell_text(cells.get("source")),
            )
        )
    if errors:
        raise ValidationError(errors)
    return items


def tree_import_xlsx(*, tree: ScoringTree, content: bytes, user: User | None = None) -> list[Criterion]:
    """Replace the tree's criteria by the file's: nothing changes unless every row is right and the points sum."""
    return criteria_replace(tree=tree, items=parse_tree_xlsx(content), user=user)
