"""A document file as a list of blocks: its paragraphs and tables, in order.

Only the text is read. python-docx parses the XML with entities unresolved and
no network, never runs macros and never follows a relationship marked external,
so a hostile file can at worst be refused.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import docx
from django.conf import settings
from django.utils.translation import gettext as _
from docx.table import Table
from docx.text.paragraph import Paragraph

_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE compound file: Word 97-2003, or an encrypted .docx
_ENCRYPTED = "EncryptionInfo".encode("utf-16-le")
_ODT = b"application/vnd.oasis.opendocument.text"
# A .docx is a zip: its text part may not unpack to more than this (a zip bomb is refused, not expanded).
_MAX_UNPACKED = 200 * 1024 * 1024
_SAVE_AS_DOCX = _("Hãy mở tệp bằng Word hoặc LibreOffice, chọn “Lưu thành” định dạng .docx rồi tải lên lại.")


class DocumentError(Exception):
    """The file cannot be read as a plan document; the message says why, in the user's words."""


@dataclass(frozen=True)
class Block:
    """A paragraph (text) or a table (rows of cell texts); `number` is its place, from 1."""

    number: int
    text: str = ""
    rows: tuple[tuple[str, ...], ...] = ()
    listed: bool = False  # a paragraph of a Word list: its bullet or number is not in the text

    @property
    def is_table(self) -> bool:
        return bool(self.rows)


def document_blocks(content: bytes, name: str) -> list[Block]:
    """The blocks of a .docx or .txt file; raises DocumentError with the reason otherwise."""
    limit = settings.PLAN_DOCUMENT_MAX_BYTES
    if len(content) > limit:
        raise DocumentError(
            _("Tệp lớn %(size)s MB, vượt giới hạn %(limit)s MB của văn bản kế hoạch.")
            % {"size": _megabytes(len(content)), "limit": _megabytes(limit)}
        )
    if not content.strip():
        raise DocumentError(_("Tệp trống: không có nội dung để đọc."))
    if content.startswith(_CFB):
        if _ENCRYPTED in content:
            raise DocumentError(_("Văn bản được đặt mật khẩu nên không đọc được. Hãy gỡ mật khẩu rồi tải lên lại."))
        raise DocumentError(_("Đây là tệp Word 97-2003 (.doc). ") + _SAVE_AS_DOCX)
    if content.startswith(b"%PDF"):
        raise DocumentError(_("Tệp PDF không giữ được cấu trúc văn bản. ") + _SAVE_AS_DOCX)
    if content.startswith(b"PK"):
        blocks = _docx_blocks(content)
    elif name.lower().endswith(".txt"):
        blocks = _text_blocks(content)
    else:
        raise DocumentError(_("Tệp không phải văn bản .docx hoặc .txt. ") + _SAVE_AS_DOCX)
    if not any(block.text or block.rows for block in blocks):
        raise DocumentError(_("Văn bản không có nội dung chữ để đọc."))
    return blocks


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.0f}"


def _text_blocks(content: bytes) -> list[Block]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DocumentError(
            _("Tệp văn bản không ở mã UTF-8 (lỗi ở byte %(at)s). Hãy lưu lại với mã UTF-8.") % {"at": error.start + 1}
        ) from error
    if "\x00" in text:
        raise DocumentError(_("Tệp không phải văn bản .docx hoặc .txt. ") + _SAVE_AS_DOCX)
    lines = [_clean(line) for line in text.splitlines()]
    return [Block(number, line) for number, line in enumerate((line for line in lines if line), start=1)]


def _docx_blocks(content: bytes) -> list[Block]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        names = set(archive.namelist())
        if "mimetype" in names and archive.read("mimetype").strip() == _ODT:
            raise DocumentError(_("Đây là tệp OpenDocument (.odt). ") + _SAVE_AS_DOCX)
        types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
        if b"macroEnabled" in types:  # .docm: read as text it would be harmless, but say what it is
            raise DocumentError(_("Văn bản có macro (.docm); macro không được chạy ở đây. ") + _SAVE_AS_DOCX)
        if "word/document.xml" not in names:
            raise DocumentError(_("Tệp nén này không phải văn bản Word (.docx). ") + _SAVE_AS_DOCX)
        # python-docx unpacks every part (pictures too): the whole archive is measured, not only the text.
        if sum(item.file_size for item in archive.infolist()) > _MAX_UNPACKED:
            raise DocumentError(_("Nội dung văn bản quá lớn để đọc."))
        text = archive.read("word/document.xml")
        if b"<w:ins " in text or b"<w:ins>" in text or b"<w:moveTo " in text:
            # python-docx reads a tracked insertion as if it were not there: the plan would lose it unseen.
            raise DocumentError(
                _(
                    "Văn bản còn thay đổi được theo dõi (Track Changes) chưa chấp nhận. Trong Word chọn Review › "
                    "Accept › Accept All Changes, lưu lại rồi tải lên."
                )
            )
        return _read_docx(docx.Document(io.BytesIO(content)))
    except DocumentError:
        raise
    except Exception as error:  # zipfile, lxml and python-docx each raise their own kinds, on odd tables too
        raise DocumentError(_("Tệp .docx bị hỏng, không mở được. ") + _SAVE_AS_DOCX) from error


def unread_parts(content: bytes) -> list[str]:
    """What a .docx holds that the reader does not read (text boxes, content controls), to be said, not lost."""
    if not content.startswith(b"PK"):
        return []
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        text = archive.read("word/document.xml")
    found = []
    if b"txbxContent" in text:
        found.append(_("Văn bản có khung chữ (text box): chữ trong khung không được đọc, hãy kiểm tra đủ nội dung."))
    if b"<w:sdt>" in text or b"<w:sdt " in text:
        found.append(_("Văn bản có ô nội dung (content control): chữ trong ô có thể không được đọc, hãy kiểm tra."))
    return found


def _read_docx(document: Any) -> list[Block]:
    blocks: list[Block] = []
    for part in document.iter_inner_content():
        if isinstance(part, Paragraph):
            blocks.extend(_paragraph_blocks(part, len(blocks) + 1))
        else:
            blocks.append(Block(len(blocks) + 1, rows=tuple(_table_rows(part))))
    return blocks


def _paragraph_blocks(paragraph: Paragraph, number: int) -> Iterator[Block]:
    # A line break inside a paragraph (Shift+Enter) separates lines as a new paragraph would.
    listed = paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None
    for line in paragraph.text.split("\n"):
        if text := _clean(line):
            yield Block(number, text, listed=listed)
            number += 1


def _table_rows(table: Table) -> Iterator[tuple[str, ...]]:
    for row in table.rows:
        seen: set[int] = set()
        cells = []
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell is returned once per grid column it spans
                continue
            seen.add(id(cell._tc))
            cells.append("\n".join(text for p in cell.paragraphs if (text := _clean(p.text))))
        yield tuple(cells)


def _clean(text: str) -> str:
    """One line as typed: NFC (Vietnamese typed in decomposed form compares equal), spaces collapsed."""
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ").replace("\t", " ")
    return " ".join(text.split())
