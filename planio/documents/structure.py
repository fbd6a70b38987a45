"""The parts of a plan as its document writes them, found in the document's blocks.

A PAR plan follows the official format (docs/domain.md): a header (issuer and
its parent, number and symbol, place and date), "KẾ HOẠCH" and the title, the
legal bases, then Roman-numbered parts: I purpose and requirements, II the
reform areas with their targets and tasks, III who does what; the closing
paragraph, the recipients and the signer; often an annex table of key tasks.
Authorities number the inside of an area differently ("a) Chỉ tiêu" or
"1.1. Mục tiêu"; items as "-", "+", "(1)" or "1)"), so headings are recognised
by their words, and items by their markers, whatever the style.

Nothing here touches the database: units and indicators are resolved later
(`planio.documents.drafting`), so this reading can be tested on text alone.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from planio.documents.blocks import Block, DocumentError

_ROMAN = re.compile(r"^(I{1,3}|IV|VI{0,3}|IX|X)\s*[.\-–:]\s*(.+)$")
_NUMBERED = re.compile(r"^(\d{1,2})\s*[.)]\s+(.+)$")
_SUBNUMBERED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.?\s+(.+)$")
_LETTERED = re.compile(r"^([a-zđ])\s*\)\s+(.+)$")
# Item markers, as typed: a dash (any of them), a plus, a bullet, "(1)" or "1)".
_ITEM = re.compile(r"^(?:(?P<dash>[-–—])|(?P<plus>\+)|(?P<dot>[•●▪◦·])|(?P<paren>\(\d{1,2}\))|(?P<num>\d{1,2}\)))\s*")
_TITLE = "kế hoạch"
_NUMBER = re.compile(r"^Số\s*:\s*(?P<number>[\d.]*)\s*/\s*(?P<symbol>[^\s,;]+)", re.IGNORECASE)
_PLACE_DATE = re.compile(
    r"^(?P<place>[^,]+),\s*ngày\s+(?P<day>\d{1,2}|[.…]+)\s+tháng\s+(?P<month>\d{1,2}|[.…]+)\s+năm\s+(?P<year>\d{4})",
    re.IGNORECASE,
)
_MOTTO = ("cộng hòa xã hội chủ nghĩa", "cộng hoà xã hội chủ nghĩa", "độc lập - tự do", "độc lập – tự do")
_YEAR_IN_TITLE = re.compile(r"năm\s+(\d{4})", re.IGNORECASE)
_DATE_AT_START = re.compile(r"^\d{1,2}/\d{1,2}/\d{4}\b")
_TARGET_WORDS = re.compile(r"^(chỉ tiêu|mục tiêu)(?:\s+(?:cụ thể|chủ yếu|cần đạt))?\s*(?::\s*(?P<rest>.*))?$", re.I)
_TASK_WORDS = re.compile(r"^(nhiệm vụ|giải pháp)\b[^:]*?(?::\s*(?P<rest>.*))?$", re.IGNORECASE)
_SIGN_FOR = re.compile(r"^(TM|KT|TL|TUQ|Q)\.\s*", re.IGNORECASE)
_RECIPIENTS = re.compile(r"^nơi nhận\s*:?\s*(?P<rest>.*)$", re.IGNORECASE)
# A trailing "(Chủ trì: Phòng Nội vụ; phối hợp: …; thời gian: Quý II)" after a task's text.
ASSIGNED = re.compile(
    r"\s*\((?:cơ quan |đơn vị )?chủ trì\s*:\s*(?P<lead>[^;)]+)"
    r"(?:;\s*(?:cơ quan |đơn vị )?phối hợp\s*:\s*(?P<coordinating>[^;)]+))?"
    r"(?:;\s*(?:thời gian|thời hạn)(?: hoàn thành)?\s*:\s*(?P<deadline>[^;)]+))?\)\.?$",
    re.IGNORECASE,
)
_ANNEX_NOTE = re.compile(r"^\(.*phụ lục.*\)\.?$", re.IGNORECASE)


@dataclass
class Item:
    """A target or a task as written, with the blocks it was read from."""

    text: str
    blocks: list[int]
    marker: str = ""  # "dash", "plus", "paren"… or "" for a prose paragraph


@dataclass
class AreaRead:
    number: int
    name: str
    block: int
    targets_heading: str = ""
    targets: list[Item] = field(default_factory=list)
    tasks: list[Item] = field(default_factory=list)


@dataclass
class ResponsibilityRead:
    number: int
    heading: str
    block: int
    paragraphs: list[Item] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n\n".join(item.text for item in self.paragraphs)


@dataclass(frozen=True)
class ReadWarning:
    """Something the secretariat should check; `block` is the paragraph it is about (0: the whole document)."""

    code: str
    message: str
    block: int = 0


@dataclass
class PlanRead:
    """Everything recognised in one document, before units, dates and indicators are resolved."""

    issuer_name: str = ""
    parent_name: str = ""
    number: str = ""
    symbol: str = ""
    place: str = ""
    issue_date: datetime.date | None = None
    title: str = ""
    title_block: int = 0
    year: int | None = None
    legal_bases: list[str] = field(default_factory=list)
    purpose: list[str] = field(default_factory=list)
    requirements: list[str] = field(default_factory=list)
    areas: list[AreaRead] = field(default_factory=list)
    responsibilities: list[ResponsibilityRead] = field(default_factory=list)
    closing: str = ""
    recipients: list[str] = field(default_factory=list)
    signing_authority: str = ""
    signer_title: str = ""
    signer_name: str = ""
    annex_tables: list[Block] = field(default_factory=list)
    unplaced: list[Item] = field(default_factory=list)  # parts the portal has no place for (funding…)
    warnings: list[ReadWarning] = field(default_factory=list)


def plan_structure(blocks: list[Block]) -> PlanRead:
    """Read the parts of a plan out of `blocks`; raises DocumentError when there is no plan structure."""
    read = PlanRead()
    read.annex_tables = [block for block in blocks if block.is_table and is_annex_table(block.rows)]
    lines = [line for block in blocks if block not in read.annex_tables for line in _lines(block)]
    title_at = next((i for i, line in enumerate(lines) if _is_title(line.text)), None)
    if title_at is None:
        raise DocumentError(
            _("Không nhận ra văn bản kế hoạch: không thấy dòng “KẾ HOẠCH” ở đầu văn bản. Hãy kiểm tra đúng tệp.")
        )
    _read_header(read, lines[:title_at])
    body_at = _read_title(read, lines, title_at)
    _Reader(read).walk(lines[body_at:])
    if not read.areas:
        raise DocumentError(
            _(
                "Không nhận ra lĩnh vực nào trong văn bản: cần phần “II. NHIỆM VỤ…” với các mục đánh số "
                "“1.”, “2.”… Nếu văn bản đánh số mục tự động (Word), số mục không nằm trong chữ: hãy lưu văn bản "
                "thành “Văn bản thuần (.txt)”, mã UTF-8, rồi tải lên tệp .txt đó (số mục được giữ)."
            )
        )
    _check_numbering(read)
    return read


def is_annex_table(rows: tuple[tuple[str, ...], ...]) -> bool:
    """The key-task table: a header row naming the content and the unit in charge."""
    for row in rows[:3]:
        header = " ".join(row).casefold()
        if ("nội dung" in header or "nhiệm vụ" in header) and "chủ trì" in header:
            return True
    return False


def _lines(block: Block) -> list[Block]:
    """A paragraph, or a layout table's cells (header, signature) read as paragraphs, in order."""
    if not block.is_table:
        return [block]
    return [
        Block(block.number, text) for row in block.rows for cell in row for text in cell.split("\n") if text.strip()
    ]


def _is_title(text: str) -> bool:
    return text.casefold() == _TITLE or (text.startswith("KẾ HOẠCH ") and text.isupper())


def _read_header(read: PlanRead, lines: list[Block]) -> None:
    names: list[str] = []
    for line in lines:
        text = line.text
        lowered = text.casefold()
        if number := _NUMBER.match(text):
            read.number, read.symbol = number.group("number").strip("."), number.group("symbol")
        elif place := _PLACE_DATE.match(text):
            read.place = place.group("place").strip()
            read.issue_date = _date(place.group("day"), place.group("month"), place.group("year"))
        elif any(lowered.startswith(motto) for motto in _MOTTO) or set(text) <= set("-–_=*. "):
            continue
        elif text.isupper():
            names.append(text)
    if names:
        read.issuer_name = names[-1]
        read.parent_name = names[-2] if len(names) > 1 else ""


def _date(day: str, month: str, year: str) -> datetime.date | None:
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:  # "ngày … tháng … năm 2026": a draft not yet dated
        return None


def _read_title(read: PlanRead, lines: list[Block], at: int) -> int:
    """Read the title after "KẾ HOẠCH"; returns where the body begins."""
    title = lines[at]
    parts = [title.text[len("KẾ HOẠCH ") :]] if title.text.casefold() != _TITLE else []
    index = at + 1
    while not parts or (index < len(lines) and len(parts) < 3 and _continues_title(lines[index].text)):
        if index >= len(lines):
            break
        if not set(lines[index].text) <= set("-–_=*. "):
            parts.append(lines[index].text)
        index += 1
    read.title = " ".join(part.strip() for part in parts if part.strip())
    read.title_block = title.number
    years = _YEAR_IN_TITLE.findall(read.title)
    read.year = int(years[-1]) if years else (read.issue_date.year if read.issue_date else None)
    return index


def _continues_title(text: str) -> bool:
    return (
        len(text) < 200
        and not _ROMAN.match(text)
        and not re.match(r"^(Thực hiện|Căn cứ|Triển khai|Nhằm|Để|Trên cơ sở)\b", text)
        and (text[0].islower() or set(text) <= set("-–_=*. ") or _YEAR_IN_TITLE.search(text) is not None)
    )


class _Reader:
    """Walks the body line by line; the current part decides what a line is."""

    def __init__(self, read: PlanRead) -> None:
        self.read = read
        self.part = "preamble"
        self.purpose_list = read.purpose
        self.area: AreaRead | None = None
        self.items: list[Item] = []  # where the next item goes (a list no area keeps, before the first area)
        self.task_marker = ""  # the marker of this section's items; others are their sub-items
        self.in_group = False  # under a label ("- Về tuyên truyền:") whose sub-items are the items
        self.responsibility: ResponsibilityRead | None = None
        self.after_closing = ""  # "recipients", then "signature"

    def walk(self, lines: list[Block]) -> None:
        for line in lines:
            self.line(line)

    def line(self, line: Block) -> None:
        text = line.text
        if self.after_closing or text.startswith("Trên đây") or _RECIPIENTS.match(text):
            self.ending(line)
            return
        if roman := _ROMAN.match(text):
            self.begin_part(roman.group(2), line)
            return
        getattr(self, f"in_{self.part}")(line)

    def begin_part(self, heading: str, line: Block) -> None:
        words = heading.casefold()
        self.items, self.area, self.responsibility = [], None, None
        if "mục đích" in words or ("yêu cầu" in words and "nhiệm vụ" not in words):
            self.part = "purpose"
        elif "tổ chức thực hiện" in words or "trách nhiệm" in words or "phân công" in words:
            self.part = "organisation"
        elif any(word in words for word in ("nhiệm vụ", "nội dung", "mục tiêu", "giải pháp")):
            self.part = "areas"
        else:
            self.part = "other"
            self.read.warnings.append(
                ReadWarning(
                    "part_unplaced",
                    _("Phần “%(heading)s” không có chỗ trong kế hoạch trên cổng; nội dung được giữ trong văn bản gốc.")
                    % {"heading": heading},
                    line.number,
                )
            )

    # --- parts -------------------------------------------------------------------

    def in_preamble(self, line: Block) -> None:
        _add_paragraph(self.read.legal_bases, line.text)

    def in_purpose(self, line: Block) -> None:
        if numbered := _NUMBERED.match(line.text):
            words = numbered.group(2).casefold()
            if words.startswith("mục đích"):
                self.purpose_list = self.read.purpose
                return
            if words.startswith("yêu cầu"):
                self.purpose_list = self.read.requirements
                return
        _add_paragraph(self.purpose_list, line.text)

    def in_other(self, line: Block) -> None:
        self.read.unplaced.append(Item(line.text, [line.number]))

    def in_areas(self, line: Block) -> None:
        text = line.text
        if (numbered := _NUMBERED.match(text)) and _is_area_heading(text):
            self.area = AreaRead(int(numbered.group(1)), numbered.group(2).strip(), line.number)
            self.read.areas.append(self.area)
            self.open_section(self.area.tasks)  # an area without headings lists its tasks
            return
        if self.area is None:
            self.read.unplaced.append(Item(text, [line.number]))
            return
        heading = _SUBNUMBERED.match(text) or _LETTERED.match(text)
        words = heading.group(heading.lastindex or 0).strip() if heading else text
        if (heading or len(text) < 60) and (found := _TARGET_WORDS.match(words)):
            self.area.targets_heading = found.group(1)[0].upper() + found.group(1)[1:].lower()
            self.open_section(self.area.targets)
            if rest := (found.group("rest") or "").strip():
                self.add_item(Item(rest, [line.number]))
            return
        if (heading or len(text) < 60) and (found := _TASK_WORDS.match(words)):
            self.open_section(self.area.tasks)
            if rest := (found.group("rest") or "").strip():
                self.add_item(Item(rest, [line.number]))
            return
        if _ANNEX_NOTE.match(text):
            return  # "(Có phụ lục … kèm theo)": the annex is read from its table
        self.item_line(line)

    def in_organisation(self, line: Block) -> None:
        text = line.text
        if (numbered := _NUMBERED.match(text)) and not _ITEM.match(text):
            self.responsibility = ResponsibilityRead(int(numbered.group(1)), numbered.group(2).strip(), line.number)
            self.read.responsibilities.append(self.responsibility)
            return
        if self.responsibility is None:
            self.read.unplaced.append(Item(text, [line.number]))
            return
        paragraphs = self.responsibility.paragraphs
        if paragraphs and _continues(text):
            paragraphs[-1].text += f" {text}"
            paragraphs[-1].blocks.append(line.number)
        else:
            paragraphs.append(Item(text, [line.number]))

    def ending(self, line: Block) -> None:
        text = line.text
        if text.startswith("Trên đây"):
            self.read.closing = text
            self.after_closing = "closing"
        elif recipients := _RECIPIENTS.match(text):
            self.after_closing = "recipients"
            if rest := recipients.group("rest").strip():
                self.read.recipients.append(rest)
        elif self.after_closing == "closing" and not text.isupper():
            self.read.closing += f" {text}" if _continues(text) else f"\n\n{text}"
        elif self.after_closing == "recipients" and (text[0] in "-–+•" or not text.isupper()):
            self.read.recipients.append(text)
        else:
            self.signature(line)

    def signature(self, line: Block) -> None:
        self.after_closing = "signature"
        text = line.text
        if text.startswith("(") or self.read.signer_name:
            return  # "(Đã ký)", the seal; and the annex titles after the name
        if _SIGN_FOR.match(text):
            self.read.signing_authority = text
        elif text.isupper():
            if self.read.signer_title:
                self.read.signing_authority = " ".join(
                    filter(None, [self.read.signing_authority, self.read.signer_title])
                )
            self.read.signer_title = text
        elif self.read.signer_title:
            self.read.signer_name = text

    # --- items ---------------------------------------------------------------------

    def open_section(self, items: list[Item]) -> None:
        self.items = items
        self.task_marker = ""
        self.in_group = False

    def item_line(self, line: Block) -> None:
        """A line of a targets or tasks section: a new item, a sub-item, or the rest of the item above."""
        text = line.text
        found = _ITEM.match(text)
        marker = (found.lastgroup or "") if found else ("dash" if line.listed else "")
        body = (text[found.end() :] if found else text).strip()
        if not marker:
            if self.items and _continues(text):
                self.append(line, f" {text}")
            else:
                self.add_item(Item(body, [line.number]))  # a prose target or task
            return
        self.task_marker = self.task_marker or marker
        if marker == self.task_marker:
            self.in_group = False
            self.add_item(Item(body, [line.number], marker))
        elif self.in_group or (self.items and self.items[-1].text.endswith(":")):
            # "- Về tuyên truyền:" then "+ …" items: the label heads a group of tasks, it is not a task itself
            if not self.in_group:
                label = self.items.pop()
                self.in_group = True
                self.add_item(Item(body, [*label.blocks, line.number], marker))
            else:
                self.add_item(Item(body, [line.number], marker))
        else:
            self.append(line, f"\n{text}")  # "+ …" under "- …": a sub-item belongs to the item above

    def append(self, line: Block, text: str) -> None:
        self.items[-1].text += text
        self.items[-1].blocks.append(line.number)

    def add_item(self, item: Item) -> None:
        if item.text.strip(" .;,-–"):  # a bare "-" or "(1)" line is no item
            self.items.append(item)


def _is_area_heading(text: str) -> bool:
    """ "3. Cải cách thủ tục hành chính", not "1) 100% …" nor "1. 100% văn bản …" (a numbered target)."""
    if _SUBNUMBERED.match(text) or _ITEM.match(text) or "%" in text or len(text) > 200:
        return False
    # "2. 100 văn bản được rà soát": a numbered target, not an area, when a number follows the number.
    return not re.match(r"^\d{1,2}\s*[.)]\s+\d", text)


def _add_paragraph(paragraphs: list[str], text: str) -> None:
    if paragraphs and _continues(text):
        paragraphs[-1] += f" {text}"
    else:
        paragraphs.append(text)


def _continues(text: str) -> bool:
    """A paragraph broken in two goes on with a lowercase word or a date ("…ngày" / "29/7/2020 của…")."""
    if _LETTERED.match(text) or _ITEM.match(text):
        return False  # "b) …", "- …": the next item, however it begins
    return text[0].islower() or _DATE_AT_START.match(text) is not None


def _check_numbering(read: PlanRead) -> None:
    for kind, numbers, where in (
        (_("lĩnh vực"), [(area.number, area.block) for area in read.areas], "areas"),
        (_("mục tổ chức thực hiện"), [(item.number, item.block) for item in read.responsibilities], "org"),
    ):
        for (before, _block), (number, block) in zip(numbers, numbers[1:], strict=False):
            if number != before + 1:
                read.warnings.append(
                    ReadWarning(
                        f"numbering_{where}",
                        _("Số thứ tự %(kind)s nhảy từ %(before)s sang %(number)s: thiếu mục hay đánh số nhầm?")
                        % {"kind": kind, "before": before, "number": number},
                        block,
                    )
                )
