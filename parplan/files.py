"""Sending a stored file once a view has decided the person may have it.

Nothing under MEDIA_ROOT has a public URL (no media route in config/urls.py, no
media location in deploy/nginx.conf): every uploaded or generated file leaves
through a view that checked the right of the object owning it, then through
`send_stored_file`. In production (django-sendfile2's nginx backend) Django
sends only headers and `X-Accel-Redirect`, and nginx sends the bytes from an
`internal` location; in development and tests the simple backend streams them
from disk. docs/files.md says how the pieces fit.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from django.db.models.fields.files import FieldFile
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django_sendfile import sendfile

# Named here: the slim image has no /etc/mime.types, and Python's own table lacks .docx and .xlsx.
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
}
_UNQUOTABLE = re.compile(r'[^\x20-\x7e]|["\\%]')


def content_type_for(name: str) -> str:
    return CONTENT_TYPES.get(name.rpartition(".")[2].lower(), "application/octet-stream")


_D_WITH_STROKE = {0x0111: "d", 0x0110: "D"}


def ascii_fallback(name: str) -> str:
    """The name for clients that ignore `filename*`: "Báo cáo Đợt 1.pdf" → "Bao cao Dot 1.pdf"."""
    # NFKD leaves đ/Đ whole (letters of their own, not d with a mark): mapped by code point.
    plain = unicodedata.normalize("NFKD", name.translate(_D_WITH_STROKE))
    plain = plain.encode("ascii", "ignore").decode()
    plain = re.sub(r"\s+", " ", _UNQUOTABLE.sub("_", plain)).strip()
    stem, dot, extension = plain.rpartition(".")
    # A name in another script ("报告.pdf") leaves nothing but its extension.
    if not (stem if dot else plain).strip(" ._"):
        return f"tep{dot}{extension}"
    return plain


def attachment_header(name: str) -> str:
    """Content-Disposition for a download named `name` (RFC 6266): an ASCII `filename`, and `filename*` when it differs.

    Django's `content_disposition_header` gives either one or the other; a browser
    that reads `filename*` shows the Vietnamese name, an old one the plain one.
    """
    fallback = ascii_fallback(name)
    header = f'attachment; filename="{fallback}"'
    if fallback != name:
        header += f"; filename*=UTF-8''{quote(name, safe='')}"
    return header


def send_stored_file(request: HttpRequest, field: FieldFile, download_name: str) -> HttpResponse:
    """The stored file `field` as a download named `download_name`; the caller has checked the person's right.

    Always an attachment, never shown inline: the files come from other units, and a
    browser must not render them as pages of the portal's own origin.
    """
    if not field.name:
        raise Http404
    response: HttpResponse = sendfile(
        request, field.path, attachment=True, attachment_filename=False, mimetype=content_type_for(field.name)
    )
    response["Content-Disposition"] = attachment_header(download_name)
    # The person's right was checked for this request: no shared cache may keep the file for another.
    patch_cache_control(response, private=True, no_store=True)
    return response
