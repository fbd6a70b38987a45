"""Reading a plan file: its size first, then its encoding, then its JSON; every refusal in Vietnamese.

The size is checked before a byte is read (PARPLAN_IMPORT_MAX_MB). The file is
then parsed as a stream (ijson's C parser, 64 KB at a time) into the document,
its repeated short strings (unit codes, dates, choices, keys) held once: the
document takes about 1.4 times the file's size, where reading it whole took
about six (the bytes, the decoded text and the objects at once; bench/plan_import.py).
A file the stream parser refuses is read again whole, only to say exactly why
(line and column, encoding, NaN): the refusals are the standard library's.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, BinaryIO, NoReturn

import ijson
from django.conf import settings
from django.utils.translation import gettext as _

from parplan.formatting import format_number
from planio.validation import PlanImportError

_OTHER_ENCODINGS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)

# Strings up to this length are held once however often the file repeats them.
_SHARED_LENGTH = 64
# Deeper than any plan document; a deeper file goes to the standard parser (which refuses it past its limit).
_MAX_DEPTH = 200
# What ijson reads differently from the standard parser: a surrogate escape ("\ud800", which it turns
# into "?" or joins with the next escape) and form feed or vertical tab between tokens (which it
# accepts). A file holding either is read by the standard parser.
_STREAM_DIFFERS = re.compile(rb"\\[uU][dD][89a-fA-F]|[\x0b\x0c]")
_SCAN_CHUNK = 1 << 20


def max_import_bytes() -> int:
    return int(settings.PARPLAN_IMPORT_MAX_MB) * 1024 * 1024


def read_plan_file(path: str | Path) -> Any:
    """The parsed document, or PlanImportError saying why the file cannot be read."""
    file = Path(path)
    try:
        size = file.stat().st_size
        if not file.is_file():
            raise PlanImportError([_("“%(path)s” không phải là một tệp.") % {"path": path}])
        if size > max_import_bytes():
            raise PlanImportError(
                [
                    _("Tệp quá lớn (%(size)s MB); tối đa %(limit)d MB (PARPLAN_IMPORT_MAX_MB).")
                    % {"size": format_number(size / 1024 / 1024, 1), "limit": settings.PARPLAN_IMPORT_MAX_MB}
                ]
            )
        with file.open("rb") as handle:
            return _streamed(handle)
    except OSError as error:
        raise PlanImportError([_("Không đọc được tệp: %(error)s") % {"error": error.strerror or error}]) from None
    except _NotStreamed:
        pass
    # Only for a file that is not valid JSON: the whole-file parser says where and why.
    try:
        raw = file.read_bytes()
    except OSError as error:
        raise PlanImportError([_("Không đọc được tệp: %(error)s") % {"error": error.strerror or error}]) from None
    return parse_plan_bytes(raw)


class _NotStreamed(Exception):
    """The stream parser refused the file; the reason is found by `parse_plan_bytes`."""


def _streamed(handle: BinaryIO) -> Any:
    head = handle.read(4)
    if any(head.startswith(bom) for bom, _encoding in _OTHER_ENCODINGS):
        raise _NotStreamed
    if _differs_when_streamed(handle):
        raise _NotStreamed
    handle.seek(len(codecs.BOM_UTF8) if head.startswith(codecs.BOM_UTF8) else 0)
    try:
        # use_float: numbers as the standard parser gives them (int or float), so both paths agree.
        return _built(ijson.basic_parse(handle, use_float=True))
    except (ijson.JSONError, ValueError, OverflowError) as error:
        raise _NotStreamed from error


def _differs_when_streamed(handle: BinaryIO) -> bool:
    """Whether the file holds what the stream parser reads otherwise than the standard one (a fast scan)."""
    handle.seek(0)
    tail = b""
    while chunk := handle.read(_SCAN_CHUNK):
        if _STREAM_DIFFERS.search(tail + chunk):
            return True
        tail = chunk[-5:]  # an escape cut between two chunks
    return False


def _built(events: Iterable[tuple[str, Any]]) -> Any:
    """The document the parser's events describe, each short string held once."""
    shared: dict[str, str] = {}
    open_containers: list[dict[str, Any] | list[Any]] = []
    document: Any = None
    key = ""
    for event, value in events:
        if event == "map_key":
            key = shared.setdefault(value, value)
            continue
        if event in ("end_map", "end_array"):
            open_containers.pop()
            continue
        if event == "start_map":
            value = {}
        elif event == "start_array":
            value = []
        elif event == "string" and len(value) <= _SHARED_LENGTH:
            value = shared.setdefault(value, value)
        if not open_containers:
            document = value
        elif isinstance(parent := open_containers[-1], dict):
            parent[key] = value
        else:
            parent.append(value)
        if event in ("start_map", "start_array"):
            open_containers.append(value)
            if len(open_containers) > _MAX_DEPTH:
                raise _NotStreamed
    return document


def parse_plan_bytes(raw: bytes) -> Any:
    """UTF-8 JSON to Python values. A UTF-8 byte order mark (Windows Notepad writes one) is accepted."""
    for bom, encoding in _OTHER_ENCODINGS:
        if raw.startswith(bom):
            _refuse(_("Tệp được lưu theo bảng mã %(encoding)s; hãy lưu lại theo UTF-8.") % {"encoding": encoding})
    try:
        # utf-8-sig drops the byte order mark without copying the bytes first.
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        _refuse(
            _("Tệp không phải văn bản UTF-8 (byte thứ %(offset)d); hãy lưu lại theo UTF-8.")
            % {"offset": error.start + 1}
        )
    del raw  # only the text is needed from here on
    if not text.strip():
        _refuse(_("Tệp rỗng."))
    try:
        return json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        _refuse(
            _("Tệp không phải JSON hợp lệ (dòng %(line)d, cột %(column)d).")
            % {"line": error.lineno, "column": error.colno}
        )
    except ValueError:
        # Python refuses integers of more than 4300 digits; NaN and Infinity are refused by _no_constant.
        _refuse(_("Tệp có một số quá lớn hoặc không phải số hữu hạn (NaN, Infinity)."))
    except RecursionError:
        _refuse(_("Tệp lồng nhau quá sâu."))


def _no_constant(name: str) -> NoReturn:
    raise ValueError(name)


def _refuse(message: str) -> NoReturn:
    raise PlanImportError([message])
