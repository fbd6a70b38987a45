"""Deadlines as plans write them: "Quý II/2026", "trước 30/6/2026", "Tháng 6", "Thường xuyên".

A deadline becomes a due date (the last day of the period it names), a
recurrence (hằng tháng, hằng quý), or nothing ("thường xuyên": the task runs
all year). A phrase not understood is kept as written and reported, never
turned into a date nobody wrote.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

_ROMAN_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
# A day: "30/6/2026", "30/6"; not the "6/20" of "tháng 6/2026".
_DATE = re.compile(r"(?<![\d/])(?P<day>\d{1,2})\s*/\s*(?P<month>\d{1,2})(?:\s*/\s*(?P<year>\d{4}))?(?![\d/])")
_QUARTER = re.compile(r"quý\s+(?P<quarter>iv|i{1,3}|[1-4])\b(?:\s*(?:/|năm)\s*(?P<year>\d{4}))?", re.IGNORECASE)
_MONTH = re.compile(r"tháng\s+(?P<month>\d{1,2})\b(?:\s*(?:/|năm)\s*(?P<year>\d{4}))?", re.IGNORECASE)
_HALF = re.compile(r"(?P<which>6 tháng đầu năm|6 tháng cuối năm)", re.IGNORECASE)
_YEAR = re.compile(r"^(?:trong\s+|cả\s+)?năm(?:\s+(?P<year>\d{4}))?$", re.IGNORECASE)
_ONGOING = re.compile(r"^(thường xuyên|liên tục|cả năm|hằng năm|hàng năm|theo (?:kế hoạch|quy định|tiến độ).*)$", re.I)
_RECURRING = {"hằng tháng": "monthly", "hàng tháng": "monthly", "hằng quý": "quarterly", "hàng quý": "quarterly"}


@dataclass(frozen=True)
class Deadline:
    due_date: datetime.date | None = None
    recurrence: str = ""
    understood: bool = True
    ongoing: bool = False


def deadline_read(text: str, year: int) -> Deadline:
    """The deadline `text` states for a plan of `year`."""
    phrase = " ".join(text.split()).strip(" .;,")
    lowered = phrase.casefold()
    if not phrase:
        return Deadline()
    for words, recurrence in _RECURRING.items():
        if words in lowered:
            return Deadline(recurrence=recurrence)
    if _ONGOING.match(lowered):
        return Deadline(ongoing=True)
    months = _MONTH.findall(phrase)
    if months and re.search(r"tháng\s+\d{1,2}\s*/\s*\d{4}|tháng\s+\d{1,2}\s*(?:-|–|đến)", lowered):
        # "Tháng 6/2026"; "tháng 6 - tháng 9": the end of the last month named
        month, year_text = months[-1]
        return _end_of_month(int(year_text or year), int(month))
    if found := _DATE.search(phrase):
        return _day(int(found.group("year") or year), int(found.group("month")), int(found.group("day")))
    if found := _QUARTER.search(phrase):
        last_month = 3 * _ROMAN_QUARTERS[found.group("quarter").casefold()]
        return _end_of_month(int(found.group("year") or year), last_month)
    if found := _HALF.search(phrase):
        return _end_of_month(year, 6 if "đầu" in found.group("which").casefold() else 12)
    if found := _MONTH.search(phrase):
        return _end_of_month(int(found.group("year") or year), int(found.group("month")))
    if found := _YEAR.match(lowered):
        return _end_of_month(int(found.group("year") or year), 12)
    return Deadline(understood=False)


def _day(year: int, month: int, day: int) -> Deadline:
    if not 2000 <= year <= 2100:
        return Deadline(understood=False)
    try:
        return Deadline(due_date=datetime.date(year, month, day))
    except ValueError:
        return Deadline(understood=False)


def _end_of_month(year: int, month: int) -> Deadline:
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        return Deadline(understood=False)  # "Quý II/0000", "tháng 13": never a date nobody wrote
    return Deadline(due_date=datetime.date(year, month, calendar.monthrange(year, month)[1]))
