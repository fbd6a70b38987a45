"""Bounds on what people type, with messages in Vietnamese: control characters and plan dates.

The forms attach these (`parplan.forms.PortalForm`) to show the message beside
the field; the services that write dates check them again (`plan_date_errors`),
since a form is not the only way in (the admin, a plan file, a script).
"""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

CONTROL_CHARACTERS_MESSAGE = gettext_lazy(
    "Nội dung chứa ký tự điều khiển không hợp lệ (ví dụ ký tự NUL); hãy xóa rồi nhập lại."
)

# Unicode's control characters (category Cc): C0, DEL and C1. PostgreSQL refuses NUL
# in text, and the others are invisible in a page yet break exports and e-mails.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
# A text area keeps its tabs and line breaks; a one-line input has no use for them.
_CONTROL_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def has_control_characters(text: str, *, multiline: bool = False) -> bool:
    """Whether `text` holds a control character (`multiline`: tabs and line breaks allowed)."""
    return bool((_CONTROL_IN_TEXT if multiline else _CONTROL).search(text))


@deconstructible
class ControlCharactersValidator:
    """Refuse control characters; `multiline` text may hold tabs and line breaks."""

    code = "control_characters"

    def __init__(self, multiline: bool = False) -> None:
        self.multiline = multiline

    def __call__(self, value: object) -> None:
        if has_control_characters(str(value), multiline=self.multiline):
            raise ValidationError(CONTROL_CHARACTERS_MESSAGE, code=self.code)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ControlCharactersValidator) and other.multiline == self.multiline

    def __hash__(self) -> int:
        return hash((type(self), self.multiline))


# A plan's dates fall in its year, with one year of margin either side: work may be
# prepared in the year before and a task may run (or be extended) into the next.
# Anything further is a typing slip (01/01/1900, 31/12/9999), not a deadline.
PLAN_DATE_MARGIN_YEARS = 1


def plan_date_range(year: int) -> tuple[datetime.date, datetime.date]:
    """The first and last day a date of the plan of `year` may be."""
    return (
        datetime.date(year - PLAN_DATE_MARGIN_YEARS, 1, 1),
        datetime.date(year + PLAN_DATE_MARGIN_YEARS, 12, 31),
    )


def plan_date_message(year: int) -> str:
    first, last = plan_date_range(year)
    return _("Ngày phải trong khoảng %(first)s – %(last)s (năm kế hoạch %(year)d, thêm một năm trước và sau).") % {
        "first": f"{first:%d/%m/%Y}",
        "last": f"{last:%d/%m/%Y}",
        "year": year,
    }


@deconstructible
class PlanDateValidator:
    """A date within the range of the plan of `year` (see `plan_date_range`)."""

    code = "outside_plan_years"

    def __init__(self, year: int) -> None:
        self.year = year

    def __call__(self, value: datetime.date) -> None:
        first, last = plan_date_range(self.year)
        if not first <= value <= last:
            raise ValidationError(plan_date_message(self.year), code=self.code)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PlanDateValidator) and other.year == self.year

    def __hash__(self) -> int:
        return hash((type(self), self.year))


def plan_date_errors(year: int, **dates: datetime.date | None) -> dict[str, list[str]]:
    """The services' check: each named date that is set and outside the plan's range, with the message."""
    first, last = plan_date_range(year)
    return {
        name: [plan_date_message(year)] for name, day in dates.items() if day is not None and not first <= day <= last
    }
