"""Read the measurable parts out of a target statement as plans write them.

Plans state targets in prose: "Trên 99% tỷ lệ hồ sơ … được giải quyết đúng hạn",
"95% cán bộ, công chức …; 60% viên chức …; 80% cán bộ, công chức cấp xã …".
The parser finds each percentage with the comparator words before it and the
administrative level ("cấp xã") it names, a rank ("nhóm 06 … cao nhất"), or
none, in which case the target is a milestone a reviewer marks met or not.
What it cannot read cleanly becomes a warning for the secretariat, never a guess
passed off as fact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

# Comparator words that may stand just before a number, longest first.
_COMPARATOR_WORDS: list[tuple[str, str]] = [
    ("không thấp hơn", "gte"),
    ("không quá", "lte"),
    ("tối thiểu", "gte"),
    ("ít nhất", "gte"),
    ("tối đa", "lte"),
    ("trên", "gt"),
    ("dưới", "lt"),
    ("đạt", "gte"),
]
_PERCENT = re.compile(r"(\d+(?:[.,]\d+)?)\s*%")
_LEVEL = re.compile(r"cấp\s+(?:tỉnh|huyện|xã)", re.IGNORECASE)
_RANK = re.compile(r"nhóm\s+(\d+)\b[^.;]*?cao nhất", re.IGNORECASE)
_MEET_OR_EXCEED = re.compile(r"hoàn thành hoặc vượt", re.IGNORECASE)
_RESPECTIVELY = "tương ứng"
# "Tổ chức ít nhất 02 cuộc kiểm tra", "ban hành 05 văn bản": a count of things a plan names.
_COUNT = re.compile(
    r"(\d{1,6})\s+(văn bản|cuộc|lớp|đợt|cơ quan|đơn vị|thủ tục|TTHC|dịch vụ|hồ sơ|lượt|buổi|mô hình|sáng kiến"
    r"|hội nghị|tin|bài|chuyên đề|đề án)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ParsedIndicator:
    name: str
    kind: str
    comparator: str = ""
    threshold: Decimal | None = None
    unit_of_measure: str = ""
    applies_to_level: str = ""


@dataclass
class ParseResult:
    indicators: list[ParsedIndicator] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def parse_target(text: str) -> ParseResult:
    """Return the indicators one target statement holds, and any warnings."""
    statement = _clean(text)
    matches = list(_PERCENT.finditer(statement))
    if matches:
        return _parse_percentages(statement, matches)
    rank = _RANK.search(statement)
    if rank:
        return ParseResult([ParsedIndicator(statement, "rank", "lte", Decimal(rank.group(1)), "hạng")])
    if _MEET_OR_EXCEED.search(statement):
        return ParseResult([ParsedIndicator(statement, "ratio", "gte", Decimal(100), "%")])
    if count := _COUNT.search(statement):
        comparator = _comparator_start(statement, count)[1]
        return ParseResult([ParsedIndicator(statement, "count", comparator, Decimal(count.group(1)), count.group(2))])
    return ParseResult([ParsedIndicator(statement, "milestone")])


def _clean(text: str) -> str:
    return " ".join(text.replace("*", "").split()).rstrip(" ;.")


def _parse_percentages(statement: str, matches: list[re.Match[str]]) -> ParseResult:
    result = ParseResult()
    starts = [_comparator_start(statement, m) for m in matches]
    levels_listed = _respective_levels(statement, matches[0])
    if levels_listed and len(levels_listed) != len(matches):
        result.warnings.append(
            _("Văn bản nêu %(rates)d tỷ lệ cho %(levels)d cấp (%(names)s): cần xác định tỷ lệ nào áp dụng cho cấp nào.")
            % {"rates": len(matches), "levels": len(levels_listed), "names": ", ".join(levels_listed)}
        )
    for index, match in enumerate(matches):
        end = starts[index + 1][0] if index + 1 < len(matches) else len(statement)
        segment = statement[match.start() : end]
        if levels_listed:
            level = levels_listed[index] if index < len(levels_listed) else ""
        elif len(matches) > 1:
            # Only when rates differ by level ("85% … cấp huyện và 60% … cấp xã"):
            # a single rate naming "cơ quan chuyên môn, UBND cấp xã" covers both.
            found = _LEVEL.search(segment)
            level = found.group(0).lower() if found else ""
        else:
            level = ""
        if len(matches) == 1:
            name = statement
        elif levels_listed:
            head = statement[: starts[0][0]].strip()
            # A rate beyond the levels listed gets no level in its name (the warning above asks which it is):
            # "(chưa rõ cấp)" went into the official report's annex as if the plan said so.
            name = f"{head} {match.group(0)} ({level})" if level else f"{head} {match.group(0)}"
        else:
            name = _segment_name(statement, starts[index][0], end)
        result.indicators.append(
            ParsedIndicator(
                name=name,
                kind="ratio",
                comparator=starts[index][1],
                threshold=Decimal(match.group(1).replace(",", ".")),
                unit_of_measure="%",
                applies_to_level=level,
            )
        )
    return result


def _comparator_start(statement: str, match: re.Match[str]) -> tuple[int, str]:
    """Where the phrase for this number begins, and its comparator."""
    before = statement[: match.start()].rstrip()
    lowered = before.lower()
    for words, comparator in _COMPARATOR_WORDS:
        if lowered.endswith(words):
            return len(before) - len(words), comparator
    # A bare "95% cán bộ…" in a target means "at least 95%".
    return match.start(), "gte"


def _respective_levels(statement: str, first: re.Match[str]) -> list[str]:
    """Levels listed before the numbers in a "respectively" sentence."""
    head = statement[: first.start()]
    if _RESPECTIVELY not in head.lower():
        return []
    return [level.lower() for level in _LEVEL.findall(head)]


def _segment_name(statement: str, start: int, end: int) -> str:
    segment = statement[start:end].strip(" ;,")
    # "20% số quy định và cắt giảm" → "20% số quy định": drop the joining clause.
    if " và " in f"{segment} ":
        segment = f"{segment} ".rsplit(" và ", 1)[0]
    return segment.strip(" ;,")
