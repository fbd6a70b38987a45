"""Plan documents written for the tests with python-docx: the seed plan, and plans of other shapes."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import docx
from django.conf import settings

SEED_TEXT = settings.BASE_DIR / "fixtures" / "ke-hoach-cchc-2024-cao-loc.txt"

Table = Sequence[Sequence[str]]
Part = str | tuple[Table]  # a paragraph, or (rows,) for a table


def docx_bytes(parts: Sequence[Part]) -> bytes:
    """A .docx with these paragraphs and tables, in order."""
    document = docx.Document()
    for part in parts:
        if isinstance(part, str):
            document.add_paragraph(part)
        else:
            rows = part[0]
            table = document.add_table(rows=len(rows), cols=max(len(row) for row in rows))
            for r, row in enumerate(rows):
                for c, text in enumerate(row):
                    cell = table.cell(r, c)
                    lines = text.split("\n")
                    cell.paragraphs[0].text = lines[0]
                    for line in lines[1:]:
                        cell.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def seed_lines() -> list[str]:
    lines = [line.strip() for line in Path(SEED_TEXT).read_text(encoding="utf-8").splitlines()]
    return [line for line in lines if line]


def seed_docx() -> bytes:
    """The seed plan as the Word document it was issued as: a paragraph per line of its text."""
    return docx_bytes(seed_lines())
