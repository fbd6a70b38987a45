"""Reading a plan file: its size first, then its encoding, then its JSON; every refusal in Vietnamese.

The size is checked before a byte is read, so the memory an import takes is
bounded by PARPLAN_IMPORT_MAX_MB (a parsed JSON document takes several times
its size in Python objects).
"""

from __future__ import annotations

import codecs
import json
from pathlib import Path
from typing import Any, NoReturn

from django.conf import settings
from django.utils.translation import gettext as _

from planio.validation import PlanImportError

_OTHER_ENCODINGS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


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
                    _("Tệp quá lớn (%(size).1f MB); tối đa %(limit)d MB (PARPLAN_IMPORT_MAX_MB).")
                    % {"size": size / 1024 / 1024, "limit": settings.PARPLAN_IMPORT_MAX_MB}
                ]
            )
        raw = file.read_bytes()
    except OSError as error:
        raise PlanImportError([_("Không đọc được tệp: %(error)s") % {"error": error.strerror or error}]) from None
    return parse_plan_bytes(raw)


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
