"""A request whose body is far beyond the upload limits is refused before it is read.

Within the limits (and a little beyond) the evidence form says what is wrong
(evidence/uploads.py). A body larger than the files of one sending may be together,
plus room for the form's other fields, is not read at all: Django's RequestDataTooBig,
which the portal's 400 page explains (parplan.errors.bad_request). Without this a
request could put up to nginx's client_max_body_size on the server's disk.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest

# The form's other fields and the multipart framing.
FORM_MARGIN_BYTES = 1024 * 1024


def max_body_bytes() -> int:
    return int(settings.PARPLAN_MAX_REQUEST_UPLOAD_MB) * 1024 * 1024 + FORM_MARGIN_BYTES


class RequestSizeLimitHandler(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: looks at the declared length, stores nothing."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.received = 0

    def handle_raw_input(
        self, input_data: Any, META: dict[str, Any], content_length: int, boundary: str, encoding: str | None = None
    ) -> None:
        if content_length > max_body_bytes():
            raise RequestDataTooBig("The upload is larger than PARPLAN_MAX_REQUEST_UPLOAD_MB.")

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        # A body sent without its length (chunked) is counted as it comes.
        self.received += len(raw_data)
        if self.received > max_body_bytes():
            raise RequestDataTooBig("The files are larger than PARPLAN_MAX_REQUEST_UPLOAD_MB.")
        return raw_data  # handed on to the next handler

    def file_complete(self, file_size: int) -> None:
        return None
