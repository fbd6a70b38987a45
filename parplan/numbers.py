"""Numbers as people type them, read with the marks of the interface's language.

Vietnamese writes 1.234,5 (a dot between thousands, a decimal comma), English
1,234.5. Django's localized fields strip the thousands mark whatever follows
it, so a decimal field read "1,5" typed in English as 15, and browsers'
`<input type=number>` did the same in their own way. Here a text is read by
one grammar per language, and also by the other language's grammar: when both
readings are numbers and they differ ("1.500": 1500 in Vietnamese, 1,5 to
someone used to the English form) the text is refused with both readings named;
when only the other language's reading is a number ("1.5" in Vietnamese) it is
refused with the form to type. Nothing is ever re-read silently.

A whole-number field (counts, ranks, progress percent) takes no decimal part at
all, so there a thousands mark cannot be mistaken for a decimal one.

Only reading and the rules a number must meet; writing is parplan.formatting.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.formats import get_format
from django.utils.translation import gettext_lazy as _

from parplan.formatting import format_number

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise as StrPromise

# The messages of reading and of the rules, by code; a field may replace any of them.
_Messages = Mapping[str, "str | StrPromise"]
MESSAGES: dict[str, str | StrPromise] = {
    "invalid": _("Cần nhập một số."),
    "ambiguous": _(
        "“%(text)s” có thể hiểu hai cách: %(thousands)s (%(mark)s tách hàng nghìn) hoặc %(fraction)s "
        "(%(mark)s là dấu thập phân). Hãy nhập %(thousands)s hoặc %(fraction)s."
    ),
    "wrong_marks": _(
        "“%(text)s”: phần thập phân viết sau %(decimal)s, hàng nghìn tách bằng %(group)s, như %(example)s."
    ),
    "whole": _("Chỉ nhận số nguyên, không có phần thập phân (đã nhập “%(value)s”)."),
    "negative": _("Giá trị không được âm."),
    "min_value": _("Giá trị không được nhỏ hơn %(limit_value)s."),
    "max_value": _("Giá trị không được lớn hơn %(limit_value)s."),
    "max_places": _("Tối đa %(places)s chữ số thập phân."),
    "too_large": _("Số quá lớn: phần nguyên tối đa %(digits)s chữ số."),
    "percent_sign": _("“%(text)s”: bỏ dấu %%, chỉ nhập con số, như %(example)s."),
}
_MARK_NAMES = {",": _("dấu phẩy"), ".": _("dấu chấm")}
_TYPED = re.compile(r"-?[0-9.,]+")
# Thousands grouped by spaces (2 000, 1 234,5; also the no-break spaces a copied cell brings): a space is no
# decimal mark in any language, so it reads one way only.
_SPACED = re.compile(r"(-?[1-9]\d{0,2}(?:[ \u00a0\u202f]\d{3})+)([.,]\d+)?")


@dataclass(frozen=True)
class NumberRule:
    """What a number may be: whole or not, its bounds, and the places and digits its column holds."""

    whole: bool = False
    minimum: Decimal | None = Decimal(0)
    maximum: Decimal | None = None
    places: int = 2
    digits: int = 16


def marks() -> tuple[str, str]:
    """The active language's decimal mark and thousands mark."""
    return str(get_format("DECIMAL_SEPARATOR")), str(get_format("THOUSAND_SEPARATOR"))


def read_number(text: str, *, whole: bool = False, messages: _Messages = MESSAGES) -> Decimal:
    """`text` as a number in the active language's marks; ValidationError when it is not one, or not only one."""
    text = text.strip()
    if (spaced := _SPACED.fullmatch(text)) is not None:
        text = re.sub(r"\s", "", spaced.group(1)) + (spaced.group(2) or "")
    if text.endswith("%") and _TYPED.fullmatch(bare := text.removesuffix("%").strip()):
        raise _error(messages, "percent_sign", text=text, example=bare)
    if not _TYPED.fullmatch(text):
        raise _error(messages, "invalid")
    decimal, group = marks()
    own, other = _grammar(text, decimal, group), _grammar(text, group, decimal)
    if whole:
        return _read_whole(text, own, other, messages)
    if own is not None and other is not None and own != other:
        thousands, fraction = (own, other) if group in text else (other, own)
        mark = next(m for m in (decimal, group) if m in text)
        raise _error(messages, "ambiguous", text=text, thousands=format_number(thousands),
                     fraction=_unambiguous(format_number(fraction), decimal, group),
                     mark=_MARK_NAMES.get(mark, mark))  # fmt: skip
    if own is not None:
        return own
    if other is not None:
        raise _wrong_marks(text, decimal, group, messages)
    raise _error(messages, "invalid")


def _unambiguous(text: str, decimal: str, group: str) -> str:
    """`text` spelled so that it reads one way only: "1,234" (three decimals, like a thousands group) as "1,2340".

    The ambiguity message suggests what to type instead; suggesting the very text refused would loop.
    """
    own, other = _grammar(text, decimal, group), _grammar(text, group, decimal)
    return f"{text}0" if own is not None and other is not None and own != other else text


def _read_whole(text: str, own: Decimal | None, other: Decimal | None, messages: _Messages) -> Decimal:
    decimal, group = marks()
    if own is not None and decimal not in text:
        return own
    if other is not None and group not in text:
        raise _wrong_marks(text, decimal, group, messages)  # "1,500" in Vietnamese: thousands the English way
    if own is not None or other is not None:
        # "2,5" in Vietnamese, or "1.5" / "48.00" (a decimal point the English way): a fraction either way.
        raise _error(messages, "whole", value=text)
    raise _error(messages, "invalid")


def _grammar(text: str, decimal: str, group: str) -> Decimal | None:
    """The number `text` is when `decimal` marks the fraction and `group` the thousands; None if it is none."""
    d, g = re.escape(decimal), re.escape(group)
    # Groups of exactly three after a first group of one to three, not starting with 0 ("0.500" is no grouping).
    match = re.fullmatch(rf"(-?)(\d+|[1-9]\d{{0,2}}(?:{g}\d{{3}})+)(?:{d}(\d+))?", text)
    if match is None:
        return None
    sign, whole, fraction = match.groups()
    return Decimal(f"{sign}{whole.replace(group, '')}.{fraction or '0'}")


def _wrong_marks(text: str, decimal: str, group: str, messages: _Messages) -> ValidationError:
    swap: dict[str, str | int | None] = {decimal: group, group: decimal}
    example = text.translate(str.maketrans(swap))
    return _error(messages, "wrong_marks", text=text, example=example,
                  decimal=_MARK_NAMES.get(decimal, decimal), group=_MARK_NAMES.get(group, group))  # fmt: skip


def number_problems(value: Decimal, rule: NumberRule, messages: _Messages = MESSAGES) -> list[str]:
    """What is wrong with `value` under `rule`, in the active language (empty when nothing)."""
    problems = []
    if rule.whole and value != value.to_integral_value():
        problems.append(messages["whole"] % {"value": format_number(value)})
    elif _places(value) > rule.places:
        problems.append(messages["max_places"] % {"places": rule.places})
    if abs(value) >= Decimal(10) ** (rule.digits - rule.places):
        problems.append(messages["too_large"] % {"digits": rule.digits - rule.places})
    if rule.minimum is not None and value < rule.minimum:
        code = "negative" if rule.minimum == 0 else "min_value"
        problems.append(messages[code] % {"limit_value": format_number(rule.minimum)})
    if rule.maximum is not None and value > rule.maximum:
        problems.append(messages["max_value"] % {"limit_value": format_number(rule.maximum)})
    return problems


def _places(value: Decimal) -> int:
    # Trailing zeros do not count: 12,50 has one place, as the column would keep it.
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _error(messages: _Messages, code: str, **params: str | StrPromise) -> ValidationError:
    return ValidationError(messages[code], code=code, params=params)
