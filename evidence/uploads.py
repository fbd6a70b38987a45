"""Checks for uploaded evidence files: type (by extension and content), size, name.

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


def max_upload_bytes() -> int:
    return settings.PARPLAN_MAX_UPLOAD_MB * 1024 * 1024


def upload_size(upload: UploadedFile) -> int:
    """The file's size in bytes: Django knows it for every file it reads from a request."""
    if upload.size is None:
        raise ValueError(f"{upload.name!r} has no size")
    return upload.size


def safe_filename(name: str) -> str:
    """ASCII, no path, no spaces: "Báo cáo Quý I.pdf" → "bao-cao-quy-i.pdf"."""
    path = PurePath(name.replace("\\", "/")).name
    stem, _dot, extension = path.rpartition(".")
    if not stem:
        stem, extension = extension, ""
    ascii_stem = unicodedata.normalize("NFKD", stem.replace("đ", "d").replace("Đ", "D"))
    ascii_stem = ascii_stem.encode("ascii", "ignore").decode().lower()
    ascii_stem = re.sub(r"[^a-z0-9]+", "-", ascii_stem).strip("-")[:80] or "tep"
    return f"{ascii_stem}.{extension.lower()}" if extension else ascii_stem


def validate_upload(upload: UploadedFile) -> str:
    """Return the sanitised name, or raise a ValidationError in Vietnamese."""
    name = upload.name or ""
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    if extension not in _SIGNATURES:
        raise ValidationError(
            _("Tệp “%(name)s” không đúng định dạng cho phép (%(allowed)s).")
            % {"name": name, "allowed": ", ".join(ALLOWED_EXTENSIONS)}
        )
    size = upload_size(upload)
    if size > max_upload_bytes():
        raise ValidationError(
            _("Tệp “%(name)s” quá lớn (%(size).1f MB); tối đa %(limit)d MB.")
            % {"name": name, "size": size / 1024 / 1024, "limit": settings.PARPLAN_MAX_UPLOAD_MB}
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(_SIGNATURES[extension]):
        raise ValidationError(
            _("Nội dung tệp “%(name)s” không phải là tệp %(ext)s hợp lệ.") % {"name": name, "ext": extension.upper()}
        )
    return safe_filename(name)


def validate_uploads(files: Sequence[UploadedFile]) -> list[str]:
    """The sanitised names of valid files, or one ValidationError (field "files") listing every bad one."""
    names, errors = [], []
    for upload in files:
        try:
            names.append(validate_upload(upload))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError({"files": errors})
    return names
