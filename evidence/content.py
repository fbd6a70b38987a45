"""Does an uploaded file's content match its extension, all of it, not only its first bytes?

Each check returns a reason in Vietnamese, or None when the file is what its
extension says (docs/files.md, "Uploads"):

- PDF: opens with pypdf, has at least one page, and nothing but whitespace follows
  its last `%%EOF` (an HTML page behind `%PDF-` does not parse; a PDF with a
  program appended is refused for the bytes after its end).
- JPEG, PNG: Pillow identifies the same format, `verify()` passes and the pixels
  decode, within Pillow's decompression-bomb limit.
- DOCX, XLSX: a well-formed zip (every entry's CRC checked) holding
  `[Content_Types].xml` and the main part of its kind, within limits of entries,
  uncompressed size and compression ratio (a zip bomb), without macros or programs.
"""

from __future__ import annotations

import logging
import re
import warnings
import zipfile
from collections.abc import Callable
from typing import IO

from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError

# Office packages: generous for real documents (a report with photos is a few
# hundred entries and tens of MB once unpacked), far below what a bomb unpacks to.
OFFICE_MAX_ENTRIES = 2000
OFFICE_MAX_UNCOMPRESSED = 200 * 1024 * 1024
# XML compresses well (20-50x is common); a bomb's entries reach thousands.
OFFICE_MAX_RATIO = 200
# An entry's ratio is judged only above this size: tiny entries have odd ratios.
_RATIO_FLOOR = 1024 * 1024

_OFFICE_MAIN_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
# Programs and macros have no place in a document a unit sends as evidence.
_EXECUTABLE = re.compile(r"\.(exe|dll|com|bat|cmd|scr|msi|ps1|vbs|js|jar|sh|bin)$", re.IGNORECASE)

_IMAGE_FORMATS = {"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG"}
# Decoding takes 3-4 bytes a pixel: 60 million (above any phone's usual photo) is about 240 MB.
IMAGE_MAX_PIXELS = 60_000_000

# The last %%EOF, then only whitespace (PDF 1.7, 7.5.5: the file ends there).
_PDF_END = re.compile(rb"%%EOF[\x00\t\n\x0c\r ]*\Z")
_PDF_TAIL = 2048

# pypdf logs every fault it repairs in a damaged file; the refusal says enough.
logging.getLogger("pypdf").setLevel(logging.ERROR)


def content_problem(extension: str, upload: IO[bytes]) -> str | None:
    """Why the file is not a valid file of its type, or None."""
    check = _CHECKS[extension]
    upload.seek(0)
    try:
        return check(upload, extension)
    finally:
        upload.seek(0)


def _pdf_problem(upload: IO[bytes], extension: str) -> str | None:
    upload.seek(0, 2)
    size = upload.tell()
    upload.seek(max(0, size - _PDF_TAIL))
    if not _PDF_END.search(upload.read()):
        return _("sau dấu kết thúc của tệp PDF (%%EOF) còn dữ liệu khác, hoặc tệp không có dấu kết thúc.")
    upload.seek(0)
    try:
        reader = PdfReader(upload)
        pages = len(reader.pages)
        for page in reader.pages:
            page.mediabox  # noqa: B018  (each page object must resolve)
    except PyPdfError:
        return _("tệp không mở được như một tệp PDF.")
    except Exception:
        # A parser of files from outside fails in ways no list foresees (IndexError,
        # ZeroDivisionError…): any failure is a file that does not open, never a 500.
        return _("tệp không mở được như một tệp PDF.")
    if pages == 0:
        return _("tệp PDF không có trang nào.")
    return None


def _image_problem(upload: IO[bytes], extension: str) -> str | None:
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its limit and twice it: both are refused here.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                found, (width, height) = image.format, image.size
                if width * height > IMAGE_MAX_PIXELS:
                    return _too_many_pixels()
                image.verify()
            upload.seek(0)
            with Image.open(upload) as image:
                image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return _too_many_pixels()
    except UnidentifiedImageError:
        return _("tệp không đọc được như một ảnh %(type)s.") % {"type": _IMAGE_FORMATS[extension]}
    except Exception:
        # As for a PDF: any failure of the decoder is a damaged image.
        return _("ảnh bị hỏng hoặc không đầy đủ.")
    if found != _IMAGE_FORMATS[extension]:
        return _("nội dung là ảnh %(found)s, không phải %(type)s.") % {
            "found": found, "type": _IMAGE_FORMATS[extension]}  # fmt: skip
    return None


def _too_many_pixels() -> str:
    return _("ảnh quá lớn (tối đa %(limit)d triệu điểm ảnh).") % {"limit": IMAGE_MAX_PIXELS // 1_000_000}


def _office_problem(upload: IO[bytes], extension: str) -> str | None:
    try:
        with zipfile.ZipFile(upload) as package:
            entries = package.infolist()
            problem = _package_problem(entries, extension)
            if problem is None and package.testzip() is not None:
                problem = _("tệp bị hỏng (một phần nén không khớp mã kiểm tra).")
            return problem
    except Exception:
        # zlib.error, BadZipFile, NotImplementedError (an unknown compression)…: not a sound package.
        return _("tệp không phải gói Office (zip) hợp lệ.")


def _package_problem(entries: list[zipfile.ZipInfo], extension: str) -> str | None:
    names = {entry.filename for entry in entries}
    if len(entries) > OFFICE_MAX_ENTRIES:
        return _("gói có quá nhiều thành phần (%(count)d; tối đa %(limit)d).") % {
            "count": len(entries), "limit": OFFICE_MAX_ENTRIES}  # fmt: skip
    if sum(entry.file_size for entry in entries) > OFFICE_MAX_UNCOMPRESSED:
        return _("gói giải nén ra quá lớn (tối đa %(limit)d MB).") % {"limit": OFFICE_MAX_UNCOMPRESSED // 1024 // 1024}
    for entry in entries:
        if entry.file_size > _RATIO_FLOOR and entry.file_size > OFFICE_MAX_RATIO * max(entry.compress_size, 1):
            return _("gói có thành phần nén bất thường (nghi là bom nén).")
        if _EXECUTABLE.search(entry.filename) or entry.filename.lower().endswith("vbaproject.bin"):
            return _("gói chứa chương trình hoặc macro (%(name)s).") % {"name": entry.filename[:80]}
    if "[Content_Types].xml" not in names:
        return _("gói thiếu [Content_Types].xml, không phải tài liệu Office.")
    if _OFFICE_MAIN_PART[extension] not in names:
        return _("gói không phải tệp %(type)s (thiếu %(part)s).") % {
            "type": extension.upper(), "part": _OFFICE_MAIN_PART[extension]}  # fmt: skip
    return None


_CHECKS: dict[str, Callable[[IO[bytes], str], str | None]] = {
    "pdf": _pdf_problem,
    "jpg": _image_problem,
    "jpeg": _image_problem,
    "png": _image_problem,
    "docx": _office_problem,
    "xlsx": _office_problem,
}
