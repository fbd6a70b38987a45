"""Checks for uploaded evidence files: type (by extension and whole content), size, count, name.

Shared by figures (targets) and task progress reports (tasks).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from evidence.content import content_problem
from parplan.formatting import format_number

# The first bytes of each accepted type: an extension alone proves nothing.
_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}
ALLOWED_EXTENSIONS = tuple(_SIGNATURES)


# Evidence.original_name's column: a longer name is shortened, keeping its extension.
ORIGINAL_NAME_MAX = 255
# How much of a long name a message quotes.
_QUOTED_NAME_MAX = 80


def max_upload_bytes() -> int:
    return int(settings.PARPLAN_MAX_UPLOAD_MB) * 1024 * 1024


def max_request_bytes() -> int:
    return int(settings.PARPLAN_MAX_REQUEST_UPLOAD_MB) * 1024 * 1024


def max_object_bytes() -> int:
    return int(settings.PARPLAN_MAX_OBJECT_EVIDENCE_MB) * 1024 * 1024


def upload_size(upload: UploadedFile) -> int:
    """The file's size in bytes: Django knows it for every file it reads from a request."""
    if upload.size is None:
        raise ValueError(f"{upload.name!r} has no size")
    return upload.size


def _extension(name: str) -> str:
    return name.rpartition(".")[2].lower() if "." in name else ""


def safe_filename(name: str) -> str:
    """ASCII, no path, no spaces: "Báo cáo Quý I.pdf" → "bao-cao-quy-i.pdf"; ".pdf" → "tep.pdf"."""
    path = PurePath(name.replace("\\", "/")).name
    stem, dot, extension = path.rpartition(".")
    if not dot:
        stem, extension = extension, ""
    ascii_stem = unicodedata.normalize("NFKD", stem.replace("\u0111", "d").replace("\u0110", "D"))
    ascii_stem = ascii_stem.encode("ascii", "ignore").decode().lower()
    # Cut, then strip: a cut may end on a "-" (and the name must be what it gives again).
    ascii_stem = re.sub(r"[^a-z0-9]+", "-", ascii_stem).strip("-")[:80].strip("-") or "tep"
    return f"{ascii_stem}.{extension.lower()}" if extension else ascii_stem


def original_name(name: str) -> str:
    """The name as the person gave it, shortened to its column with its extension kept."""
    if len(name) <= ORIGINAL_NAME_MAX:
        return name
    extension = _extension(name)[:20]
    keep = ORIGINAL_NAME_MAX - len(extension) - 2
    return f"{name[:keep]}\u2026.{extension}" if extension else name[: ORIGINAL_NAME_MAX - 1] + "\u2026"


def _quoted(name: str) -> str:
    return name if len(name) <= _QUOTED_NAME_MAX else f"{name[: _QUOTED_NAME_MAX - 10]}\u2026{name[-9:]}"


def validate_upload(upload: UploadedFile) -> str:
    """Return the sanitised name, or raise a ValidationError in Vietnamese."""
    name = upload.name or ""
    shown = _quoted(name)
    extension = _extension(name)
    if extension not in _SIGNATURES:
        raise ValidationError(
            _("Tệp “%(name)s” không đúng định dạng cho phép (%(allowed)s).")
            % {"name": shown, "allowed": ", ".join(ALLOWED_EXTENSIONS)}
        )
    size = upload_size(upload)
    if size > max_upload_bytes():
        raise ValidationError(
            _("Tệp “%(name)s” quá lớn (%(size)s MB); tối đa %(limit)d MB.")
            % {"name": shown, "size": format_number(size / 1024 / 1024, 1), "limit": settings.PARPLAN_MAX_UPLOAD_MB}
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(_SIGNATURES[extension]):
        raise ValidationError(
            _("Nội dung tệp “%(name)s” không phải là tệp %(ext)s hợp lệ.") % {"name": shown, "ext": extension.upper()}
        )
    problem = content_problem(extension, upload)
    if problem:
        raise ValidationError(
            _("Nội dung tệp “%(name)s” không phải là tệp %(ext)s hợp lệ: %(problem)s")
            % {"name": shown, "ext": extension.upper(), "problem": problem}
        )
    return safe_filename(name)


def validate_uploads(files: Sequence[UploadedFile]) -> list[str]:
    """The sanitised names of valid files, or one ValidationError (field "files") listing every problem.

    The limits of one sending come first: beyond them no file is opened.
    """
    limits = _sending_problems(files)
    if limits:
        raise ValidationError({"files": limits})
    names, errors = [], []
    for upload in files:
        try:
            names.append(validate_upload(upload))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError({"files": errors})
    return names


def _sending_problems(files: Sequence[UploadedFile]) -> list[str]:
    errors = []
    if len(files) > settings.PARPLAN_MAX_FILES_PER_UPLOAD:
        errors.append(
            _("Mỗi lần gửi tối đa %(limit)d tệp; bạn đã chọn %(count)d tệp.")
            % {"limit": settings.PARPLAN_MAX_FILES_PER_UPLOAD, "count": len(files)}
        )
    total = sum(upload_size(upload) for upload in files)
    if total > max_request_bytes():
        errors.append(
            _("Các tệp gửi một lần tối đa %(limit)d MB cộng lại; các tệp đã chọn là %(size)s MB.")
            % {"limit": settings.PARPLAN_MAX_REQUEST_UPLOAD_MB, "size": format_number(total / 1024 / 1024, 1)}
        )
    return errors


def object_limit_problem(stored: int, added: int) -> str | None:
    """Why `added` more bytes of evidence may not join the `stored` ones of the same record, or None."""
    if stored + added <= max_object_bytes():
        return None
    return _(
        "Tài liệu kiểm chứng của một hồ sơ tối đa %(limit)d MB; hồ sơ đã có %(stored)s MB, thêm %(added)s MB thì vượt."
    ) % {
        "limit": settings.PARPLAN_MAX_OBJECT_EVIDENCE_MB,
        "stored": format_number(stored / 1024 / 1024, 1),
        "added": format_number(added / 1024 / 1024, 1),
    }
