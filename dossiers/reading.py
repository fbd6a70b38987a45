"""Reading and checking a one-stop export, row by row, without holding the file in memory.

`check_file` reads every row once and returns every problem found (row, column,
message) with a preview, and spools the checked rows to a plain file beside the
upload; `valid_rows` yields the rows to write from that spool, once `check_file`
found nothing (or reads and checks the file again when there is no spool). Both stream: .xlsx through
openpyxl's read-only mode, .csv through the csv module; what they keep grows
with the authority's units and months (the unit index, the rows already seen),
not with the file.
"""

from __future__ import annotations

import csv
import datetime
import io
import os
import re
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import chain
from pathlib import Path
from typing import IO, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from dossiers.arithmetic import arithmetic_problems
from dossiers.layout import (
    BY_KEY,
    COUNT_COLUMNS,
    MONTH,
    UNIT_CODE,
    UNIT_NAME,
    Column,
    column_for,
    normalise,
    unit_name_key,
)
from dossiers.models import COUNTS, UnitNameMapping
from parplan.formatting import format_number
from parplan.models import Plan, Unit

# Errors listed on screen and kept with the import; the count of all of them is kept too.
MAX_ERRORS = 1000
PREVIEW_ROWS = 20
# The header is the first row that names at least this many known columns (a title may come above it).
_HEADER_MIN_COLUMNS = 3
_HEADER_SEARCH_ROWS = 10

Cell = object


class FileUnreadable(Exception):
    """The file is not an .xlsx or a UTF-8 .csv the importer can read."""


@dataclass(frozen=True)
class RowError:
    row: int  # as the spreadsheet numbers it (the header's row is 1 in the template); 0 for the whole file
    column: str  # the header as written in the file, or the template's when the column is missing
    message: str

    def as_dict(self) -> dict[str, object]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass(frozen=True)
class ParsedRow:
    row: int
    unit_id: int
    month: datetime.date
    counts: dict[str, int | None]


@dataclass
class CheckResult:
    row_count: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_total: int = 0
    preview: list[ParsedRow] = field(default_factory=list)
    months: dict[datetime.date, dict[str, int]] = field(default_factory=dict)  # totals per month
    unit_ids: set[int] = field(default_factory=set)
    unknown_names: list[str] = field(default_factory=list)  # names no unit or mapping matched, for mappings
    unit_count: int = 0  # a kept check's len(unit_ids) (`from_summary`), whose ids are not kept

    @property
    def units(self) -> int:
        return len(self.unit_ids) or self.unit_count

    def add(self, row: int, column: str, message: str) -> None:
        self.error_total += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(RowError(row, column, message))

    @property
    def ok(self) -> bool:
        return self.error_total == 0 and self.row_count > 0

    def summary(self) -> dict[str, Any]:
        """What the import's page shows besides the rows and errors kept on the import: JSON, a few kB."""
        return {
            "error_total": self.error_total,
            "preview": [[str(value) for value in _spooled(row)] for row in self.preview],
            "months": {month.isoformat(): totals for month, totals in self.months.items()},
            "units": len(self.unit_ids),
            "unknown_names": self.unknown_names,
        }

    @classmethod
    def from_summary(cls, row_count: int, errors: list[dict[str, Any]], summary: dict[str, Any]) -> CheckResult:
        """The check as `summary()` kept it, with the import's rows and errors: the file is not read again."""
        return cls(
            row_count=row_count,
            errors=[RowError(int(e["row"]), str(e["column"]), str(e["message"])) for e in errors],
            error_total=summary["error_total"],
            preview=[_unspooled(line) for line in summary["preview"]],
            months={datetime.date.fromisoformat(month): totals for month, totals in summary["months"].items()},
            unit_count=summary["units"],
            unknown_names=summary["unknown_names"],
        )


# --- Raw rows ----------------------------------------------------------------------------


def raw_rows(path: Path, name: str) -> Iterator[tuple[int, tuple[Cell, ...]]]:
    """(spreadsheet row number, cells) of the file's first sheet, or of the CSV."""
    suffix = Path(name).suffix.lower()
    if suffix == ".xlsx":
        yield from _xlsx_rows(path)
    elif suffix == ".csv":
        with open(path, "rb") as binary:
            yield from _csv_rows(binary)
    else:
        raise FileUnreadable(_("Chỉ nhận tệp .xlsx hoặc .csv."))


def _xlsx_rows(path: Path) -> Iterator[tuple[int, tuple[Cell, ...]]]:
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises zipfile, KeyError, InvalidFileException… on a bad file
        raise FileUnreadable(_("Không đọc được tệp Excel (.xlsx).")) from error
    try:
        sheet = workbook.worksheets[0]
        yield from enumerate(sheet.iter_rows(values_only=True), start=1)
    finally:
        workbook.close()


def _csv_rows(binary: IO[bytes]) -> Iterator[tuple[int, tuple[Cell, ...]]]:
    text = io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")
    try:
        first = text.readline()
        delimiter = max((";", ",", "\t"), key=first.count)
        # itertools.chain, not a generator: one left unfinished would close the wrapper once detached.
        rows = csv.reader(chain([first], text), delimiter=delimiter)
        for number, cells in enumerate(rows, start=1):
            yield number, tuple(cells)
    except UnicodeDecodeError as error:
        raise FileUnreadable(_("Tệp CSV cần lưu với bảng mã UTF-8.")) from error
    finally:
        text.detach()


# --- Cells --------------------------------------------------------------------------------

_GROUPED = re.compile(r"^\d{1,3}([.,\s]\d{3})+$")


def parse_count(cell: Cell) -> tuple[int | None, str | None]:
    """(count, None), (None, None) for a blank cell, or (None, problem)."""
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None, None
    if isinstance(cell, bool):
        return None, _("“%(v)s” không phải số nguyên.") % {"v": cell}
    if isinstance(cell, int):
        number = Decimal(cell)
    elif isinstance(cell, float):
        number = Decimal(str(cell))
    else:
        text = str(cell).strip()
        # 1.234 and 1,234 are thousands here (a count is whole); "1,5" is not a count.
        if _GROUPED.match(text):
            text = re.sub(r"[.,\s]", "", text)
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation:
            return None, _("“%(v)s” không phải số.") % {"v": text}
    if number < 0:
        return None, _("Số âm (%(v)s): số hồ sơ không được âm.") % {"v": _shown(cell, number)}
    if number != number.to_integral_value():
        return None, _("“%(v)s” không phải số nguyên.") % {"v": _shown(cell, number)}
    return int(number), None


def _shown(cell: Cell, number: Decimal) -> str:
    """A cell as the message quotes it: text as it was typed, a spreadsheet's number in the reader's marks (2,5)."""
    return str(cell).strip() if isinstance(cell, str) else format_number(number, grouped=True)


_MONTH_PATTERNS = (  # on the normalised text: "Tháng 01/2024" → "thang 01 2024"
    re.compile(r"^(?:thang |t ?)?(?P<m>\d{1,2}) (?P<y>\d{4})$"),
    re.compile(r"^(?P<y>\d{4}) (?P<m>\d{1,2})(?: \d{1,2})?$"),  # 2024-01, 2024-01-01
    re.compile(r"^\d{1,2} (?P<m>\d{1,2}) (?P<y>\d{4})$"),  # 01/01/2024
)


def parse_month(cell: Cell) -> tuple[datetime.date | None, str | None]:
    """The first day of the month a cell names ("01/2024", "2024-01", "Tháng 1/2024", a date)."""
    if isinstance(cell, datetime.datetime | datetime.date):
        return datetime.date(cell.year, cell.month, 1), None
    if cell is None or not str(cell).strip():
        return None, None
    text = normalise(str(cell))
    for pattern in _MONTH_PATTERNS:
        match = pattern.match(text)
        if match and 1 <= int(match["m"]) <= 12:
            return datetime.date(int(match["y"]), int(match["m"]), 1), None
    return None, _("“%(v)s” không phải tháng (mm/yyyy).") % {"v": cell}


# --- Units --------------------------------------------------------------------------------


class UnitIndex:
    """The authority's units by code and by exact name, and the names the secretariat mapped."""

    def __init__(self, plan: Plan) -> None:
        units = Unit.objects.below(plan.issuing_unit).values_list("pk", "code", "name")
        self.by_code: dict[str, int] = {}
        self.by_name: dict[str, set[int]] = {}
        self.names: dict[int, str] = {}
        for pk, code, name in units:
            self.by_code[code.strip().casefold()] = pk
            self.by_name.setdefault(unit_name_key(name), set()).add(pk)
            self.names[pk] = name
        mappings = UnitNameMapping.objects.filter(authority=plan.issuing_unit, unit_id__in=self.names)
        self.mapped = dict(mappings.values_list("name", "unit_id"))

    def find(self, code: Cell, name: Cell) -> tuple[int | None, str | None, str | None]:
        """(unit id, None, None), or (None, column key, problem)."""
        code_text = "" if code is None else str(code).strip()
        name_text = "" if name is None else str(name).strip()
        key = unit_name_key(name_text) if name_text else ""
        named = ({self.mapped[key]} if key in self.mapped else self.by_name.get(key, set())) if key else set()
        if code_text:
            pk = self.by_code.get(code_text.casefold())
            if pk is None:
                # Never the name instead: a wrong code beside a right name is a row typed or exported wrong.
                message = _("Không có đơn vị mã “%(code)s” thuộc cơ quan ban hành kế hoạch.") % {"code": code_text}
                if name_text:
                    message += " " + _("Sửa mã, hoặc để trống mã để tìm đơn vị theo tên “%(name)s”.") % {
                        "name": name_text
                    }
                return None, "unit_code", message
            if named and pk not in named:
                # The code is one unit and the name another's: which one the counts are is not for us to guess.
                message = _("Mã “%(code)s” là của “%(unit)s”, còn tên “%(name)s” là của đơn vị khác: sửa mã hoặc tên.")
                return None, "unit_code", message % {"code": code_text, "unit": self.names[pk], "name": name_text}
            return pk, None, None  # a name the one-stop system spells its own way: the code decides
        if not name_text:
            return None, "unit_name", _("Thiếu mã đơn vị và tên đơn vị.")
        if key in self.mapped:
            return self.mapped[key], None, None
        found = named
        if len(found) == 1:
            return next(iter(found)), None, None
        if len(found) > 1:
            return None, "unit_name", _("Có nhiều đơn vị tên “%(name)s”: cần ghi mã đơn vị.") % {"name": name_text}
        return None, "unit_name", _("Không tìm thấy đơn vị “%(name)s”.") % {"name": name_text}


# --- The header ---------------------------------------------------------------------------


@dataclass
class Header:
    row: int
    positions: dict[str, int]  # column key → index in the row
    written: dict[str, str]  # column key → the header as the file writes it

    def label(self, key: str) -> str:
        return self.written.get(key) or str(BY_KEY[key].header)


def find_header(rows: Iterator[tuple[int, tuple[Cell, ...]]], result: CheckResult) -> Header | None:
    for number, cells in rows:
        if number > _HEADER_SEARCH_ROWS:
            break
        positions: dict[str, int] = {}
        written: dict[str, str] = {}
        for index, cell in enumerate(cells):
            column = column_for(cell)
            if column is None:
                continue
            if column.key in positions:
                result.add(number, str(cell), _("Cột “%(h)s” xuất hiện hai lần.") % {"h": cell})
                continue
            positions[column.key], written[column.key] = index, str(cell).strip()
        if len(positions) >= _HEADER_MIN_COLUMNS:
            return Header(number, positions, written)
    result.add(0, "", _("Không tìm thấy dòng tiêu đề cột: hãy dùng tệp mẫu."))
    return None


def header_problems(header: Header, has_default_month: bool) -> list[RowError]:
    problems = []
    missing: list[Column] = [c for c in COUNT_COLUMNS if c.required and c.key not in header.positions]
    for column in missing:
        problems.append(RowError(header.row, str(column.header), _("Thiếu cột “%(h)s”.") % {"h": column.header}))
    if UNIT_CODE.key not in header.positions and UNIT_NAME.key not in header.positions:
        problems.append(RowError(header.row, str(UNIT_CODE.header), _("Cần cột “Mã đơn vị” hoặc “Tên đơn vị”.")))
    if MONTH.key not in header.positions and not has_default_month:
        problems.append(RowError(header.row, str(MONTH.header), _("Cần cột “Tháng” hoặc chọn tháng khi nhập.")))
    return problems


# --- Checking and reading rows ------------------------------------------------------------


class RowReader:
    """Turns the file's rows into ParsedRows, reporting each problem to `result`."""

    def __init__(self, plan: Plan, default_month: datetime.date | None, result: CheckResult) -> None:
        self.plan, self.default_month, self.result = plan, default_month, result
        self.units = UnitIndex(plan)
        self.seen: dict[tuple[int, datetime.date], int] = {}

    def rows(self, path: Path, name: str) -> Iterator[ParsedRow]:
        rows = raw_rows(path, name)
        header = find_header(rows, self.result)
        if header is None:
            return
        for problem in header_problems(header, self.default_month is not None):
            self.result.add(problem.row, problem.column, problem.message)
        if self.result.error_total:
            return
        for number, cells in rows:
            if not any(cell is not None and str(cell).strip() for cell in cells):
                continue  # blank lines between blocks, or after the table
            self.result.row_count += 1
            parsed = self._row(header, number, cells)
            if parsed is not None:
                yield parsed

    def _row(self, header: Header, number: int, cells: tuple[Cell, ...]) -> ParsedRow | None:
        def cell(key: str) -> Cell:
            index = header.positions.get(key)
            return cells[index] if index is not None and index < len(cells) else None

        before = self.result.error_total
        unit_id, column, problem = self.units.find(cell("unit_code"), cell("unit_name"))
        if problem is not None and column is not None:
            self.result.add(number, header.label(column), problem)
            name = cell("unit_name")
            if column == "unit_name" and name and len(self.result.unknown_names) < MAX_ERRORS:
                self.result.unknown_names.append(str(name).strip())
        month = self._month(header, number, cell("month"))
        counts: dict[str, int | None] = {}
        for key in COUNTS:
            counts[key] = self._count(header, number, key, cell(key))
        totals = {key: self._count(header, number, key, cell(key)) for key in ("received_total", "resolved_total")}
        if self.result.error_total > before:
            return None
        for key, message in arithmetic_problems(
            counts, received_total=totals["received_total"], resolved_total=totals["resolved_total"]
        ):
            self.result.add(number, header.label(key), message)
        assert unit_id is not None and month is not None  # no problem was reported
        earlier = self.seen.setdefault((unit_id, month), number)
        if earlier != number:
            message = _("Đơn vị “%(unit)s” tháng %(month)s đã có ở dòng %(row)d.")
            args = {"unit": self.units.names[unit_id], "month": f"{month:%m/%Y}", "row": earlier}
            self.result.add(number, header.label("unit_name" if "unit_name" in header.written else "unit_code"),
                            message % args)  # fmt: skip
        if self.result.error_total > before:
            return None
        return ParsedRow(number, unit_id, month, counts)

    def _month(self, header: Header, number: int, value: Cell) -> datetime.date | None:
        month, problem = parse_month(value)
        if problem is not None:
            self.result.add(number, header.label("month"), problem)
            return None
        month = month or self.default_month
        if month is None:
            self.result.add(number, header.label("month"), _("Thiếu tháng."))
            return None
        if month.year != self.plan.year:
            message = _("Tháng %(month)s ngoài năm của kế hoạch (%(year)d).")
            args = {"month": f"{month:%m/%Y}", "year": self.plan.year}
            self.result.add(number, header.label("month"), message % args)
            return None
        if (closes := month_closes(month)) >= timezone.localdate():
            # Its counts are still moving: imported now, they would stand as the month's until someone re-imports.
            message = _(
                "Tháng %(month)s chưa khóa sổ (số liệu một cửa của tháng tính đến hết ngày %(day)s): nhập sau ngày đó."
            )
            self.result.add(
                number, header.label("month"), message % {"month": f"{month:%m/%Y}", "day": f"{closes:%d/%m/%Y}"}
            )
            return None
        return month

    def _count(self, header: Header, number: int, key: str, value: Cell) -> int | None:
        count, problem = parse_count(value)
        if problem is not None:
            self.result.add(number, header.label(key), problem)
        elif count is None and BY_KEY[key].required:
            self.result.add(number, header.label(key), _("Thiếu số liệu."))
        return count


def check_file(
    plan: Plan, path: Path, name: str, default_month: datetime.date | None, spool: Path | None = None,
    progress: Callable[[int], object] | None = None,
) -> CheckResult:  # fmt: skip
    """Read the whole file once; every problem, the preview and the months' totals.

    With `spool`, the rows as checked are also written there, one plain line each, and
    kept only when the file has no problem: the import reads them back (`valid_rows`)
    instead of reading the spreadsheet a second time, which for an .xlsx is most of the
    time (openpyxl reads some 150,000 cells a second). Memory stays flat either way.
    """
    result = CheckResult()
    # Written aside and moved into place only when complete and clean: an import never finds a spool
    # cut short (a full disk, a worker stopped midway), and a re-check never empties one being read.
    partial = spool.with_name(f"{spool.name}.part") if spool is not None else None
    try:
        with ExitStack() as files:
            out = files.enter_context(open(partial, "w", encoding="utf-8", newline="")) if partial else None
            writer = csv.writer(out) if out is not None else None
            for parsed in RowReader(plan, default_month, result).rows(path, name):
                if progress is not None and parsed.row % _PROGRESS_EVERY == 0:
                    progress(parsed.row)  # a background check: the rows read so far, for its page
                result.unit_ids.add(parsed.unit_id)
                if len(result.preview) < PREVIEW_ROWS:
                    result.preview.append(parsed)
                totals = result.months.setdefault(parsed.month, dict.fromkeys(COUNTS, 0))
                for key, value in parsed.counts.items():
                    totals[key] += value or 0
                if writer is not None:
                    writer.writerow(_spooled(parsed))
    except FileUnreadable as error:
        result.add(0, "", str(error))
    except BaseException:
        if partial is not None:
            partial.unlink(missing_ok=True)
        raise
    if result.row_count == 0 and result.error_total == 0:
        result.add(0, "", _("Tệp không có dòng số liệu nào."))
    if spool is not None and partial is not None:
        if result.ok:
            os.replace(partial, spool)
        else:
            partial.unlink(missing_ok=True)
            spool.unlink(missing_ok=True)  # a file with problems now: its earlier spool is no longer true
    return result


def month_closes(month: datetime.date) -> datetime.date:
    """The last day the one-stop system counts in month `month`: the reporting calendar's cut-off, the 14th."""
    return month.replace(day=14)


def last_closed_month(today: datetime.date) -> datetime.date:
    """The latest month whose counts are final on `today` (month M closes after 14/M)."""
    month = today.replace(day=1)
    if month_closes(month) >= today:
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    return month


_PROGRESS_EVERY = 1000


def template_month(year: int, today: datetime.date) -> datetime.date | None:
    """The month a plan of `year`'s template offers: the last closed one (not the one under way); a
    past year's plan its December; None for a year none of whose months has closed (the check refuses them all)."""
    closed = last_closed_month(today)
    if closed.year < year:
        return None
    return closed if closed.year == year else datetime.date(year, 12, 1)


def first_import_day(year: int, today: datetime.date) -> datetime.date | None:
    """The day a coming year's first month can be imported, while none of its months has closed; else None."""
    if template_month(year, today) is not None:
        return None
    return month_closes(datetime.date(year, 1, 1)) + datetime.timedelta(days=1)


def spool_path(path: Path) -> Path:
    """Where the checked rows of the kept file `path` wait for the import."""
    return path.with_name(f"{path.name}.rows")


def _spooled(parsed: ParsedRow) -> list[object]:
    counts = ["" if parsed.counts.get(key) is None else parsed.counts[key] for key in COUNTS]
    return [parsed.row, parsed.unit_id, parsed.month.isoformat(), *counts]


def _unspooled(line: list[str]) -> ParsedRow:
    row, unit_id, month, *counts = line
    values = {key: (int(value) if value != "" else None) for key, value in zip(COUNTS, counts, strict=True)}
    return ParsedRow(int(row), int(unit_id), datetime.date.fromisoformat(month), values)


def valid_rows(plan: Plan, path: Path, name: str, default_month: datetime.date | None) -> Iterator[ParsedRow]:
    """The checked rows, for writing: from the check's spool when it kept one, else the file read again.

    Read again, the file is checked again, and ValueError is raised if it has problems now.
    """
    spool = spool_path(path)
    if spool.exists():
        # The units as they are now: one moved out of the authority since the check is not written to.
        units = set(Unit.objects.below(plan.issuing_unit).values_list("pk", flat=True))
        with open(spool, encoding="utf-8", newline="") as lines:
            for line in csv.reader(lines):
                parsed = _unspooled(line)
                if parsed.unit_id not in units:
                    message = _("Dòng %(row)d: đơn vị không còn thuộc cơ quan ban hành kế hoạch; hãy kiểm tra lại tệp.")
                    raise ValueError(message % {"row": parsed.row})
                yield parsed
        return
    result = CheckResult()
    yield from RowReader(plan, default_month, result).rows(path, name)
    if result.error_total:
        raise ValueError(f"the file has {result.error_total} problems now: {result.errors[:3]}")
