"""The annex table of key tasks: STT | Nội dung | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian | Sản phẩm.

Columns are found by their header words, not their place: authorities add,
drop and reorder them. A row with a Roman or single number and no unit is a
group ("I | Cải cách thể chế") naming the area of the rows below it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from planio.documents.blocks import Block

# Header words of each column, most specific first.
_COLUMNS: dict[str, tuple[str, ...]] = {
    "number": ("stt", "số thứ tự", "tt"),
    "lead": ("chủ trì",),
    "coordinating": ("phối hợp",),
    "deadline": ("thời gian", "thời hạn", "hoàn thành", "tiến độ"),
    "output": ("sản phẩm", "kết quả"),
    "content": ("nội dung", "nhiệm vụ", "tên nhiệm vụ"),
}
_GROUP_NUMBER = re.compile(r"^(?:[IVX]+|[A-Z]|\d{1,2})\.?$")


@dataclass(frozen=True)
class AnnexRow:
    block: int
    number: str
    content: str
    lead: str = ""
    coordinating: str = ""
    deadline: str = ""
    output: str = ""
    group: str = ""  # the group row above it (an area's name, as the annex writes it)


def annex_rows(table: Block) -> list[AnnexRow]:
    """The task rows of an annex table, each with the group it sits under."""
    header_at, columns = _header(table.rows)
    rows: list[AnnexRow] = []
    group = ""
    for cells in table.rows[header_at + 1 :]:
        cell = {name: cells[index].strip() if index < len(cells) else "" for name, index in columns.items()}
        content = cell.get("content", "")
        if not content or _is_column_numbers(cells):
            continue
        if not cell.get("lead") and not cell.get("deadline") and _GROUP_NUMBER.match(cell.get("number", "")):
            group = content
            continue
        rows.append(
            AnnexRow(
                block=table.number,
                number=cell.get("number", ""),
                content=content,
                lead=cell.get("lead", ""),
                coordinating=cell.get("coordinating", ""),
                deadline=cell.get("deadline", ""),
                output=cell.get("output", ""),
                group=group,
            )
        )
    return rows


def _header(rows: tuple[tuple[str, ...], ...]) -> tuple[int, dict[str, int]]:
    for at, row in enumerate(rows[:3]):
        columns: dict[str, int] = {}
        for index, text in enumerate(row):
            words = text.casefold()
            for name, keys in _COLUMNS.items():
                if name not in columns and any(key == words or key in words for key in keys):
                    columns[name] = index
                    break
        if "content" in columns and "lead" in columns:
            return at, columns
    return 0, {"content": 1}


def _is_column_numbers(cells: tuple[str, ...]) -> bool:
    """The "(1) (2) (3)" row some tables put under the header."""
    return all(re.fullmatch(r"\(?\d{1,2}\)?", cell.strip()) for cell in cells if cell.strip())
