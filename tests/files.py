"""Small real files of each accepted evidence type, made in the test (the upload checks open them)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

from openpyxl import Workbook
from PIL import Image
from pypdf import PdfWriter


def _pdf(padding: int) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if padding:
        # Inside the document, so the file still ends with %%EOF.
        writer.add_metadata({"/Padding": "0" * padding})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_bytes(size: int | None = None) -> bytes:
    """A one-page PDF; with `size`, exactly that many bytes."""
    if size is None:
        return _pdf(0)
    padding = max(1, size - len(_pdf(1)))
    for _attempt in range(5):  # the offsets' digits grow with the padding: converge
        content = _pdf(padding)
        if len(content) == size:
            return content
        padding += size - len(content)
    raise AssertionError(f"no PDF of exactly {size} bytes")


def png_bytes(width: int = 4, height: int = 4) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def jpeg_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (30, 30, 200)).save(out, "JPEG")
    return out.getvalue()


def xlsx_bytes() -> bytes:
    book = Workbook()
    book.active.append(["Chỉ tiêu", 98])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)


def docx_bytes(extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal Word package; `extra` adds entries (a bomb, a program)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", _CONTENT_TYPES)
        package.writestr(
            "word/document.xml",
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body><w:p><w:r><w:t>Báo cáo</w:t></w:r></w:p></w:body></w:document>",
        )
        for name, data in (extra or {}).items():
            package.writestr(name, data)
    return out.getvalue()


SAMPLES: dict[str, Callable[[], bytes]] = {
    "pdf": pdf_bytes,
    "png": png_bytes,
    "jpg": jpeg_bytes,
    "jpeg": jpeg_bytes,
    "xlsx": xlsx_bytes,
    "docx": docx_bytes,
}
